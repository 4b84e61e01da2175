"""The in-memory shape of survey responses, shared by the readers, the generator and scoring.

Respondent-level rows live only here, in memory: exhibits publish scored, disclosure-controlled
summaries, never these frames.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

ANSWER_COLUMNS = ["authority", "wave", "respondent", "item", "value"]
WAVE_COLUMNS = ["authority", "wave", "respondents", "invited", "origin"]
COMMENT_COLUMNS = ["authority", "wave", "respondent", "question", "text"]


@dataclass
class Responses:
    """One survey's responses.

    Attributes
    ----------
    survey : "staff" or "parent".
    answers : long frame, one row per respondent and item: authority, wave, respondent, item, value (1-5).
    waves : one row per authority and wave that ran: respondents, invited (may be missing) and
        origin ("illustrative" or "local").
    comments : one row per answer to an open question: authority, wave, respondent, question, text.
    problems : rejected rows from local exports (``roses.errors.Problem``), by file.
    """

    survey: str
    answers: pd.DataFrame
    waves: pd.DataFrame
    comments: pd.DataFrame
    problems: dict = field(default_factory=dict)

    @property
    def origin(self) -> str:
        """ "local" if any authority's results come from local files, else "illustrative"."""
        return "local" if (self.waves["origin"] == "local").any() else "illustrative"


def empty_answers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "authority": pd.Series(dtype=str),
            "wave": pd.Series(dtype="int8"),
            "respondent": pd.Series(dtype="int32"),
            "item": pd.Series(dtype=str),
            "value": pd.Series(dtype="int8"),
        }
    )


def tidy_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """Compact dtypes: categories for text keys, small ints for numbers (keeps 1M answers fast)."""
    return pd.DataFrame(
        {
            "authority": answers["authority"].astype("category"),
            "wave": answers["wave"].astype("int8"),
            "respondent": answers["respondent"].astype("int32"),
            "item": answers["item"].astype("category"),
            "value": answers["value"].astype("int8"),
        }
        # the record keys of docs/disclosure.md (roses.survey.cellkey), where they have been made
        | ({"record_key": answers["record_key"].astype("uint64")} if "record_key" in answers else {}),
        copy=False,  # columns already compact are not copied (copy-on-write keeps the input safe)
    )
