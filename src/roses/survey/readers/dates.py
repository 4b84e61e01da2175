"""A wave's date: the median response date the survey tool wrote in the export, else ``surveys/waves.csv``.

An authority's own surveys are labelled by its own calendar (March 2024), never by the programme's
years. Tools write the date each response was made: Qualtrics ``RecordedDate`` / ``StartDate``,
Microsoft Forms ``Completion time`` / ``Start time``, Google Forms ``Timestamp``, SurveyMonkey
``Start Date``, SmartSurvey ``Ended`` / ``Started``. The median of a wave's response dates is its
date (a survey open for weeks is dated by when most people answered). Dates written with slashes
are read in the order their values show (13/.. cannot be a month; ../13 cannot be a day); when no
value shows it (06/01/2019 is 6 January in the UK and 1 June in the US), the date is not guessed.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pandas as pd

from roses.core.errors import warn_repair
from roses.survey.instruments import normalise

# Date columns in the order they are preferred: when the response was recorded, else when it began.
DATE_COLUMNS = (
    "recordeddate",
    "completion time",
    "timestamp",
    "enddate",
    "end date",
    "ended",
    "startdate",
    "start time",
    "start date",
    "started",
)
WAVES_FILE = "waves.csv"  # DATA/surveys/waves.csv: survey,authority,wave,date
DISAGREE_DAYS = 31  # an export's date and waves.csv's further apart than this are said


def response_date(table: pd.DataFrame, path: Path, warn: bool = True) -> tuple[pd.Timestamp | None, str | None]:
    """The median response date in the export's tool date column, and that column (None, None if none).

    Dates whose order of day and month the values cannot settle (every one such as 06/01/2019) are not
    guessed: the wave is undated, with a warning (if ``warn``: a programme letter's waves keep the
    report's years, so its dates are never shown) saying to give its date in ``surveys/waves.csv``.
    """
    columns = {normalise(c): c for c in table.columns}
    for name in DATE_COLUMNS:
        column = columns.get(name)
        if column is None:
            continue
        text = table[column].dropna().astype(str)
        if ambiguous(text):
            if warn:
                warn_repair(
                    path,
                    f"left the wave undated: its {column!r} dates (such as {text.iloc[0]!r}) could be day/month "
                    f"or month/day; give the wave's date in surveys/{WAVES_FILE} (survey,authority,wave,date)",
                )
            return None, column
        dates = parse_dates(text).dropna()
        if len(dates):
            return dates.sort_values().iloc[(len(dates) - 1) // 2].normalize(), column
    return None, None


def ambiguous(text: pd.Series) -> bool:
    """Dates with slashes where no value shows which of the first two numbers is the month."""
    parts = text.str.strip().str.extract(r"^(\d{1,2})/(\d{1,2})/\d{2,4}\b").dropna().astype(int)
    if parts.empty:
        return False
    return not ((parts[0] > 12).any() or (parts[1] > 12).any()) and (parts[0] != parts[1]).any()


def parse_dates(text: pd.Series) -> pd.Series:
    """The day of each date as tools write them: ISO (2024-03-05 09:10:00, any time zone), or with
    slashes, day first unless the values show the month first (13/.. cannot be a month; ../13 cannot
    be a day); a two-digit year is 20xx. Unreadable values are NaT. (See :func:`ambiguous`.)"""
    text = text.str.strip()
    iso = text.str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
    slashed = text.str.extract(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})\b")
    first, second = pd.to_numeric(slashed[0]), pd.to_numeric(slashed[1])
    month_first = bool((second > 12).any() and not (first > 12).any())
    year = pd.to_numeric(slashed[2])
    parts = pd.DataFrame(
        {
            "year": pd.to_numeric(iso[0]).fillna(year.where(year >= 100, year + 2000)),
            "month": pd.to_numeric(iso[1]).fillna(first if month_first else second),
            "day": pd.to_numeric(iso[2]).fillna(second if month_first else first),
        }
    )
    return pd.to_datetime(parts, errors="coerce")


def one_date(text) -> pd.Timestamp | None:
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return pd.Timestamp(datetime.date.fromisoformat(text))
        except ValueError:
            return None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        try:
            return pd.Timestamp(datetime.date(int(match[3]), int(match[2]), int(match[1])))
        except ValueError:
            return None
    return None


def wave_date(
    path: Path, exported: pd.Timestamp | None, declared: pd.Timestamp | None
) -> tuple[pd.Timestamp | None, str]:
    """A wave's date and where it came from ("export", "waves.csv" or ""): the export's own dates
    first; a waves.csv date far from them is said, not silently preferred."""
    if exported is not None:
        if declared is not None and abs((exported - declared).days) > DISAGREE_DAYS:
            warn_repair(
                path,
                f"dated {exported.date()} (the median response date in the export), not "
                f"{declared.date()} as surveys/{WAVES_FILE} says: check the file is the right wave",
            )
        return exported, "export"
    if declared is not None:
        return declared, WAVES_FILE
    return None, ""
