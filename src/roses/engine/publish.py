"""The atomic publish: a built site replaces the published one whole, or not at all.

A build happens in a work folder beside its target (``<target's folder>/.building-<pid>-<id>/``: the
same file system, so the final move is a rename). The published folder is replaced only when the
build succeeded: ``swap_in`` renames it aside, the new one in, and deletes the old one; ``copy_in``
does the same with a copy, for a build whose output stays where it was built (the main book keeps
Sphinx's output for its next incremental build). A run killed between the two renames leaves the old
site under ``.old-*``; ``recover`` (called by the next run before it starts) puts it back and removes
the work folders of dead processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from roses.core import atomic

WORK_PREFIX = ".building-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(target: Path) -> None:
    """Undo what a killed run left behind: restore a site renamed aside, remove dead work folders."""
    folder = target.parent
    if not folder.is_dir():
        return
    atomic.recover_dir(target)
    for work in folder.glob(f"{WORK_PREFIX}*"):
        pid = work.name[len(WORK_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _pid_alive(int(pid)):
            shutil.rmtree(work, ignore_errors=True)


@contextmanager
def work_folder(target: Path) -> Iterator[Path]:
    """A fresh work folder beside ``target`` (after ``recover``), removed when the block ends."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    work = target.parent / f"{WORK_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        work.mkdir(parents=True)
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def swap_in(built: Path, target: Path) -> None:
    """Rename ``built`` to ``target`` in one swap (the previous ``target`` is deleted after)."""
    atomic.swap_dir(built, target)


def copy_in(built: Path, target: Path, finish: Callable[[Path], None] | None = None) -> None:
    """Copy ``built`` to ``target`` in one swap; ``finish(staging)`` may add files before the swap."""
    with atomic.replacing_dir(target) as staging:
        shutil.copytree(built, staging, dirs_exist_ok=True)
        if finish is not None:
            finish(staging)
    os.utime(target)


@contextmanager
def terminate_cleanly() -> Iterator[None]:
    """A SIGTERM (``kill``, a stopped CI job) unwinds like Ctrl-C, so the work folder is removed
    (a SIGKILL cannot be caught: the next run removes what it leaves, see ``recover``)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
