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


@contextlib.contextmanager
def replacing_dir(target: str | os.PathLike) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; when the block ends without error, it becomes ``target``.

    An existing ``target`` is moved aside first and deleted only after the new folder is in
    place, so at every moment either the old or the new complete folder exists under that name
    (the swap is two renames: a crash between them leaves the old one as ``.NAME.old-*``, which
    the next successful call does not touch and a user can restore). On error the new folder is
    removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rmdir(old)  # only the unique name is wanted: rename needs it free
        os.rename(target, old)
    try:
        os.rename(staging, target)
    except BaseException:
        if old is not None:
            os.rename(old, target)  # put the previous folder back
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _fsync_dir(target.parent)
    if old is not None:
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink()
