"""Write responses as survey-tool exports, in the layout the readers accept (``roses synth --out``).

Half the authorities get CSV files with questions as column headings and answers as labels
("Strongly agree"); the other half get XLSX files with item ids and numbers, so both reader paths
are exercised by the illustrative data.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .instruments import Instrument
from .model import Responses

LABELLED = {"A", "C", "E", "G", "J"}


def wide(responses: Responses, instrument: Instrument, authority: str, wave: int, labelled: bool) -> pd.DataFrame:
    """One authority-wave as a respondent x question table."""
    answers = responses.answers
    rows = answers[(answers["authority"] == authority) & (answers["wave"] == wave)]
    table = rows.pivot(index="respondent", columns="item", values="value")
    table.columns = [str(c) for c in table.columns]
    n = int(responses.waves.set_index(["authority", "wave"]).loc[(authority, wave), "respondents"])
    table = table.reindex(range(1, n + 1))
    order = [i.id for i in instrument.items if i.id in table.columns]
    table = table[order].astype("Int64")
    if labelled:
        for item_id in order:
            scale = instrument.item(item_id).scale
            table[item_id] = table[item_id].map(lambda v, s=scale: instrument.label(s, int(v)) if pd.notna(v) else None)
        table.columns = [instrument.item(c).wording for c in order]
    notes = responses.comments[(responses.comments["authority"] == authority) & (responses.comments["wave"] == wave)]
    for question, wording in instrument.open_questions.items():
        text = notes[notes["question"] == question].drop_duplicates("respondent").set_index("respondent")["text"]
        table[wording if labelled else question] = text.reindex(table.index)
    table.insert(0, "Respondent ID", [f"R{authority}{wave}-{i:04d}" for i in table.index])
    return table.reset_index(drop=True)


def write(responses: Responses, instrument: Instrument, out: Path) -> list[Path]:
    """Write every authority-wave under ``out/surveys/<survey>/<authority>/wave-<N>.csv|xlsx``."""
    written = []
    for authority, wave in responses.waves[["authority", "wave"]].itertuples(index=False):
        labelled = authority in LABELLED
        folder = out / "surveys" / responses.survey / authority
        folder.mkdir(parents=True, exist_ok=True)
        table = wide(responses, instrument, authority, int(wave), labelled)
        if labelled:
            path = folder / f"wave-{wave}.csv"
            table.to_csv(path, index=False, lineterminator="\n")
        else:
            path = folder / f"wave-{wave}.xlsx"
            table.to_excel(path, index=False, engine="openpyxl")
        written.append(path)
    return written


def write_invited(all_responses: list[Responses], out: Path) -> Path:
    """``out/surveys/invited.csv``: how many were invited to each survey, per authority and wave."""
    rows = [frame.waves.assign(survey=frame.survey) for frame in all_responses]
    invited = pd.concat(rows)[["survey", "authority", "wave", "invited"]]
    path = out / "surveys" / "invited.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    invited.to_csv(path, index=False, lineterminator="\n")
    return path
