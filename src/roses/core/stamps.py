"""File stamps: (path, size, modification time), the cheap test of "has this file changed?".

Kept apart from ``roses.core.cache`` (which needs pandas) so that code with no use for pandas, such
as the Sphinx extension, can ask whether the data changed without importing it.
"""

from __future__ import annotations

import os
from pathlib import Path

from roses.core.paths import data_dir as resolve


def file_stamp(path: str | os.PathLike) -> tuple:
    """(path, size, modification time) of a file, or (path, None, None) if it does not exist."""
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except OSError:
        return (str(path), None, None)
    return (str(path), stat.st_size, stat.st_mtime_ns)


def data_names(data_dir: str | os.PathLike | None) -> tuple:
    """The data folder and the names of the files in it (no stat): a file added or removed changes it."""
    root = resolve(data_dir).resolve()
    names = [os.path.join(folder, name) for folder, _dirs, files in os.walk(root) for name in files]
    return (str(root), tuple(sorted(names)))


def data_stamp(data_dir: str | os.PathLike | None) -> tuple:
    """The data folder and the stamp of every file in it (stat only, cheap): any edit changes it."""
    root, names = data_names(data_dir)
    return (root, tuple(stamp for stamp in stamps_of(names) if stamp[1] is not None))  # not one removed meanwhile


def stamps_of(files) -> tuple:
    """(name, size, modification time) of each file named, (name, None, None) for one that is gone."""
    stamps: list[tuple] = []
    for name in files:
        try:
            stat = os.stat(name)
        except OSError:
            stamps.append((name, None, None))
            continue
        stamps.append((name, stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)
