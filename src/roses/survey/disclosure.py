"""Statistical disclosure control for survey results (DESIGN.md section 7), reusable by editions.

Rules:

- nothing is published from fewer than :data:`MIN_RESPONDENTS` (10) respondents: the values become
  missing and the row carries the symbol ``c``;
- a count of 1 to :data:`MIN_COUNT` - 1 (1-4) is suppressed (``c``), and where a total is published
  a second cell is suppressed too (secondary suppression), so the first cannot be worked out by
  subtraction; where no second cell can be (every other cell is zero), the total is withheld
  instead, as is a total of 1-4 itself;
- results from a wave with a low response rate are shown with ``u`` (low reliability) and kept out
  of group results.

Symbols follow the DfE's conventions for official statistics (:data:`SYMBOLS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_RESPONDENTS = 10
MIN_COUNT = 5
SUPPRESSED, NOT_AVAILABLE, NOT_APPLICABLE, LOW, LOW_RELIABILITY = "c", "x", "z", "low", "u"
SYMBOLS = {
    SUPPRESSED: "suppressed to protect confidentiality (fewer than 10 respondents, or a count of 1-4)",
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


def suppress_small_bases(frame: pd.DataFrame, values: list[str], base: str = "respondents",
                         minimum: int = MIN_RESPONDENTS, status: str = "status") -> pd.DataFrame:
    """Mark rows whose ``base`` is below ``minimum`` with ``c`` and blank their ``values``."""
    frame = frame.copy()
    if status not in frame:
        frame[status] = ""
    frame.loc[frame[base] < minimum, status] = SUPPRESSED
    return apply_status(frame, values, status)


def suppress_counts(frame: pd.DataFrame, count: str = "count", margins: list[list[str]] | None = None,
                    minimum: int = MIN_COUNT) -> pd.DataFrame:
    """Suppress counts of 1 to ``minimum`` - 1, with secondary suppression along published totals.

    Parameters
    ----------
    frame : long frame with a ``count`` column.
    margins : each entry lists the columns of one published total (for example ``[["group", "wave"]]``
        when the number of comments per group and wave is published). Within each such total, a lone
        suppressed cell would be recoverable by subtraction, so the smallest other non-zero cell is
        suppressed too; this repeats until no total has exactly one suppressed cell. When the other
        cells are all zero, the total itself equals the hidden count: it is withheld instead (as the
        DfE does), and so is any total of 1 to ``minimum`` - 1.

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
                if hidden[index].sum() != 1 or withheld[index].all():
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
