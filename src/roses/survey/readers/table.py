"""One file's cells as text (CSV or XLSX), with a survey tool's layout turned into one header row."""

import re
from pathlib import Path

import pandas as pd

from roses.core.errors import DataError, Problem, warn_repair
from roses.readers.csvfile import read_csv_text
from roses.survey.instruments import Instrument, normalise
from roses.survey.readers.formats import MAX_FILE_BYTES, _not_a_file, _tool
from roses.survey.readers.headers import _answer_labels, _column_key, _item_names, _method_names
from roses.survey.readers.workbook import read_workbook

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
        raise DataError.one(path, what, "a CSV or XLSX export file")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DataError.one(path, error.strerror or type(error).__name__, "a file roses can read") from None
    if size > MAX_FILE_BYTES:
        raise DataError.one(
            path,
            f"a file of {size / 1e6:.0f} MB",
            f"an export of at most {MAX_FILE_BYTES // (1024 * 1024)} MB (split it: one file per authority and wave)",
        )
    if path.suffix.lower() == ".xlsx":
        frame = read_workbook(path, instrument)
    else:
        _no_table_name_line(path, instrument)
        frame = read_csv_text(path)
        frame.attrs["header_row"] = 1
    frame.attrs.setdefault("left_out", [])  # what is not counted, for the wave's account (Responses.waves)
    return _tool_layout(frame, path, instrument)


def _no_table_name_line(path: Path, instrument: Instrument | None) -> None:
    """Apple Numbers may write the table's name ('Table 1') as a CSV's first line, above the header."""
    try:
        with open(path, "rb") as handle:
            lines = handle.read(65536).decode("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return  # the CSV reader names what is wrong
    if len(lines) < 2 or not lines[0].strip() or lines[0].lower().startswith("sep="):
        return
    one_cell = not any(d in lines[0] for d in ",;\t|")
    names_item = _column_key(lines[0].strip().strip('"'), {k: k for k in _item_names(instrument)})
    if one_cell and not names_item and any(d in lines[1] for d in ",;\t"):
        raise DataError.one(
            path,
            f"{lines[0].strip()[:40]!r}, a table name above the header",
            "the header on line 1 (Apple Numbers writes each table's name first: File > Export To > CSV, "
            "untick 'Include table names'; or delete line 1)",
            row=1,
        )


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
    texts = [
        [
            frame.iloc[p, n]
            for p in header_rows
            if isinstance(frame.iloc[p, n], str) and not frame.iloc[p, n].startswith('{"ImportId"')
        ]
        for n in range(len(names))
    ]
    renamed = _header_names(names, carried, texts, mapping, instrument)
    _no_two_columns_one_name(renamed, names, frame.attrs.get("header_row", 1), path)
    body = frame.drop(index=frame.index[header_rows]).rename(columns=renamed)
    body.attrs = dict(frame.attrs)
    if tool == "SurveyMonkey":
        body = _one_column_per_choice(body, names, carried, texts, instrument, path)
    if header_rows:
        body.attrs["header_row"] = frame.attrs.get("header_row", 1) + len(header_rows)
    if tool == "Qualtrics":
        body = _qualtrics_counted(body, path)
    if body.empty:
        raise DataError.one(
            path, "no counted responses", f"data rows below the {tool} header rows", row=body.attrs.get("header_row", 1)
        )
    return body


def _header_names(names, carried, texts, mapping: dict, instrument: Instrument | None) -> dict[str, str]:
    """New names for the columns a tool's header rows explain: the codebook question a column holds
    ('Question - Statement' from the question-text row, or the question carried across a grid); a
    method's statement under a matrix of any title keeps its question's wording, which says whether
    it is about use or confidence; an unnamed column ('column 22') gets its header text, so a message
    names it as the survey tool shows it."""
    methods, labels = _method_names(instrument), _answer_labels(instrument)
    renamed = {}
    for n, name in enumerate(names):
        if _column_key(name, mapping) or (len(texts[n]) == 1 and normalise(texts[n][0]) in labels):
            continue  # a question's name, or one of its answer choices (see _one_column_per_choice)
        composed = [f"{carried[n]} - {t}" for t in texts[n]]  # the question carried over its grid
        match = next((o for o in [*texts[n], *composed, carried[n]] if _column_key(o, mapping)), None)
        if match is None and methods:  # the option that keeps the matrix question's wording
            match = next(
                (o for o in [*texts[n], *composed] if _column_key(o, methods) and QUESTION_PART.search(o)), None
            )
        if match is None and re.fullmatch(r"column \d+", name) and (composed or texts[n]):
            match = (composed or texts[n])[0]
        if match and match != name:
            renamed[name] = match
    return renamed


QUESTION_PART = re.compile(
    r"\s[-\u2013:]\s|\["
)  # "Question - Statement", "Question: Statement", "Question [Statement]"


def _no_two_columns_one_name(renamed: dict[str, str], names: list[str], header_row: int, path: Path) -> None:
    """Two columns holding one question (a Qualtrics loop and merge writes one per loop) are named."""
    holders: dict[str, list[str]] = {}
    for name in names:
        holders.setdefault(normalise(renamed.get(name, name)), []).append(name)
    problems = [
        Problem(
            header_row,
            columns[0],
            f"columns {' and '.join(map(repr, columns[:4]))} holding one question",
            f"one column per question (these all hold '{_short(renamed.get(columns[-1], columns[-1]))}'): "
            "a Qualtrics loop and merge (or a question repeated in blocks) writes one copy per loop; "
            "export each loop as its own file, or delete the other copies",
        )
        for columns in holders.values()
        if len(columns) > 1
    ]
    if problems:
        raise DataError(path, problems)


def _short(question: str) -> str:
    """A question's statement, short enough for a message."""
    statement = re.split(r"\s[-\u2013]\s", question)[-1]
    return statement if len(statement) <= 70 else statement[:67] + "..."


def _one_column_per_choice(body, names, carried, texts, instrument: Instrument | None, path: Path) -> pd.DataFrame:
    """SurveyMonkey's expanded layout: a question over several columns, one per answer choice (its
    label on the second header row), a cell filled where that choice was picked. Made into one column
    of labels; two choices picked on one row is an error naming the row and both columns."""
    labels = _answer_labels(instrument)
    groups: dict[str, list[tuple[str, str]]] = {}
    for n in range(len(names)):
        if len(texts[n]) == 1 and normalise(texts[n][0]) in labels:
            groups.setdefault(carried[n], []).append((body.columns[n], texts[n][0]))
    groups = {question: choices for question, choices in groups.items() if len(choices) > 1}
    if not groups:
        return body
    problems, result = [], body.copy()
    for question, choices in groups.items():
        columns = [c for c, _ in choices]
        picked = body[columns].notna() & (body[columns].astype("string").apply(lambda c: c.str.strip()) != "")
        for row in picked.index[picked.sum(axis=1) > 1]:
            chosen = [c for c in columns if picked.at[row, c]]
            problems.append(
                Problem(
                    int(row) + 2,
                    chosen[0],
                    f"two choices picked ({', '.join(map(repr, chosen))})",
                    "one answer per question",
                )
            )
        answer = pd.Series(float("nan"), index=body.index, dtype=object)
        for column, label in choices:
            answer[picked[column]] = label
        at = result.columns.get_loc(columns[0])
        result = result.drop(columns=columns)
        result.insert(at, question, answer)
    if problems:
        raise DataError(path, problems[:200])
    result.attrs = dict(body.attrs)
    return result


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
        frame.attrs.setdefault("left_out", []).extend(said)
    result = frame[keep]
    result.attrs = dict(frame.attrs)
    return result
