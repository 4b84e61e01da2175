"""Read a CSV data file and validate it with a pandera schema, reporting problems by file, row, column.

Every value is read as text first, so nothing is silently converted; pandera then coerces the types
and runs the checks. The first pass reports values that are not of the right type; only a file
whose types are right is checked against the allowed values, so each problem is reported once.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .errors import DataError, Problem

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


def _problems(error: pa.errors.SchemaErrors, schema: pa.DataFrameSchema) -> list[Problem]:
    problems: dict[tuple, Problem] = {}
    for case in error.failure_cases.itertuples(index=False):
        check = str(case.check)
        column = None if case.column is None or pd.isna(case.column) else str(case.column)
        if check == "column_in_dataframe":
            key = ("missing", case.failure_case)
            problems[key] = Problem(HEADER_ROW, str(case.failure_case), "no such column",
                                    "a column with this name in the header")
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


def read_csv_text(path: str | Path) -> pd.DataFrame:
    """Read a CSV with every cell as text (empty cells as missing), or raise DataError saying why not."""
    path = Path(path)
    if not path.exists():
        raise DataError(path, [Problem(None, None, "no such file", "a CSV file at this path")])
    if path.is_dir():
        raise DataError(path, [Problem(None, None, "a folder", "a CSV file")])
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise DataError(path, [Problem(None, None, "binary content", "a text CSV file")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(path, [Problem(line, None, raw[error.start:error.start + 1],
                                       "UTF-8 text (save the file as CSV UTF-8)")]) from None
    if not text.strip():
        raise DataError(path, [Problem(None, None, "an empty file", "a header row and data rows")])
    import io

    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.ParserError as error:
        raise DataError(path, [Problem(None, None, str(error), "well-formed CSV rows")]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def read_csv(path: str | Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Read and validate one CSV data file."""
    return check_frame(read_csv_text(path), schema, path)
