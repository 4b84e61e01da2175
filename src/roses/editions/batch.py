"""Build many editions: in this process, or on a Dask cluster (local worker processes or a remote one).

One runner: several local workers are a Dask ``LocalCluster`` of that many processes, so a batch on a
laptop and a batch on a cluster take the same path. Each worker builds one edition at a time and keeps its kernel and its imported Sphinx between
editions (``build.build_edition``), so the per-edition cost is executing a few cells and writing a
few pages. A failed edition does not stop the others; the caller gets one result per authority.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from distributed import Client, LocalCluster, as_completed
from tqdm import tqdm

from roses.core.errors import RosesError
from roses.editions.build import EditionResult, build_edition
from roses.engine.execute import shutdown_kernels
from roses.national import readers
from roses.published import tables as published


def england_authorities(data_dir: Path | None = None) -> list[str]:
    """Every English authority in the latest year of the DfE files, by name."""

    table = readers.authorities(data_dir)
    latest = table[table["last_year"] == table["last_year"].max()]
    return sorted(latest["la_name"])


def programme_authorities() -> list[str]:
    return list(published.AUTHORITIES)


def build_one(authority: str, data_dir: str | None, out: str | None) -> EditionResult:
    """Build one edition and report, never raise: a batch must finish and list its failures."""
    try:
        return build_edition(authority, data_dir=data_dir, out=out)
    except RosesError as error:
        return EditionResult(authority, error=str(error))
    except Exception as error:  # an unexpected bug: keep its traceback for the summary
        return EditionResult(authority, error=f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}")


def _local_cluster(workers: int) -> LocalCluster:
    """``workers`` local processes, one edition at a time each. Dask starts them with "spawn" (a clean
    process: no forked kernel sockets or Sphinx state); no memory limit (an edition's kernel is a
    process of its own, which the limit would not see anyway) and no dashboard."""
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        memory_limit=0,
        dashboard_address=None,
        # A worker that holds Sphinx and pandas takes more than the nanny's 4 s to exit at the end and
        # is killed, with a warning per worker: expected, the batch's results are all in by then.
        silence_logs=logging.ERROR,
    )


def _on_cluster(authorities: list[str], data_dir, out, scheduler) -> Iterable[EditionResult]:
    """Every edition on the cluster ``scheduler`` (an address, a ``Client`` or a ``LocalCluster``)."""
    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        futures = client.map(build_one, authorities, data_dir=data_dir, out=out, pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        if isinstance(scheduler, LocalCluster):  # ours: shut its workers' kernels down before the workers
            client.run(shutdown_kernels)
        if client is not scheduler:
            client.close()
        if isinstance(scheduler, LocalCluster):
            scheduler.close()


def build_many(
    authorities: list[str],
    data_dir: str | Path | None = None,
    out: str | Path | None = None,
    workers: int = 1,
    scheduler=None,
    progress: bool = True,
    on_result: Callable[[EditionResult], None] | None = None,
) -> list[EditionResult]:
    """Build every edition in ``authorities``; returns one result each, in completion order.

    ``scheduler``: a Dask scheduler address (``tcp://host:8786``) or a ``distributed.Client``; the
    same work then runs on that cluster's workers instead of local processes.
    """
    data = str(data_dir) if data_dir else None
    target = str(out) if out else None
    if scheduler is None and workers <= 1:  # here, in this process: its kernel stays warm between editions
        runs: Iterable[EditionResult] = (build_one(a, data, target) for a in authorities)
    else:
        runs = _on_cluster(authorities, data, target, scheduler or _local_cluster(workers))
    results = []
    with tqdm(total=len(authorities), unit="edition", disable=not progress) as bar:
        for result in runs:
            results.append(result)
            bar.set_postfix_str(f"{result.authority}: {'ok' if result.ok else 'FAILED'}")
            bar.update()
            if on_result:
                on_result(result)
    return results


def summary(results: list[EditionResult]) -> str:
    """What a batch did: counts, then each failure with its reason."""
    failed = [r for r in results if not r.ok]
    lines = [
        f"{len(results) - len(failed)} of {len(results)} editions built"
        + (f"; {len(failed)} failed:" if failed else ".")
    ]
    lines += [f"  {r.authority}: {r.error}" for r in sorted(failed, key=lambda r: r.authority)]
    return "\n".join(lines)
