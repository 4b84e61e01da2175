"""Workbook reading: the visible sheet of respondents of an XLSX file, with its structure checked."""

import dataclasses
import datetime
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas as pd

from roses.core.errors import DataError, Problem, warn_repair
from roses.readers.csvfile import _header as checked_header
from roses.readers.csvfile import warn_blank_rows
from roses.survey.instruments import Instrument
from roses.survey.readers.formats import _tool_header
from roses.survey.readers.headers import _header_index, _names_items


def read_workbook(path: Path, instrument: Instrument | None = None) -> pd.DataFrame:
    """The visible sheet of respondents of an XLSX workbook, checked like a CSV (csvfile.read_csv_text).

    Only visible sheets are read (a hidden sheet is skipped with a warning); respondents on more
    than one visible sheet are refused (they would be half read). A title or notes above the header
    are skipped with a warning: the header is the first row (of the first :data:`HEADER_SEARCH_ROWS`)
    naming an item of ``instrument``. An Excel table's total row is skipped with a warning; a formula
    in a data row, a merged cell in the header, a repeated column name, data in a column with no
    name or a sheet with no data rows is an error; blank rows between respondents are skipped
    with a warning.
    """
    book = _open_workbook(path)
    try:
        structure = _structure(path)
        sheets = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # some tools write a wrong size; read every row there is
            state = getattr(sheet, "sheet_state", "visible") or "visible"
            sheets.append(
                (sheet.title, state, [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)])
            )
    except DataError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise DataError(
            path,
            [
                Problem(
                    None,
                    None,
                    f"a damaged workbook ({type(error).__name__})",
                    "a readable .xlsx workbook (open and save it again in Excel)",
                )
            ],
        ) from None
    finally:
        book.close()
    visible = [(name, rows) for name, state, rows in sheets if state == "visible"]
    hidden = [(name, rows) for name, state, rows in sheets if state != "visible"]
    with_items = [name for name, rows in visible if _names_items(rows, instrument)]
    hidden_items = [name for name, rows in hidden if _names_items(rows, instrument)]
    if len(with_items) > 1:
        raise DataError(
            path,
            [
                Problem(
                    None,
                    None,
                    f"respondents on {len(with_items)} sheets ({', '.join(map(repr, with_items))})",
                    "one sheet of respondents per file: put them on one sheet (same columns), "
                    "or make one file per authority and wave",
                )
            ],
        )
    if not visible:
        raise DataError(path, [Problem(None, None, "no visible sheet", "a visible sheet of respondents")])
    chosen = with_items[0] if with_items else visible[0][0]
    if hidden:
        note = (
            f"; hidden sheet(s) {', '.join(map(repr, hidden_items))} also name survey questions: unhide the "
            "right sheet if it is not the visible one"
            if hidden_items
            else ""
        )
        warn_repair(
            path,
            f"read the visible sheet {chosen!r} only; skipped hidden sheet(s) "
            f"{', '.join(repr(n) for n, _ in hidden)}{note}",
        )
    records = dict(visible)[chosen]
    info = structure.get(chosen, {})
    filled = [i for i, record in enumerate(records) if any(cell is not None for cell in record)]
    if not filled:
        expected = "a header row and data rows"
        if hidden_items:
            expected += f" (the respondents are on hidden sheet {hidden_items[0]!r}: unhide it or delete the other)"
        raise DataError(path, [Problem(None, None, "an empty sheet", expected)])
    start = _tool_header(records, filled)
    tool_header = start is not None
    if start is None:
        start = _header_index(records, filled, instrument)
    header_row = start + 1
    if start != filled[0]:
        title = next(cell for cell in records[filled[0]] if cell is not None)
        warn_repair(
            path,
            f"the header is on row {header_row}; skipped row(s) {filled[0] + 1}-{start} above it "
            f"(starting {title[:60]!r})",
        )
    # A survey tool's question cell merged over its grid's columns is its first header row: the
    # statements are on the row below, and the question is carried across (see _tool_layout).
    merged = [
        ref
        for ref, (top, bottom) in info.get("merged", {}).items()
        if top <= header_row and not (tool_header and top == bottom == header_row)
    ]
    if merged:
        raise DataError(
            path,
            [
                Problem(
                    header_row,
                    None,
                    f"merged cells in the header ({', '.join(merged[:5])})",
                    "one name per column: unmerge the cells (Home > Merge & Center) and give "
                    "each column its question's wording or item id",
                )
            ],
        )
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
    totals = info.get("totals", {})
    skipped_totals = []
    body, index, blank, problems = [], [], [], []
    last = filled[-1]
    formulas = info.get("formulas", {})
    for i in range(start + 1, last + 1):
        record = records[i]
        if i + 1 in totals:
            skipped_totals.append(f"row {i + 1} (table {totals[i + 1]!r})")
            continue
        if i not in filled:
            blank.append(i + 1)
            continue
        beyond = [(n, cell) for n, cell in enumerate(record[len(header) :], start=len(header) + 1) if cell is not None]
        problems += [
            Problem(i + 1, f"column {n}", cell, "cells only in columns with a name in the header") for n, cell in beyond
        ]
        for column, (formula, cached) in sorted(formulas.get(i + 1, {}).items()):
            if column <= len(header):
                found = f"a formula ={formula}" + ("" if cached else " with no computed value")
                problems.append(
                    Problem(
                        i + 1,
                        header[column - 1],
                        found,
                        "answers as exported, not formulas (a totals or summary row? delete it; "
                        "formulas you need: copy the sheet and paste as values)",
                    )
                )
        body.append((record + [None] * len(header))[: len(header)])
        index.append(i - 1)
    if problems:
        raise DataError(path, problems[:200])
    if skipped_totals:
        warn_repair(path, f"skipped the total row of an Excel table: {', '.join(skipped_totals)}")
    warn_blank_rows(path, blank, "row(s)")
    if not body:
        raise DataError(path, [Problem(header_row, None, "only a header row", "data rows below the header")])
    frame = pd.DataFrame(body, columns=header, index=index, dtype=object)
    frame.attrs["header_row"] = header_row
    return frame


# Byte signatures of what often arrives named .xlsx.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


def _open_workbook(path: Path):
    """The workbook opened read-only, or a DataError saying what the file really is."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise DataError(
            path, [Problem(None, None, error.strerror or type(error).__name__, "a file roses can read")]
        ) from None
    if head.startswith(_OLE):
        with open(path, "rb") as handle:
            encrypted = _ENCRYPTED in handle.read(1024 * 1024)
        if encrypted:
            raise DataError(
                path,
                [
                    Problem(
                        None,
                        None,
                        "a password-protected workbook",
                        "a workbook without a password: open it in Excel, File > Info > Protect "
                        "Workbook > Encrypt with Password, clear the password, and save",
                    )
                ],
            )
        raise DataError(
            path,
            [
                Problem(
                    None,
                    None,
                    "an old Excel .xls workbook renamed .xlsx",
                    "an .xlsx workbook: open it in Excel or LibreOffice and save it as .xlsx (or as CSV UTF-8)",
                )
            ],
        )
    if head.startswith(b"PK\x03\x04") and b"mimetypeapplication/vnd.oasis.opendocument" in head[:100]:
        raise DataError(
            path,
            [
                Problem(
                    None,
                    None,
                    "an OpenDocument spreadsheet (.ods, LibreOffice) renamed .xlsx",
                    "an .xlsx workbook: in LibreOffice Calc, File > Save As > Excel 2007-365 "
                    "(.xlsx), or save as CSV UTF-8",
                )
            ],
        )
    if not head.startswith(b"PK\x03\x04"):
        kind = "a CSV or text file" if head[:1].isascii() and b"\x00" not in head[:512] else "not a workbook"
        raise DataError(
            path, [Problem(None, None, f"{kind} named .xlsx", "an .xlsx workbook (rename a CSV export .csv)")]
        )
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except OSError as error:
        raise DataError(
            path, [Problem(None, None, error.strerror or type(error).__name__, "a file roses can read")]
        ) from None
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise DataError(path, [Problem(None, None, type(error).__name__, "a readable .xlsx workbook")]) from None


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "p": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REF = re.compile(r"([A-Z]+)(\d+)")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _structure(path: Path) -> dict[str, dict]:
    """What openpyxl's fast reader does not say, per sheet name: merged cells, formulas, table totals.

    ``merged``: {ref: (top row, bottom row)}; ``formulas``: {row: {column: (formula, has a cached
    value)}}; ``totals``: {row: table name} for Excel tables' total rows.
    """
    found: dict[str, dict] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())

        def target(base: str, rel: str) -> str:
            if rel.startswith("/"):
                return rel[1:]
            parts = base.rsplit("/", 1)[0].split("/") if "/" in base else []
            for piece in rel.split("/"):
                if piece == "..":
                    parts = parts[:-1]
                elif piece != ".":
                    parts.append(piece)
            return "/".join(parts)

        def rels(part: str) -> dict[str, str]:
            folder, _, name = part.rpartition("/")
            rel_path = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
            if rel_path not in names:
                return {}
            root = ElementTree.fromstring(archive.read(rel_path))
            return {r.get("Id"): target(part, r.get("Target", "")) for r in root.findall("p:Relationship", _NS)}

        if "xl/workbook.xml" not in names:
            return found
        book_rels = rels("xl/workbook.xml")
        root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        for sheet in root.iterfind("m:sheets/m:sheet", _NS):
            part = book_rels.get(sheet.get(f"{{{_NS['r']}}}id"))
            if not part or part not in names:
                continue
            raw = archive.read(part)
            info = {"merged": {}, "formulas": {}, "totals": {}}
            for match in re.finditer(rb'<(?:\w+:)?mergeCell ref="([A-Z]+\d+):([A-Z]+\d+)"', raw):
                top, bottom = (int(_REF.fullmatch(m.decode()).group(2)) for m in match.groups())
                info["merged"][f"{match.group(1).decode()}:{match.group(2).decode()}"] = (top, bottom)
            if b"<f" in raw or b":f>" in raw or b":f " in raw:
                for _, cell in ElementTree.iterparse(io.BytesIO(raw)):
                    if cell.tag != f"{{{_NS['m']}}}c":
                        continue
                    formula = cell.find("m:f", _NS)
                    if formula is not None:
                        ref = _REF.fullmatch(cell.get("r", ""))
                        if ref:
                            value = cell.find("m:v", _NS)
                            cached = value is not None and (value.text or "") != ""
                            info["formulas"].setdefault(int(ref.group(2)), {})[_column_number(ref.group(1))] = (
                                (formula.text or "(shared)")[:60],
                                cached,
                            )
                    cell.clear()
            for table_part in rels(part).values():
                if table_part.startswith("xl/tables/") and table_part in names:
                    table = ElementTree.fromstring(archive.read(table_part))
                    count = int(table.get("totalsRowCount", "0") or 0)
                    ref = table.get("ref", "")
                    if count and ":" in ref:
                        bottom = int(_REF.fullmatch(ref.split(":")[1]).group(2))
                        for row in range(bottom - count + 1, bottom + 1):
                            info["totals"][row] = table.get("displayName") or table.get("name") or "table"
            found[sheet.get("name")] = info
    return found


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
