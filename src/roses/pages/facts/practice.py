"""Facts for Practice (report chapter 6).

Figures 6.1-6.8 are drawn from illustrative respondents, so no value read off them is glued into
prose: the chapter cites the report's findings (``report_<key>``, ``report.py``) instead. Years the
report gives (section 6.5) are glued here as years (``report_<key>`` prints numbers with a thousands
separator).
"""

from __future__ import annotations

from roses.pages.facts import facts_for, published
from roses.pages.facts.common import groups
from roses.published import findings

YEARS = {  # fact name: (findings key, column)
    "harm_matrix_year": ("pr_harm_matrix_year", "value"),
    "harm_matrix_tested_from": ("pr_harm_matrix_refined", "value"),
    "harm_matrix_tested_to": ("pr_harm_matrix_refined", "value_high"),
    "practice_intensives_year": ("pr_pi_year", "value"),
}


@facts_for("practice")
def practice(data_dir):
    facts = groups(data_dir)
    rows = findings.findings(data_dir).set_index("key")
    for name, (key, column) in YEARS.items():
        facts[name] = published(f"{rows.at[key, column]:.0f}")
    return facts
