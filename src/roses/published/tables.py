"""Facts transcribed from the report (``data/published/``), loaded and validated.

Each loader reads one CSV named in ``data/published/README.md`` and returns a tidy frame.
Nothing here is computed from other tables: Table 7.1 and Table 2.1 are derived in ``scoring``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from roses.core.errors import DataError, Problem
from roses.core.paths import data_file
from roses.readers.csvfile import read_csv

AUTHORITIES = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K"]  # the report omits I
GROUPS = [1, 2, 3]
GROUP_LABELS = {
    1: "Group 1: gained an 'outstanding' judgment",
    2: "Group 2: made some progress",
    3: "Group 3: no progress or deteriorated",
}
TOP_SCORE = 3  # blind ratings run from 1 (poor) to 3 (high)
JUDGMENTS = ["Inadequate", "Requires Improvement", "Good", "Outstanding"]  # worst to best
FACTORS = [
    "workshop_attendance",
    "focus_on_practice",
    "leadership_stability",
    "case_alignment",
    "collaborative_audit",
    "family_finding",
    "group_supervision",
    "practice_leaders",
]

_authority = pa.Column(str, pa.Check.isin(AUTHORITIES))
_group = pa.Column(int, pa.Check.isin(GROUPS))
_judgment = pa.Column(str, pa.Check.isin(JUDGMENTS))

OFSTED_SCHEMA = pa.DataFrameSchema(
    {
        "authority": _authority,
        "group": _group,
        "year": pa.Column(int, pa.Check.in_range(2010, 2025)),
        "overall": _judgment,
        "help_and_protection": _judgment,
        "leadership": _judgment,
    },
    strict=True,
)

RATINGS_SCHEMA = pa.DataFrameSchema(
    {
        "table": pa.Column(str),
        "factor": pa.Column(str, pa.Check.isin(FACTORS)),
        "authority": _authority,
        "group": _group,
        "score": pa.Column(int, pa.Check.in_range(1, TOP_SCORE)),
        # Optional: several raters per factor (issue 7); the published table has one consensus score.
        "rater": pa.Column(str, required=False),
    },
    strict=True,
)

CRITERIA_SCHEMA = pa.DataFrameSchema(
    {
        "factor": pa.Column(str, pa.Check.isin(FACTORS), unique=True),
        "table": pa.Column(str),
        "chapter": pa.Column(str),
        "title": pa.Column(str),
        "subject": pa.Column(str),
        "criteria": pa.Column(str),
        "score_3": pa.Column(str),
        "score_2": pa.Column(str),
        "score_1": pa.Column(str),
    },
    strict=True,
)

METHODS_SCHEMA = pa.DataFrameSchema(
    {"row": pa.Column(int), "task": pa.Column(str), "why": pa.Column(str), "method": pa.Column(str)},
    strict=True,
)
CORE_DATA_SCHEMA = pa.DataFrameSchema({"item": pa.Column(str), "parent": pa.Column(str, nullable=True)}, strict=True)
TRAINING_SCHEMA = pa.DataFrameSchema(
    {
        "strand": pa.Column(str),
        "element": pa.Column(str),
        "quantity": pa.Column(float, nullable=True),
        "unit": pa.Column(str, nullable=True),
    },
    strict=True,
)
CONTEXT_SCHEMA = pa.DataFrameSchema(
    {
        "measure": pa.Column(str),
        "period": pa.Column(str),
        "change_pct": pa.Column(float, nullable=True),
        "value_start": pa.Column(float, nullable=True),
        "value_end": pa.Column(float, nullable=True),
        "unit": pa.Column(str),
        "source": pa.Column(str),
    },
    strict=True,
)


def _path(name: str, data_dir: str | Path | None) -> Path:
    return data_file(data_dir, "published", name)  # the folder's own file, else the repository's


def ofsted(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Table 1.1: two Ofsted inspections per authority, with its progress group."""
    path = _path("table_1_1_ofsted.csv", data_dir)
    frame = read_csv(path, OFSTED_SCHEMA)
    _check_one_group_each(frame, path)
    return frame.sort_values(["group", "authority", "year"], ignore_index=True)


def groups(data_dir: str | Path | None = None) -> pd.Series:
    """Each authority's progress group, from Table 1.1."""
    return ofsted(data_dir).drop_duplicates("authority").set_index("authority")["group"]


def blind_ratings(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Tables 2.2-2.4, 3.1, 4.1, 5.1-5.3: one row per factor, authority (and rater, if given)."""
    path = _path("blind_ratings.csv", data_dir)
    frame = read_csv(path, RATINGS_SCHEMA)
    if "rater" not in frame:
        frame["rater"] = "consensus"
    _check_groups_agree(frame, groups(data_dir), path)
    _check_complete(frame, path)
    return frame


def rating_criteria(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The criteria and score descriptions of each blind-rated factor."""
    return read_csv(_path("rating_criteria.csv", data_dir), CRITERIA_SCHEMA)


def factor_labels(data_dir: str | Path | None = None) -> dict[str, str]:
    """Each rated factor's name as a reader sees it: its ``title`` in rating_criteria.csv, the one
    place the eight names are kept (tables, legends, menus and column headers all read it here)."""
    criteria = rating_criteria(data_dir)
    return dict(zip(criteria["factor"], criteria["title"]))


def methods(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Table 4.2: what each task is, why it is done, and the Signs of Safety method for it."""
    return read_csv(_path("table_4_2_methods.csv", data_dir), METHODS_SCHEMA)


def core_data_set(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Section 4.6: the core data set agreed with the authorities."""
    return read_csv(_path("core_data_set.csv", data_dir), CORE_DATA_SCHEMA)


def training_offer(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Section 5.2: the EIP2 training offer."""
    return read_csv(_path("eip2_training_offer.csv", data_dir), TRAINING_SCHEMA)


def national_context(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Section 1.3.2: the national figures the report cites for its socio-economic context."""
    return read_csv(_path("national_context.csv", data_dir), CONTEXT_SCHEMA)


def _check_one_group_each(frame: pd.DataFrame, path: Path) -> None:
    first = frame.drop_duplicates("authority").set_index("authority")["group"]
    problems = [
        Problem(int(i) + 2, "group", row.group, f"group {first[row.authority]} as on the first row for {row.authority}")
        for i, row in frame.iterrows()
        if row.group != first[row.authority]
    ]
    if problems:
        raise DataError(path, problems)


def _check_groups_agree(frame: pd.DataFrame, by_authority: pd.Series, path: Path) -> None:
    problems = [
        Problem(int(i) + 2, "group", row.group, f"group {by_authority[row.authority]} (Table 1.1)")
        for i, row in frame.iterrows()
        if row.group != by_authority[row.authority]
    ]
    if problems:
        raise DataError(path, problems)


def _check_complete(frame: pd.DataFrame, path: Path) -> None:
    have = set(zip(frame["factor"], frame["authority"]))
    missing = [(f, a) for f in FACTORS for a in AUTHORITIES if (f, a) not in have]
    if missing:
        raise DataError(
            path, [Problem(None, "score", "no row", f"a score for factor '{f}', authority {a}") for f, a in missing]
        )
