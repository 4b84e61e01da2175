"""Atomic writes: a file or folder appears complete or not at all, and an earlier one is never damaged.

A crash, a full disk or Ctrl-C part-way through writing leaves the previous version in place (or
nothing), never half a file. Files are written to a temporary name in the same folder, flushed to
disk and renamed over the target with :func:`os.replace` (atomic on POSIX and Windows when both
names are on one file system, which the same folder guarantees). Folders are built beside the
target and renamed into place.

Use :func:`write_text` / :func:`write_bytes` for content in memory, :func:`replacing` when a
library writes the file itself (``frame.to_excel(tmp)``), and :func:`replacing_dir` for a folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable; some systems (Windows) cannot open folders, which is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def replacing(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; when the block ends without error, it replaces ``target``.

    The temporary name keeps the target's suffix, so writers that choose a format by extension
    (``to_excel``) still work. On error the temporary file is removed and ``target`` is untouched.
    Missing parent folders are created.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".tmp{target.suffix}", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        _fsync_file(temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically; returns ``target`` as a Path."""
    with replacing(target) as temp:
        temp.write_bytes(data)
    return Path(target)


def write_text(target: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` atomically (newlines written as given); returns ``target``."""
    return write_bytes(target, text.encode(encoding))


def _old_name(target: Path) -> str:
    return f".{target.name}.old-"


def swap_dir(new: Path, target: Path) -> None:
    """Put the complete folder ``new`` in ``target``'s place (same file system: two renames).

    An existing ``target`` is renamed aside first and deleted only after ``new`` is in place, so at every
    moment either the old or the new complete folder exists: a crash between the two renames leaves the
    old one as ``.NAME.old-*``, which ``recover_dir`` puts back.
    """
    target = Path(target)
    old = None
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=_old_name(target), dir=target.parent))
        os.rmdir(old)  # only the unique name is wanted: rename needs it free
        os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)  # put the previous folder back
        raise
    _fsync_dir(target.parent)
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()


def recover_dir(target: str | os.PathLike) -> None:
    """Undo a swap killed between its renames: no ``target``, its previous folder renamed aside."""
    target = Path(target)
    if not target.parent.is_dir():
        return
    olds = sorted(target.parent.glob(f"{_old_name(target)}*"), key=lambda p: p.stat().st_mtime)
    if not (target.exists() or target.is_symlink()) and olds:
        os.rename(olds.pop(), target)
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def replacing_dir(target: str | os.PathLike) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; when the block ends without error, it becomes ``target``
    (``swap_dir``). On error the new folder is removed and ``target`` is untouched."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_dir(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield staging
        swap_dir(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
