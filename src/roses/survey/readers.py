"""Read respondent-level survey exports (CSV or XLSX) from a local data folder.

Layout (see docs/survey-data.md)::

    DATA/surveys/staff/<AUTHORITY>/wave-<N>.csv   (or .xlsx)
    DATA/surveys/parent/<AUTHORITY>/wave-<N>.csv  (or .xlsx; round-<N> also accepted)
    DATA/surveys/invited.csv                      survey,authority,wave,invited  (optional)

An export has one row per respondent. Columns are named by item id or by the question's wording
(any wave's, case and spacing ignored); answers are numbers 1-5 or labels such as "Strongly agree".
Columns the codebook does not know (timestamps, IP addresses...) are ignored and listed. Every bad
cell is reported with its file, row and column; nothing is dropped silently.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import DataError, Problem
from ..validate import read_csv_text
from .instruments import Instrument, normalise
from .model import COMMENT_COLUMNS, Responses, empty_answers, tidy_answers

FILE_NAME = re.compile(r"^(?:wave|round)-?(\d+)\.(csv|xlsx)$", re.IGNORECASE)
RESPONDENT_COLUMNS = {"respondent", "respondent id", "response id", "id"}
AUTHORITY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def read_table(path: Path) -> pd.DataFrame:
    """Every cell as text (empty cells missing), from CSV or the first sheet of an XLSX workbook."""
    if path.suffix.lower() == ".xlsx":
        try:
            frame = pd.read_excel(path, dtype=str, engine="openpyxl")
        except Exception as error:  # openpyxl raises many kinds for a damaged workbook
            raise DataError(path, [Problem(None, None, type(error).__name__, "a readable .xlsx workbook")]) from None
        frame.columns = [str(c).strip() for c in frame.columns]
        return frame.apply(lambda col: col.str.strip()).replace("", pd.NA)
    return read_csv_text(path)


def read_export(path: str | Path, instrument: Instrument, authority: str, wave: int) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """One export file: (answers, comments, ignored column names). Raises DataError for bad cells."""
    path = Path(path)
    table = read_table(path)
    mapping = instrument.column_map()
    columns = {c: mapping.get(normalise(c)) for c in table.columns}
    id_column = next((c for c in table.columns if normalise(c) in RESPONDENT_COLUMNS), None)
    ignored = [c for c, key in columns.items() if key is None and c != id_column]
    if not any(key in instrument.by_id for key in columns.values()):
        raise DataError(path, [Problem(1, None, ", ".join(map(str, table.columns[:5])),
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
    if column is None:
        return pd.Series(range(1, len(table) + 1), index=table.index)
    ids = table[column]
    repeated = ids[ids.duplicated(keep="first") & ids.notna()]
    if len(repeated):
        raise DataError(path, [Problem(int(i) + 2, column, v, "a respondent id not used on another row")
                               for i, v in repeated.items()])
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


def find_exports(data_dir: Path | None, survey: str) -> list[tuple[str, int, Path]]:
    """(authority, wave, path) for every export file under ``DATA/surveys/<survey>/``."""
    if data_dir is None:
        return []
    root = Path(data_dir) / "surveys" / survey
    found = []
    for path in sorted(root.glob("*/*")) if root.is_dir() else []:
        match = FILE_NAME.match(path.name)
        if path.is_file() and match and AUTHORITY.match(path.parent.name):
            found.append((path.parent.name, int(match.group(1)), path))
    return found


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
