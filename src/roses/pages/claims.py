"""Conclusion statements generated from the data by explicit rules.

Each rule looks at the scored data and returns a ``Conclusion``: whether the claim holds, the
sentence to print (which says the opposite when the claim fails), and the numbers behind it. The
Findings and Conclusion chapters glue these sentences into their prose, so a change in the data
that contradicts a claim changes the sentence on the page instead of leaving a stale statement.

Rules that need survey results (the SAQ figures 7.1-7.7) read them through the exhibit registry
and are skipped, with a reason, while those exhibits are still placeholders.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from roses.core.origin import Origin
from roses.exhibits import registry
from roses.published import stats

PERCENT = f"{stats.ALPHA:.0%}"


@dataclass(frozen=True)
class Conclusion:
    """One generated claim. ``holds`` is None when the rule was skipped (evidence not available)."""

    id: str
    holds: bool | None
    text: str
    evidence: str


class Evidence:
    """The scored data the rules read, each part computed once per evaluation."""

    def __init__(self, data_dir: str | Path | None = None):
        self.data_dir = data_dir

    @cached_property
    def table(self) -> pd.DataFrame:
        """Table 7.1 with progress and Ofsted ranks (see ``stats.authority_table``)."""
        return stats.authority_table(self.data_dir)

    @cached_property
    def means(self) -> pd.Series:
        return self.table.groupby("group")["total"].mean()

    @cached_property
    def association(self) -> pd.DataFrame:
        return stats.association_table(self.data_dir)

    @cached_property
    def sensitivity(self) -> pd.DataFrame:
        return stats.leave_one_factor_out(self.data_dir)


Rule = Callable[[Evidence], Conclusion]
RULES: list[Rule] = []
PLAIN = {"progress": "progress group", "ofsted": "latest Ofsted overall judgment"}


def rule(function: Rule) -> Rule:
    """Decorator: add a rule to the list that ``evaluate`` runs."""
    RULES.append(function)
    return function


@rule
def group1_above_group3(evidence: Evidence) -> Conclusion:
    means = evidence.means
    holds = bool(means[1] > means[3])
    verb = "higher than" if holds else "not higher than"
    return Conclusion(
        "group1_above_group3",
        holds,
        f"Group 1's mean blind-rated total is {verb} Group 3's",
        f"Group 1 {means[1]:.1f}, Group 3 {means[3]:.1f}",
    )


@rule
def totals_follow_groups(evidence: Evidence) -> Conclusion:
    means = evidence.means
    holds = bool(means[1] > means[2] > means[3])
    text = (
        "the mean total falls at each step from Group 1 to Group 3"
        if holds
        else "the mean total does not fall at each step from Group 1 to Group 3"
    )
    return Conclusion("totals_follow_groups", holds, text, ", ".join(f"Group {g} {m:.1f}" for g, m in means.items()))


@rule
def groups_do_not_overlap(evidence: Evidence) -> Conclusion:
    table = evidence.table
    low_1 = table.loc[table["group"] == 1, "total"].min()
    high_3 = table.loc[table["group"] == 3, "total"].max()
    holds = bool(low_1 > high_3)
    text = (
        "every Group 1 authority scores above every Group 3 authority"
        if holds
        else "some Group 3 authority scores at least as high as a Group 1 authority"
    )
    return Conclusion(
        "groups_do_not_overlap", holds, text, f"lowest Group 1 total {low_1}, highest Group 3 total {high_3}"
    )


def _significance(evidence: Evidence, against: str) -> Conclusion:
    row = stats.headline(evidence.association, against=against)
    holds = bool(row["value"] > 0 and row["p_value"] < stats.ALPHA)
    what = PLAIN[against]
    text = (
        f"the rank correlation between the total and the {what} is positive and significant at {PERCENT}"
        if holds
        else f"the rank correlation between the total and the {what} is not a significant positive one at {PERCENT}"
    )
    return Conclusion(
        f"total_{against}_significant",
        holds,
        text,
        f"Spearman's rho {row['value']:.2f}, exact two-sided p {row['p_value']:.4f}",
    )


@rule
def total_progress_significant(evidence: Evidence) -> Conclusion:
    return _significance(evidence, "progress")


@rule
def total_ofsted_significant(evidence: Evidence) -> Conclusion:
    return _significance(evidence, "ofsted")


@rule
def robust_to_any_one_factor(evidence: Evidence) -> Conclusion:
    table = evidence.sensitivity
    rows = table[(table["against"] == "progress") & (table["statistic"] == "spearman")]
    holds = bool(((rows["value"] > 0) & (rows["p_value"] < stats.ALPHA)).all())
    text = (
        f"the association with progress stays significant at {PERCENT} whichever single factor is left out"
        if holds
        else f"leaving out a single factor can make the association with progress lose significance at {PERCENT}"
    )
    return Conclusion("robust_to_any_one_factor", holds, text, f"largest exact p-value {rows['p_value'].max():.4f}")


WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def _count(n: int) -> str:
    return WORDS.get(int(n), str(int(n)))


@rule
def every_factor_positive(evidence: Evidence) -> Conclusion:
    """Every factor's own rank correlation with progress is positive; the sentence also says how many
    of them are significant on their own, so a positive sign is never read as a significant rise."""
    table = evidence.association
    rows = table[(table["measure"] != "total") & (table["against"] == "progress") & (table["statistic"] == "spearman")]
    positive = int((rows["value"] > 0).sum())
    significant = int(((rows["value"] > 0) & (rows["p_value"] < stats.ALPHA)).sum())
    n, k = len(rows), significant
    holds = positive == n
    alone = (
        f"and each of them is significant at {PERCENT} on its own"
        if k == n
        else f"but only {_count(k)} of them {'is' if k == 1 else 'are'} significant at {PERCENT} on "
        f"{'its' if k == 1 else 'their'} own"
    )
    text = (
        f"all {_count(n)} rated factors have a positive rank correlation with progress, {alone}"
        if holds
        else f"not every rated factor has a positive rank correlation with progress ({_count(positive)} of "
        f"{_count(n)} do), and {_count(k)} {'is' if k == 1 else 'are'} significant at {PERCENT} on "
        f"{'its' if k == 1 else 'their'} own"
    )
    return Conclusion("every_factor_positive", holds, text, f"{positive} of {n} factors have a positive Spearman's rho")


# --- Survey-based rules: wait for the SAQ exhibits ----------------------------------------------

SAQ_FIGURES = {
    "figure-7.1": "teamwork climate",
    "figure-7.2": "safety climate",
    "figure-7.3": "perceptions of management",
    "figure-7.4": "job satisfaction",
    "figure-7.6": "working conditions",
    "figure-7.7": "stress recognition",
}
VALUE_COLUMNS = ("score", "scale_score", "mean_score", "mean", "percent_positive", "value")


def _wave_change(frame: pd.DataFrame, group: int) -> float | None:
    """Last wave minus first wave for ``group``, or None if the frame does not have that shape or the
    group's authorities differ between the two waves (a change between different sets is no change)."""
    value = next((c for c in VALUE_COLUMNS if c in frame.columns), None)
    if value is None or not {"group", "wave"} <= set(frame.columns):
        return None
    mine = frame[frame["group"] == group]
    if "level" in mine:  # the group's own rows, not its authorities' rows as well
        mine = mine[mine["level"] == "group"]
    if mine.empty or mine["wave"].nunique() < 2:
        return None
    waves = sorted(mine["wave"].unique())
    first, last = mine[mine["wave"] == waves[0]], mine[mine["wave"] == waves[-1]]
    if "based_on" in mine and set(first["based_on"]) != set(last["based_on"]):
        return None
    return float(last[value].mean() - first[value].mean())


def _skipped(id: str, reason: str) -> Conclusion:
    return Conclusion(id, None, f"this is not yet assessed, because {reason}", reason)


@rule
def group1_improved_on_every_saq_dimension(evidence: Evidence) -> Conclusion:
    id = "group1_improved_on_every_saq_dimension"
    changes, origins = {}, set()
    for figure, dimension in SAQ_FIGURES.items():
        exhibit = registry.get(figure)
        params = registry.Params(data_dir=Path(evidence.data_dir) if evidence.data_dir else None)
        scores = exhibit.frame(params)
        origins.add(exhibit.origin_for(params))
        change = _wave_change(scores, group=1)
        if change is None:
            return _skipped(
                id, f"{figure} has no comparable group rows in both waves (group, wave, score, the same authorities)"
            )
        changes[dimension] = change
    holds = all(change > 0 for change in changes.values())
    text = (
        "Group 1 improved on every SAQ dimension between the two EIP2 waves"
        if holds
        else "Group 1 did not improve on every SAQ dimension between the two EIP2 waves"
    )
    if Origin.ILLUSTRATIVE in origins:  # synthetic survey data: the claim describes them, not real staff
        text += " (in the illustrative survey data)"
    return Conclusion(id, holds, text, ", ".join(f"{d} {c:+.1f}" for d, c in changes.items()))


# --- For the book and the CLI -------------------------------------------------------------------


def evaluate(data_dir: str | Path | None = None) -> list[Conclusion]:
    """Every rule applied to the data."""
    evidence = Evidence(data_dir)
    return [check(evidence) for check in RULES]


def as_frame(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The conclusions as a table: id, holds (True, False or empty when skipped), text, evidence."""
    return pd.DataFrame([vars(c) for c in evaluate(data_dir)])


def prose_values(data_dir: str | Path | None = None) -> dict[str, str]:
    """Named numbers and generated sentences for section 7.2 and the Conclusion (glued, never typed)."""
    evidence = Evidence(data_dir)
    association, sensitivity, table = evidence.association, evidence.sensitivity, evidence.table

    def row(against: str, statistic: str) -> pd.Series:
        return stats.headline(association, against=against, statistic=statistic)

    factors = association[
        (association["measure"] != "total")
        & (association["against"] == "progress")
        & (association["statistic"] == "spearman")
    ]
    loo = sensitivity[(sensitivity["against"] == "progress") & (sensitivity["statistic"] == "spearman")]
    facts = {
        "assoc_n": str(len(table)),
        "assoc_alpha": PERCENT,
        "assoc_arrangements": f"{stats.n_arrangements(table['progress'].to_numpy()):,}",
        "assoc_orderings": f"{math.factorial(len(table)):,}",
        "assoc_rho_progress": f"{row('progress', 'spearman')['value']:.2f}",
        "assoc_p_progress": f"{row('progress', 'spearman')['p_value']:.4f}",
        "assoc_tau_progress": f"{row('progress', 'kendall')['value']:.2f}",
        "assoc_p_tau_progress": f"{row('progress', 'kendall')['p_value']:.4f}",
        "assoc_rho_ofsted": f"{row('ofsted', 'spearman')['value']:.2f}",
        "assoc_p_ofsted": f"{row('ofsted', 'spearman')['p_value']:.4f}",
        "assoc_factors_significant": str(int((factors["p_value"] < stats.ALPHA).sum())),
        "assoc_n_factors": str(len(factors)),
        "assoc_loo_min_rho": f"{loo['value'].min():.2f}",
        "assoc_loo_max_p": f"{loo['p_value'].max():.4f}",
    }
    for conclusion in (check(evidence) for check in RULES):
        facts[f"claim_{conclusion.id}"] = conclusion.text
    return facts
