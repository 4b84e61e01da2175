"""Limits on zip archives (an XLSX workbook is one) checked before anything unpacks them.

A 2 MB workbook can unpack to 600 MB (a zip bomb): the compressed size says nothing about the work of
reading it. :func:`check_unpacked_size` reads only the archive's directory (a few kilobytes) and
refuses, naming the file, an archive whose members would unpack to more than the limit, or whose
members compress too well to be ordinary spreadsheet XML.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from roses.core.errors import DataError

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # an export of 50 MB on disk unpacks to well under this
MAX_RATIO = 200  # spreadsheet XML compresses 5-30 fold; a zip bomb thousands of times


def check_unpacked_size(path: str | Path, limit: int = MAX_UNPACKED_BYTES, ratio: int = MAX_RATIO) -> int:
    """The archive's total unpacked size; DataError if over ``limit`` or a member's ratio is over ``ratio``."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise DataError.one(path, f"not a readable workbook ({error})", "an .xlsx file") from None
    total = sum(m.file_size for m in members)
    if total > limit:
        found = f"a workbook that unpacks to {total // (1024 * 1024)} MB"
        raise DataError.one(path, found, f"at most {limit // (1024 * 1024)} MB unpacked")
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > ratio * max(m.compress_size, 1):
            found = f"'{m.filename}' packed {m.file_size // max(m.compress_size, 1)} to 1"
            raise DataError.one(path, found, f"a workbook part compressed at most {ratio} to 1")
    return total
