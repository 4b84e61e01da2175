"""Read respondent-level survey exports (CSV or XLSX) from a local data folder.

Layout (see docs/survey-data.md)::

    DATA/surveys/staff/<AUTHORITY>/wave-<N>.csv   (or .xlsx)
    DATA/surveys/parent/<AUTHORITY>/wave-<N>.csv  (or .xlsx; round-<N> also accepted)
    DATA/surveys/invited.csv                      survey,authority,wave,invited  (optional)

An export has one row per respondent. Columns are named by item id or by the question's wording
(any wave's; case, spacing and punctuation ignored); answers are labels such as "Strongly agree",
or numbers under a declared coding (the codebook's ``numeric_coding``, or ``surveys/codings.csv``
per file: never guessed). Survey tools' own layouts are recognised (Qualtrics' three header rows
and preview/incomplete responses, SurveyMonkey's two header rows, Google Forms' grid columns,
Microsoft Forms and SmartSurvey metadata). Columns the codebook does not know (timestamps, IP
addresses...) are ignored and listed; a column of answers the codebook does not know is an error.
Every bad cell is reported with its file, row and column; nothing is dropped silently, and nothing
in the folder is skipped silently either: an unknown authority folder, two folders for one
authority, a file with another name, a folder or broken link named like an export, or two files
for one wave stop the reading. Workbooks: only visible sheets are read, and a hidden sheet, a
second sheet of respondents, an Excel table's total row, a formula or a merged header cell is
never read as answers.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pandas as pd

from roses.core.errors import DataError, Problem, RosesError, warn_repair
from roses.national import readers as national
from roses.published.tables import AUTHORITIES
from roses.readers.csvfile import _header as checked_header
from roses.readers.csvfile import read_csv_text, warn_blank_rows
from roses.survey import instruments
from roses.survey.instruments import CODINGS, Instrument, normalise
from roses.survey.model import COMMENT_COLUMNS, Responses, empty_answers, tidy_answers

FILE_NAME = re.compile(r"^(?:wave|round)-?(\d+)\.(csv|xlsx)$", re.IGNORECASE)
FILE_NAMES = "wave-<N>.csv or wave-<N>.xlsx (round-<N> also accepted)"
# Files with an export's name but a format roses does not read: what they are and what to do.
OTHER_FORMATS = {
    ".xls": (
        "an old Excel .xls workbook",
        "a .csv or .xlsx file: open it in Excel or LibreOffice and save it as .xlsx (or as CSV UTF-8)",
    ),
    ".ods": (
        "an OpenDocument spreadsheet (LibreOffice Calc)",
        "a .csv or .xlsx file: File > Save As > Excel 2007-365 (.xlsx), or save it as CSV UTF-8",
    ),
    ".xlsm": ("a macro-enabled workbook", "a .csv or .xlsx file: save it as .xlsx (macros are never run)"),
    ".numbers": ("an Apple Numbers file", "a .csv or .xlsx file: export it as .xlsx or CSV"),
    ".txt": ("a text file", "a .csv or .xlsx file: if it is a CSV export, rename it .csv"),
    ".tsv": ("a tab-separated file", "a .csv or .xlsx file: rename it .csv (tabs are read, with a warning)"),
}
RESPONDENT_COLUMNS = {"respondent", "respondent id", "response id", "responseid", "respondentid", "id", "userid"}
MAX_FILE_BYTES = 50 * 1024 * 1024  # a larger export is refused at once (split it by wave or authority)
MAX_COMMENT = 32_767  # Excel's own cell limit: a longer comment is cut there, with a warning
CODINGS_FILE = "codings.csv"  # DATA/surveys/codings.csv: survey,authority,wave,coding
NOT_READ = (".", "~$")  # hidden files (.DS_Store) and Excel's lock files (~$wave-4.xlsx)
HEADER_SEARCH_ROWS = 20  # a workbook's header is looked for this far down (below titles and notes)
# An authority folder holding this file holds synthetic exports (`roses synth --authority`): read like any
# other, but their origin is illustrative, never local. Hidden, so the folder's layout check leaves it alone.
SYNTHETIC_MARK = ".roses-synthetic"
PROGRAMME = "a programme letter A-K (A, B, C, D, E, F, G, H, J or K: there is no I)"


# --- The folder: which files are exports ---------------------------------------------------------


def find_exports(data_dir: Path | None, survey: str) -> list[tuple[str, int, Path]]:
    """(authority, wave, path) for every export file under ``DATA/surveys/<survey>/``.

    Raises DataError for the first thing in that folder that is not a readable export (see
    :func:`survey_files`), so a misnamed file never leaves an authority silently illustrative.
    """
    exports, problems = survey_files(data_dir, survey)
    if problems:
        raise problems[0]
    return exports


def survey_files(data_dir: Path | None, survey: str) -> tuple[list[tuple[str, int, Path]], list[DataError]]:
    """Every export under ``DATA/surveys/<survey>/`` and every problem with the folder's layout.

    Problems: an entry that is not an authority folder, a folder not named by a known authority,
    a file whose name is not ``wave-<N>.csv|xlsx``, two files for one wave, and a name like an
    export that is not a file (a folder, a broken or looping link). Hidden files and Excel's lock
    files are left alone.
    """
    if data_dir is None:
        return [], []
    root = Path(data_dir) / "surveys" / survey
    if not root.is_dir():
        return [], []
    exports, problems = [], []
    seen: dict[str, Path] = {}  # one folder per authority: its name and its code are one authority

    def problem(path: Path, found: str, expected: str) -> None:
        problems.append(DataError(path, [Problem(None, None, found, expected)]))

    for folder in _entries(root):
        if not folder.is_dir():
            if folder.name.lower() in ("invited.csv", CODINGS_FILE):
                problem(folder, "a file", f"surveys/{folder.name} (beside staff/ and parent/, not inside)")
            else:
                problem(folder, "a file", f"a folder per authority: surveys/{survey}/<AUTHORITY>/wave-<N>.csv")
            continue
        expected = authority_problem(folder.name, data_dir)
        if expected:
            problem(folder, f"authority '{folder.name}'", expected)
            continue
        key = authority_key(folder.name, data_dir)
        if key in seen:
            problem(
                folder,
                f"a second folder for one authority (also {seen[key].name})",
                "one folder per authority: move the files into one of them and remove the other",
            )
            continue
        seen[key] = folder
        waves: dict[int, Path] = {}
        try:
            entries = _entries(folder)
        except DataError as error:
            problems.append(error)
            continue
        for path in entries:
            match = FILE_NAME.match(path.name)
            if not match:
                problem(path, *_name_problem(path))
                continue
            wave = int(match.group(1))
            if wave in waves:
                problem(path, f"a second file for wave {wave} (also {waves[wave].name})", "one file per wave")
                continue
            waves[wave] = path
            what = _not_a_file(path)
            if what:
                problem(path, what, "a CSV or XLSX export file")
                continue
            exports.append((folder.name, wave, path))
    return exports, problems


def _name_problem(path: Path) -> tuple[str, str]:
    """What is wrong with an export's file name, and what to do."""
    stem = re.match(r"^(?:wave|round)-?\d+$", path.stem, re.IGNORECASE)
    what = OTHER_FORMATS.get(path.suffix.lower())
    if stem and what:
        return what
    return "a file name roses does not read", FILE_NAMES


def _entries(folder: Path) -> list[Path]:
    """The folder's entries roses looks at; a folder that cannot be listed is a DataError."""
    try:
        return sorted(p for p in folder.iterdir() if not p.name.startswith(NOT_READ))
    except OSError as error:
        raise DataError(
            folder,
            [
                Problem(
                    None,
                    None,
                    error.strerror or type(error).__name__,
                    "a folder roses can read (check its permissions)",
                )
            ],
        ) from None


def _not_a_file(path: Path) -> str | None:
    """What ``path`` is, if it is not a file that can be opened (None if it is one)."""
    if path.is_symlink() and not path.exists():
        return "a symbolic link to nothing (or to itself)"
    if path.is_dir():
        return "a folder"
    if not path.is_file():
        return "not a regular file"
    return None


def authority_problem(name: str, data_dir: Path | None = None) -> str | None:
    """None if ``name`` may name an authority's folder, else what was expected instead.

    Accepted: the programme letters, or (for an authority's own edition) an English authority's
    name as DfE writes it, its folder name ('Bristol-City-of') or its three-digit DfE code, in any
    case: the spellings an edition looks its folder up by.
    """

    if name in AUTHORITIES:
        return None
    if name.upper() in AUTHORITIES:
        return f"{PROGRAMME}, in capitals ('{name.upper()}')"
    expected = f"{PROGRAMME}, or an English authority's name or DfE code (e.g. Derby or 831)"
    if len(name) == 1:
        return expected
    try:
        names = _english_authorities(data_dir)
    except RosesError:  # no national files to check against: only the letters are known
        return expected
    if name.lower() in names:
        return None

    try:  # "Hull" or "Bristol City of": say which folder name would be read
        code, real = national.resolve_authority(name, data_dir)
        return (
            f"{expected}; '{name}' looks like {real}: name the folder "
            f"'{re.sub(r'[^A-Za-z0-9]+', '-', real).strip('-')}' or '{code}'"
        )
    except RosesError:
        pass
    close = difflib.get_close_matches(name.lower(), list(names), n=3, cutoff=0.75)
    return expected + (f"; close matches: {', '.join(sorted({names[c][1] for c in close}))}" if close else "")


def authority_key(name: str, data_dir: Path | None = None) -> str:
    """One key per authority for a folder name: the letter, or the DfE code of a name, slug or code."""
    try:
        found = _english_authorities(data_dir).get(name.lower())
    except RosesError:
        found = None
    return found[0] if found and len(name) > 1 else name


def _english_authorities(data_dir: Path | None) -> dict[str, tuple[str, str]]:
    """Every accepted spelling (lower case) of an English authority -> (DfE code, name as DfE writes it)."""

    table = national.authorities(data_dir)
    names = {}
    for code, name in zip(table["old_la_code"].astype(str), table["la_name"]):
        for spelling in (code, name, re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")):  # the edition folder slug
            names[spelling.lower()] = (code, name)
    return names


# --- One file: its cells as text -----------------------------------------------------------------


def read_table(path: Path, instrument: Instrument | None = None) -> pd.DataFrame:
    """Every cell as text (empty cells missing), from CSV or the visible sheet of an XLSX workbook.

    The frame's index is the row number in the file minus 2 (so ``index + 2`` names the row a
    spreadsheet shows); ``frame.attrs["header_row"]`` is the header's row number. A survey tool's
    layout (see :func:`_tool_layout`) is turned into one header row, and rows the tool marks as
    previews or incomplete are left out, with a warning; ``frame.attrs["tool"]`` names the tool.
    """
    path = Path(path)
    what = _not_a_file(path)
    if what:
        raise DataError(path, [Problem(None, None, what, "a CSV or XLSX export file")])
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DataError(
            path, [Problem(None, None, error.strerror or type(error).__name__, "a file roses can read")]
        ) from None
    if size > MAX_FILE_BYTES:
        raise DataError(
            path,
            [
                Problem(
                    None,
                    None,
                    f"a file of {size / 1e6:.0f} MB",
                    f"an export of at most {MAX_FILE_BYTES // (1024 * 1024)} MB "
                    "(split it: one file per authority and wave)",
                )
            ],
        )
    if path.suffix.lower() == ".xlsx":
        frame = read_workbook(path, instrument)
    else:
        frame = read_csv_text(path)
        frame.attrs["header_row"] = 1
    return _tool_layout(frame, path, instrument)


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


def _item_names(instrument: Instrument | None) -> set[str]:

    chosen = [instrument] if instrument else [instruments.load(survey) for survey in instruments.SURVEYS]
    return {key for inst in chosen for key, item in inst.column_map().items() if item in inst.by_id}


def _names_items(records: list[list[str | None]], instrument: Instrument | None) -> bool:
    """Does a sheet have a row (of its first rows) naming a survey item?"""
    items = _item_names(instrument)
    rows = [r for r in records if any(c is not None for c in r)][:HEADER_SEARCH_ROWS]
    return any(_column_key(cell, items) for record in rows for cell in record if cell is not None)


def _header_index(records: list[list[str | None]], filled: list[int], instrument: Instrument | None) -> int:
    """The index of the header row: the first row naming a survey item, else the first row with text.

    Without an instrument, items of either survey's codebook count.
    """
    items = _item_names(instrument)
    for i in filled[:HEADER_SEARCH_ROWS]:
        if any(_column_key(cell, items) for cell in records[i] if cell is not None):
            return i
    return filled[0]


def _tool_header(records: list[list[str | None]], filled: list[int]) -> int | None:
    """The first row, if it is a survey tool's header (its metadata columns): its other header rows follow."""
    first = records[filled[0]]
    return filled[0] if _tool([c for c in first if c is not None]) else None


def _column_key(name: str, mapping) -> str | None:
    """The codebook key a column name means: the whole name, or a tool's statement part of it.

    Tools name a grid's columns "Question [Statement]" (Google Forms), "Question - Statement"
    (Qualtrics' question text), "Question: Statement" or "Question.Statement"; the statement is
    matched when the whole name is not.
    """
    text = str(name)
    candidates = [text]
    bracket = re.fullmatch(r".*\[(.+)\]\s*", text, re.DOTALL)
    if bracket:
        candidates.append(bracket.group(1))
    for separator in (" - ", " \u2013 ", ": ", "? ", "."):
        if separator in text:
            candidates.append(text.rsplit(separator, 1)[1])
    for candidate in candidates:
        key = normalise(candidate)
        if key in mapping:
            return mapping[key] if isinstance(mapping, dict) else key
    return None


# --- Survey tools' layouts ---------------------------------------------------------------------------

QUALTRICS_EXCLUDED_STATUS = {
    "survey preview",
    "survey test",
    "spam",
    "preview spam",
    "imported spam",
    "offline preview",
    "1",
    "2",
    "8",
    "9",
    "12",
    "17",
}
NOT_FINISHED = {"false", "0", "no"}


def _tool(columns) -> str | None:
    """The survey tool whose export has these header names, if one is recognised."""
    columns = [c for c in columns if c is not None]
    names = {normalise(c) for c in columns}
    if "responseid" in names and ({"finished", "status", "startdate", "progress"} & names):
        return "Qualtrics"
    if "respondent id" in names and "collector id" in names:
        return "SurveyMonkey"
    if "start time" in names and "completion time" in names:
        return "Microsoft Forms"
    if "userid" in names and ({"started", "ended", "ip address"} & names):
        return "SmartSurvey"
    if columns and normalise(columns[0]) == "timestamp":
        return "Google Forms"
    return None


def _tool_layout(frame: pd.DataFrame, path: Path, instrument: Instrument | None) -> pd.DataFrame:
    """A survey tool's export as one header row and one row per counted respondent.

    Qualtrics: the question-text row and the ImportId row under the header are header rows; rows
    whose Status is a survey preview, test or spam, and unfinished responses (Finished false, or
    Progress under 100 without a Finished column), are left out with a warning. SurveyMonkey: the
    second header row names each grid statement (or says "Response"). Columns keep their first
    header's name unless another header row names a codebook question.
    """
    tool = _tool(frame.columns)
    frame.attrs["tool"] = tool
    if tool not in ("Qualtrics", "SurveyMonkey") or frame.empty:
        return frame
    mapping = instrument.column_map() if instrument else {k: k for k in _item_names(None)}
    header_rows = []
    for position in range(min(2, len(frame))):
        row = frame.iloc[position]
        cells = [str(v) for v in row.dropna()]
        if tool == "Qualtrics":
            is_header = any(c.startswith('{"ImportId"') for c in cells) or any(
                normalise(row.get(c, "") or "") in ("response id", "start date", "status")
                for c in frame.columns
                if normalise(c) in ("responseid", "startdate", "status")
            )
        else:
            id_column = next(c for c in frame.columns if normalise(c) == "respondent id")
            is_header = position == 0 and pd.isna(row[id_column]) and bool(cells)  # row 2 has no respondent id
        if not is_header:
            break
        header_rows.append(position)
    names = list(frame.columns)
    carried, previous = [], None
    for name in names:  # SurveyMonkey leaves a grid question's name over its first column only
        previous = name if not re.fullmatch(r"column \d+", name) else previous
        carried.append(previous or name)
    renamed = {}
    for n, name in enumerate(names):
        if _column_key(name, mapping):
            continue
        texts = [frame.iloc[p, n] for p in header_rows if isinstance(frame.iloc[p, n], str)]
        options = [t for t in texts if not t.startswith('{"ImportId"')]
        options += [f"{carried[n]} - {t}" for t in options] + [carried[n]]
        match = next((o for o in options if _column_key(o, mapping)), None)
        if match and match != name:
            renamed[name] = match
    if len(set(renamed.values())) < len(renamed) or set(renamed.values()) & (set(names) - set(renamed)):
        renamed = {}  # two columns would get one name: leave the names as they are (reported later)
    body = frame.drop(index=frame.index[header_rows]).rename(columns=renamed)
    body.attrs = dict(frame.attrs)
    if header_rows:
        body.attrs["header_row"] = frame.attrs.get("header_row", 1) + len(header_rows)
    if tool == "Qualtrics":
        body = _qualtrics_counted(body, path)
    if body.empty:
        raise DataError(
            path,
            [
                Problem(
                    body.attrs.get("header_row", 1),
                    None,
                    "no counted responses",
                    f"data rows below the {tool} header rows",
                )
            ],
        )
    return body


def _qualtrics_counted(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Qualtrics rows without previews, tests, spam and unfinished responses (listed in a warning)."""
    columns = {normalise(c): c for c in frame.columns}
    keep = pd.Series(True, index=frame.index)
    said = []
    if "status" in columns:
        status = frame[columns["status"]].fillna("").astype(str).map(normalise)
        preview = status.isin(QUALTRICS_EXCLUDED_STATUS)
        if preview.any():
            said.append(f"{int(preview.sum())} survey preview, test or spam response(s) (Status)")
        keep &= ~preview
    if "finished" in columns:
        unfinished = frame[columns["finished"]].fillna("").astype(str).map(normalise).isin(NOT_FINISHED) & keep
        if unfinished.any():
            said.append(f"{int(unfinished.sum())} incomplete response(s) (Finished is false)")
        keep &= ~unfinished
    elif "progress" in columns:
        progress = pd.to_numeric(frame[columns["progress"]], errors="coerce")
        unfinished = (progress < 100) & keep
        if unfinished.any():
            said.append(f"{int(unfinished.sum())} incomplete response(s) (Progress under 100)")
        keep &= ~unfinished
    if said:
        warn_repair(
            path, "Qualtrics export: left out " + " and ".join(said) + "; only finished, real responses are counted"
        )
    result = frame[keep]
    result.attrs = dict(frame.attrs)
    return result


# --- One file: answers and comments ---------------------------------------------------------------

CODEBOOK = "codebook"  # where a file's coding came from: the codebook's numeric_coding


def read_export(
    path: str | Path, instrument: Instrument, authority: str, wave: int, coding: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """One export file: (answers, comments, ignored column names). Raises DataError for bad cells.

    ``coding``: the numeric coding declared for this file in ``surveys/codings.csv`` (None: the
    codebook's ``numeric_coding``, which applies to exports in roses's own layout only; a survey
    tool's numbers are whatever its designer set, so they need a declaration per file).
    """
    path = Path(path)
    table = read_table(path, instrument)
    header_row = table.attrs.get("header_row", 1)
    tool = table.attrs.get("tool")
    mapping = instrument.column_map()
    columns = {c: _column_key(c, mapping) for c in table.columns}
    id_column = next((c for c in table.columns if normalise(c) in RESPONDENT_COLUMNS), None)
    if not any(key in instrument.by_id for key in columns.values()):
        raise DataError(
            path,
            [
                Problem(
                    header_row,
                    None,
                    ", ".join(map(str, table.columns[:5])),
                    f"columns named by {instrument.survey} survey item ids or wordings",
                )
            ],
        )
    problems = _column_problems(table, columns, id_column, instrument, wave, header_row)
    if problems:
        raise DataError(path, problems)
    ignored = [c for c, key in columns.items() if key is None and c != id_column]
    respondent = _respondent_ids(table, id_column, path)
    item_columns = [c for c, key in columns.items() if key in instrument.by_id]
    long = (
        table[item_columns]
        .set_axis(range(len(item_columns)), axis=1)
        .assign(_row=table.index)
        .melt(id_vars="_row", var_name="_col", value_name="text")
        .dropna(subset=["text"])
    )
    long["text"] = long["text"].astype(str).str.strip()
    long = long[long["text"] != ""]
    scales = [instrument.item(columns[c]).scale for c in item_columns]
    if coding is None:
        coding, source = (None, tool) if tool else (instrument.numeric_coding, CODEBOOK)
    else:
        source = CODINGS_FILE
    long["value"] = _answer_values(long["text"], long["_col"].map(dict(enumerate(scales))), instrument, coding)
    numbers = long[long["value"] == UNDECLARED]
    if len(numbers):
        first = numbers.iloc[0]
        raise DataError(
            path,
            [
                Problem(
                    int(first["_row"]) + 2,
                    item_columns[int(first["_col"])],
                    f"{first['text']}, a number with no declared coding",
                    f"answers given as labels ({len(numbers)} answers in this "
                    f"{tool + ' export' if tool else 'file'} are numbers, and numbers are never "
                    "guessed): " + _how_to_declare(instrument, authority, wave, tool),
                )
            ],
        )
    bad = long[long["value"].isna()]
    problems = [
        Problem(int(r) + 2, item_columns[c], t, _expected(instrument, scales[c], coding, source, t))
        for r, c, t in zip(bad["_row"], bad["_col"], bad["text"])
    ]
    if problems:
        raise DataError(path, sorted(problems, key=lambda p: (p.row, p.column)))
    answers = [
        pd.DataFrame(
            {
                "respondent": respondent[long["_row"]].values,
                "item": long["_col"].map(lambda c: columns[item_columns[c]]).values,
                "value": long["value"].values,
            }
        )
    ]
    comments, cut = [], []
    for column, key in columns.items():
        if key in instrument.open_questions:
            text = table[column].dropna().astype(str)
            text = text[text.str.strip() != ""]
            long_text = text.str.len() > MAX_COMMENT
            if long_text.any():
                cut += [
                    f"row {int(i) + 2}, column '{column}' ({len(t)} characters)" for i, t in text[long_text].items()
                ]
                text = text.where(~long_text, text.str[:MAX_COMMENT])
            comments.append(pd.DataFrame({"respondent": respondent[text.index], "question": key, "text": text}))
    if cut:
        warn_repair(
            path,
            f"cut {len(cut)} comment(s) longer than {MAX_COMMENT} characters (Excel's cell limit) "
            f"to that length: {', '.join(cut[:5])}",
        )
    answers = pd.concat(answers, ignore_index=True).assign(authority=authority, wave=wave)
    comments = pd.concat(comments, ignore_index=True) if comments else pd.DataFrame(columns=COMMENT_COLUMNS[2:])
    comments = comments.assign(authority=authority, wave=wave)[COMMENT_COLUMNS]
    return answers, comments, ignored


def _column_problems(
    table: pd.DataFrame, columns: dict, id_column, instrument: Instrument, wave: int, header_row: int
) -> list[Problem]:
    """Columns that cannot be read as they are: two for one question, a question of another wave,
    or answers under a name the codebook does not know (they would be dropped without a word)."""
    problems = []
    first: dict[str, str] = {}
    for column, key in columns.items():
        if key is None:
            continue
        if key in first:
            problems.append(
                Problem(
                    header_row, column, f"a second column for '{key}' (also '{first[key]}')", "one column per question"
                )
            )
        first.setdefault(key, column)
    for column, key in columns.items():
        if key not in instrument.by_id or wave in instrument.item(key).waves:
            continue
        if table[column].notna().any():
            item = instrument.item(key)
            problems.append(
                Problem(
                    header_row,
                    column,
                    f"a question of wave(s) {', '.join(map(str, item.waves))} answered in a wave {wave} file",
                    f"only questions asked in wave {wave} (is the file named for the right wave? "
                    "the SAQ statements are waves 3-4, EIP1's waves 1-2)",
                )
            )
    labels = {label for scale in instrument.scales for label in instrument.labels(scale)}
    for column, key in columns.items():
        if key is not None or column == id_column:
            continue
        values = [v for v in table[column].dropna().astype(str).str.strip().unique() if v]
        if values and all(normalise(v) in labels for v in values):  # stops at the first value that is not a label
            problems.append(
                Problem(
                    header_row,
                    column,
                    f"answers such as {values[0]!r}",
                    f"answers only under questions the codebook knows: these are answers under a "
                    f"name the {instrument.survey} codebook does not know, and would be dropped "
                    f"(rename the column to the item id or its wording in data/instruments/"
                    f"{instrument.survey}_survey.yml; delete it if the question is not there)",
                )
            )
    return problems


def _how_to_declare(instrument: Instrument, authority: str, wave: int, tool: str | None) -> str:
    first = instrument.scales["agree"] if "agree" in instrument.scales else next(iter(instrument.scales.values()))
    low, high = first[min(first)][0], first[max(first)][0]
    where = (
        f"a row '{instrument.survey},{authority},{wave},1-5' in surveys/{CODINGS_FILE} "
        f"(columns survey,authority,wave,coding; coding 1-5: 1 = {low} ... 5 = {high}; 5-1: 1 = {high}; "
        f"0-4: 0 = {low}; 4-0: 0 = {high})"
    )
    if tool:
        return (
            f"export the choice text, not the numeric values, from {tool}; or declare the coding in "
            f"{where}, after checking the numbers against the survey's settings in {tool}"
        )
    return f"declare the coding in {where}, or as `numeric_coding:` in the codebook"


def _respondent_ids(table: pd.DataFrame, column: str | None, path: Path) -> pd.Series:
    """A number per row: 1, 2, ... in row order, or one per distinct value of the id column.

    With an id column, each row needs an id of its own: rows without one would otherwise all
    become one respondent, and a repeated id would merge two people.
    """
    if column is None:
        return pd.Series(range(1, len(table) + 1), index=table.index)
    ids = table[column]
    missing = ids[ids.isna()]
    repeated = ids[ids.duplicated(keep="first") & ids.notna()]
    problems = [
        Problem(int(i) + 2, column, "an empty cell", "a respondent id on every row with answers") for i in missing.index
    ]
    problems += [Problem(int(i) + 2, column, v, "a respondent id not used on another row") for i, v in repeated.items()]
    if problems:
        raise DataError(path, sorted(problems, key=lambda p: p.row))
    return pd.Series(pd.factorize(ids)[0] + 1, index=table.index)


UNDECLARED = -1.0  # an answer given as a number in a file with no declared coding


def _answer_values(text: pd.Series, scales: pd.Series, instrument: Instrument, coding: str | None = "1-5") -> pd.Series:
    """Numbers 1-5 from answers given as labels of each answer's scale, or as numbers under ``coding``.

    NaN if an answer is neither; :data:`UNDECLARED` for a number when no coding is declared.
    """
    # Map each distinct (scale, answer) once: an export repeats a handful of answers thousands of times.
    pairs = pd.MultiIndex.from_arrays([scales, text])
    lookup = {
        (scale, answer): _answer_value(answer, instrument.labels(scale), coding) for scale, answer in pairs.unique()
    }
    return pd.Series([lookup[p] for p in pairs], index=text.index, dtype="float64")


def _expected(
    instrument: Instrument, scale: str, coding: str | None = "1-5", source: str = CODEBOOK, found: str = ""
) -> str:
    labels = ", ".join(instrument.label(scale, v) for v in range(1, 6))
    numbers = coding or "1-5"
    text = f"{numbers} or one of: {labels}"
    if source == CODINGS_FILE:
        text += f" (coding {coding} as declared in surveys/{CODINGS_FILE})"
    elif numbers == "1-5" and found.strip() in ("0", "0.0"):
        text += f"; if the file codes answers 0-4, declare it in surveys/{CODINGS_FILE}"
    return text


def _answer_value(text: str, labels: dict[str, int], coding: str | None = "1-5") -> float:
    """1-5 from a label, or from "4" / "4.0" under ``coding``; NaN if it is neither."""
    try:
        number = float(text)
    except ValueError:
        return float(labels.get(normalise(text), float("nan")))
    if number != number or not number.is_integer():
        return float("nan")
    if coding is None:
        return UNDECLARED
    low, high, to_scale = CODINGS[coding]
    return float(to_scale(int(number))) if low <= number <= high else float("nan")


# --- The numbers invited, the codings, and every export of a survey -----------------------------------

SURVEY_NAMES = ("staff", "parent")


def _whole(text, allow_zero: bool = True) -> int | None:
    try:
        number = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    if not number.is_integer() or number < (0 if allow_zero else 1):
        return None
    return int(number)


def _side_table(data_dir: Path, name: str, needed: list[str]) -> tuple[Path, pd.DataFrame | None]:
    path = Path(data_dir) / "surveys" / name
    if not path.exists() and not path.is_symlink():
        return path, None
    table = read_csv_text(path)
    table.columns = [normalise(c) for c in table.columns]
    missing = [
        Problem(1, column, "no such column", "a column with this name in the header")
        for column in needed
        if column not in table
    ]
    if missing:
        raise DataError(path, missing)
    return path, table


def read_invited(data_dir: Path, survey: str) -> dict[tuple[str, int], int]:
    """Numbers invited per (authority, wave) from ``surveys/invited.csv``, if the file exists.

    Every row is checked (whatever its survey): a survey that is not staff or parent, a wave or
    number that is not a whole number, or one authority-wave given twice is an error naming its
    row and column.
    """
    path, table = _side_table(data_dir, "invited.csv", ["survey", "authority", "wave", "invited"])
    if table is None:
        return {}
    problems, result, seen = [], {}, {}
    for i, row in table.iterrows():
        line = int(i) + 2
        name = normalise(row["survey"]) if isinstance(row["survey"], str) else ""
        wave, invited = _whole(row["wave"], allow_zero=False), _whole(row["invited"])
        if name not in SURVEY_NAMES:
            problems.append(Problem(line, "survey", row["survey"], "staff or parent"))
        if not isinstance(row["authority"], str):
            problems.append(Problem(line, "authority", "an empty cell", "the authority's folder name"))
        if wave is None:
            problems.append(Problem(line, "wave", row["wave"], "a wave number (a whole number such as 4)"))
        if invited is None:
            problems.append(Problem(line, "invited", row["invited"], "a whole number of people invited"))
        if None in (wave, invited) or name not in SURVEY_NAMES or not isinstance(row["authority"], str):
            continue
        key = (name, row["authority"].strip(), wave)
        if key in seen:
            problems.append(
                Problem(line, "wave", row["wave"], f"one row per survey, authority and wave (also row {seen[key]})")
            )
            continue
        seen[key] = line
        if name == survey:
            result[(key[1], wave)] = invited
    if problems:
        raise DataError(path, problems)
    return result


def invited_problems(data_dir: Path, survey: str, respondents: dict[tuple[str, int], int]) -> list[Problem]:
    """Rows of ``invited.csv`` for ``survey`` that do not fit the exports: ``respondents`` is the
    number read per (authority folder, wave). Each row must match an export, and invite at least
    as many people as responded."""
    path, table = _side_table(data_dir, "invited.csv", ["survey", "authority", "wave", "invited"])
    if table is None:
        return []
    folders = {a for a, _ in respondents}
    problems = []
    for i, row in table.iterrows():
        if normalise(row["survey"]) != survey or not isinstance(row["authority"], str):
            continue
        authority, wave, invited = row["authority"].strip(), _whole(row["wave"]), _whole(row["invited"])
        if wave is None or invited is None:
            continue
        line = int(i) + 2
        if authority not in folders:
            problems.append(
                Problem(
                    line,
                    "authority",
                    authority,
                    f"the name of a folder in surveys/{survey}/ "
                    f"({', '.join(sorted(folders)) or 'there is none'}): a row that matches no "
                    "folder is never used",
                )
            )
        elif (authority, wave) not in respondents:
            waves = sorted(w for a, w in respondents if a == authority)
            problems.append(
                Problem(
                    line,
                    "wave",
                    row["wave"],
                    f"a wave with an export in surveys/{survey}/{authority}/ (waves {', '.join(map(str, waves))})",
                )
            )
        elif invited < respondents[(authority, wave)]:
            problems.append(
                Problem(
                    line,
                    "invited",
                    row["invited"],
                    f"at least the {respondents[(authority, wave)]} "
                    f"respondents read from surveys/{survey}/{authority}/ wave {wave}",
                )
            )
    return problems


def read_codings(data_dir: Path | None, survey: str) -> dict[tuple[str, int], str]:
    """Numeric codings declared per file in ``surveys/codings.csv`` (survey,authority,wave,coding)."""
    if data_dir is None:
        return {}
    path, table = _side_table(data_dir, CODINGS_FILE, ["survey", "authority", "wave", "coding"])
    if table is None:
        return {}
    problems, result = [], {}
    for i, row in table.iterrows():
        line = int(i) + 2
        name = normalise(row["survey"]) if isinstance(row["survey"], str) else ""
        wave = _whole(row["wave"], allow_zero=False)
        coding = str(row["coding"]).strip() if isinstance(row["coding"], str) else ""
        if name not in SURVEY_NAMES:
            problems.append(Problem(line, "survey", row["survey"], "staff or parent"))
        if wave is None:
            problems.append(Problem(line, "wave", row["wave"], "a wave number (a whole number such as 4)"))
        if coding not in CODINGS:
            problems.append(
                Problem(
                    line,
                    "coding",
                    row["coding"],
                    f"one of {', '.join(CODINGS)} (1-5: 1 = "
                    "Strongly disagree ... 5 = Strongly agree; 5-1: 1 = Strongly agree; "
                    "0-4: 0 = Strongly disagree)",
                )
            )
        if name == survey and wave is not None and coding in CODINGS and isinstance(row["authority"], str):
            result[(row["authority"].strip(), wave)] = coding
    if problems:
        raise DataError(path, problems)
    return result


def read_local(data_dir: Path | None, instrument: Instrument) -> Responses | None:
    """All local exports of one survey, or None if there are none."""
    exports = find_exports(data_dir, instrument.survey)
    if not exports:
        return None
    invited = read_invited(data_dir, instrument.survey)
    codings = read_codings(data_dir, instrument.survey)
    answers, comments, waves, ignored, counts = [], [], [], {}, {}
    for authority, wave, path in exports:
        if wave not in instrument.waves:
            raise DataError(path, [Problem(None, None, f"wave {wave}", f"one of waves {sorted(instrument.waves)}")])
        a, c, skipped = read_export(path, instrument, authority, wave, codings.get((authority, wave)))
        answers.append(a)
        comments.append(c)
        n = int(a["respondent"].max()) if len(a) else 0
        counts[(authority, wave)] = n
        origin = "illustrative" if (path.parent / SYNTHETIC_MARK).is_file() else "local"
        waves.append((authority, wave, n, invited.get((authority, wave)), origin))
        if skipped:
            ignored[str(path)] = skipped
    problems = invited_problems(data_dir, instrument.survey, counts)
    if problems:
        raise DataError(Path(data_dir) / "surveys" / "invited.csv", problems)
    frame = pd.concat(answers, ignore_index=True) if answers else empty_answers()
    responses = Responses(
        instrument.survey,
        tidy_answers(frame),
        pd.DataFrame(waves, columns=["authority", "wave", "respondents", "invited", "origin"]),
        pd.concat(comments, ignore_index=True),
    )
    responses.problems = {"ignored_columns": ignored}
    return responses
