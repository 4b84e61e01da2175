"""``roses build --watch``: rebuild the book whenever one of its inputs changes, on warm kernels.

An author edits a sentence or a data file and the site is rebuilt in seconds. The one-off
``roses build`` pays, every time, for starting its kernels, importing pandas, plotly and roses in
them, parsing the national files and importing Sphinx; a watching process pays once. Each rebuild is
the usual incremental build (``roses.site.build``): only the chapters whose inputs changed run again,
and the kernels' caches are keyed on file stamps, so a changed file is always read afresh.

A change to the ``roses`` code restarts the whole process (it and its kernels hold the old code).
Inputs are polled (no extra dependency, and it works the same on every file system): the book's
folder, ``_toc.yml``, ``_config.yml``, the data folder and the package.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from roses.core.errors import RosesError

POLL_SECONDS = 0.25
SKIPPED = {"__pycache__", ".ipynb_checkpoints", "_build", ".git"}


def stamps(paths: list[Path]) -> dict[str, tuple[int, int]]:
    """(size, modification time) of every file under ``paths`` (files or folders)."""
    found: dict[str, tuple[int, int]] = {}
    for path in paths:
        if path.is_file():
            stat = path.stat()
            found[str(path)] = (stat.st_size, stat.st_mtime_ns)
            continue
        for folder, dirs, names in os.walk(path):
            dirs[:] = [d for d in dirs if d not in SKIPPED]
            for name in names:
                file = os.path.join(folder, name)
                try:
                    stat = os.stat(file)
                except OSError:  # removed while we looked
                    continue
                found[file] = (stat.st_size, stat.st_mtime_ns)
    return found


def changed(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def restart() -> None:
    """Run this command again in a fresh process (new code), after closing the kernels."""
    from roses.engine.execute import shutdown_kernels  # noqa: PLC0415 (only on a code change)

    shutdown_kernels()
    os.execv(sys.executable, [sys.executable, "-m", "roses.commands.cli", *sys.argv[1:]])


def watch(
    build: Callable[[], object],
    inputs: list[Path],
    code: Path,
    say: Callable[[str], None] = print,
    stop: Callable[[], bool] = lambda: False,
    on_code_change: Callable[[], None] = restart,
) -> None:
    """Call ``build`` whenever a file under ``inputs`` changes, until ``stop()``; a change under
    ``code`` calls ``on_code_change`` instead. A failed build is reported and the watch goes on."""
    code_files = [code]
    before = stamps(inputs + code_files)
    say(f"roses: watching {', '.join(str(p) for p in inputs)} (Ctrl-C to stop)")
    while not stop():
        time.sleep(POLL_SECONDS)
        now = stamps(inputs + code_files)
        edits = changed(before, now)
        if not edits:
            continue
        time.sleep(0.1)  # an editor's save can be several writes: let them land
        now = stamps(inputs + code_files)
        edits = changed(before, now)
        before = now
        if any(Path(name).is_relative_to(code) for name in edits):
            say(f"roses: the roses code changed ({_names(edits)}): restarting")
            on_code_change()
            continue
        start = time.perf_counter()
        try:
            report = build()
        except RosesError as error:
            say(f"roses: rebuild failed after {_names(edits)} changed; the previous site stays: {error}")
            continue
        executed = ", ".join(getattr(report, "executed", [])) or "none"
        say(
            f"roses: rebuilt in {time.perf_counter() - start:.1f} s after {_names(edits)} changed (executed: {executed})"
        )


def _names(paths: list[str], most: int = 3) -> str:
    shown = ", ".join(Path(p).name for p in paths[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")
