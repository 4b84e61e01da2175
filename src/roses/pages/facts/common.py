"""Helpers the chapters' fact modules share (no facts of their own)."""

from __future__ import annotations

import pandas as pd

from roses.core.origin import Origin
from roses.exhibits.published_tables import one_decimal
from roses.exhibits.registry import Params, get
from roses.pages.facts import Fact, analysis, published
from roses.published import scoring, tables

WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def count(n: int) -> str:
    """Small counts as words (as in running prose), larger ones as digits."""
    return WORDS.get(int(n), f"{int(n):,}")


def groups(data_dir) -> dict[str, Fact]:
    """How many authorities and groups (Table 1.1)."""
    by_group = tables.groups(data_dir)
    facts = {f"n_group{g}": published(count((by_group == g).sum())) for g in tables.GROUPS}
    facts["n_authorities"] = published(count(len(by_group)))
    facts["n_groups"] = published(count(len(tables.GROUPS)))
    facts["top_score"] = published(str(tables.TOP_SCORE))
    return facts


def factor_means(data_dir, factor: str) -> dict[str, Fact]:
    """Group means of one blind-rated factor (this book's analysis) and how many scored 1, 2 or 3."""
    ratings = tables.blind_ratings(data_dir)
    scores = scoring.factor_scores(ratings[ratings["factor"] == factor])
    means = scores.groupby("group")["score"].mean()
    facts = {f"{factor}_g{g}": analysis(one_decimal(means[g])) for g in means.index}
    for level in (1, 2, 3):
        facts[f"{factor}_n{level}"] = published(count((scores["score"] == level).sum()))
    return facts


def exhibit_frame(id: str, data_dir) -> tuple[pd.DataFrame, Origin]:
    """An exhibit's frame and where its numbers come from (illustrative unless local files are given)."""
    ex, params = get(id), Params(data_dir=data_dir)
    return ex.frame(params), ex.origin_for(params)
