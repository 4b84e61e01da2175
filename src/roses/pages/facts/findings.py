"""Facts for Findings (report chapter 7) and the Conclusion.

No fact here is read off the illustrative survey or national series: what the report found about
those charts is cited from its findings (``report_<key>``, see ``report.py``), never a number
computed from synthetic data."""

from __future__ import annotations

from roses.exhibits.national import DFE_RELEASE, FIGURES, NATIONAL, core_data_set_frame
from roses.national import indicators
from roses.national.illustrative import WINDOW
from roses.pages import claims
from roses.pages.facts import Fact, analysis, facts_for, national, published
from roses.pages.facts.common import count, groups
from roses.published import findings, scoring, tables


@facts_for("findings", "conclusion")
def blind_ratings(data_dir):
    """Table 7.1, recomputed from the published factor tables."""
    table = scoring.summary_table(tables.blind_ratings(data_dir))
    means = table.groupby("group")["total"].mean()
    facts = groups(data_dir)
    facts.update({f"total_mean_g{g}": analysis(f"{means[g]:.1f}") for g in means.index})
    facts.update(
        n_factors=published(count(len(tables.FACTORS))),
        max_total=published(str(tables.TOP_SCORE * len(tables.FACTORS))),
        top_total=published(str(table["total"].max())),
        top_authority=published(", ".join(table.loc[table["total"] == table["total"].max(), "authority"])),
        bottom_total=published(str(table["total"].min())),
        g1_min_total=published(str(table.loc[table["group"] == 1, "total"].min())),
        g3_max_total=published(str(table.loc[table["group"] == 3, "total"].max())),
        # The lowest total the scale allows: every factor scored at its floor (section 7.2).
        min_total=published(str(int(_finding("fd_rating_scale", data_dir)) * len(tables.FACTORS))),
    )
    # Each authority's total, for the note on the printed Table 7.1's J and K (issue 31).
    facts.update({f"total_{a}": published(str(t)) for a, t in zip(table["authority"], table["total"])})
    return facts


def _finding(key: str, data_dir) -> float:
    """The number the report gives in one of its findings (``data/published/findings``)."""
    return float(findings.findings(data_dir).set_index("key").loc[key, "value"])


@facts_for("findings", "conclusion")
def association(data_dir):
    """This book's rank-association analysis of Table 7.1 and the claims generated from it."""
    return {name: analysis(text) for name, text in claims.prose_values(data_dir).items()}


def _england(name: str, year: int, data_dir) -> float:
    return float(indicators.england(name, data_dir).loc[year])


@facts_for("findings")
def national_statistics(data_dir):
    """Sections 7.3 and 7.4: England's real figures, and how the national figures are drawn."""
    first, last = WINDOW
    caseload = indicators.get("caseload", data_dir)
    facts = {
        "nat_first_year": analysis(first),
        "nat_last_year": analysis(last),
        "nat_n_figures": analysis(count(len(FIGURES))),
        "nat_n_letters": published(count(len(tables.AUTHORITIES))),
        "nat_per_panel": analysis(count(len(tables.AUTHORITIES) // 2)),
        "nat_break_year": national(caseload.series_break),
        "nat_workforce_start": national(int(indicators.england("caseload", data_dir).dropna().index.min())),
    }

    def england(name: str, year: int, fmt: str) -> Fact:
        return national(fmt.format(_england(name, year, data_dir)))

    s47_first, s47_last = (_england("s47_rate", y, data_dir) for y in (first, last))
    facts.update(
        nat_caseload_first=england("caseload", caseload.series_break, "{:.1f}"),
        nat_caseload_last=england("caseload", last, "{:.1f}"),
        nat_turnover_last=england("turnover", last, "{:.1f}%"),
        nat_agency_last=england("agency", last, "{:.1f}%"),
        nat_absence_last=england("absence", last, "{:.1f}%"),
        nat_referrals_first=england("referral_rate", first, "{:.0f}"),
        nat_referrals_last=england("referral_rate", last, "{:.0f}"),
        nat_rereferral_first=england("rereferral_percent", first, "{:.1f}%"),
        nat_rereferral_last=england("rereferral_percent", last, "{:.1f}%"),
        nat_s47_first=national(f"{s47_first:.0f}"),
        nat_s47_last=national(f"{s47_last:.0f}"),
        nat_s47_rise=national(f"{(s47_last / s47_first - 1) * 100:.0f}%"),
        nat_s47_to_cpp_first=england("s47_to_cpp", first, "{:.0f}"),
        nat_s47_to_cpp_last=england("s47_to_cpp", last, "{:.0f}"),
        nat_care_first_year=national(int(indicators.england("care_applications", data_dir).dropna().index.min())),
        nat_care_last=england("care_applications", last, "{:.1f}"),
    )
    core = core_data_set_frame(None, data_dir)
    in_national = int((core["status"] == NATIONAL).sum())
    in_dfe_release = int((core["status"] == DFE_RELEASE).sum())
    items = tables.core_data_set(data_dir)  # section 4.6: headline items and their sub-items
    facts.update(
        core_headline_items=published(count(items["parent"].isna().sum())),
        core_sub_items=published(count(items["parent"].notna().sum())),
        nat_core_items=published(count(len(core))),
        nat_core_national=analysis(count(in_national)),
        nat_core_dfe=analysis(count(in_dfe_release)),
        nat_core_local=analysis(count(len(core) - in_national - in_dfe_release)),
        nat_n_indicators=analysis(count(len(indicators.definitions(data_dir)))),
        nat_rate_unit=national(indicators.get("referral_rate", data_dir).unit),
        nat_s47_to_cpp_unit=national(indicators.get("s47_to_cpp", data_dir).unit),
    )
    return facts


@facts_for("findings", "conclusion")
def report_years(data_dir):
    """The years the report's workforce and outcome charts cover (sections 7.3 and 7.4), as years:
    from the findings rows ``fd_wf_years`` and ``fd_out_years`` (printed without a thousands separator)."""
    rows = findings.findings(data_dir).set_index("key")
    facts = {}
    for key, name in (("fd_wf_years", "report_wf"), ("fd_out_years", "report_out")):
        facts[f"{name}_first_year"] = published(f"{rows.loc[key, 'value']:.0f}")
        facts[f"{name}_last_year"] = published(f"{rows.loc[key, 'value_high']:.0f}")
    return facts
