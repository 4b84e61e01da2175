"""One file's cells as text (CSV or XLSX), with a survey tool's layout turned into one header row."""

import re
from pathlib import Path

import pandas as pd

from roses.core.errors import DataError, Problem, warn_repair
from roses.readers.csvfile import read_csv_text
from roses.survey.instruments import Instrument, normalise
from roses.survey.readers.formats import MAX_FILE_BYTES, _not_a_file, _tool
from roses.survey.readers.headers import _column_key, _item_names
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
