"""Which data files this process has opened: the source of each chapter's "data used" footer.

A Python audit hook sees every ``open()`` of a file (pandas, openpyxl and yaml included), so no
reader has to remember to report what it read. Only files under a data folder are kept. In the
book build each chapter runs in a fresh kernel, so a chapter's footer lists exactly the files its
exhibits read; in a long-lived kernel a file cached by an earlier chapter is listed only there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_opened: dict[str, None] = {}  # insertion-ordered set of absolute paths
_installed = False


def _hook(event: str, args: tuple) -> None:
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        mode = args[1] if len(args) > 1 and isinstance(args[1], str) else "r"
        if "r" in mode or mode == "":
            _opened[os.fsdecode(args[0])] = None


def install() -> None:
    """Start recording (idempotent; audit hooks cannot be removed, so install once)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


def files_under(root: Path) -> list[Path]:
    """The files opened so far that lie under ``root``, in the order first opened, without repeats."""
    root = Path(root).resolve()
    seen: list[Path] = []
    for name in list(_opened):
        path = Path(name).resolve()
        if path.is_file() and root in path.parents and path not in seen:
            seen.append(path)
    return seen


install()
