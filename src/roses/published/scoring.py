"""Scores computed from the blind ratings: Table 7.1, its group means, and Table 2.1.

Where several raters scored one factor for one authority, the factor's score is the median of
their scores (rounded half up to a whole score, so it stays on the 1-3 scale).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from roses.published.tables import FACTORS, JUDGMENTS


def factor_scores(ratings: pd.DataFrame) -> pd.DataFrame:
    """One score per factor and authority: the median over raters."""
    grouped = ratings.groupby(["factor", "authority", "group"], as_index=False)["score"].median()
    grouped["score"] = np.floor(grouped["score"] + 0.5).astype(int)
    return grouped


def summary_table(ratings: pd.DataFrame) -> pd.DataFrame:
    """Table 7.1: one row per authority, a column per factor (in the report's order), and the total."""
    scores = factor_scores(ratings)
    wide = scores.pivot(index=["authority", "group"], columns="factor", values="score")
    wide = wide[FACTORS].reset_index()
    wide.columns.name = None
    wide["total"] = wide[FACTORS].sum(axis=1)
    wide["group_mean_total"] = wide.groupby("group")["total"].transform("mean").round(2)
    return wide.sort_values(["group", "authority"], ignore_index=True)


def group_means(table: pd.DataFrame) -> pd.DataFrame:
    """Mean of each factor and of the total, per progress group."""
    means = table.groupby("group")[FACTORS + ["total"]].mean().round(2).reset_index()
    means.insert(1, "authorities", table.groupby("group")["authority"].count().values)
    return means


def latest_judgments(ofsted: pd.DataFrame) -> pd.DataFrame:
    """Each authority's most recent inspection (Table 2.1 shows its leadership judgment)."""
    latest = ofsted.sort_values("year").groupby("authority", as_index=False).last()
    return latest.sort_values(["group", "authority"], ignore_index=True)


def judgment_rank(judgment: pd.Series) -> pd.Series:
    """Inadequate = 1 ... Outstanding = 4."""
    return judgment.map({name: i + 1 for i, name in enumerate(JUDGMENTS)})
