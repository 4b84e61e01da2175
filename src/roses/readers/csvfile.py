"""Read a CSV data file and validate it with a pandera schema, reporting problems by file, row, column.

Every value is read as text first, so nothing is silently converted; pandera then coerces the types
and runs the checks. The first pass reports values that are not of the right type; only a file
whose types are right is checked against the allowed values, so each problem is reported once.
"""

from __future__ import annotations

import csv
import re
from array import array
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from roses.core.cache import BoundedCache, computed
from roses.core.errors import DataError, Problem, warn_repair
from roses.core.stamps import file_stamp

HEADER_ROW = 1  # line 1 of a CSV is the header, so frame index i is line i + 2


def _plain_dtype(dtype: object) -> str:
    text = str(dtype)
    if "int" in text:
        return "a whole number"
    if "float" in text:
        return "a number"
    if "bool" in text:
        return "true or false"
    return f"a value of type {text}"


def _expected(check: str, schema: pa.DataFrameSchema, column: str | None) -> str:
    """Say in words what a failed pandera check wanted."""
    if column in schema.columns and check.startswith(("coerce_dtype", "dtype")):
        return _plain_dtype(schema.columns[column].dtype)
    match = re.match(r"isin\((.*)\)$", check)
    if match:
        return f"one of {match.group(1)}"
    match = re.match(r"in_range\((.*), (.*)\)$", check)
    if match:
        return f"a value from {match.group(1)} to {match.group(2)}"
    if check == "not_nullable":
        return "a value (the cell is empty)"
    if check.startswith("field_uniqueness") or check == "unique":
        return "a value not repeated in another row"
    return check


def _line(error: csv.Error) -> int | None:
    """The line a CSV error was found on (set by ``_parse``)."""
    return getattr(error, "line", None)


def _problems(error: pa.errors.SchemaErrors, schema: pa.DataFrameSchema) -> list[Problem]:
    problems: dict[tuple, Problem] = {}
    for case in error.failure_cases.itertuples(index=False):
        check = str(case.check)
        column = None if case.column is None or pd.isna(case.column) else str(case.column)
        if check == "column_in_dataframe":
            key: tuple = ("missing", case.failure_case)
            problems[key] = Problem(
                HEADER_ROW, str(case.failure_case), "no such column", "a column with this name in the header"
            )
            continue
        index = None if case.index is None or pd.isna(case.index) else int(case.index)
        row = None if index is None else index + 2
        found = "" if case.failure_case is None or pd.isna(case.failure_case) else case.failure_case
        key = (row, column)  # coerce and dtype report the same cell: keep the first
        if key not in problems:
            problems[key] = Problem(row, column, found, _expected(check, schema, column))
    return sorted(problems.values(), key=lambda p: (p.row or 0, p.column or ""))


def _types_only(schema: pa.DataFrameSchema) -> pa.DataFrameSchema:
    columns = {
        name: pa.Column(col.dtype, nullable=col.nullable, required=col.required, coerce=True)
        for name, col in schema.columns.items()
    }
    return pa.DataFrameSchema(columns, strict=False)


def check_frame(frame: pd.DataFrame, schema: pa.DataFrameSchema, path: str | Path) -> pd.DataFrame:
    """Validate an all-text frame read from ``path``; return it with proper types or raise DataError."""
    try:
        typed = _types_only(schema).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        raise DataError(path, _problems(error, schema)) from None
    try:
        return schema.validate(typed, lazy=True)
    except pa.errors.SchemaErrors as error:
        raise DataError(path, _problems(error, schema)) from None


# Byte signatures of files that are not text but often arrive with a .csv name.
SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook or other zip file (rename it .xlsx, or save it as CSV UTF-8)",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook (save it as CSV UTF-8)",
    b"%PDF": "a PDF document",
}
OTHER_DELIMITERS = (";", "\t", "|")  # European Excel writes ';', "Unicode text" writes tabs
LONGEST_CELL = 16 * 1024 * 1024  # csv's default limit (128 kB) is too small for pasted comments


def read_csv_text(path: str | Path) -> pd.DataFrame:
    """Read a CSV with every cell as text (empty cells as missing), or raise DataError saying why not.

    The frame's index is the line number of each row minus 2 (the header is line 1), so
    ``index + 2`` names the right line even after blank rows or cells that span several lines.

    Repairs, each announced with a :class:`~roses.errors.DataWarning`: a UTF-16 file is decoded,
    a file separated by ``;``, tabs or ``|`` is split on that, and blank rows are skipped. A byte
    order mark and spaces around header names are dropped silently (they carry no information).
    Everything else that is wrong is an error: a short or long row, a file cut off part-way, a
    repeated column name, a file with no data rows, text that is not UTF-8, binary content.
    """
    path = Path(path)
    records = _records(path, *_separator_line(path, _decode(path, _read_bytes(path))))  # the text is let go
    header = _header(path, records.first)
    if len(records.first) > len(header) and (records.filled > len(header)).any():
        # Columns with no name at the end that do hold cells (SurveyMonkey names a grid over its first column only)
        header = header + [f"column {n}" for n in range(len(header) + 1, len(records.first) + 1)]
    cells, lines = _rows(path, records, len(header))
    frame = pd.DataFrame(cells.T, columns=header, dtype=object, copy=False)
    if not np.array_equal(lines, np.arange(2, len(lines) + 2)):
        frame.index = pd.Index(lines - 2)
    return frame


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing file, a folder, a link loop or a permission error is a DataError."""
    if path.is_symlink() and not path.exists():
        raise DataError.one(path, "a symbolic link to nothing (or to itself)", "a CSV file")
    if not path.exists():
        raise DataError.one(path, "no such file", "a CSV file at this path")
    if path.is_dir():
        raise DataError.one(path, "a folder", "a CSV file")
    try:
        return path.read_bytes()
    except OSError as error:
        raise DataError.one(path, error.strerror or type(error).__name__, "a file roses can read") from None


def _decode(path: Path, raw: bytes) -> str:
    for signature, what in SIGNATURES.items():
        if raw.startswith(signature):
            raise DataError.one(path, what, "a text CSV file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError.one(
                path, "a UTF-16 byte order mark, then bytes that are not UTF-16", "a text CSV file"
            ) from None
        warn_repair(path, "read as UTF-16 text (Excel's 'Unicode text'); CSV UTF-8 is preferred")
        return _not_empty(path, text)
    if b"\x00" in raw[:4096]:
        raise DataError.one(path, "binary content", "a text CSV file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = len(re.findall(rb"\r\n|\r|\n", raw[: error.start])) + 1  # CR-only files (old Mac Excel) too
        byte = raw[error.start : error.start + 1]
        raise DataError.one(
            path,
            byte,
            f"UTF-8 text; byte {byte.hex().upper()} is '{byte.decode('cp1252', 'replace')}' "
            "in Windows-1252: save the file as 'CSV UTF-8'",
            row=line,
        ) from None
    return _not_empty(path, text)


def _not_empty(path: Path, text: str) -> str:
    if not text.strip(" \t\r\n,;\ufeff"):  # nothing but separators and spaces
        raise DataError.one(path, "an empty file", "a header row and data rows")
    return text


SEPARATOR_LINE = re.compile(r"\A\ufeff?sep=(.)[ \t]*(?:\r\n|\r|\n)", re.IGNORECASE)


def _separator_line(path: Path, text: str) -> tuple[str, int, str | None]:
    """Excel's ``sep=,`` hint on the first line: dropped (with a warning), its separator used.

    Returns the text without it, the line number of the text's first line, and the separator.
    """
    match = SEPARATOR_LINE.match(text)
    if not match:
        return text, 1, None
    delimiter = match.group(1)
    if delimiter not in (",", *OTHER_DELIMITERS):
        raise DataError.one(path, f"a first line 'sep={delimiter}'", "sep=, sep=; or sep=| (or no sep= line)", row=1)
    warn_repair(
        path,
        f"skipped Excel's 'sep={delimiter}' line (line 1); the header is line 2"
        + ("" if delimiter == "," else f", columns separated by {delimiter!r}"),
    )
    return text[match.end() :], 2, delimiter


LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    r"""The text's lines with their ends (\r\n, \r or \n), as a file opened with ``newline=""`` gives
    them to csv.reader: io.StringIO would first copy the whole text, at four bytes a character."""
    return (match.group() for match in LINE.finditer(text))


class _Records:
    """A CSV text's records, parsed as the text streams by, without a list kept per row (a 200,000-row
    export is 8 million cells): the first record as it is (the header, in a good file); of each other
    record, its first cells (as many as the first record has) in one array, a column of it each (the
    frame's own layout), the line it starts on (``lines``), its number of cells (``sizes``) and its
    filled length (``filled``: up to its last cell that is not blank). Raises csv.Error with ``line``
    set to the line of the record it stopped in."""

    def __init__(self, text: str, delimiter: str, first_line: int = 1) -> None:
        csv.field_size_limit(max(csv.field_size_limit(), LONGEST_CELL))
        self.ends_with_line_break = text.endswith(("\n", "\r"))
        self.most = text.count("\n") + text.count("\r") - text.count("\r\n") + 1  # lines: a record starts on one
        self.first: list[str] = []  # the first record (the header, in a good file)
        self.first_filled: list[str] | None = None  # the first record with a cell that is not blank
        self.first_filled_line = 0
        self.last_empty = False  # the last record is a line with nothing on it
        self.cells = np.empty((0, 0), dtype=object)
        lines, sizes, filled = array("q"), array("q"), array("q")
        reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
        previous, started = first_line - 1, False
        try:
            for record in reader:
                line = previous + 1
                previous = reader.line_num + first_line - 1
                length = len(record)
                while length and not record[length - 1].strip():
                    length -= 1
                if length and self.first_filled is None:
                    self.first_filled, self.first_filled_line = record, line
                self.last_empty = not record
                if not started:
                    started, self.first, self.cells = True, record, np.empty((len(record), self.most), dtype=object)
                    continue
                width = len(self.cells)
                self.cells[: min(len(record), width), len(lines)] = record if len(record) <= width else record[:width]
                lines.append(line)
                sizes.append(len(record))
                filled.append(length)
        except csv.Error as error:
            error.line = previous + 1  # type: ignore[attr-defined]  # the row, for the message in _records
            raise
        self.lines, self.sizes, self.filled = (np.frombuffer(a, dtype=np.int64) for a in (lines, sizes, filled))


def _records(path: Path, text: str, first_line: int = 1, delimiter: str | None = None) -> _Records:
    try:
        records = _Records(text, delimiter or ",", first_line)
        first = records.first_filled
        if first is None:  # cells of spaces or quotes only
            raise DataError.one(path, "no cell with any text", "a header row and data rows")
        if len(first) == 1 and delimiter is None:  # one column only: perhaps another separator
            other = next((d for d in OTHER_DELIMITERS if d in first[0]), None)
            if other:
                records = _Records(text, other, first_line)
                warn_repair(path, f"columns separated by {other!r} instead of commas; read with {other!r}")
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise DataError.one(
                path, "the file ends inside a quoted cell", "a complete file (was it cut short?)", row=_line(error)
            ) from None
        raise DataError.one(path, str(error), "well-formed CSV rows", row=_line(error)) from None
    if records.first_filled is None:
        raise DataError.one(path, "no cell with any text", "a header row and data rows")
    if records.first_filled is not records.first:
        raise DataError.one(
            path, "blank lines above the header", "the header on the first line", row=records.first_filled_line
        )
    return records


def _header(path: Path, record: list[str]) -> list[str]:
    names = [c.strip() or f"column {n}" for n, c in enumerate(record, start=1)]
    while names and names[-1] == f"column {len(names)}":  # trailing separators after the last name
        names.pop()
    seen: dict[str, int] = {}
    problems = []
    for n, name in enumerate(names, start=1):
        if name in seen:
            problems.append(
                Problem(
                    HEADER_ROW, name, f"column {n} has the same name as column {seen[name]}", "each column name once"
                )
            )
        seen.setdefault(name, n)
    if problems:
        raise DataError(path, problems)
    return names


def _rows(path: Path, records: _Records, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The cells of the rows below the header, a column of ``width`` each (empty cells missing), and their lines.

    Blank rows are skipped (with a warning); a row of another width is an error (trailing blank cells,
    as Excel pads rows, are not counted)."""
    sizes, filled, lines = records.sizes, records.filled, records.lines
    blank = filled == 0
    problems = []
    for k in np.flatnonzero(~blank & ((sizes < width) | (filled > width))):
        cut = k == len(lines) - 1 and not records.ends_with_line_break
        expected = f"{width} cells as in the header" + (
            " (the file ends part-way through this row: was it cut short?)" if cut else ""
        )
        found = sizes[k] if sizes[k] < width else filled[k]  # trailing blank cells past the header are not counted
        problems.append(Problem(int(lines[k]), None, f"{found} cells", expected))
    if problems:
        raise DataError(path, problems)
    shown = blank.copy()
    if len(shown) and records.last_empty:
        shown[-1] = False  # the line after the last line break
    warn_blank_rows(path, lines[shown].tolist(), "line(s)")
    if blank.all():
        raise DataError.one(path, "only a header row", "data rows below the header", row=HEADER_ROW)
    cells = records.cells[:width, : len(lines)]
    if blank.any():
        cells = cells[:, ~blank]
    if cells.size < 0.75 * records.cells.size:  # rows spanning several lines: let the unused rows go
        cells = cells.copy()
    cells[cells == ""] = float("nan")
    return cells, lines[~blank]


_VALID = BoundedCache(maxsize=256)  # validated tables, see read_csv


def warn_blank_rows(path: str | Path, blank: list[int], unit: str) -> None:
    """Announce the blank rows a reader skipped (``unit``: "line(s)" for CSV, "row(s)" for a sheet)."""
    if blank:
        shown = ", ".join(map(str, blank[:10])) + (" ..." if len(blank) > 10 else "")
        warn_repair(path, f"skipped {len(blank)} blank row(s): {unit} {shown}")


def read_csv(path: str | Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Read and validate one CSV data file.

    A file already validated against the same schema, and unchanged since (same size and
    modification time), is not read again: chapters ask for the same tables many times.
    """
    path = Path(path)
    return computed(_VALID, (file_stamp(path), id(schema)), lambda: check_frame(read_csv_text(path), schema, path))
