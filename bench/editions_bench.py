#!/usr/bin/env python3
"""Benchmark: every England edition with `roses editions --england --workers 2`, against the plain loop.

Prints, from one run on this machine:

1. the wall time to build every current English authority's edition (``build_many``, 2 workers);
2. the plain loop, "papermill each chapter (a new kernel each), then ``jupyter-book build``", timed on
   a small sample of the same authorities in the same run, one after another, and extrapolated
   linearly to all of them (it is not run for all: that would take about an hour);
3. the speed-up, both as wall time and per core (the plain loop uses one core, the batch two);
4. the marginal disk per edition (the edition's own files; the shared ``_static`` counted once).

Usage: bench/editions_bench.py [--workers 2] [--sample 3] [--limit N] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from roses.core.paths import DATA_DIR
from roses.editions import assets
from roses.editions.batch import build_many, england_authorities, summary
from roses.editions.build import link_data
from roses.editions.plan import plan_edition
from roses.editions.site import write_source
from roses.engine.execute import hide_injected
from roses.engine.sphinx import DATA_LINK


def jupyter_book() -> str:
    """The jupyter-book command of this environment (next to the running Python)."""
    return str(Path(sys.executable).parent / "jupyter-book")


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def cpu_seconds() -> float:
    """User + system CPU of this process and of its finished children (workers, kernels, jupyter-book)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def plain_loop_edition(authority: str, workdir: Path) -> float:
    """One edition the plain way: papermill each page on a fresh kernel, then the jupyter-book CLI."""
    started = time.perf_counter()
    plan = plan_edition(authority, DATA_DIR)
    source = workdir / plan.slug / "source"
    source.mkdir(parents=True)
    write_source(plan, source)
    link_data(source / DATA_LINK, DATA_DIR)
    for page in plan.notebooks:
        output = source / f"{page.docname}.ipynb"
        output.parent.mkdir(parents=True, exist_ok=True)
        executed = papermill.execute_notebook(
            page.notebook,
            None,
            parameters={"authority": plan.authority, "data_dir": DATA_LINK},
            cwd=str(source),
            progress_bar=False,
            kernel_name="python3",
        )
        nbformat.write(hide_injected(executed), output)
    subprocess.run(
        [
            jupyter_book(),
            "build",
            str(source),
            "--path-output",
            str(workdir / plan.slug),
            "--warningiserror",
            "--nitpick",
            "--keep-going",
            "--quiet",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=3, help="authorities timed with the plain loop")
    parser.add_argument("--limit", type=int, help="build only the first N authorities (a quick check)")
    parser.add_argument("--out", default=None, help="editions folder (default: a temporary folder, removed)")
    args = parser.parse_args()

    names = england_authorities()
    if args.limit:
        names = names[: args.limit]
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="roses-editions-bench-"))
    print(f"machine: {machine()}; load average at start {load()}")

    started, cpu_before = time.perf_counter(), cpu_seconds()
    results = build_many(names, out=out, workers=args.workers, progress=sys.stderr.isatty())
    batch_seconds = time.perf_counter() - started
    batch_cpu = cpu_seconds() - cpu_before
    print(summary(results))
    built = [r for r in results if r.ok]
    per_edition = [r.bytes for r in built]
    shared_copies = assets.shared_folders(out)
    shared = sum(assets.disk_usage(folder) for folder in shared_copies)
    print(
        f"roses editions, {len(names)} England editions, --workers {args.workers}: {batch_seconds:.0f} s "
        f"({batch_seconds / 60:.1f} min; {batch_seconds / max(len(names), 1):.2f} s per edition wall); "
        f"CPU used {batch_cpu:.0f} s, so about {batch_cpu / args.workers / 60:.1f} min on an otherwise idle "
        f"{args.workers}-core machine"
    )

    sample = [names[i * len(names) // args.sample] for i in range(args.sample)]
    cpu_before = cpu_seconds()
    with tempfile.TemporaryDirectory(prefix="roses-plain-loop-") as work:
        times = [plain_loop_edition(a, Path(work)) for a in sample]
    plain_cpu_each = (cpu_seconds() - cpu_before) / len(sample)
    plain_each = statistics.mean(times)
    plain_total = plain_each * len(names)
    print(
        f"plain loop (papermill per chapter + jupyter-book build), measured on {len(sample)} authorities "
        f"({', '.join(sample)}) in this run: {plain_each:.1f} s each; EXTRAPOLATED to {len(names)} editions "
        f"on one core: {plain_total:.0f} s ({plain_total / 60:.1f} min); CPU {plain_cpu_each:.1f} s per edition"
    )
    print(
        f"speed-up: {plain_total / batch_seconds:.1f}x wall time ({args.workers} workers vs the one-core loop); "
        f"{plain_total / (batch_seconds * args.workers):.1f}x per core; "
        f"{plain_cpu_each * len(names) / max(batch_cpu, 1e-9):.1f}x in CPU time"
    )
    if per_edition:
        print(
            f"disk: {statistics.mean(per_edition) / 1e6:.2f} MB per edition on average (max "
            f"{max(per_edition) / 1e6:.2f} MB), plus {shared / 1e6:.1f} MB of shared assets "
            f"({len(shared_copies)} cop{'y' if len(shared_copies) == 1 else 'ies'})"
        )
    print(f"load average at end {load()} (other work on the machine slows both measurements)")
    if not args.out:
        shutil.rmtree(out, ignore_errors=True)
    return 0 if len(built) == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
