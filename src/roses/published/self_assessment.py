"""An authority's self-assessment on the eight blind-rated factors, placed in Table 7.1's terms.

The local file is ``DATA/self_assessment.csv`` (never committed), one row per factor of
``data/published/rating_criteria.csv``:

    factor,score
    workshop_attendance,2
    focus_on_practice,3
    ...

``score`` runs from 1 to 3 as in the report's blind ratings (3 = the best; the criteria and what
each score means are in ``rating_criteria.csv``). An optional ``synthetic`` column (``yes``/``no``,
the same on every row) marks example files such as ``roses synth`` writes: their scores are shown
as illustrative, never as the authority's own. The file is validated like every input (pandera,
``roses.readers.csvfile.read_csv``): a wrong factor, a score outside 1-3, a factor given twice or
missing is an error naming file, row and column.

:func:`placement` sets each score beside the programme's ten authorities (their range, and how many
scored at or below it; the letters are not shown) and the three progress groups' means: this
book's analysis of the published ratings, not a finding of the report.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from roses.core.errors import DataError, Problem
from roses.core.origin import Origin
from roses.published import scoring, tables
from roses.readers.csvfile import read_csv

FILE = "self_assessment.csv"
YES, NO = ("yes", "true", "1", "y"), ("no", "false", "0", "n", "")

SCHEMA = pa.DataFrameSchema(
    {
        "factor": pa.Column(str, pa.Check.isin(tables.FACTORS), unique=True),
        "score": pa.Column(int, pa.Check.in_range(1, tables.TOP_SCORE)),
        "synthetic": pa.Column(str, pa.Check.isin(YES + NO), required=False, nullable=True),
    },
    strict=True,
)


def path(data_dir: str | Path | None) -> Path | None:
    """The self-assessment file of a local data folder, if it has one."""
    if data_dir is None:
        return None
    found = Path(data_dir) / FILE
    return found if found.is_file() else None


def read(file: str | Path) -> tuple[pd.DataFrame, bool]:
    """The validated scores (``factor, score``, in the report's order) and whether the file is synthetic."""
    file = Path(file)
    frame = read_csv(file, SCHEMA)
    missing = [f for f in tables.FACTORS if f not in set(frame["factor"])]
    if missing:
        raise DataError(
            file,
            [
                Problem(
                    None,
                    "factor",
                    "no row",
                    f"a score for factor '{f}' (one row for each of the eight factors of rating_criteria.csv)",
                )
                for f in missing
            ],
        )
    synthetic = False
    if "synthetic" in frame:
        marks = frame["synthetic"].fillna("").str.strip().str.lower()
        synthetic = bool(marks.isin(YES).any())
        if synthetic and not marks.isin(YES).all():
            raise DataError(
                file,
                [
                    Problem(int(i) + 2, "synthetic", m or "(empty)", "the same mark on every row")
                    for i, m in marks[~marks.isin(YES)].items()
                ],
            )
    order = {f: i for i, f in enumerate(tables.FACTORS)}
    frame = frame.sort_values("factor", key=lambda s: s.map(order))[["factor", "score"]].reset_index(drop=True)
    return frame, synthetic


PLACEMENT_COLUMNS = [
    "factor",
    "title",
    "score",
    "group_1_mean",
    "group_2_mean",
    "group_3_mean",
    "programme_low",
    "programme_high",
    "programme_at_or_below",
    "closest_group",
]


def placement(data_dir: str | Path | None = None, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each factor and the total: the self-assessed score beside the programme's authorities and groups.

    Columns :data:`PLACEMENT_COLUMNS`. ``programme_at_or_below``: how many of the programme's ten
    authorities scored at or below the self-assessed score; ``closest_group``: the group whose mean is
    nearest (ties: the lower-numbered group is named with the other, "1 or 2"). Without ``scores`` the
    programme's figures alone (``score`` empty).
    """
    table = scoring.summary_table(tables.blind_ratings(tables_dir(data_dir)))
    means = scoring.group_means(table).set_index("group")
    titles = tables.rating_criteria(tables_dir(data_dir)).set_index("factor")["title"]
    own = scores.set_index("factor")["score"] if scores is not None else pd.Series(dtype=float)
    rows = []
    for factor in tables.FACTORS + ["total"]:
        score = own.sum() if factor == "total" and len(own) else own.get(factor, float("nan"))
        column = table[factor]
        row = dict(
            factor=factor, title="Total of the eight factors" if factor == "total" else titles[factor], score=score
        )
        for group in tables.GROUPS:
            row[f"group_{group}_mean"] = float(means.loc[group, factor])
        row["programme_low"], row["programme_high"] = int(column.min()), int(column.max())
        if pd.notna(score):
            row["programme_at_or_below"] = int((column <= score).sum())
            gaps = {g: abs(row[f"group_{g}_mean"] - score) for g in tables.GROUPS}
            best = min(gaps.values())
            row["closest_group"] = " or ".join(str(g) for g in tables.GROUPS if abs(gaps[g] - best) < 1e-9)
        else:
            row["programme_at_or_below"], row["closest_group"] = pd.NA, ""
        rows.append(row)
    frame = pd.DataFrame(rows, columns=PLACEMENT_COLUMNS)
    frame["score"] = frame["score"].astype("Int64")
    frame["programme_at_or_below"] = frame["programme_at_or_below"].astype("Int64")
    return frame


def tables_dir(data_dir: str | Path | None) -> Path | None:
    """The folder holding ``published/``: a local folder without one reads the repository's tables."""
    if data_dir is not None and (Path(data_dir) / "published").is_dir():
        return Path(data_dir)
    return None


def for_folder(data_dir: str | Path | None) -> tuple[pd.DataFrame, Origin]:
    """The placement for a data folder's self-assessment, with its origin (analysis, or illustrative if
    the file is marked synthetic); the programme's figures alone (analysis) when there is no file."""
    file = path(data_dir)
    if file is None:
        return placement(data_dir), Origin.ANALYSIS
    scores, synthetic = read(file)
    return placement(data_dir, scores), Origin.ILLUSTRATIVE if synthetic else Origin.ANALYSIS
