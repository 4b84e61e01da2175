"""Write responses as survey-tool exports, in the layout the readers accept (``roses synth --out``).

Half the authorities get CSV files with questions as column headings and answers as labels
("Strongly agree"); the other half get XLSX files with item ids and numbers, so both reader paths
are exercised by the illustrative data.

Writes are atomic (``roses.atomic``): :func:`write_all` builds the whole ``surveys/`` folder beside
its place and renames it in, so an interrupted ``roses synth`` leaves the previous folder (or none),
never a half-written one; :func:`write` and :func:`write_invited` replace each file whole.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from roses.core.atomic import replacing, replacing_dir
from roses.core.errors import RosesError
from roses.survey.instruments import Instrument
from roses.survey.model import Responses

LABELLED = {"A", "C", "E", "G", "J"}
# Marks a surveys/ folder as written by roses synth: only such a folder (or an empty one) is replaced,
# so pointing --out at an authority's own data folder can never delete its real exports.
MARKER = ".roses-synthetic"


def wide(responses: Responses, instrument: Instrument, authority: str, wave: int, labelled: bool) -> pd.DataFrame:
    """One authority-wave as a respondent x question table (labels and wordings if ``labelled``)."""
    answers = responses.answers
    rows = answers[(answers["authority"] == authority) & (answers["wave"] == wave)]
    table = rows.pivot(index="respondent", columns="item", values="value")
    table.columns = [str(c) for c in table.columns]
    n = int(responses.waves.set_index(["authority", "wave"]).loc[(authority, wave), "respondents"])
    table = table.reindex(range(1, n + 1))
    items = [i for i in instrument.items if i.id in table.columns]
    values = table[[i.id for i in items]].to_numpy(dtype="float64", na_value=np.nan)
    blank = np.isnan(values)
    codes = np.where(blank, 0, values).astype(int)  # 0 = not answered
    columns = {"Respondent ID": [f"R{authority}{wave}-{i:04d}" for i in table.index]}
    for j, item in enumerate(items):
        if labelled:  # whole columns through a lookup array: one pandas call per table, not per cell
            lookup = np.array([None] + [instrument.label(item.scale, v) for v in range(1, 6)], dtype=object)
            columns[item.wording] = lookup[codes[:, j]]
        else:
            columns[item.id] = pd.array(np.where(blank[:, j], None, codes[:, j]), dtype="Int64")  # type: ignore[call-overload]  # numpy stubs: no object overload
    out = pd.DataFrame(columns)
    notes = responses.comments[(responses.comments["authority"] == authority) & (responses.comments["wave"] == wave)]
    for question, wording in instrument.open_questions.items():
        text = notes[notes["question"] == question].drop_duplicates("respondent").set_index("respondent")["text"]
        out[wording if labelled else question] = text.reindex(table.index).to_numpy()
    return out


def write(responses: Responses, instrument: Instrument, out: Path) -> list[Path]:
    """Write every authority-wave under ``out/surveys/<survey>/<authority>/wave-<N>.csv|xlsx``."""
    return _write_exports(responses, instrument, Path(out) / "surveys")


def _write_exports(responses: Responses, instrument: Instrument, surveys: Path) -> list[Path]:
    written = []
    for authority, wave in responses.waves[["authority", "wave"]].itertuples(index=False):
        labelled = authority in LABELLED
        folder = surveys / responses.survey / authority
        table = wide(responses, instrument, authority, int(wave), labelled)
        path = folder / f"wave-{wave}.{'csv' if labelled else 'xlsx'}"
        with replacing(path) as temp:
            if labelled:
                table.to_csv(temp, index=False, lineterminator="\n")
            else:
                _write_xlsx(table, temp)
        written.append(path)
    return written


def _write_xlsx(table: pd.DataFrame, path: Path) -> None:
    """One sheet: the header, then one row per respondent (numbers as numbers, blanks empty).

    openpyxl's write-only mode streams the rows: about twice as fast as ``DataFrame.to_excel``.
    """
    book = openpyxl.Workbook(write_only=True)
    book.properties.created = book.properties.modified = FIXED_TIME  # the same bytes for the same seed
    sheet = book.create_sheet("Sheet1")
    sheet.append([str(c) for c in table.columns])
    cells = table.astype(object).where(table.notna(), None)
    for row in cells.itertuples(index=False):
        sheet.append([v if v is None or isinstance(v, str) else int(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    Path(path).write_bytes(stable_zip(buffer.getvalue()))


FIXED_TIME = datetime.datetime(2019, 6, 30)


def stable_zip(data: bytes) -> bytes:
    """A zip (an XLSX workbook) rewritten with every entry's time fixed and entries in name order,
    so the same content always gives the same bytes (openpyxl stamps entries with the time of day)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        first = [n for n in ("[Content_Types].xml",) if n in names]  # Excel expects it first
        for name in first + sorted(n for n in names if n not in first):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            content = source.read(name)
            if name == "docProps/core.xml":  # openpyxl stamps "modified" with the time of saving
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>", content
                )
            target.writestr(info, content)
    return out.getvalue()


def write_invited(all_responses: list[Responses], out: Path) -> Path:
    """``out/surveys/invited.csv``: how many were invited to each survey, per authority and wave."""
    return _write_invited(all_responses, Path(out) / "surveys")


def _write_invited(all_responses: list[Responses], surveys: Path) -> Path:
    rows = [frame.waves.assign(survey=frame.survey) for frame in all_responses]
    invited = pd.concat(rows)[["survey", "authority", "wave", "invited"]]
    path = surveys / "invited.csv"
    with replacing(path) as temp:
        invited.to_csv(temp, index=False, lineterminator="\n")
    return path


def write_all(surveys: list[tuple[Responses, Instrument]], out: Path) -> list[Path]:
    """Write ``out/surveys/`` whole: every survey's exports and ``invited.csv``, then swap it in.

    Raises RosesError, writing nothing, if ``out/surveys`` exists, is not empty and was not
    written by roses synth (it may hold an authority's real exports).
    """
    target = Path(out) / "surveys"
    if target.is_dir() and not (target / MARKER).is_file() and any(target.iterdir()):
        raise RosesError(
            f"{target}: holds files roses synth did not write (real exports?); give another "
            "--out folder, or move that surveys/ folder away first"
        )
    if target.exists() and not target.is_dir():
        raise RosesError(f"{target}: a file is in the way; give another --out folder")
    with replacing_dir(target) as staging:
        written = [path for responses, instrument in surveys for path in _write_exports(responses, instrument, staging)]
        _write_invited([responses for responses, _ in surveys], staging)
        (staging / MARKER).write_text("Synthetic survey exports written by `roses synth`; not real answers.\n")
    return [target / path.relative_to(staging) for path in written]
