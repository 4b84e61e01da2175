"""Named numbers for each chapter's prose, computed from the data (glued, never typed).

Each function returns ``{name: text}``; a chapter notebook glues every entry, and its prose uses
``{glue}`name```. Tests read the same functions, so a changed data value changes the prose.
"""

from __future__ import annotations

from pathlib import Path

from . import published, scoring
from .survey import facts as survey_facts

WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
         9: "nine", 10: "ten"}


def count(n: int) -> str:
    """Small counts as words (as in running prose), larger ones as digits."""
    return WORDS.get(int(n), f"{int(n):,}")


def _factor_means(data_dir, factor: str) -> dict[str, str]:
    ratings = published.blind_ratings(data_dir)
    scores = scoring.factor_scores(ratings[ratings["factor"] == factor])
    means = scores.groupby("group")["score"].mean()
    facts = {f"{factor}_g{g}": f"{means[g]:.1f}" for g in means.index}
    for level in (1, 2, 3):
        facts[f"{factor}_n{level}"] = count((scores["score"] == level).sum())
    return facts


def _groups(data_dir) -> dict[str, str]:
    groups = published.groups(data_dir)
    facts = {f"n_group{g}": count((groups == g).sum()) for g in published.GROUPS}
    facts["n_authorities"] = count(len(groups))
    facts["n_groups"] = count(len(published.GROUPS))
    facts["top_score"] = str(published.TOP_SCORE)
    return facts


REFERRALS = "Referrals to children's social care per year"


def introduction(data_dir: Path | None = None) -> dict[str, str]:
    ofsted = published.ofsted(data_dir)
    latest = scoring.latest_judgments(ofsted)
    facts = _groups(data_dir)
    facts.update(
        first_inspection=str(ofsted["year"].min()),
        last_inspection=str(ofsted["year"].max()),
        n_judgments=count(len(published.JUDGMENTS)),
        n_outstanding_latest=count((latest["overall"] == "Outstanding").sum()),
        n_inadequate_latest=count((latest["overall"] == "Inadequate").sum()),
        n_factors=count(len(published.FACTORS)),
    )
    context = published.national_context(data_dir).set_index("measure")

    def pct(measure: str) -> str:
        return f"{abs(context.loc[measure, 'change_pct']):.0f}%"

    facts.update(
        spend_csc=pct("Real-terms spending on children's social care"),
        spend_early=pct("Spending on Sure Start children's centres, services for young people and youth justice"),
        rise_cin=pct("Children in need"),
        rise_s47=pct("Child protection enquiries"),
        rise_cpp=pct("Child protection plans"),
        rise_lac=pct("Looked after children"),
        rise_referrals=pct("Referrals to children's social care per year"),
        referrals_start=f"{context.loc[REFERRALS, 'value_start']:,.0f}",
        referrals_end=f"{context.loc[REFERRALS, 'value_end']:,.0f}",
        poverty_extra=f"{context.loc['Additional children in relative poverty', 'value_end']:,.0f}",
        poverty_share=f"{context.loc['Share of children in relative poverty', 'value_end']:.0f}%",
    )
    return facts


def leadership(data_dir: Path | None = None) -> dict[str, str]:
    latest = scoring.latest_judgments(published.ofsted(data_dir))
    facts = _groups(data_dir)
    for judgment in published.JUDGMENTS:
        key = judgment.lower().replace(" ", "_")
        facts[f"leadership_{key}"] = count((latest["leadership"] == judgment).sum())
    for factor in ("workshop_attendance", "focus_on_practice", "leadership_stability"):
        facts.update(_factor_means(data_dir, factor))
    facts.update(survey_facts.leadership(data_dir))
    return facts


def organisational_alignment(data_dir: Path | None = None) -> dict[str, str]:
    return {**_groups(data_dir), **_factor_means(data_dir, "case_alignment")}


def meaningful_measures(data_dir: Path | None = None) -> dict[str, str]:
    core = published.core_data_set(data_dir)
    facts = {**_groups(data_dir), **_factor_means(data_dir, "collaborative_audit")}
    facts["n_method_rows"] = count(len(published.methods(data_dir)))
    facts["n_core_items"] = count(core["parent"].isna().sum())
    facts.update(survey_facts.meaningful_measures(data_dir))
    return facts


def learning(data_dir: Path | None = None) -> dict[str, str]:
    facts = _groups(data_dir)
    for factor in ("family_finding", "group_supervision", "practice_leaders"):
        facts.update(_factor_means(data_dir, factor))
    offer = published.training_offer(data_dir).set_index(["strand", "element"])["quantity"]

    def quantity(strand: str, element: str) -> str:
        return f"{offer[(strand, element)]:.0f}"

    facts.update(
        sp_days=quantity("Safety planning and networks", "Days available to each local authority"),
        pl_max_days=quantity("Practice Leader development", "Maximum days across all authorities"),
        pl_group_size=quantity("Practice Leader development", "Size of a practice leader group"),
        ff_places=quantity("Family Finding (building family networks)",
                           "Places for staff from EIP authorities (weighted to authority size)"),
        ff_bootcamps=count(offer[("Family Finding (building family networks)", "Five-day bootcamps")]),
    )
    return facts


def findings(data_dir: Path | None = None) -> dict[str, str]:
    table = scoring.summary_table(published.blind_ratings(data_dir))
    means = table.groupby("group")["total"].mean()
    facts = _groups(data_dir)
    facts.update({f"total_mean_g{g}": f"{means[g]:.1f}" for g in means.index})
    facts.update(
        n_factors=count(len(published.FACTORS)),
        max_total=str(published.TOP_SCORE * len(published.FACTORS)),
        top_total=str(table["total"].max()),
        top_authority=", ".join(table.loc[table["total"] == table["total"].max(), "authority"]),
        bottom_total=str(table["total"].min()),
        g1_min_total=str(table.loc[table["group"] == 1, "total"].min()),
        g3_max_total=str(table.loc[table["group"] == 3, "total"].max()),
    )
    facts.update(survey_facts.findings(data_dir))
    return facts


def practice(data_dir: Path | None = None) -> dict[str, str]:
    return {**_groups(data_dir), **survey_facts.practice(data_dir)}


conclusion = findings
