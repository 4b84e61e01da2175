"""Facts for Leadership (report chapter 2).

No survey values: the safety climate and blame charts (Figures 2.1, 2.2) are illustrative, so the
prose cites the report's own findings on them (``report_ldr_*``, section 2.3) instead."""

from __future__ import annotations

from roses.pages.facts import facts_for, published
from roses.pages.facts.common import count, factor_means, groups
from roses.published import scoring, tables


@facts_for("leadership")
def leadership(data_dir):
    latest = scoring.latest_judgments(tables.ofsted(data_dir))
    facts = groups(data_dir)
    for judgment in tables.JUDGMENTS:
        key = judgment.lower().replace(" ", "_")
        facts[f"leadership_{key}"] = published(count((latest["leadership"] == judgment).sum()))
    for factor in ("workshop_attendance", "focus_on_practice", "leadership_stability"):
        facts.update(factor_means(data_dir, factor))
    return facts
