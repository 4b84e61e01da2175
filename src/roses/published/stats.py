"""Rank association between the blind-rated scores and the authorities' progress, with exact p-values.

With ten authorities no large-sample approximation can be trusted, so every p-value here is exact:
it is the share of all possible re-orderings of one variable that give a statistic at least as far
from zero as the observed one. Listing all 10! = 3,628,800 orderings is not needed: the variable we
re-order (a progress group, an Ofsted judgment) has only a few distinct values, and every distinct
arrangement of a multiset stands for the same number of orderings (the product of the factorials
of its tie counts). Enumerating the distinct arrangements (4,200 for three groups of 3, 4 and 3)
therefore gives exactly the same distribution as the full enumeration, in milliseconds.

Direction: ``progress`` is the progress group turned round (Group 1 = 3, Group 3 = 1) and ``ofsted``
ranks the latest overall judgment from Inadequate = 1 to Outstanding = 4, so a positive statistic
always means "higher scores go with more progress", as the organisational theory of change predicts.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd

from roses.published import scoring
from roses.published import tables as published

STATISTICS = ("spearman", "kendall")
AGAINST = {
    "progress": "progress group (Group 1 highest)",
    "ofsted": "latest Ofsted overall judgment",
}
ALPHA = 0.05  # significance level used in the prose and the conclusions


@dataclass(frozen=True)
class Association:
    """One rank correlation with its exact permutation p-values."""

    statistic: str
    value: float
    p_value: float  # two-sided: |permuted| >= |observed|
    p_one_sided: float  # in the predicted (positive) direction: permuted >= observed
    arrangements: int  # distinct arrangements enumerated


def arrangements(values: np.ndarray) -> np.ndarray:
    """Every distinct ordering of ``values`` (a multiset), one per row (cached: a read-only array).

    Each level in turn is given every possible set of the still free positions, so a multiset with
    tie counts k1, k2, ... yields n! / (k1! k2! ...) rows: each stands for k1! k2! ... of the n!
    orderings, the same number for every row, so the rows are an exact, equally weighted census.
    """
    return _arrangements(tuple(sorted(np.asarray(values).tolist())))


@functools.lru_cache(maxsize=64)
def _arrangements(values: tuple) -> np.ndarray:
    levels, counts = np.unique(values, return_counts=True)
    n = len(values)
    rows = np.zeros((1, n), dtype=levels.dtype)
    free = np.arange(n)[None, :]  # per row: the positions not yet filled, in order
    for level, k in zip(levels, counts):
        m = free.shape[1]
        chosen = np.zeros((math.comb(m, int(k)), m), dtype=bool)  # every way to pick k of the m
        for c, combo in enumerate(itertools.combinations(range(m), int(k))):
            chosen[c, list(combo)] = True
        rows = np.repeat(rows, len(chosen), axis=0)
        free = np.repeat(free, len(chosen), axis=0)
        picks = np.tile(chosen, (len(rows) // len(chosen), 1))
        rows[np.arange(len(rows))[:, None].repeat(k, 1), free[picks].reshape(len(rows), int(k))] = level
        free = free[~picks].reshape(len(rows), m - int(k))
    rows.flags.writeable = False
    return rows


def n_arrangements(values: np.ndarray) -> int:
    """How many distinct orderings a multiset has: n! / (k1! k2! ...)."""
    _, counts = np.unique(values, return_counts=True)
    return math.factorial(len(values)) // math.prod(math.factorial(int(k)) for k in counts)


def _midranks(values: np.ndarray, of: np.ndarray) -> np.ndarray:
    """The mid-rank (tied values share the mean of their ranks) that each value of ``values`` has
    among ``of``, as scipy.stats.rankdata gives (without importing scipy.stats: 0.4 s a kernel)."""
    uniques, counts = np.unique(of, return_counts=True)
    ends = np.cumsum(counts)
    return (ends - (counts - 1) / 2)[np.searchsorted(uniques, values)]


def _spearman_many(x: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Spearman's rho (Pearson on mid-ranks) of ``x`` with each row of ``ys``; every row of ``ys``
    holds the same values in some order (``y`` and its arrangements), so a value's rank is the same
    in every row."""
    rx = _midranks(x, x)
    rys = _midranks(ys, ys[0])
    rx = rx - rx.mean()
    rys = rys - rys.mean(axis=1, keepdims=True)
    denominator = np.sqrt((rx**2).sum() * (rys**2).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (rys @ rx) / denominator


def _kendall_many(x: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Kendall's tau-b of ``x`` with each row of ``ys`` (pairs tied in either variable score 0)."""
    i, j = np.triu_indices(len(x), k=1)
    sx = np.sign(x[i] - x[j])
    sys_ = np.sign(ys[:, i] - ys[:, j])
    concordance = sys_ @ sx
    denominator = np.sqrt(np.abs(sx).sum() * np.abs(sys_).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return concordance / denominator


_STATISTIC = {"spearman": _spearman_many, "kendall": _kendall_many}


def rank_association(x, y, statistic: str = "spearman") -> Association:
    """Spearman's rho or Kendall's tau-b between ``x`` and ``y``, with exact permutation p-values.

    The variable with fewer distinct arrangements is the one re-ordered (the statistic is
    symmetric, so which one does not change the answer, only the work).

    Raises ``ValueError`` if either variable is constant (no correlation is defined).
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) != len(y) or len(x) < 3:
        raise ValueError("need two variables of the same length, at least 3")
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        raise ValueError("a constant variable has no rank correlation")
    if n_arrangements(x) < n_arrangements(y):
        x, y = y, x
    compute = _STATISTIC[statistic]
    observed = float(compute(x, y[None, :])[0])
    null = compute(x, arrangements(y))
    tolerance = 1e-9  # ties between the observed and a permuted value must count as "at least as far"
    return Association(
        statistic=statistic,
        value=observed,
        p_value=float(np.mean(np.abs(null) >= abs(observed) - tolerance)),
        p_one_sided=float(np.mean(null >= observed - tolerance)),
        arrangements=len(null),
    )


# --- The authorities' data --------------------------------------------------------------------


def authority_table(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Table 7.1 (one row per authority: factor scores and total) with ``progress`` and ``ofsted`` ranks."""
    table = scoring.summary_table(published.blind_ratings(data_dir))
    latest = scoring.latest_judgments(published.ofsted(data_dir)).set_index("authority")
    table["progress"] = max(published.GROUPS) + 1 - table["group"]
    table["ofsted"] = table["authority"].map(scoring.judgment_rank(latest["overall"]))
    return table


def _rows(table: pd.DataFrame, measure: str, scores: pd.Series, extra: dict) -> list[dict]:
    rows = []
    for against in AGAINST:
        for statistic in STATISTICS:
            try:
                result = rank_association(scores, table[against], statistic)
                value, p, p1 = result.value, result.p_value, result.p_one_sided
            except ValueError:  # a factor scored the same everywhere: nothing to correlate
                value = p = p1 = float("nan")
            rows.append(
                {
                    **extra,
                    "measure": measure,
                    "against": against,
                    "statistic": statistic,
                    "value": round(value, 3),
                    "p_value": round(p, 4),
                    "p_one_sided": round(p1, 4),
                    "n": len(table),
                }
            )
    return rows


def association_table(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Spearman and Kendall of the total and of each factor against progress group and Ofsted judgment."""
    table = authority_table(data_dir)
    rows = []
    for measure in ["total"] + published.FACTORS:
        rows += _rows(table, measure, table[measure], {})
    return pd.DataFrame(rows)


def leave_one_factor_out(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The total's association recomputed with each factor left out in turn (is one factor carrying it?)."""
    table = authority_table(data_dir)
    rows = []
    for dropped in published.FACTORS:
        kept = [f for f in published.FACTORS if f != dropped]
        rows += _rows(table, f"total without {dropped}", table[kept].sum(axis=1), {"left_out": dropped})
    return pd.DataFrame(rows)


def headline(
    frame: pd.DataFrame, measure: str = "total", against: str = "progress", statistic: str = "spearman"
) -> pd.Series:
    """One row of an association frame."""
    match = frame[(frame["measure"] == measure) & (frame["against"] == against) & (frame["statistic"] == statistic)]
    if len(match) != 1:
        raise KeyError(f"no single row for {measure} / {against} / {statistic}")
    return match.iloc[0]


# --- Inter-rater agreement --------------------------------------------------------------------

RATERS = ("rater 1", "rater 2", "rater 3")


def illustrative_raters(ratings: pd.DataFrame, seed: int = 7, disagree: float = 0.2) -> pd.DataFrame:
    """A synthetic multi-rater set built around the published consensus scores (always badged illustrative).

    The report publishes one agreed score per factor; it does not publish what each rater gave.
    To show the method, each of three made-up raters gives the published score, except that with
    probability ``disagree`` one scores a point higher or lower (kept within 1-3). The seed makes the
    set the same on every build.
    """
    rng = np.random.default_rng(seed)
    consensus = ratings.drop(columns="rater", errors="ignore")
    frames = []
    for rater in RATERS:
        shift = rng.choice([-1, 0, 1], size=len(consensus), p=[disagree / 2, 1 - disagree, disagree / 2])
        scores = (consensus["score"].to_numpy() + shift).clip(1, published.TOP_SCORE)
        frames.append(consensus.assign(score=scores, rater=rater))
    return pd.concat(frames, ignore_index=True)


def has_several_raters(ratings: pd.DataFrame) -> bool:
    """True if some factor of some authority was scored by more than one rater."""
    return bool(ratings.groupby(["factor", "authority"])["rater"].nunique().max() > 1)


def krippendorff_alpha(matrix: np.ndarray) -> float:
    """Krippendorff's alpha, ordinal, for a raters x units matrix of 1-3 scores (NaN = not rated).

    NaN when there is nothing to compare (every unit given the same score by everyone).
    """

    if np.unique(matrix[~np.isnan(matrix)]).size < 2:
        return float("nan")
    return float(
        krippendorff.alpha(
            reliability_data=matrix,
            level_of_measurement="ordinal",
            value_domain=list(range(1, published.TOP_SCORE + 1)),
        )
    )


def agreement_table(ratings: pd.DataFrame, reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per factor: raters, authorities, Krippendorff's alpha (ordinal) and how often raters differed.

    With ``reference`` (one agreed score per factor and authority, e.g. the published table), also
    count the authorities where the median over raters, the score Table 7.1 would use (see
    ``scoring.factor_scores``), gives back that agreed score.
    """
    rows = []
    medians = scoring.factor_scores(ratings).set_index(["factor", "authority"])["score"]
    if reference is not None:
        reference = reference.set_index(["factor", "authority"])["score"]
    for factor in published.FACTORS:
        mine = ratings[ratings["factor"] == factor]
        matrix = mine.pivot_table(index="rater", columns="authority", values="score", aggfunc="first")
        spread = matrix.max() - matrix.min()
        row = {
            "factor": factor,
            "raters": matrix.shape[0],
            "authorities": matrix.shape[1],
            "alpha": round(krippendorff_alpha(matrix.to_numpy(dtype=float)), 3),
            "authorities_with_disagreement": int((spread > 0).sum()),
        }
        if reference is not None:
            median = medians.loc[factor].reindex(matrix.columns)
            row["median_matches_published"] = int((median == reference.loc[factor].reindex(matrix.columns)).sum())
        rows.append(row)
    return pd.DataFrame(rows)
