"""Statistical disclosure control for survey results; the rules are written out in docs/disclosure.md.

- nothing is published from fewer than :data:`MIN_RESPONDENTS` (10) respondents: the values become
  missing and the row carries the symbol ``c``;
- a count of 1 to :data:`MIN_COUNT` - 1 (1-4) is suppressed (``c``), and where a total is published
  more cells are suppressed (secondary suppression) until the hidden cells of the total keep at
  least :data:`MIN_COUNT` possible values each; where that cannot be, the total is withheld instead,
  as is a total of 1-4 itself;
- every count, sum and total behind a published value is cell-key perturbed (``roses.survey.cellkey``),
  so comparing two releases one respondent apart gives back noise, not the respondent; and a row
  whose values read together still give back a count of 1-4, even knowing the perturbation table,
  is suppressed (:func:`suppress_revealing_rows`);
- results from a wave with a low response rate are shown with ``u`` (low reliability) and kept out
  of group results.

Symbols follow the DfE's conventions for official statistics (:data:`SYMBOLS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from roses.survey import cellkey

MIN_RESPONDENTS = 10
MIN_COUNT = 5
MAX_SCALE_ITEMS = 8  # the most items an SAQ dimension has (data/instruments/staff_survey.yml)
SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE, LOW, LOW_RELIABILITY = "c", "x", "z", "low", "u"
SYMBOLS = {
    SUPPRESSED: "suppressed to protect confidentiality (fewer than 10 respondents, a count of 1-4, or to protect one)",
    NOT_AVAILABLE: "not available",
    NOT_APPLICABLE: "not applicable",
    LOW: "a positive figure that rounds to zero",
    LOW_RELIABILITY: "low reliability (response rate below 20%): shown, but left out of group results",
}


def apply_status(frame: pd.DataFrame, values: list[str], status: str = "status") -> pd.DataFrame:
    """Blank the ``values`` of rows whose ``status`` is ``c`` (suppressed); other rows keep theirs."""
    frame = frame.copy()
    frame.loc[frame[status] == SUPPRESSED, values] = np.nan
    return frame


def suppress_small_bases(
    frame: pd.DataFrame,
    values: list[str],
    base: str = "respondents",
    minimum: int = MIN_RESPONDENTS,
    status: str = "status",
) -> pd.DataFrame:
    """Mark rows whose ``base`` is below ``minimum`` with ``c`` and blank their ``values``."""
    frame = frame.copy()
    if status not in frame:
        frame[status] = ""
    frame.loc[frame[base] < minimum, status] = SUPPRESSED
    return apply_status(frame, values, status)


def suppress_counts(
    frame: pd.DataFrame, count: str = "count", margins: list[list[str]] | None = None, minimum: int = MIN_COUNT
) -> pd.DataFrame:
    """Suppress counts of 1 to ``minimum`` - 1, with secondary suppression along published totals.

    Parameters
    ----------
    frame : long frame with a ``count`` column.
    margins : each entry lists the columns of one published total (for example ``[["group", "wave"]]``
        when the number of comments per group and wave is published). Within each such total, a lone
        suppressed cell would be recoverable by subtraction, so the smallest other non-zero cell is
        suppressed too; this repeats until no total has exactly one suppressed cell and the hidden
        cells of each total add up to at least their number plus ``minimum`` - 1 (so each keeps
        ``minimum`` possible values: the protection interval of docs/disclosure.md). When no other
        cell can be suppressed, the total would narrow the hidden ones: it is withheld instead (as
        the DfE does), and so is any total of 1 to ``minimum`` - 1. The published frame should show
        only ``c``, never the "primary"/"secondary" label (that label bounds the cell).

    Returns
    -------
    The frame with ``count`` as text (the number, or ``c``), a ``suppression`` column saying
    "primary", "secondary" or "", and ``total_status``: ``c`` on every row whose published totals
    must be withheld (shown as ``c``, not as a number), else "".
    """
    frame = frame.copy()
    counts = frame[count].astype(int)
    primary = (counts >= 1) & (counts < minimum)
    secondary = pd.Series(False, index=frame.index)
    withheld = pd.Series(False, index=frame.index)
    for _ in range(len(frame) + 1):
        changed = False
        for margin in margins or []:
            hidden = primary | secondary
            for _, rows in frame.groupby(margin, observed=True, dropna=False):
                index = rows.index
                if 1 <= counts[index].sum() < minimum:
                    withheld[index] = True  # a small total is a small count in its own right
                # The hidden cells of a margin add up to its total minus the cells shown; each is at
                # least 1 (zeros are shown), so each lies in 1..(sum - others). They need at least
                # ``minimum`` possible values each: the sum must exceed their number by minimum - 1.
                n_hidden = int(hidden[index].sum())
                enough = counts[index][hidden[index]].sum() - n_hidden >= minimum - 1
                if n_hidden == 0 or (n_hidden > 1 and enough) or withheld[index].all():
                    continue
                candidates = counts[index][~hidden[index] & (counts[index] > 0)]
                if len(candidates):
                    secondary[candidates.idxmin()] = True
                    changed = True
                else:  # every other cell is zero: the total would give the hidden count back
                    withheld[index] = True
        if not changed:
            break
    frame["suppression"] = np.select([primary, secondary], ["primary", "secondary"], "")
    frame[count] = counts.astype(str).where(frame["suppression"] == "", SUPPRESSED)
    frame["total_status"] = np.where(withheld, SUPPRESSED, "")
    return frame


def legend(symbols: list[str] | None = None) -> str:
    """A sentence explaining the symbols that appear, for captions and notes."""
    used = symbols or list(SYMBOLS)
    return "; ".join(f"{s} = {SYMBOLS[s]}" for s in used if s in SYMBOLS)


# --- Counts behind published shares and means ------------------------------------------------------
#
# A percentage published beside its base gives its count back (0.5% of 189 is one person), and a
# Likert row's % agree, % disagree, mean and base together fix the neutral count and bound every
# answer category. These functions compute, for each row, the integer range an attacker can derive
# for each count; a row is protected when no such range lies inside 1 to MIN_COUNT - 1. Published
# survey values come from cell-key perturbed counts and sums (roses.survey.cellkey): an attacker who
# knows the perturbation table widens every range by its spread (``perturbed=True``, the default).
# Every function is vectorised over rows: its cost grows with the number of rows, not with their bases.


def count_range(pct, base, decimals: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The integer counts consistent with a percentage rounded to ``decimals`` places of ``base``."""
    pct, base = np.asarray(pct, dtype=float), np.asarray(base, dtype=float)
    half = 0.5 * 10.0**-decimals
    lo = np.ceil((pct - half) * base / 100 - 1e-9)
    hi = np.floor((pct + half) * base / 100 + 1e-9)
    return np.clip(lo, 0, base), np.clip(hi, 0, base)


def sum_range(mean, base, decimals: int = 2, perturbed: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The integer sums of answers consistent with a mean rounded to ``decimals`` places."""
    mean, base = np.asarray(mean, dtype=float), np.asarray(base, dtype=float)
    half = 0.5 * 10.0**-decimals
    spread = cellkey.MAX_SUM_MOVE if perturbed else 0
    lo, hi = np.ceil((mean - half) * base - 1e-9) - spread, np.floor((mean + half) * base + 1e-9) + spread
    return np.maximum(lo, base), np.minimum(hi, 5 * base)


def share_range(pct, base, perturbed: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The true counts consistent with a published percentage of ``base`` (from a perturbed count)."""
    lo, hi = count_range(pct, base)
    spread = cellkey.MAX_COUNT_MOVE * np.asarray(perturbed, dtype=float)  # one flag, or one per row
    base = np.asarray(base, dtype=float)
    return np.clip(lo - spread, 0, base), np.clip(hi + spread, 0, base)


def likert_count_ranges(base, pct_agree, pct_disagree, mean, perturbed: bool = True):
    """What a row of a 1-5 statement gives away: the integer range of each answer's count.

    An exact enumeration of what an attacker can conclude: every true agree count A and disagree
    count D the percentages allow; the sums S the mean allows then give c2 + c5 = t with
    t = S - 3n - A + 2D in an interval, c2 in 0..D and c5 in 0..A, which bounds each answer without
    enumerating S. The loops run over the widths of the A and D ranges only (a few values each), with
    every row at once, so the cost is linear in the number of rows.
    """
    n = np.asarray(base, dtype=float)
    a_lo, a_hi = share_range(pct_agree, n, perturbed)
    d_lo, d_hi = share_range(pct_disagree, n, perturbed)
    s_lo, s_hi = sum_range(mean, n, perturbed=perturbed)
    names = ["agree", "disagree", "neutral", "answer 1", "answer 2", "answer 4", "answer 5"]
    lo = {k: np.full(len(n), np.inf) for k in names}
    hi = {k: np.full(len(n), -np.inf) for k in names}
    span = lambda a, b: int(np.nanmax(b - a, initial=0)) if len(n) else 0  # noqa: E731
    with np.errstate(invalid="ignore"):
        for da in range(span(a_lo, a_hi) + 1):
            a = a_lo + da
            for dd in range(span(d_lo, d_hi) + 1):
                d = d_lo + dd
                neutral = n - a - d
                # c2 + c5 = t, with c2 in 0..d and c5 in 0..a: t lies in 0..a + d as well.
                t_lo = np.maximum(s_lo - 3 * n - a + 2 * d, 0)
                t_hi = np.minimum(s_hi - 3 * n - a + 2 * d, a + d)
                ok = (a <= a_hi) & (d <= d_hi) & (neutral >= 0) & (t_lo <= t_hi)
                c2 = (np.maximum(0, t_lo - a), np.minimum(d, t_hi))
                c5 = (np.maximum(0, t_lo - d), np.minimum(a, t_hi))
                values = {
                    "agree": (a, a),
                    "disagree": (d, d),
                    "neutral": (neutral, neutral),
                    "answer 2": c2,
                    "answer 5": c5,
                    "answer 1": (d - c2[1], d - c2[0]),
                    "answer 4": (a - c5[1], a - c5[0]),
                }
                for k, (low, high) in values.items():
                    lo[k] = np.where(ok, np.minimum(lo[k], low), lo[k])
                    hi[k] = np.where(ok, np.maximum(hi[k], high), hi[k])
    ranges = {k: (np.where(np.isinf(lo[k]), np.nan, lo[k]), np.where(np.isinf(hi[k]), np.nan, hi[k])) for k in names}
    return _with_complements(ranges, n)


def share_count_ranges(
    base, pct, name: str = "share", perturbed: bool = True
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The count behind a percentage of ``base`` and the count of the rest."""
    n = np.asarray(base, dtype=float)
    return _with_complements({name: share_range(pct, n, perturbed)}, n)


def mean_count_ranges(
    base, mean, low: int = 1, high: int = 5, perturbed: bool = True
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """From a mean on a ``low``-``high`` scale: how many answered above the lowest or below the highest.

    A sum that exceeds ``n * low`` by E needs at least E / (high - low) and at most E answers above
    the lowest (10 answers with mean 1.1: exactly one answer is not the lowest).
    """
    n = np.asarray(base, dtype=float)
    s_lo, s_hi = sum_range(mean, n, perturbed=perturbed)
    return _end_counts(n, s_lo - low * n, s_hi - low * n, high * n - s_hi, high * n - s_lo, high - low, 1)


def scale_score_ranges(base, score, perturbed: bool = True, items: int = 4) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """From an SAQ scale score (0-100, one decimal): how many respondents scored above 0 or below 100.

    A person's score is 25 times their mean answer above 1 over the ``items`` they answered, so a
    person below the top is short of 100 by at least 25 / ``items`` and at most 100: a total short of
    100n by E needs at least E / 100 and at most E / (25 / items) people below the top.
    """
    n = np.asarray(base, dtype=float)
    spread = cellkey.MAX_SUM_MOVE * cellkey.SCORE_STEP if perturbed else 0
    score = np.asarray(score, dtype=float)
    t_lo = np.maximum((score - 0.05) * n - spread, 0)
    t_hi = np.minimum((score + 0.05) * n + spread, 100 * n)
    least = cellkey.SCORE_STEP / items / 100
    return _end_counts(n, t_lo / 100, t_hi / 100, n - t_hi / 100, n - t_lo / 100, 1, least)


def _end_counts(n, above_lo, above_hi, below_lo, below_hi, most: float, least: float) -> dict:
    """People not at the bottom (not at the top) of a scale, from how far the total is above (below) it.

    ``most``: the most one person can add (in the units of the distances), ``least``: the smallest
    non-zero amount one person adds.
    """
    return {
        "not the lowest answer": (
            np.ceil(np.maximum(above_lo, 0) / most - 1e-9),
            np.minimum(np.floor(above_hi / least + 1e-9), n),
        ),
        "not the highest answer": (
            np.ceil(np.maximum(below_lo, 0) / most - 1e-9),
            np.minimum(np.floor(below_hi / least + 1e-9), n),
        ),
    }


def _with_complements(ranges: dict, n: np.ndarray) -> dict:
    out = dict(ranges)
    for name, (lo, hi) in ranges.items():
        out[f"not {name}"] = (n - hi, n - lo)
    return out


def small(lo, hi, minimum: int = MIN_COUNT) -> np.ndarray:
    """True where the derivable range [lo, hi] lies inside 1 to ``minimum`` - 1: a small count revealed."""
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    with np.errstate(invalid="ignore"):
        return (lo >= 1) & (hi <= minimum - 1) & (lo <= hi)


def derivable_counts(
    frame: pd.DataFrame, base: str = "respondents", perturbed: bool = True
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every count a reader can derive from one row's published values (columns as the survey frames).

    Every published statistic is read: % agree, % disagree and the mean of a statement together;
    percent positive; a mean on a 1-5 scale; an SAQ scale score (people pinned below the top or
    above the bottom).
    """
    n = frame[base].to_numpy(dtype=float)
    if {"pct_agree", "pct_disagree", "mean"} <= set(frame):
        return likert_count_ranges(n, frame["pct_agree"], frame["pct_disagree"], frame["mean"], perturbed)
    ranges = {}
    if "percent_positive" in frame:
        ranges |= share_count_ranges(n, frame["percent_positive"], "positive", perturbed)
    if "mean" in frame:
        ranges |= mean_count_ranges(n, frame["mean"], perturbed=perturbed)
    if "scale_score" in frame:  # the dimension's number of items is not in the frame: try each (SAQ: 2-8)
        for k in range(1, MAX_SCALE_ITEMS + 1):
            pinned = scale_score_ranges(n, frame["scale_score"], perturbed, items=k).items()
            ranges |= {f"{name} (scale score, {k} items)": v for name, v in pinned}
    return ranges


def reveals_small_count(frame: pd.DataFrame, base: str = "respondents", perturbed: bool = True) -> pd.Series:
    """Rows whose published values give back a count of 1 to ``MIN_COUNT`` - 1 (missing values give none)."""
    hit = np.zeros(len(frame), dtype=bool)
    for lo, hi in derivable_counts(frame, base, perturbed).values():
        hit |= small(lo, hi)
    return pd.Series(hit, index=frame.index)


def suppress_revealing_rows(
    frame: pd.DataFrame, values: list[str], base: str = "respondents", status: str = "status"
) -> pd.DataFrame:
    """Mark ``c`` (and blank) every row whose published values would give back a small count."""
    frame = frame.copy()
    frame.loc[reveals_small_count(frame, base), status] = SUPPRESSED
    return apply_status(frame, values, status)


# --- What a page says about it -------------------------------------------------------------------------

PERTURBED_COLUMNS = (
    "pct_agree",
    "pct_disagree",
    "mean",
    "scale_score",
    "percent_positive",
    "pct_of_comments",
    "nothing",
)
PROTECTION_NOTE = (
    "Protected figures: to keep every respondent's answers safe across releases, each count behind these "
    f"survey figures is moved by up to {cellkey.MAX_COUNT_MOVE} and each sum of answers by up to "
    f"{cellkey.MAX_SUM_MOVE} points (the same data always moves the same way), so a percentage of n "
    f"respondents may differ from the survey tool's by up to {100 * cellkey.MAX_COUNT_MOVE}/n points and a mean "
    f"by up to {cellkey.MAX_SUM_MOVE}/n (an SAQ scale score by {cellkey.MAX_SUM_MOVE * cellkey.SCORE_STEP}/n). "
    "Data and methods explains the method."
)


def protection_note(frame: pd.DataFrame) -> str:
    """The statement a page shows beside survey figures that come from perturbed counts ("" if none)."""
    return PROTECTION_NOTE if any(c in frame.columns for c in PERTURBED_COLUMNS) else ""
