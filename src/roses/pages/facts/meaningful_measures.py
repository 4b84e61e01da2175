"""Facts for Meaningful Measures (report chapter 4).

The report's own findings for this chapter are glued as ``report_<key>`` (``report.py``); the survey
exhibits here are illustrative, so no value read off them is glued into prose.
"""

from __future__ import annotations

from roses.pages.facts import analysis, facts_for, published
from roses.pages.facts.common import count, factor_means, groups
from roses.published import tables
from roses.survey import disclosure, scoring


@facts_for("meaningful-measures")
def meaningful_measures(data_dir):
    core = tables.core_data_set(data_dir)
    headline = core["parent"].isna()
    facts = {**groups(data_dir), **factor_means(data_dir, "collaborative_audit")}
    facts["n_method_rows"] = published(count(len(tables.methods(data_dir))))
    # Section 4.6 lists ten headline items; one (children in out-of-home care) has three sub-items.
    facts["n_core_items"] = published(count(headline.sum()))
    facts["n_core_subitems"] = published(count((~headline).sum()))
    facts["n_core_lines"] = published(str(len(core)))
    # This book's rules for survey results (docs/survey-data.md), not findings.
    facts["survey_rate_threshold"] = analysis(f"{scoring.MIN_RESPONSE_RATE:.0%}")
    facts["survey_min_respondents"] = analysis(str(disclosure.MIN_RESPONDENTS))
    facts["survey_min_count"] = analysis(count(disclosure.MIN_COUNT))  # a comment count below it is hidden
    return facts
