"""Facts for the Introduction (and the pages that reuse its counts: Data and methods, Appendix A)."""

from __future__ import annotations

from roses.pages.facts import facts_for, published
from roses.pages.facts.common import count, groups
from roses.published import scoring, tables

REFERRALS = "Referrals to children's social care per year"


@facts_for("introduction", "data-and-methods", "appendix-a")
def introduction(data_dir):
    ofsted = tables.ofsted(data_dir)
    latest = scoring.latest_judgments(ofsted)
    facts = groups(data_dir)
    facts.update(
        first_inspection=published(ofsted["year"].min()),
        last_inspection=published(ofsted["year"].max()),
        n_judgments=published(count(len(tables.JUDGMENTS))),
        n_outstanding_latest=published(count((latest["overall"] == "Outstanding").sum())),
        n_inadequate_latest=published(count((latest["overall"] == "Inadequate").sum())),
        n_factors=published(count(len(tables.FACTORS))),
    )
    context = tables.national_context(data_dir).set_index("measure")

    def pct(measure: str):
        return published(f"{abs(context.loc[measure, 'change_pct']):.0f}%")

    facts.update(
        spend_csc=pct("Real-terms spending on children's social care"),
        spend_early=pct("Spending on Sure Start children's centres, services for young people and youth justice"),
        rise_cin=pct("Children in need"),
        rise_s47=pct("Child protection enquiries"),
        rise_cpp=pct("Child protection plans"),
        rise_lac=pct("Looked after children"),
        rise_referrals=pct(REFERRALS),
        referrals_start=published(f"{context.loc[REFERRALS, 'value_start']:,.0f}"),
        referrals_end=published(f"{context.loc[REFERRALS, 'value_end']:,.0f}"),
        poverty_extra=published(f"{context.loc['Additional children in relative poverty', 'value_end']:,.0f}"),
        poverty_share=published(f"{context.loc['Share of children in relative poverty', 'value_end']:.0f}%"),
    )
    return facts
