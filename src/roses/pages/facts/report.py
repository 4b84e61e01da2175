"""The report's own findings (``data/published/findings/``), glued on every page as ``report_<key>``
(the value with its unit) and ``report_<key>_high`` (the top of a range)."""

from __future__ import annotations

import pandas as pd

from roses.pages.facts import ALL_CHAPTERS, facts_for, published
from roses.published import findings


@facts_for(ALL_CHAPTERS)
def report_findings(data_dir):
    facts = {}
    for row in findings.findings(data_dir).itertuples():
        if pd.notna(row.value):
            facts[f"report_{row.key}"] = published(findings.with_unit(row.value, row.unit))
        if pd.notna(row.value_high):
            facts[f"report_{row.key}_high"] = published(findings.with_unit(row.value_high, row.unit))
    return facts
