"""Build many editions: on local worker processes, or on a Dask distributed cluster.

Each worker builds one edition at a time and keeps its kernel and its imported Sphinx between
editions (``build.build_edition``), so the per-edition cost is executing a few cells and writing a
few pages. A failed edition does not stop the others; the caller gets one result per authority.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

from distributed import Client
from distributed import as_completed as dask_completed
from tqdm import tqdm

from roses.core.errors import RosesError
from roses.editions.build import EditionResult, build_edition
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


def _local(authorities: list[str], data_dir, out, workers: int) -> Iterable[EditionResult]:
    if workers <= 1:
        for authority in authorities:
            yield build_one(authority, data_dir, out)
        return
    # "spawn": a clean process per worker (no forked kernel sockets or Sphinx state).
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(build_one, a, data_dir, out) for a in authorities]
        for future in as_completed(futures):
            yield future.result()


def _dask(authorities: list[str], data_dir, out, scheduler) -> Iterable[EditionResult]:

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        futures = client.map(build_one, authorities, data_dir=data_dir, out=out, pure=False)
        for future in dask_completed(futures):
            yield future.result()
    finally:
        if client is not scheduler:
            client.close()


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
    runs = (
        _dask(authorities, data, target, scheduler)
        if scheduler is not None
        else _local(authorities, data, target, workers)
    )
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
