"""Workbook reading: the visible sheet of respondents of an XLSX file, with its structure checked.

openpyxl reads the whole workbook (values, formulas, merged cells, Excel tables, hidden rows), so a
workbook costs memory in proportion to its cells: one whose sheets hold more than
:data:`MAX_SHEET_BYTES` of cell data is refused with the advice to save it as CSV, which is read
in seconds at any size roses accepts.
"""

import dataclasses
import datetime
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

from roses.core.archives import check_unpacked_size
from roses.core.errors import DataError, Problem, warn_repair
from roses.readers.csvfile import _header as checked_header
from roses.readers.csvfile import warn_blank_rows
from roses.survey.instruments import Instrument, normalise
from roses.survey.readers.formats import _tool_header
from roses.survey.readers.headers import _header_index, _items_per_row

MAX_SHEET_BYTES = 60 * 1024 * 1024  # cell data (uncompressed sheet XML); about 1.5 million cells
# Sheet names survey tools and people give the respondents' sheet beside a summary or notes sheet.
RESPONSES_SHEETS = {"responses", "response data", "raw data", "data", "form responses 1", "results"}
SUMMARY_HINT = "(a summary or notes sheet?)"
STRICT_NAMESPACE = b"purl.oclc.org/ooxml/spreadsheetml/main"  # Excel's "Strict Open XML" format


@dataclasses.dataclass
class Sheet:
    """One worksheet as roses needs it: cells as text, and what the cells alone do not say."""

    name: str
    visible: bool
    records: list[list[str | None]]
    merged: dict[str, tuple[int, int]]  # "A1:C1" -> (top row, bottom row)
    formulas: dict[int, dict[int, str]]  # row -> column -> formula (rows and columns from 1)
    totals: dict[int, str]  # row -> Excel table whose total row it is
    hidden_rows: set[int]  # rows hidden by hand or by a filter


def read_workbook(path: Path, instrument: Instrument | None = None) -> pd.DataFrame:
    """The visible sheet of respondents of an XLSX workbook, checked like a CSV (csvfile.read_csv_text).

    Only visible sheets are read (a hidden sheet is skipped with a warning). Respondents' sheets are
    those whose header names survey items; beside a summary sheet (items down a column), or when one
    of them is named like a responses sheet ("Responses", "Raw data"), the respondents' sheet is read
    with a warning naming the others; respondents on two sheets are refused (they would be half
    read). A title or notes above the header are skipped with a warning. An Excel table's total row,
    blank rows and rows hidden by a filter are left out with a warning naming them; a formula in a
    data row, a merged cell in the header, a repeated column name, data in a column with no name or
    a sheet with no data rows is an error.
    """
    sheets = _load_sheets(path)
    sheet, hidden_items = _respondents_sheet(path, sheets, instrument)
    records = sheet.records
    filled = [i for i, record in enumerate(records) if any(cell is not None for cell in record)]
    if not filled:
        expected = "a header row and data rows"
        if hidden_items:
            expected += f" (the respondents are on hidden sheet {hidden_items[0]!r}: unhide it or delete the other)"
        raise DataError.one(path, "an empty sheet", expected)
    start, tool_header = _header_start(path, records, filled, instrument)
    header = _header(path, sheet, start, filled, tool_header)
    body, index, left_out = _body(path, sheet, start, filled, header)
    frame = pd.DataFrame(body, columns=header, index=index, dtype=object)
    frame.attrs["header_row"] = start + 1
    frame.attrs["left_out"] = left_out
    return frame


def _load_sheets(path: Path) -> list[Sheet]:
    """Every worksheet of the workbook (a DataError says what a file that is not one really is)."""
    book = _open_workbook(path)
    try:
        return [_sheet(sheet) for sheet in book.worksheets]
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise DataError.one(
            path,
            f"a damaged workbook ({type(error).__name__})",
            "a readable .xlsx workbook (open and save it again in Excel)",
        ) from None
    finally:
        book.close()


def _sheet(sheet) -> Sheet:
    records, formulas = [], {}
    for row in sheet.iter_rows():
        record = []
        for cell in row:
            if cell.data_type == "f":
                formulas.setdefault(cell.row, {})[cell.column] = str(getattr(cell.value, "text", cell.value))
                record.append(None)
            else:
                record.append(_cell_text(cell.value))
        records.append(record)
    totals = {}
    for table in sheet.tables.values():
        count = int(table.totalsRowCount or 0)
        if count and ":" in table.ref:
            bottom = openpyxl.utils.cell.range_boundaries(table.ref)[3]
            totals.update({row: table.displayName or table.name for row in range(bottom - count + 1, bottom + 1)})
    return Sheet(
        name=sheet.title,
        visible=(sheet.sheet_state or "visible") == "visible",
        records=records,
        merged={r.coord: (r.min_row, r.max_row) for r in sheet.merged_cells.ranges},
        formulas=formulas,
        totals=totals,
        hidden_rows={row for row, dimension in sheet.row_dimensions.items() if dimension.hidden},
    )


def _respondents_sheet(path: Path, sheets: list[Sheet], instrument: Instrument | None) -> tuple[Sheet, list[str]]:
    """The sheet to read, and the hidden sheets that name survey items (for the messages)."""
    visible = [s for s in sheets if s.visible]
    hidden = [s for s in sheets if not s.visible]
    per_row = {s.name: _items_per_row(s.records, instrument) for s in sheets}
    with_items = [s for s in visible if per_row[s.name]]
    hidden_items = [s.name for s in hidden if per_row[s.name]]
    if not visible:
        raise DataError.one(path, "no visible sheet", "a visible sheet of respondents")
    candidates = with_items
    if len(candidates) > 1:  # a summary sheet names items down a column: one a row
        candidates = [s for s in candidates if per_row[s.name] > 1] or candidates
    if len(candidates) > 1:
        candidates = [s for s in candidates if normalise(s.name) in RESPONSES_SHEETS] or candidates
    if len(candidates) > 1:
        raise DataError.one(
            path,
            f"respondents on {len(candidates)} sheets ({', '.join(repr(s.name) for s in candidates)})",
            "one sheet of respondents per file: put them on one sheet (same columns), "
            "or make one file per authority and wave; a summary sheet beside them may stay if "
            "the respondents' sheet is named 'Responses'",
        )
    chosen = candidates[0] if candidates else visible[0]
    others = [s.name for s in visible if s is not chosen and s in with_items]
    if others:
        warn_repair(
            path,
            f"read the sheet of respondents {chosen.name!r}; left out sheet(s) "
            f"{', '.join(map(repr, others))} {SUMMARY_HINT}",
        )
    if hidden:
        note = (
            f"; hidden sheet(s) {', '.join(map(repr, hidden_items))} also name survey questions: unhide the "
            "right sheet if it is not the visible one"
            if hidden_items
            else ""
        )
        warn_repair(
            path,
            f"read the visible sheet {chosen.name!r} only; skipped hidden sheet(s) "
            f"{', '.join(repr(s.name) for s in hidden)}{note}",
        )
    return chosen, hidden_items


def _header_start(path: Path, records, filled: list[int], instrument: Instrument | None) -> tuple[int, bool]:
    """The header's index, and whether it is a survey tool's first header row."""
    start = _tool_header(records, filled)
    tool_header = start is not None
    if start is None:
        start = _header_index(records, filled, instrument)
    if start != filled[0]:
        title = next(cell for cell in records[filled[0]] if cell is not None)
        warn_repair(
            path,
            f"the header is on row {start + 1}; skipped row(s) {filled[0] + 1}-{start} above it "
            f"(starting {title[:60]!r})",
        )
    return start, tool_header


def _header(path: Path, sheet: Sheet, start: int, filled: list[int], tool_header: bool) -> list[str]:
    """The column names, checked: no merged cells, no repeated or missing names."""
    header_row = start + 1
    # A survey tool's question cell merged over its grid's columns is its first header row: the
    # statements are on the row below, and the question is carried across (see table._tool_layout).
    merged = [
        ref
        for ref, (top, bottom) in sheet.merged.items()
        if top <= header_row and not (tool_header and top == bottom == header_row)
    ]
    if merged:
        raise DataError.one(
            path,
            f"merged cells in the header ({', '.join(merged[:5])})",
            "one name per column: unmerge the cells (Home > Merge & Center) and give "
            "each column its question's wording or item id",
            row=header_row,
        )
    records = sheet.records
    try:
        header = checked_header(path, [cell or "" for cell in records[start]])
    except DataError as error:  # it numbers the header as row 1, as in a CSV
        raise DataError(path, [dataclasses.replace(p, row=header_row) for p in error.problems]) from None
    if tool_header:  # a tool names a grid question over its first column only: the others are unnamed
        width = max(
            len(records[i]) - next((k for k, c in enumerate(reversed(records[i])) if c is not None), len(records[i]))
            for i in filled
        )
        header += [f"column {n}" for n in range(len(header) + 1, width + 1)]
    return header


def _body(path: Path, sheet: Sheet, start: int, filled: list[int], header: list[str]) -> tuple[list, list, list]:
    """The data rows (padded to the header), their index (Excel row - 2) and what was left out (said too)."""
    filled_rows = set(filled)
    skipped_totals, hidden, blank, body, index, problems = [], [], [], [], [], []
    formula_cells = []
    for i in range(start + 1, filled[-1] + 1):
        record, row = sheet.records[i], i + 1
        if row in sheet.totals:
            skipped_totals.append(f"row {row} (table {sheet.totals[row]!r})")
            continue
        if i not in filled_rows and row not in sheet.formulas:
            blank.append(row)
            continue
        if row in sheet.hidden_rows:
            hidden.append(row)
            continue
        beyond = [(n, cell) for n, cell in enumerate(record[len(header) :], start=len(header) + 1) if cell is not None]
        problems += [
            Problem(row, f"column {n}", cell, "cells only in columns with a name in the header") for n, cell in beyond
        ]
        formula_cells += [(row, column) for column in sorted(sheet.formulas.get(row, {})) if column <= len(header)]
        body.append((record + [None] * len(header))[: len(header)])
        index.append(i - 1)
    problems += _formula_problems(path, sheet, formula_cells, header)
    if problems:
        raise DataError(path, sorted(problems, key=lambda p: p.row or 0)[:200])
    if skipped_totals:
        warn_repair(path, f"skipped the total row of an Excel table: {', '.join(skipped_totals)}")
    if hidden:
        warn_repair(
            path,
            f"left out {len(hidden)} hidden row(s) (hidden by hand or by a filter; not counted as respondents): "
            f"row(s) {_rows_text(hidden)}; unhide them (or clear the filter) and save to count them",
        )
    warn_blank_rows(path, blank, "row(s)")
    left_out = [f"{len(skipped_totals)} Excel table total row(s)"] if skipped_totals else []
    left_out += [f"{len(hidden)} row(s) hidden by a filter"] if hidden else []
    if not body:
        raise DataError.one(path, "only a header row", "data rows below the header", row=start + 1)
    return body, index, left_out


def _rows_text(rows: list[int]) -> str:
    return ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


def _formula_problems(path: Path, sheet: Sheet, cells: list[tuple[int, int]], header: list[str]) -> list[Problem]:
    """A formula in a data row is an error: answers are never computed cells."""
    if not cells:
        return []
    cached = _cached_values(path, sheet.name, cells)
    return [
        Problem(
            row,
            header[column - 1],
            f"a formula {sheet.formulas[row][column][:61]}"
            + ("" if cached.get((row, column)) is not None else " with no computed value"),
            "answers as exported, not formulas (a totals or summary row? delete it; "
            "formulas you need: copy the sheet and paste as values)",
        )
        for row, column in cells
    ]


def _cached_values(path: Path, name: str, cells: list[tuple[int, int]]) -> dict[tuple[int, int], object]:
    """The values Excel saved for formula cells (None where a program that does not calculate wrote none)."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        wanted, last = set(cells), max(row for row, _ in cells)
        found = {}
        for row in book[name].iter_rows(min_row=1, max_row=last):
            for cell in row:
                if getattr(cell, "row", None) and (cell.row, cell.column) in wanted:
                    found[(cell.row, cell.column)] = cell.value
        return found
    finally:
        book.close()


# Byte signatures of what often arrives named .xlsx.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


def _open_workbook(path: Path):
    """The workbook opened, or a DataError saying what the file really is."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise DataError.one(path, error.strerror or type(error).__name__, "a file roses can read") from None
    if head.startswith(_OLE):
        with open(path, "rb") as handle:
            encrypted = _ENCRYPTED in handle.read(1024 * 1024)
        if encrypted:
            raise DataError.one(
                path,
                "a password-protected workbook",
                "a workbook without a password: open it in Excel, File > Info > Protect "
                "Workbook > Encrypt with Password, clear the password, and save",
            )
        raise DataError.one(
            path,
            "an old Excel .xls workbook renamed .xlsx",
            "an .xlsx workbook: open it in Excel or LibreOffice and save it as .xlsx (or as CSV UTF-8)",
        )
    if head.startswith(b"PK\x03\x04") and b"mimetypeapplication/vnd.oasis.opendocument" in head[:100]:
        raise DataError.one(
            path,
            "an OpenDocument spreadsheet (.ods, LibreOffice) renamed .xlsx",
            "an .xlsx workbook: in LibreOffice Calc, File > Save As > Excel 2007-365 (.xlsx), or save as CSV UTF-8",
        )
    if not head.startswith(b"PK\x03\x04"):
        kind = "a CSV or text file" if head[:1].isascii() and b"\x00" not in head[:512] else "not a workbook"
        raise DataError.one(path, f"{kind} named .xlsx", "an .xlsx workbook (rename a CSV export .csv)")
    check_unpacked_size(path)  # a zip bomb is refused before anything is unpacked
    _check_contents(path)
    try:
        with warnings.catch_warnings():  # openpyxl warns of styles and extensions it drops: not the user's concern
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=False, keep_links=False)
    except OSError as error:
        raise DataError.one(path, error.strerror or type(error).__name__, "a file roses can read") from None
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise DataError.one(path, type(error).__name__, "a readable .xlsx workbook") from None


def _check_contents(path: Path) -> None:
    """Refuse, with what to do, a Strict Open XML workbook (openpyxl sees no sheets in one) and a
    workbook too large to read whole."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            book = next((p for p in parts if p.filename == "xl/workbook.xml"), None)
            head = archive.open(book).read(4096) if book else b""
    except (OSError, zipfile.BadZipFile):
        return  # openpyxl names the damage
    if STRICT_NAMESPACE in head:
        raise DataError.one(
            path,
            "an Excel 'Strict Open XML Spreadsheet' workbook",
            "an ordinary .xlsx workbook: in Excel, File > Save As > 'Excel Workbook (*.xlsx)' "
            "(not 'Strict Open XML Spreadsheet'), or save it as CSV UTF-8",
        )
    cells = sum(p.file_size for p in parts if p.filename.startswith("xl/worksheets/"))
    if cells > MAX_SHEET_BYTES:
        raise DataError.one(
            path,
            f"a workbook holding {cells / 1e6:.0f} MB of cell data",
            f"a workbook of at most {MAX_SHEET_BYTES // (1024 * 1024)} MB of cell data, or the same "
            "export saved as CSV UTF-8 (CSV files are read in seconds at any accepted size)",
        )


def _cell_text(value: object) -> str | None:
    """A cell as the text a user typed: 4 (stored as 4.0) is '4', a date is ISO, blanks are None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    text = str(value).strip()
    return text or None
