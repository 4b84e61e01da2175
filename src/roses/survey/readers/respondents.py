"""Which rows of an export are respondents, and whether the file is one wave.

What an analyst does to an export before handing it over must not change the counts without a
word: a typed summary row ("Average", "Total") and a row with no answers are not respondents and
are left out with a warning naming them; a file of no answers at all is an error (it would be
published as if suppressed); a wave or round column that contradicts the file's name is an error
(merged waves would all be read as one); an answer column sorted on its own, apart from its rows,
is warned of where the file shows it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from roses.core.errors import DataError, warn_repair
from roses.survey.instruments import normalise
from roses.survey.readers.answers import NO_ANSWER

# A cell that starts a row typed under the respondents to sum them up.
SUMMARY_WORDS = {
    "total",
    "totals",
    "grand total",
    "average",
    "averages",
    "mean",
    "median",
    "sum",
    "count",
    "summary",
    "overall",
    "all respondents",
    "percentage",
    "percent",
    "n",
}
# Columns that say which wave (or round) a row belongs to.
WAVE_COLUMNS = {"wave", "round", "survey wave", "survey round", "wave number", "round number", "wave no"}
SORTED_MIN_ROWS = 10  # fewer answers than this in order can happen by chance


def without_summary_rows(
    table: pd.DataFrame, outside: list[str], path: Path, wave: int, year: int | None = None
) -> pd.DataFrame:
    """``table`` without typed summary rows: a row whose first filled cell outside the answers
    (``outside``: the id and other columns) is a word such as 'Total' or 'Average' (named in a
    warning). Raises DataError if a wave or round column names another wave, or (``year``: the
    programme's year of a letter's wave) a year column another year."""
    _check_wave_column(table, path, wave)
    if year is not None:
        _check_year_column(table, path, wave, year)
    summary = _summary_rows(table, outside)
    if summary.any():
        words = sorted({str(w).strip() for w in _first_cells(table, outside)[summary]})
        warn_repair(
            path, f"left out summary row(s) {_rows(summary)} ({', '.join(map(repr, words[:3]))}: not respondents)"
        )
        table.attrs.setdefault("left_out", []).append(f"{int(summary.sum())} summary row(s) ({', '.join(words[:3])})")
    kept = table[~summary]
    kept.attrs = dict(table.attrs)
    return kept


def answered_rows(table: pd.DataFrame, answered, path: Path) -> pd.DataFrame:
    """The rows with an answer (``answered``: a mask); rows without one are left out with a warning,
    and a file of no answers at all is an error (it would be published as if suppressed)."""
    answered = pd.Series(answered, index=table.index)
    if not answered.any():
        raise DataError.one(
            path,
            f"no answers in any of its {len(table)} row(s)",
            "an export with the respondents' answers (an all-blank wave would be published as if "
            "suppressed; export the responses again, or remove the file)",
            row=table.attrs.get("header_row", 1),
        )
    if not answered.all():
        warn_repair(path, f"left out row(s) {_rows(~answered)} with no answers (not counted as respondents)")
        table.attrs.setdefault("left_out", []).append(f"{int((~answered).sum())} row(s) with no answers")
    kept = table[answered]
    kept.attrs = dict(table.attrs)
    return kept


def _rows(mask: pd.Series) -> str:
    rows = [int(i) + 2 for i in mask[mask].index]
    return ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


def _summary_rows(table: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Rows whose first filled cell outside the answers (or the id cell) is a summary word."""
    first = _first_cells(table, columns)
    wordy = first.astype("string").str.fullmatch(r"[A-Za-z %:]{1,30}").fillna(False).astype(bool)  # not an id
    found = np.zeros(len(table), dtype=bool)
    found[wordy.to_numpy()] = [normalise(v).rstrip(" s") in _SUMMARY_STEMS for v in first[wordy]]
    return pd.Series(found, index=table.index)


def _first_cells(table: pd.DataFrame, columns: list[str]) -> pd.Series:
    if not columns:
        return pd.Series(None, index=table.index, dtype=object)
    if len(columns) == 1:
        return table[columns[0]]
    return table[columns].astype(object).bfill(axis=1).iloc[:, 0]  # object: a string dtype's bfill is slow


_SUMMARY_STEMS = {w.rstrip("s") for w in SUMMARY_WORDS}


def _check_wave_column(table: pd.DataFrame, path: Path, wave: int) -> None:
    """A wave or round column must say the file's own wave on every row that says one."""
    for column in table.columns:
        if normalise(column) not in WAVE_COLUMNS:
            continue
        stated = table[column].dropna().astype(str).str.strip()
        numbers = stated.map(lambda v: int(m.group()) if (m := re.search(r"\d+", v)) else None)
        other = numbers[numbers.notna() & (numbers != wave)]
        if other.empty:
            continue
        waves = sorted({int(n) for n in other})
        rows = [int(i) + 2 for i in other.index]
        raise DataError.one(
            path,
            f"wave {', '.join(map(str, waves))} on {len(rows)} row(s) of a wave {wave} file "
            f"(rows {', '.join(map(str, rows[:10]))}{' ...' if len(rows) > 10 else ''})",
            f"only wave {wave} rows in {path.name}: split the file by its {column!r} column, one file "
            f"per wave (wave-{waves[0]}{path.suffix} for wave {waves[0]})",
            row=rows[0],
            column=column,
        )


YEAR_COLUMNS = {"year", "survey year"}


def _check_year_column(table: pd.DataFrame, path: Path, wave: int, year: int) -> None:
    """A programme authority's wave has the report's year: a year column saying another is an error."""
    for column in table.columns:
        if normalise(column) not in YEAR_COLUMNS:
            continue
        stated = pd.to_numeric(table[column].dropna().astype(str).str.strip().str[:4], errors="coerce")
        other = stated[stated.notna() & (stated != year)]
        if len(other):
            rows = [int(i) + 2 for i in other.index]
            raise DataError.one(
                path,
                f"year {int(other.iloc[0])} on {len(rows)} row(s) of a wave {wave} file "
                f"(rows {', '.join(map(str, rows[:10]))}{' ...' if len(rows) > 10 else ''})",
                f"only wave {wave}'s year, {year}, in {path.name} (is the file named for the right wave?)",
                row=rows[0],
                column=column,
            )


def warn_sorted_columns(
    table: pd.DataFrame, grid: np.ndarray, item_columns: list[str], id_column: str | None, path: Path
) -> None:
    """Warn of an answer column in order (rising or falling) while the respondents' ids are in theirs.

    ``grid``: the answers, a row per item column (``readers.rows._answers``). When a whole table is
    sorted by one column, the ids are shuffled with it; when one column alone is sorted, the ids stay
    in order and that column's answers no longer belong to their rows. Only detectable with an id
    column in order.
    """
    if id_column is None or len(table) < SORTED_MIN_ROWS:
        return
    ids = pd.to_numeric(table[id_column], errors="coerce")
    if ids.isna().any() or not (ids.is_monotonic_increasing or ids.is_monotonic_decreasing):
        return
    found = []
    for column, given in zip(item_columns, grid):
        answers = given[given != NO_ANSWER].astype("int16")  # in row order
        if len(answers) >= SORTED_MIN_ROWS and answers.min() != answers.max():
            steps = np.diff(answers)
            if (steps >= 0).all() or (steps <= 0).all():
                found.append(str(column))
    if found and len(found) < len(item_columns):
        warn_repair(
            path,
            f"column(s) {', '.join(map(repr, found[:5]))} hold answers in sorted order while the respondent ids "
            "are in theirs: if a column was sorted on its own, its answers no longer belong to their "
            "respondents (export the file again; when sorting, sort every column together)",
        )
