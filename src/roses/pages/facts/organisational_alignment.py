"""Facts for Organisational Alignment (report chapter 3)."""

from __future__ import annotations

from roses.pages.facts import facts_for
from roses.pages.facts.common import factor_means, groups


@facts_for("organisational-alignment")
def organisational_alignment(data_dir):
    return {**groups(data_dir), **factor_means(data_dir, "case_alignment")}
