"""Statistical disclosure control for survey results; the rules are written out in docs/disclosure.md.

- nothing is published from fewer than :data:`MIN_RESPONDENTS` (10) respondents: the values become
  missing and the row carries the symbol ``c``;
- a count of 1 to :data:`MIN_COUNT` - 1 (1-4) is suppressed (``c``), and where a total is published
  more cells are suppressed (secondary suppression) until the hidden cells of the total keep at
  least :data:`MIN_COUNT` possible values each; where that cannot be, the total is withheld instead,
  as is a total of 1-4 itself;
- counts behind published percentages are rounded to a multiple of :data:`ROUNDING` (5), and a row
  whose values read together still give back a count of 1-4 (a mean near the end of the scale) is
  suppressed (:func:`suppress_revealing_rows`);
- results from a wave with a low response rate are shown with ``u`` (low reliability) and kept out
  of group results.

Symbols follow the DfE's conventions for official statistics (:data:`SYMBOLS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_RESPONDENTS = 10
MIN_COUNT = 5
ROUNDING = 5  # counts behind published percentages are rounded to a multiple of this
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
# for each count; a row is protected when no such range lies inside 1 to MIN_COUNT - 1.


def count_range(pct, base, decimals: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The integer counts consistent with a percentage rounded to ``decimals`` places of ``base``."""
    pct, base = np.asarray(pct, dtype=float), np.asarray(base, dtype=float)
    half = 0.5 * 10.0**-decimals
    lo = np.ceil((pct - half) * base / 100 - 1e-9)
    hi = np.floor((pct + half) * base / 100 + 1e-9)
    return np.clip(lo, 0, base), np.clip(hi, 0, base)


def sum_range(mean, base, decimals: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """The integer sums of answers consistent with a mean rounded to ``decimals`` places."""
    mean, base = np.asarray(mean, dtype=float), np.asarray(base, dtype=float)
    half = 0.5 * 10.0**-decimals
    return np.ceil((mean - half) * base - 1e-9), np.floor((mean + half) * base + 1e-9)


def rounded_count(count, base=None, multiple: int = ROUNDING):
    """A count rounded to the nearest ``multiple`` (halves up; never above ``base``), NHS Digital style."""
    rounded = np.floor(np.asarray(count, dtype=float) / multiple + 0.5) * multiple
    return rounded if base is None else np.minimum(rounded, np.asarray(base, dtype=float))


def share_range(pct, base, rounded=True) -> tuple[np.ndarray, np.ndarray]:
    """The true counts consistent with a published percentage of ``base`` (from a count rounded to 5)."""
    lo, hi = count_range(pct, base)
    half = ROUNDING // 2 * np.asarray(rounded, dtype=float)  # one flag, or one per row
    base = np.asarray(base, dtype=float)
    return np.clip(lo - half, 0, base), np.clip(hi + half, 0, base)


def looks_rounded(pct, base) -> np.ndarray:
    """True where a percentage is consistent with a count rounded to a multiple of ``ROUNDING`` (or the base)."""
    lo, hi = count_range(pct, base)
    base = np.asarray(base, dtype=float)
    multiple = np.floor(hi / ROUNDING) * ROUNDING >= lo
    return multiple | ((lo <= base) & (hi >= base))


def likert_count_ranges(base, pct_agree, pct_disagree, mean, rounded=True):
    """What a row of a 1-5 statement gives away: the integer range of each answer's count and sums.

    An exact enumeration of what an attacker can conclude: every true agree count A and disagree
    count D the percentages allow, every sum of answers S the mean allows; then neutral
    N = n - A - D and c2 + c5 = S - 3n - A + 2D, with c2 in 0..D and c5 in 0..A, bound each answer.
    """
    n = np.asarray(base, dtype=float)
    a_lo, a_hi = share_range(pct_agree, n, rounded)
    d_lo, d_hi = share_range(pct_disagree, n, rounded)
    s_lo, s_hi = sum_range(mean, n)
    names = ["agree", "disagree", "neutral", "answer 1", "answer 2", "answer 4", "answer 5"]
    lo = {k: np.full(len(n), np.inf) for k in names}
    hi = {k: np.full(len(n), -np.inf) for k in names}
    span = lambda a, b: int(np.nanmax(b - a, initial=0)) if len(n) else 0  # noqa: E731
    with np.errstate(invalid="ignore"):
        for da in range(span(a_lo, a_hi) + 1):
            for dd in range(span(d_lo, d_hi) + 1):
                for ds in range(span(s_lo, s_hi) + 1):
                    a, d, s = a_lo + da, d_lo + dd, s_lo + ds
                    neutral = n - a - d
                    t = s - 3 * n - a + 2 * d
                    c2 = (np.maximum(0, t - a), np.minimum(d, t))
                    ok = (a <= a_hi) & (d <= d_hi) & (s <= s_hi) & (neutral >= 0) & (c2[0] <= c2[1])
                    c5 = (t - c2[1], t - c2[0])
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


def share_count_ranges(base, pct, name: str = "share", rounded=True) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The count behind a percentage of ``base`` and the count of the rest."""
    n = np.asarray(base, dtype=float)
    return _with_complements({name: share_range(pct, n, rounded)}, n)


def mean_count_ranges(base, mean, low: int = 1, high: int = 5) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """From a mean on a ``low``-``high`` scale: how many answered above the lowest or below the highest.

    A sum that exceeds ``n * low`` by E needs at least E / (high - low) and at most E answers above
    the lowest (10 answers with mean 1.1: exactly one answer is not the lowest).
    """
    n = np.asarray(base, dtype=float)
    s_lo, s_hi = sum_range(mean, n)
    step = high - low
    above = (s_lo - low * n, s_hi - low * n)
    below = (high * n - s_hi, high * n - s_lo)
    return {
        "not the lowest answer": (np.ceil(np.maximum(above[0], 0) / step), np.minimum(above[1], n)),
        "not the highest answer": (np.ceil(np.maximum(below[0], 0) / step), np.minimum(below[1], n)),
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


def derivable_counts(frame: pd.DataFrame, base: str = "respondents") -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Every count a reader can derive from one row's published values (columns as the survey frames)."""
    n = frame[base].to_numpy(dtype=float)

    # A percentage is read as coming from a count rounded to 5 only where it is consistent with one:
    # an attacker who finds it is not takes it as exact, and so does this check.
    def rounded(column):
        return looks_rounded(frame[column], n)

    if {"pct_agree", "pct_disagree", "mean"} <= set(frame):
        return likert_count_ranges(
            n, frame["pct_agree"], frame["pct_disagree"], frame["mean"], rounded("pct_agree") & rounded("pct_disagree")
        )
    ranges = {}
    if "percent_positive" in frame:
        ranges |= share_count_ranges(n, frame["percent_positive"], "positive", rounded("percent_positive"))
    if "mean" in frame:
        ranges |= mean_count_ranges(n, frame["mean"])
    return ranges


def reveals_small_count(frame: pd.DataFrame, base: str = "respondents") -> pd.Series:
    """Rows whose published values give back a count of 1 to ``MIN_COUNT`` - 1 (missing values give none)."""
    hit = np.zeros(len(frame), dtype=bool)
    for lo, hi in derivable_counts(frame, base).values():
        hit |= small(lo, hi)
    return pd.Series(hit, index=frame.index)


def suppress_revealing_rows(
    frame: pd.DataFrame, values: list[str], base: str = "respondents", status: str = "status"
) -> pd.DataFrame:
    """Mark ``c`` (and blank) every row whose published values would give back a small count."""
    frame = frame.copy()
    frame.loc[reveals_small_count(frame, base), status] = SUPPRESSED
    return apply_status(frame, values, status)
