"""The suppression audit: an interval attack on every published exhibit frame (docs/disclosure.md).

The frame an exhibit publishes is the single source of its HTML table, its CSV download and its
chart, so auditing the frame audits all three. For every suppressed cell (a missing value on a row
marked ``c``, or a count shown as ``c``) the audit collects every published number that constrains
it and asks a linear programme (``scipy.optimize.linprog``, integer where the cell is a count) for
the smallest and largest value the cell can take:

- group and all-authority means: a mean over the authorities it names (``based_on``, else as many
  as ``authorities`` says) equals, within its rounding, the sum of their values over their number;
- totals: an "all rounds" row is the sum of the group rows' counts; theme counts of a group-wave add
  up to at least its number of comments (exactly, when every comment has one theme: assumed, as the
  attacker's best case, wherever that is consistent with what is published);
- a suppressed count is at least 1 (zeros are shown) and at most its published base.

A cell is protected when its feasible range keeps at least ``MIN_COUNT`` possible values for a count
(so a count of 1-4 cannot be told apart from 5 or more), at least ``SCALE_PROTECTION`` of the scale
for a mean or percentage, or, where the cell's own base allows less, its whole a-priori range.
Besides, no published row may give back a count of 1-4 people (``disclosure.reveals_small_count``).
Anything less raises :class:`DisclosureError`, naming exhibit, cell and range.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import OptimizeResult, linprog

from roses.core.cache import BoundedCache, computed
from roses.core.errors import RosesError
from roses.survey import cellkey, disclosure

SCALE_PROTECTION = 0.10
SCALES = {
    "pct_agree": (0, 100),
    "pct_disagree": (0, 100),
    "percent_positive": (0, 100),
    "scale_score": (0, 100),
    "pct_nothing": (0, 100),
    "pct_of_comments": (0, 100),
    "mean": (1, 5),
}
BIG = 10**6


class DisclosureError(RosesError):
    """A published frame lets a suppressed cell, or a small count, be worked out."""


@dataclass(frozen=True)
class Finding:
    exhibit: str
    cell: str
    low: float
    high: float
    needed: str

    def describe(self) -> str:
        return (
            f"{self.exhibit}: {self.cell} can be narrowed to {_num(self.low)}..{_num(self.high)} from what is "
            f"published beside it; the protection interval is {self.needed}"
        )


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


# --- The solver --------------------------------------------------------------------------------------


@dataclass
class System:
    """Unknown cells (name, lower, upper, integer) and constraints ``lo <= sum(coef * x) <= hi``."""

    names: list[str]
    lower: list[float]
    upper: list[float]
    integer: list[bool]
    rows: list[tuple[Mapping[int, float], float, float]]

    def __init__(self):
        self.names, self.lower, self.upper, self.integer, self.rows = [], [], [], [], []

    def unknown(self, name: str, lower: float, upper: float, integer: bool) -> int:
        if name in self.names:
            return self.names.index(name)
        self.names.append(name)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.names) - 1

    def constrain(self, coefs: Mapping[int, float], lo: float, hi: float) -> None:
        self.rows.append((coefs, lo, hi))

    def _minimise(self, objective: np.ndarray) -> OptimizeResult:
        """``linprog`` (HiGHS; integer where a cell is a count) over the unknowns' bounds and the
        constraints, each finite end of a row one inequality ``A_ub @ x <= b_ub``."""
        a_ub, b_ub = [], []
        for coefs, lo, hi in self.rows:
            row = np.zeros(len(self.names))
            for i, c in coefs.items():
                row[i] += c
            if np.isfinite(hi):
                a_ub.append(row)
                b_ub.append(hi)
            if np.isfinite(lo):
                a_ub.append(-row)
                b_ub.append(-lo)
        return linprog(
            objective,
            A_ub=np.array(a_ub) if a_ub else None,
            b_ub=np.array(b_ub) if b_ub else None,
            bounds=list(zip(self.lower, self.upper)),
            integrality=np.array(self.integer, dtype=int),
            method="highs",
        )

    def feasible(self) -> bool:
        """Whether any values of the unknowns meet every constraint."""
        return not self.names or self._minimise(np.zeros(len(self.names))).status == 0

    def ranges(self) -> list[tuple[float, float]]:
        """The feasible range of every unknown (an interval attack)."""
        n = len(self.names)
        out = []
        for i in range(n):
            ends = []
            for sign in (1, -1):
                objective = np.zeros(n)
                objective[i] = sign
                res = self._minimise(objective)
                if res.status != 0:  # infeasible: the published figures contradict the model; no attack
                    ends = [self.lower[i], self.upper[i]]
                    break
                ends.append(sign * res.fun)
            out.append((ends[0], ends[1]))
        return out


# --- What each frame publishes --------------------------------------------------------------------------


def _tolerance(values: pd.Series) -> float:
    """Half a unit of the last decimal the values are published with (1 or 2 places)."""
    v = values.dropna().to_numpy(dtype=float)
    return 0.05 if len(v) and np.allclose(v * 10, np.round(v * 10), atol=1e-6) else 0.005


def _mean_margins(frame: pd.DataFrame) -> list[tuple[System, dict]]:
    """Group and all-authority means over the authority rows they name (the summarise shape)."""
    keys = [c for c in ("wave", "item", "dimension", "method") if c in frame]
    values = [c for c in SCALES if c in frame and c not in ("pct_nothing", "pct_of_comments")]
    authority = frame[frame["level"] == "authority"]
    margins = frame[frame["level"].isin(["group", "all"])]
    systems = []
    for column in values:
        tol = _tolerance(frame[column])
        low, high = SCALES[column]
        hidden_rows = authority[authority[column].isna()]
        if hidden_rows.empty:  # every authority value is published: a margin can only repeat them
            continue
        wanted = set(map(tuple, hidden_rows[keys].astype(str).to_numpy()))
        for key, rows in margins.groupby(keys, dropna=False, observed=True):
            key = key if isinstance(key, tuple) else (key,)
            if tuple(map(str, key)) not in wanted:
                continue
            scope = authority
            for k, v in zip(keys, key):
                scope = scope[scope[k] == v]
            system, meta = System(), {}
            for _, m in rows.iterrows():
                if pd.isna(m[column]) or not m.get("authorities"):
                    continue
                members = scope if m["level"] == "all" else scope[scope["group"] == m["group"]]
                if "based_on" in frame and isinstance(m["based_on"], str) and m["based_on"]:
                    members = members[members["authority"].astype(str).isin(m["based_on"].split())]
                elif len(members.dropna(subset=[column])) < m["authorities"]:
                    members = members  # the mean takes in hidden rows: all of the scope, the attacker's guess
                known = members[column].dropna()
                hidden = members[members[column].isna()]
                if hidden.empty:
                    continue
                coefs = {}
                for _, h in hidden.iterrows():
                    name = f"{column} of authority {h['authority']}, " + ", ".join(f"{k} {h[k]}" for k in keys)
                    i = system.unknown(name, low, high, False)
                    coefs[i] = coefs.get(i, 0) + 1
                    meta[i] = (low, high)
                n_authorities = int(m["authorities"])
                system.constrain(
                    coefs,
                    n_authorities * (m[column] - tol) - known.sum(),
                    n_authorities * (m[column] + tol) - known.sum(),
                )
            if system.names:
                systems.append((system, meta))
    return systems


def _count_margins(frame: pd.DataFrame, perturbed: bool = True) -> list[tuple[System, dict]]:
    """Theme counts of a group-wave against its published number of comments."""
    systems = []
    for (group, wave), rows in frame.groupby(["group", "wave"]):
        hidden = rows[rows["count"].astype(str) == disclosure.SUPPRESSED]
        if hidden.empty:
            continue
        total = rows["comments"].dropna()
        shown = pd.to_numeric(rows["count"], errors="coerce").dropna()
        known = shown.sum()
        cap = float(total.iloc[0]) if len(total) else BIG
        # Shown counts are perturbed (roses.survey.cellkey): each true count lies within the table's
        # spread of what is shown, and a hidden one (perturbed to 1-4, or secondary) may truly be 0.
        slack = cellkey.MAX_COUNT_MOVE * len(shown) if perturbed else 0
        best = None
        for exact in (True, False):  # the attacker's best case first: one theme per comment
            system, meta = System(), {}
            coefs = {}
            for _, h in hidden.iterrows():
                name = f"count of theme '{h['theme']}', group {group}, wave {wave}"
                i = system.unknown(name, 0 if perturbed else 1, cap, True)
                coefs[i] = 1
                meta[i] = (0, cap)
            if len(total):
                system.constrain(coefs, cap - known - slack, cap - known + slack if exact else np.inf)
            if system.feasible():
                best = (system, meta)
                break
        if best:
            systems.append(best)
    return systems


def _total_margins(frame: pd.DataFrame) -> list[tuple[System, dict]]:
    """An "all ..." row that is the sum of the group rows' counts (the change-one-thing shape)."""
    totals = frame[frame["level"].astype(str).str.startswith("all")]
    parts = frame[frame["level"] == "group"]
    systems = []
    for column, base in (("nothing", "answers"),):
        hidden = parts[parts[column].isna()]
        if hidden.empty or totals.empty:
            continue
        system, meta, coefs = System(), {}, {}
        for _, h in hidden.iterrows():
            cap = float(h[base]) if pd.notna(h[base]) else BIG
            i = system.unknown(f"{column} of group {h['group']} wave {h['wave']}", 0, cap, True)
            coefs[i] = 1
            meta[i] = (0, cap)
        total = totals[column].iloc[0]
        if pd.notna(total):
            rest = total - parts[column].dropna().sum()
            system.constrain(coefs, rest, rest)
        systems.append((system, meta))
    return systems


def _needed(system: System, i: int, prior: tuple[float, float]) -> tuple[float, str]:
    """The smallest protected width of unknown ``i`` and how the documentation states it."""
    lo, hi = prior
    if system.integer[i]:
        width = min(disclosure.MIN_COUNT - 1, hi - lo)
        return (
            width,
            f"at least {disclosure.MIN_COUNT} possible counts (or the cell's whole range {_num(lo)}..{_num(hi)})",
        )
    width = min(SCALE_PROTECTION * (hi - lo), hi - lo)
    return width, f"at least {_num(width)} wide ({SCALE_PROTECTION:.0%} of the {_num(lo)}-{_num(hi)} scale)"


def _row_findings(id: str, frame: pd.DataFrame, perturbed: bool = True) -> list[Finding]:
    """Published rows that give back a count of 1-4: authority rows, and group rows resting on one authority."""
    out = []
    if "respondents" in frame and "level" in frame:
        rows = frame[(frame["level"] == "authority") | (frame.get("authorities", 0) == 1)]
        rows = rows[rows["respondents"].notna()]
        for name, (lo, hi) in disclosure.derivable_counts(rows, perturbed=perturbed).items():
            hit = disclosure.small(lo, hi)
            for (idx, row), low, high in zip(rows[hit].iterrows(), lo[hit], hi[hit]):
                out.append(
                    Finding(id, f"the count '{name}' of row {idx} ({_where(row)})", low, high, "no count of 1-4 people")
                )
    derived = {}
    if {"answers", "nothing"} <= set(frame):  # those who would change something: the rest of the answers
        derived["answers - nothing"] = pd.to_numeric(frame["answers"], errors="coerce") - frame["nothing"]
    for column in ("count", "nothing", *derived):
        if column in frame or column in derived:
            counts = derived[column] if column in derived else pd.to_numeric(frame[column], errors="coerce")
            for idx in frame.index[disclosure.small(counts, counts)]:
                out.append(
                    Finding(
                        id,
                        f"{column} of row {idx} ({_where(frame.loc[idx])})",
                        counts[idx],
                        counts[idx],
                        f"no published count of 1-{disclosure.MIN_COUNT - 1}",
                    )
                )
    return out


def _where(row: pd.Series) -> str:
    keys = [k for k in ("level", "group", "authority", "wave", "item", "dimension", "method", "theme") if k in row]
    return ", ".join(f"{k} {row[k]}" for k in keys if pd.notna(row[k]) and row[k] != "")


def findings(id: str, frame: pd.DataFrame, perturbed: bool = True) -> list[Finding]:
    """Every way the frame lets a suppressed cell or a small count be worked out (empty: none).

    ``perturbed``: the frame's counts and sums are cell-key perturbed (every survey exhibit's are), so
    an attacker knows each only to within the perturbation table's spread; False audits exact figures.
    """
    systems = []
    columns = set(frame.columns)
    if {"level", "authority", "authorities"} <= columns:
        systems += _mean_margins(frame)
    if {"count", "comments", "group", "wave"} <= columns:
        systems += _count_margins(frame, perturbed)
    if {"level", "nothing", "answers"} <= columns:
        systems += _total_margins(frame)
    out = _row_findings(id, frame, perturbed)
    for system, meta in systems:
        for i, (lo, hi) in enumerate(system.ranges()):
            width, needed = _needed(system, i, meta.get(i, (system.lower[i], system.upper[i])))
            if hi - lo < width - 1e-6:
                out.append(Finding(id, system.names[i], lo, hi, needed))
    return out


# --- Frames a reader sees together ------------------------------------------------------------------------

# A dimension's score and its statements on one page (Figure 7.4 beside Figure 7.5): everyone answers
# the dimension's k statements, so the score's total gives the sum of the statements' sums.
JOINT = {("figure-7.4", "figure-7.5"): "job_satisfaction"}


def joint_findings(frames: dict[str, pd.DataFrame], perturbed: bool = True) -> list[Finding]:
    """What frames shown together give away that none does alone: a hidden statement's mean worked out
    as the dimension's score minus the statements shown (issue 28), bounded within the perturbation
    table's spread of every published value when ``perturbed``."""
    out = []
    for (score_id, items_id), dimension in JOINT.items():
        if score_id not in frames or items_id not in frames:
            continue
        scores, items = frames[score_id], frames[items_id]
        scores = scores[(scores["level"] == "authority") & (scores["dimension"] == dimension)]
        items = items[items["level"] == "authority"]
        k = items["item"].nunique()
        for _, row in scores.dropna(subset=["scale_score", "respondents"]).iterrows():
            mine = items[(items["authority"] == row["authority"]) & (items["wave"] == row["wave"])]
            hidden, shown = mine[mine["mean"].isna()], mine.dropna(subset=["mean"])
            if len(hidden) != 1 or len(shown) != k - 1:
                continue  # nothing hidden, or more unknowns than the one relation can pin
            n = float(row["respondents"])
            spread_t = cellkey.MAX_SUM_MOVE * cellkey.SCORE_STEP if perturbed else 0
            spread_s = cellkey.MAX_SUM_MOVE if perturbed else 0
            t = (row["scale_score"] * n - 0.05 * n - spread_t, row["scale_score"] * n + 0.05 * n + spread_t)
            sums = shown["mean"] * shown["respondents"]
            lo = k * (t[0] / 25 + n) - (sums + 0.005 * shown["respondents"] + spread_s).sum()
            hi = k * (t[1] / 25 + n) - (sums - 0.005 * shown["respondents"] - spread_s).sum()
            lo, hi = max(lo, n) / n, min(hi, 5 * n) / n
            width, needed = (
                min(SCALE_PROTECTION * 4, 4),
                f"at least {SCALE_PROTECTION * 4:.1f} wide (10% of the 1-5 scale)",
            )
            if hi - lo < width - 1e-6:
                cell = f"mean of '{hidden['item'].iloc[0]}', authority {row['authority']}, wave {row['wave']}"
                out.append(Finding(f"{score_id} with {items_id}", cell, lo, hi, needed))
    return out


# The frames audited on each page so far (a page: its chapter and what it is computed for).
_PAGES: dict[tuple, dict[str, pd.DataFrame]] = {}


def audit_page(page: tuple, id: str, frame: pd.DataFrame, perturbed: bool = True) -> None:
    """Audit ``frame`` together with the frames already shown on ``page`` (raise DisclosureError)."""
    seen = _PAGES.setdefault(page, {})
    seen[id] = frame
    while len(_PAGES) > 64:  # pages built long ago: forget them (their frames were audited then)
        del _PAGES[next(iter(_PAGES))]
    problems = joint_findings(seen, perturbed)
    if problems:
        listed = "\n  ".join(p.describe() for p in problems[:20])
        raise DisclosureError(f"disclosure audit failed for the page of {id} (frames read together):\n  {listed}")


_AUDITED = BoundedCache(maxsize=1024)


def audit(id: str, frame: pd.DataFrame, page: tuple | None = None) -> None:
    """Raise :class:`DisclosureError` if the frame lets anything suppressed be worked out.

    Cached by the frame's content, so the many editions that publish the same frame pay once.
    ``page``: the page the frame is shown on (chapter and parameters): the frame is also audited
    together with the others shown there (:func:`joint_findings`).
    """
    if page is not None:
        audit_page(page, id, frame)
    key = (id, tuple(map(str, frame.columns)), int(pd.util.hash_pandas_object(frame.astype(str), index=True).sum()))
    problems = computed(_AUDITED, key, lambda: tuple(findings(id, frame)))
    if problems:
        listed = "\n  ".join(p.describe() for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise DisclosureError(
            f"disclosure audit failed for {id} ({len(problems)} problem(s)); see docs/disclosure.md:\n  {listed}{more}"
        )
