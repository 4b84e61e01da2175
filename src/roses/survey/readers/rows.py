"""Rows: one export file's respondents, answers and comments."""

import re
from pathlib import Path

import numpy as np
import pandas as pd

from roses.core.errors import DataError, Problem, warn_repair
from roses.core.identifiers import RESPONDENT_ID_COLUMNS
from roses.survey.instruments import Instrument, normalise
from roses.survey.model import COMMENT_COLUMNS
from roses.survey.readers.answers import (
    CODEBOOK,
    NO_ANSWER,
    NOT_AN_ANSWER,
    NUMBER,
    _answer_value,
    _expected,
    _grid_code,
    _how_to_declare,
)
from roses.survey.readers.dates import response_date
from roses.survey.readers.folder import CODINGS_FILE
from roses.survey.readers.headers import _column_key, _method_names
from roses.survey.readers.respondents import answered_rows, warn_sorted_columns, without_summary_rows
from roses.survey.readers.table import read_table

RESPONDENT_COLUMNS = RESPONDENT_ID_COLUMNS  # one list for the readers and the leak scan (core/identifiers.py)

MAX_COMMENT = 32_767  # Excel's own cell limit: a longer comment is cut there, with a warning

# --- One file: answers and comments ---------------------------------------------------------------


def read_export(
    path: str | Path, instrument: Instrument, authority: str, wave: int, coding: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """One export file: (answers, comments, ignored column names). Raises DataError for bad cells.

    ``coding``: the numeric coding declared for this file in ``surveys/codings.csv``. Without one,
    numbers are read under the codebook's ``numeric_coding`` only in roses's own layout (every
    question column named by its item id, as ``roses synth`` writes); a file with wordings as headers
    may come from any tool, whose numbers are whatever its designer set (1 may be Strongly agree), so
    its numbers need a declaration. Rows that are not respondents are left out with a warning.
    """
    path = Path(path)
    table = read_table(path, instrument)
    header_row = table.attrs.get("header_row", 1)
    tool = table.attrs.get("tool")
    columns = _column_items(table, instrument)
    id_column = next((c for c in table.columns if normalise(c) in RESPONDENT_COLUMNS), None)
    if not any(key in instrument.by_id for key in columns.values()):
        raise DataError.one(
            path,
            ", ".join(map(str, table.columns[:5])),
            f"columns named by {instrument.survey} survey item ids or wordings",
            row=header_row,
        )
    problems = _column_problems(table, columns, id_column, instrument, wave, header_row)
    if problems:
        raise DataError(path, problems)
    ignored = [c for c, key in columns.items() if key is None and c != id_column]
    item_keys = {c: key for c, key in columns.items() if key is not None and key in instrument.by_id}
    item_columns = list(item_keys)
    open_columns = [c for c, key in columns.items() if key in instrument.open_questions]
    outside = [c for c in table.columns if c not in item_columns + open_columns]
    programme_year = instrument.waves.get(wave, {}).get("year") if len(authority) == 1 else None  # letters only
    table = without_summary_rows(table, outside, path, wave, programme_year)
    if coding is not None:
        source = CODINGS_FILE
    elif not tool and all(normalise(c) == columns[c] for c in item_columns):
        coding, source = instrument.numeric_coding, CODEBOOK  # roses's own layout: item ids as headers
    else:
        source = tool or WORDINGS
    grid = _answers(table, item_columns, columns, instrument, coding, source, path, authority, wave)
    commented = table[open_columns].apply(lambda c: c.astype("string").str.strip().fillna("") != "").any(axis=1)
    given = (grid != NO_ANSWER).any(axis=0) | commented.to_numpy()
    table = _without_columns(table, item_columns)  # the answers' texts are let go: the grid holds them
    table = answered_rows(table, given, path)
    respondent = _respondent_ids(table, id_column, path)
    warn_sorted_columns(table, grid, item_columns, id_column, path)
    keys = list(dict.fromkeys(item_keys.values()))
    answers = _long_answers(grid, given, respondent, [keys.index(item_keys[c]) for c in item_columns], keys)
    answers["authority"] = pd.Categorical.from_codes(np.zeros(len(answers), dtype="int8"), categories=[authority])
    answers["wave"] = np.int8(wave)
    comments = _comments(table, columns, instrument, respondent, path)
    answers.attrs["left_out"] = "; ".join(table.attrs.get("left_out", []))  # the wave's account (read_local)
    answers.attrs["date"], answers.attrs["date_column"] = response_date(
        table, path, warn=len(authority) > 1
    )  # the wave's date (dates.py)
    return answers, comments.assign(authority=authority, wave=wave)[COMMENT_COLUMNS], ignored


WORDINGS = "wordings"  # where a file's missing coding was looked for: a file with wordings as headers


def _column_items(table: pd.DataFrame, instrument: Instrument) -> dict[str, str | None]:
    """The codebook key each column means (None: not a question). A method's statement under a matrix
    question of any title ("How often do you use each of these? - <method>") is the use or the
    confidence item by its answers' scale, else by the question's wording."""
    mapping = instrument.column_map()
    columns = {c: _column_key(c, mapping) for c in table.columns}
    methods = _method_names(instrument)
    if not methods:
        return columns
    scales = {scale: set(instrument.labels(scale)) for scale in ("use", "confidence") if scale in instrument.scales}
    for column, key in columns.items():
        method = None if key else _column_key(column, methods)
        if method is None:
            continue
        answers = {normalise(v) for v in table[column].dropna().astype(str) if v.strip()}
        by_answers = [s for s, labels in scales.items() if answers and answers <= labels]
        question = normalise(column)
        if len(by_answers) == 1:
            scale = by_answers[0]
        elif "confiden" in question:
            scale = "confidence"
        elif re.search(r"\b(use|used|using|often|frequen)", question):
            scale = "use"
        else:
            continue
        columns[column] = f"{scale}_{method}" if f"{scale}_{method}" in instrument.by_id else None
    return columns


def _answers(
    table: pd.DataFrame,
    item_columns: list[str],
    columns: dict,
    instrument: Instrument,
    coding: str | None,
    source: str,
    path: Path,
    authority: str,
    wave: int,
) -> np.ndarray:
    """The answers as a grid of bytes, a row per item column and a column per table row: the answer's
    value (1-5), or NO_ANSWER. Raises DataError for a number with no declared coding (the first, with
    how many) and for every cell that is not an answer (each named by row and column).

    Column by column, each distinct answer mapped once (an export repeats a few answers thousands of
    times): a byte per cell, never a table of the answers' texts nor a long table of rows and columns.
    """
    scales = [instrument.item(columns[c]).scale for c in item_columns]
    grid = np.full((len(item_columns), len(table)), NO_ANSWER, dtype="int8")
    for k, column in enumerate(item_columns):
        cells = table[column]
        present = cells.notna().to_numpy()
        codes, texts = pd.factorize(cells[present])
        stripped = pd.Index(texts.astype(str)).str.strip()
        labels = instrument.labels(scales[k])
        lookup = np.array([_grid_code(_answer_value(t, labels, coding)) if t else NO_ANSWER for t in stripped], "int8")
        grid[k, present] = lookup[codes]

    def text(k: int, position: int) -> str:
        return str(table[item_columns[k]].iloc[position]).strip()

    def row(position: int) -> int:
        return int(table.index[position]) + 2

    numbers = grid == NUMBER
    if numbers.any():
        k, position = (int(i) for i in np.argwhere(numbers)[0])  # the first column with a number, its first row
        tool = source if source not in (WORDINGS, CODEBOOK) else None
        why = (
            "; the codebook's coding is for roses's own layout only (columns named by item id): this "
            "file's columns are question wordings, as any survey tool writes them"
            if source == WORDINGS
            else ""
        )
        raise DataError.one(
            path,
            f"{text(k, position)}, a number with no declared coding",
            f"answers given as labels ({int(numbers.sum())} answers in this {tool + ' export' if tool else 'file'} "
            f"are numbers, and numbers are never guessed{why}): "
            + _how_to_declare(instrument, authority, wave, tool, own_layout=source == CODEBOOK),
            row=row(position),
            column=item_columns[k],
        )
    problems = [
        Problem(row(p), item_columns[k], text(k, p), _expected(instrument, scales[k], coding, source, text(k, p)))
        for k, p in np.argwhere(grid == NOT_AN_ANSWER).tolist()
    ]
    if problems:
        raise DataError(path, sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    return grid


def _without_columns(table: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """``table`` without ``names``, its other columns copied: a frame without columns can still be a
    view of the whole block of cells (copy-on-write), which would keep every answer's text alive."""
    kept = table.drop(columns=names).copy()
    kept.attrs = dict(table.attrs)
    return kept


def _long_answers(
    grid: np.ndarray, rows: np.ndarray, respondent: pd.Series, item_codes: list[int], items: list[str]
) -> pd.DataFrame:
    """One row per answer given (respondent, item, value), item by item, respondents in row order.

    ``grid``: the answers (:func:`_answers`) of the table's rows before those without answers were left
    out; ``rows``: which of those rows are kept (``respondent``: their numbers, in order)."""
    by_row = np.zeros(grid.shape[1], dtype="int32")
    by_row[rows] = respondent.to_numpy()
    counts = (grid != NO_ANSWER).sum(axis=1)
    numbers, values = np.empty(int(counts.sum()), "int32"), np.empty(int(counts.sum()), "int8")
    start = 0
    for answers in grid:  # item by item: no index array as long as all the answers
        given = np.flatnonzero(answers != NO_ANSWER)
        numbers[start : start + len(given)], values[start : start + len(given)] = by_row[given], answers[given]
        start += len(given)
    codes = np.repeat(np.array(item_codes, dtype="int8" if len(items) < 128 else "int32"), counts)
    return pd.DataFrame(
        {"respondent": numbers, "item": pd.Categorical.from_codes(codes, categories=items), "value": values},
        copy=False,
    )


def _comments(
    table: pd.DataFrame, columns: dict, instrument: Instrument, respondent: pd.Series, path: Path
) -> pd.DataFrame:
    """The open questions' answers (respondent, question, text); a comment over Excel's cell limit is cut."""
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
    return pd.concat(comments, ignore_index=True) if comments else pd.DataFrame(columns=COMMENT_COLUMNS[2:])


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
        raise DataError(path, sorted(problems, key=lambda p: p.row or 0))
    return pd.Series(pd.factorize(ids)[0] + 1, index=table.index)
