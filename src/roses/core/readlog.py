"""Which data files a page has read: the source of each chapter's "data used" footer.

A Python audit hook sees every ``open()`` of a file (pandas, openpyxl and yaml included), so no
reader has to remember to report what it read. A page starts its own log (``reset``), so on a kernel
shared by several chapters each footer lists only its own files. Results served from a cache were
computed from files opened earlier: the cache records them with the result (``capture``) and
``replay``s them on every hit, so a cached read is still listed.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

_opened: dict[str, None] = {}  # insertion-ordered set of absolute paths since the last reset
_captures: list[dict[str, None]] = []  # open capture() blocks, innermost last
_installed = False


def _record(name: str) -> None:
    _opened[name] = None
    for files in _captures:
        files[name] = None


def _hook(event: str, args: tuple) -> None:
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
        if "r" in mode or mode == "":
            _record(os.fsdecode(args[0]))


def install() -> None:
    """Start recording (idempotent; audit hooks cannot be removed, so install once)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def reset() -> None:
    """Start a new log (a page calls this first)."""
    install()
    _opened.clear()


@contextlib.contextmanager
def capture() -> Iterator[dict[str, None]]:
    """Collect the files opened inside the block (as well as logging them)."""
    files: dict[str, None] = {}
    _captures.append(files)
    try:
        yield files
    finally:
        del _captures[next(i for i, f in enumerate(_captures) if f is files)]  # by identity, not by value


def replay(files) -> None:
    """Log files again that a cached result was computed from."""
    for name in files:
        _record(name)


# Installed software is not data: the environment's own files (imports read them too) are left out.
_ENVIRONMENT = tuple(
    {
        os.path.join(p, "")
        for prefix in (sys.prefix, sys.base_prefix, sys.exec_prefix)
        for p in (prefix, os.path.realpath(prefix))
    }
)


def in_environment(name: str) -> bool:
    """Whether ``name`` (an absolute path) is a file of the Python installation or virtual environment."""
    return name.startswith(_ENVIRONMENT) or os.path.realpath(name).startswith(_ENVIRONMENT)


def files_under(root: Path) -> list[Path]:
    """The files logged since the last reset that lie under ``root`` (and outside the Python
    environment, even when it lives under ``root``), in the order first opened."""
    root = Path(root).resolve()
    seen: dict[Path, None] = {}
    for name in list(_opened):
        path = Path(name).resolve()
        if path in seen or root not in path.parents or in_environment(str(path)):
            continue
        if path.is_file():
            seen[path] = None
    return list(seen)


install()  # from the first import on: caches capture what they read
