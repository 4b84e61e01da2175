"""Read respondent-level survey exports (CSV or XLSX) from a local data folder.

Layout (see docs/survey-data.md)::

    DATA/surveys/staff/<AUTHORITY>/wave-<N>.csv   (or .xlsx)
    DATA/surveys/parent/<AUTHORITY>/wave-<N>.csv  (or .xlsx; round-<N> also accepted)
    DATA/surveys/invited.csv                      survey,authority,wave,invited  (optional)

An export has one row per respondent. Columns are named by item id or by the question's wording
(any wave's, case and spacing ignored); answers are numbers 1-5 or labels such as "Strongly agree".
Columns the codebook does not know (timestamps, IP addresses...) are ignored and listed. Every bad
cell is reported with its file, row and column; nothing is dropped silently, and nothing in the
folder is skipped silently either: an unknown authority folder, a file with another name, a
folder or broken link named like an export, or two files for one wave stop the reading.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
from pathlib import Path

import openpyxl
import pandas as pd

from ..errors import DataError, Problem, RosesError, warn_repair
from ..validate import _header as checked_header, warn_blank_rows
from ..validate import read_csv_text
from .instruments import Instrument, normalise
from .model import COMMENT_COLUMNS, Responses, empty_answers, tidy_answers

FILE_NAME = re.compile(r"^(?:wave|round)-?(\d+)\.(csv|xlsx)$", re.IGNORECASE)
FILE_NAMES = "wave-<N>.csv or wave-<N>.xlsx (round-<N> also accepted)"
RESPONDENT_COLUMNS = {"respondent", "respondent id", "response id", "id"}
NOT_READ = (".", "~$")  # hidden files (.DS_Store) and Excel's lock files (~$wave-4.xlsx)
HEADER_SEARCH_ROWS = 20  # a workbook's header is looked for this far down (below titles and notes)
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

    def problem(path: Path, found: str, expected: str) -> None:
        problems.append(DataError(path, [Problem(None, None, found, expected)]))

    for folder in _entries(root):
        if not folder.is_dir():
            problem(folder, "a file", f"a folder per authority: surveys/{survey}/<AUTHORITY>/wave-<N>.csv")
            continue
        expected = authority_problem(folder.name, data_dir)
        if expected:
            problem(folder, f"authority '{folder.name}'", expected)
            continue
        waves: dict[int, Path] = {}
        for path in _entries(folder):
            match = FILE_NAME.match(path.name)
            if not match:
                problem(path, "a file name roses does not read", FILE_NAMES)
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


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith(NOT_READ))


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
    name as DfE writes it, its folder name ('Bristol-City-of') or its three-digit DfE code.
    """
    from ..published import AUTHORITIES

    if name in AUTHORITIES:
        return None
    if name.upper() in AUTHORITIES:
        return f"{PROGRAMME}, in capitals ('{name.upper()}')"
    expected = f"{PROGRAMME}, or an English authority's name or DfE code (e.g. Derby or 831)"
    try:
        names = _english_authorities(data_dir)
    except RosesError:  # no national files to check against: only the letters are known
        return expected
    if name.lower() in names:
        return None
    close = difflib.get_close_matches(name.lower(), list(names), n=3, cutoff=0.75)
    return expected + (f"; close matches: {', '.join(sorted({names[c] for c in close}))}" if close else "")


def _english_authorities(data_dir: Path | None) -> dict[str, str]:
    """Every accepted spelling (lower case) of an English authority -> its name as DfE writes it."""
    from ..national import readers as national

    table = national.authorities(data_dir)
    names = {}
    for code, name in zip(table["old_la_code"].astype(str), table["la_name"]):
        for spelling in (code, name, re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")):  # the edition folder slug
            names[spelling.lower()] = name
    return names


# --- One file: its cells as text -----------------------------------------------------------------

def read_table(path: Path, instrument: Instrument | None = None) -> pd.DataFrame:
    """Every cell as text (empty cells missing), from CSV or the first sheet of an XLSX workbook.

    The frame's index is the row number in the file minus 2 (so ``index + 2`` names the row a
    spreadsheet shows); ``frame.attrs["header_row"]`` is the header's row number.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path, instrument)
    frame = read_csv_text(path)
    frame.attrs["header_row"] = 1
    return frame


def read_workbook(path: Path, instrument: Instrument | None = None) -> pd.DataFrame:
    """The first sheet of an XLSX workbook, checked like a CSV (validate.read_csv_text).

    A title or notes above the header are skipped with a warning: the header is the first row
    (of the first :data:`HEADER_SEARCH_ROWS`) naming an item of ``instrument``. A repeated column
    name, data in a column with no name or a sheet with no data rows is an error; blank rows
    between respondents are skipped with a warning.
    """
    records = _sheet_rows(path)
    filled = [i for i, record in enumerate(records) if any(cell is not None for cell in record)]
    if not filled:
        raise DataError(path, [Problem(None, None, "an empty sheet", "a header row and data rows")])
    start = _header_index(records, filled, instrument)
    header_row = start + 1
    if start != filled[0]:
        title = next(cell for cell in records[filled[0]] if cell is not None)
        warn_repair(path, f"the header is on row {header_row}; skipped row(s) {filled[0] + 1}-{start} above it "
                          f"(starting {title[:60]!r})")
    try:
        header = checked_header(path, [cell or "" for cell in records[start]])
    except DataError as error:  # it numbers the header as row 1, as in a CSV
        raise DataError(path, [dataclasses.replace(p, row=header_row) for p in error.problems]) from None
    body, index, blank, problems = [], [], [], []
    last = filled[-1]
    for i in range(start + 1, last + 1):
        record = records[i]
        if i not in filled:
            blank.append(i + 1)
            continue
        beyond = [(n, cell) for n, cell in enumerate(record[len(header):], start=len(header) + 1) if cell is not None]
        problems += [Problem(i + 1, f"column {n}", cell, "cells only in columns with a name in the header")
                     for n, cell in beyond]
        body.append((record + [None] * len(header))[:len(header)])
        index.append(i - 1)
    if problems:
        raise DataError(path, problems)
    warn_blank_rows(path, blank, "row(s)")
    if not body:
        raise DataError(path, [Problem(header_row, None, "only a header row", "data rows below the header")])
    frame = pd.DataFrame(body, columns=header, index=index, dtype=object)
    frame.attrs["header_row"] = header_row
    return frame


def _sheet_rows(path: Path) -> list[list[str | None]]:
    """Every row of the first sheet as stripped text (None for an empty cell)."""
    what = _not_a_file(path)
    if what:
        raise DataError(path, [Problem(None, None, what, "an XLSX workbook")])
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except OSError as error:
        raise DataError(path, [Problem(None, None, error.strerror or type(error).__name__,
                                       "a file roses can read")]) from None
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise DataError(path, [Problem(None, None, type(error).__name__, "a readable .xlsx workbook")]) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some tools write a wrong size; read every row there is
        return [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


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


def _header_index(records: list[list[str | None]], filled: list[int], instrument: Instrument | None) -> int:
    """The index of the header row: the first row naming a survey item, else the first row with text.

    Without an instrument, items of either survey's codebook count.
    """
    from . import instruments

    chosen = [instrument] if instrument else [instruments.load(survey) for survey in instruments.SURVEYS]
    items = {key for inst in chosen for key, item in inst.column_map().items() if item in inst.by_id}
    for i in filled[:HEADER_SEARCH_ROWS]:
        if any(normalise(cell) in items for cell in records[i] if cell is not None):
            return i
    return filled[0]


# --- One file: answers and comments ---------------------------------------------------------------

def read_export(path: str | Path, instrument: Instrument, authority: str, wave: int) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """One export file: (answers, comments, ignored column names). Raises DataError for bad cells."""
    path = Path(path)
    table = read_table(path, instrument)
    mapping = instrument.column_map()
    columns = {c: mapping.get(normalise(c)) for c in table.columns}
    id_column = next((c for c in table.columns if normalise(c) in RESPONDENT_COLUMNS), None)
    ignored = [c for c, key in columns.items() if key is None and c != id_column]
    if not any(key in instrument.by_id for key in columns.values()):
        raise DataError(path, [Problem(table.attrs.get("header_row", 1), None, ", ".join(map(str, table.columns[:5])),
                                       f"columns named by {instrument.survey} survey item ids or wordings")])
    respondent = _respondent_ids(table, id_column, path)
    item_columns = [c for c, key in columns.items() if key in instrument.by_id]
    long = (table[item_columns].set_axis(range(len(item_columns)), axis=1).assign(_row=table.index)
            .melt(id_vars="_row", var_name="_col", value_name="text").dropna(subset=["text"]))
    long["text"] = long["text"].astype(str).str.strip()
    long = long[long["text"] != ""]
    scales = [instrument.item(columns[c]).scale for c in item_columns]
    long["value"] = _answer_values(long["text"], long["_col"].map(dict(enumerate(scales))), instrument)
    bad = long[long["value"].isna()]
    problems = [Problem(int(r) + 2, item_columns[c], t, _expected(instrument, scales[c]))
                for r, c, t in zip(bad["_row"], bad["_col"], bad["text"])]
    if problems:
        raise DataError(path, sorted(problems, key=lambda p: (p.row, p.column)))
    answers = [pd.DataFrame({"respondent": respondent[long["_row"]].values,
                             "item": long["_col"].map(lambda c: columns[item_columns[c]]).values,
                             "value": long["value"].values})]
    comments = []
    for column, key in columns.items():
        if key in instrument.open_questions:
            text = table[column].dropna()
            text = text[text.str.strip() != ""]
            comments.append(pd.DataFrame({"respondent": respondent[text.index], "question": key, "text": text}))
    answers = pd.concat(answers, ignore_index=True).assign(authority=authority, wave=wave)
    comments = (pd.concat(comments, ignore_index=True) if comments else pd.DataFrame(columns=COMMENT_COLUMNS[2:]))
    comments = comments.assign(authority=authority, wave=wave)[COMMENT_COLUMNS]
    return answers, comments, ignored


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
    problems = [Problem(int(i) + 2, column, "an empty cell", "a respondent id on every row with answers")
                for i in missing.index]
    problems += [Problem(int(i) + 2, column, v, "a respondent id not used on another row") for i, v in repeated.items()]
    if problems:
        raise DataError(path, sorted(problems, key=lambda p: p.row))
    return pd.Series(pd.factorize(ids)[0] + 1, index=table.index)


def _answer_values(text: pd.Series, scales: pd.Series, instrument: Instrument) -> pd.Series:
    """Numbers 1-5 from answers given as numbers or as labels of each answer's scale (NaN if neither)."""
    # Map each distinct (scale, answer) once: an export repeats a handful of answers thousands of times.
    pairs = pd.MultiIndex.from_arrays([scales, text])
    lookup = {(scale, answer): _answer_value(answer, instrument.labels(scale)) for scale, answer in pairs.unique()}
    return pd.Series([lookup[p] for p in pairs], index=text.index, dtype="float64")


def _expected(instrument: Instrument, scale: str) -> str:
    return f"1-5 or one of: {', '.join(instrument.label(scale, v) for v in range(1, 6))}"


def _answer_value(text: str, labels: dict[str, int]) -> float:
    """1-5 from "4", "4.0" or a label; NaN if it is neither."""
    try:
        number = float(text)
    except ValueError:
        return float(labels.get(normalise(text), float("nan")))
    return number if number in (1, 2, 3, 4, 5) else float("nan")


# --- The numbers invited, and every export of a survey ----------------------------------------------

def read_invited(data_dir: Path, survey: str) -> dict[tuple[str, int], int]:
    """Numbers invited per (authority, wave) from ``surveys/invited.csv``, if the file exists."""
    path = Path(data_dir) / "surveys" / "invited.csv"
    if not path.exists():
        return {}
    table = read_csv_text(path)
    problems = []
    needed = ["survey", "authority", "wave", "invited"]
    for column in needed:
        if column not in table:
            problems.append(Problem(1, column, "no such column", "a column with this name in the header"))
    if problems:
        raise DataError(path, problems)
    result = {}
    for i, row in table.iterrows():
        try:
            wave, invited = int(row["wave"]), int(row["invited"])
        except (TypeError, ValueError):
            problems.append(Problem(int(i) + 2, "invited", row["invited"], "whole numbers in wave and invited"))
            continue
        if row["survey"] == survey:
            result[(str(row["authority"]), wave)] = invited
    if problems:
        raise DataError(path, problems)
    return result


def read_local(data_dir: Path | None, instrument: Instrument) -> Responses | None:
    """All local exports of one survey, or None if there are none."""
    exports = find_exports(data_dir, instrument.survey)
    if not exports:
        return None
    invited = read_invited(data_dir, instrument.survey)
    answers, comments, waves, ignored = [], [], [], {}
    for authority, wave, path in exports:
        if wave not in instrument.waves:
            raise DataError(path, [Problem(None, None, f"wave {wave}", f"one of waves {sorted(instrument.waves)}")])
        a, c, skipped = read_export(path, instrument, authority, wave)
        answers.append(a)
        comments.append(c)
        n = int(a["respondent"].max()) if len(a) else 0
        waves.append((authority, wave, n, invited.get((authority, wave)), "local"))
        if skipped:
            ignored[str(path)] = skipped
    frame = pd.concat(answers, ignore_index=True) if answers else empty_answers()
    responses = Responses(instrument.survey, tidy_answers(frame),
                          pd.DataFrame(waves, columns=["authority", "wave", "respondents", "invited", "origin"]),
                          pd.concat(comments, ignore_index=True))
    responses.problems = {"ignored_columns": ignored}
    return responses
