"""roses.national.compare: named neighbours, intervals, ranks, funnel and data-quality flags, each checked
against a reference computed another way (the DfE files read with the csv module, closed formulas,
published values)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from roses.core.paths import DATA_DIR
from roses.exhibits.local import params_for
from roses.exhibits.registry import get
from roses.national import compare, indicators

DFE = DATA_DIR / "dfe"


def _rows(name: str) -> list[dict]:
    with open(DFE / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _names() -> dict[str, str]:
    """Authority names by old code, the latest year's, straight from the C1 file."""
    latest: dict[str, tuple[int, str]] = {}
    for row in _rows("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"):
        if row["geographic_level"] == "Local authority":
            year = int(row["time_period"][:4])
            if year >= latest.get(row["old_la_code"], (0, ""))[0]:
                latest[row["old_la_code"]] = (year, row["la_name"])
    return {code: name for code, (_, name) in latest.items()}


# --- Named neighbours ---------------------------------------------------------------------------------


@pytest.mark.parametrize("authority, code", [("Derby", "831"), ("Camden", "202"), ("Kent", "886")])
def test_named_neighbours_are_dfe_s_own(authority, code):
    row = next(r for r in _rows("sn_model_2025_wide.csv") if r["old_la_code"] == code)
    names = _names()
    expected = [(n, row[f"SN_{n}"], names[row[f"SN_{n}"]], row[f"SN_{n}P"].strip()) for n in range(1, 11)]
    found = compare.named_neighbours(authority)
    assert list(zip(found["neighbour_rank"], found["old_la_code"], found["la_name"], found["closeness"])) == expected
    assert compare.region_of(code) == row["region_name"]


def test_derby_s_neighbours_by_name():
    """The ten DfE lists for Derby in its 2025 model (a spot check a reader can make by eye)."""
    assert compare.named_neighbours("831")["la_name"].tolist() == [
        "Coventry",
        "Bolton",
        "Walsall",
        "Southampton",
        "Kirklees",
        "Peterborough",
        "Rochdale",
        "Sheffield",
        "Tameside",
        "Stoke-on-Trent",
    ]


def test_a_retired_authority_uses_the_2021_groupings():
    found = compare.named_neighbours("928")  # Northamptonshire, split in 2021
    assert len(found) == 10 and set(found["model"]) == {"April 2021 groupings"}


# --- Confidence intervals -------------------------------------------------------------------------------


def _wilson_closed(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    root = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return ((p + z * z / (2 * n) - root) / (1 + z * z / n), (p + z * z / (2 * n) + root) / (1 + z * z / n))


@pytest.mark.parametrize("k, n", [(0, 13), (1, 237), (10, 100), (29, 224), (823, 3557), (5, 5)])
def test_wilson_matches_the_closed_formula(k, n):
    lo, hi = compare.wilson(k, n)
    assert (float(lo), float(hi)) == pytest.approx(_wilson_closed(k, n), abs=1e-12)


def test_wilson_known_value():
    lo, hi = compare.wilson(10, 100)  # Newcombe (1998), method 3: 0.0552 to 0.1744
    assert (round(float(lo), 4), round(float(hi), 4)) == (0.0552, 0.1744)


def _poisson_by_root(k: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact Poisson limits found by solving P(X >= k | mu) = a/2 and P(X <= k | mu) = a/2 for mu."""
    a = (1 - confidence) / 2
    lower = 0.0 if k == 0 else optimize.brentq(lambda mu: stats.poisson.sf(k - 1, mu) - a, 1e-9, 10 * k + 10)
    upper = optimize.brentq(lambda mu: stats.poisson.cdf(k, mu) - a, 1e-9, 10 * k + 50)
    return lower, upper


@pytest.mark.parametrize("k", [0, 1, 3, 10, 57, 1441, 35570])
def test_garwood_matches_the_poisson_distribution(k):
    lo, hi = compare.garwood(k)
    assert (float(lo), float(hi)) == pytest.approx(_poisson_by_root(k), rel=1e-7, abs=1e-9)


def test_garwood_known_values():
    # Published tables of exact 95% limits for a Poisson count (e.g. Ulm 1990): 10 -> 4.795 to 18.39, 0 -> 0 to 3.689
    assert [round(float(x), 3) for x in compare.garwood(10)] == [4.795, 18.390]
    assert [round(float(x), 3) for x in compare.garwood(0)] == [0.0, 3.689]


def test_a_rate_s_interval_is_the_count_s_scaled():
    """Derby's referral rate: the exact interval of the count, over the population, per 10,000."""
    c1 = {
        r["time_period"]: r
        for r in _rows("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
        if r["old_la_code"] == "831"
    }
    pop = {
        r["time_period"]: r
        for r in _rows("ons_mid-year_population_estimates_2012_to_2024.csv")
        if r["old_la_code"] == "831" and r["geographic_level"] == "Local authority"
    }
    k, n = float(c1["2025"]["referral_count"]), float(pop["2024"]["population_estimate"])
    lo, hi = _poisson_by_root(int(k))
    row = compare.comparison("Derby").query("indicator == 'referral_rate' and year == 2025").iloc[0]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo / n * 1e4, hi / n * 1e4), abs=0.006)
    assert row["ci_low"] <= row["value"] <= row["ci_high"]


def test_every_interval_holds_its_value():
    frame = compare.comparison("Kent").dropna(subset=["ci_low"])
    assert len(frame) > 50
    assert ((frame["ci_low"] <= frame["value"] + 0.06) & (frame["value"] - 0.06 <= frame["ci_high"])).all()


# --- Ranks and data quality -----------------------------------------------------------------------------


def test_only_indicators_with_a_direction_are_ranked():
    assert set(compare.ranked_indicators()) == {
        n for n, d in indicators.definitions().items() if d.polarity != "neutral"
    }
    frame = compare.comparison("Derby")
    ranked = set(frame.dropna(subset=["rank"])["indicator"])
    assert ranked == set(compare.ranked_indicators())


def test_derby_turnover_2017_is_flagged_and_not_ranked():
    """DfE's file: leavers FTE 0 beside a headcount of 13, so turnover 0.0% (which ranked first in England)."""
    row = compare.comparison("Derby").query("indicator == 'turnover' and year == 2017").iloc[0]
    assert row["value"] == 0.0
    assert pd.isna(row["rank"]) and pd.isna(row["quartile"])
    assert (
        compare.CONTRADICTION
        in compare.quality_flags()
        .query("indicator == 'turnover' and year == 2017 and old_la_code == '831'")["flag"]
        .tolist()
    )
    assert "leavers FTE 0 but headcount 13" in row["quality"]
    assert row["vs_england"].startswith("not compared")


def _planted(tmp_path: Path, code: str, year: str, changes: dict[str, str]) -> Path:
    """A data folder whose dfe/ is the repository's with one workforce row changed."""
    dfe = tmp_path / "data" / "dfe"
    dfe.mkdir(parents=True)
    for path in DFE.iterdir():
        if path.name != "csww_indicators_2017_to_2025.csv":
            (dfe / path.name).symlink_to(path)
    with open(DFE / "csww_indicators_2017_to_2025.csv", encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows, fields = list(reader), reader.fieldnames
    hit = 0
    for row in rows:
        if row["old_la_code"] == code and row["time_period"] == year and row["geographic_level"] == "Local authority":
            row.update(changes)
            hit += 1
    assert hit == 1
    with open(dfe / "csww_indicators_2017_to_2025.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path / "data"


def test_a_planted_fte_headcount_mismatch_is_flagged_and_never_ranked(tmp_path):
    data = _planted(tmp_path, "202", "2025", {"leavers_fte": "0", "turnover_rate_fte": "0"})  # Camden
    before = compare.comparison("Camden").query("indicator == 'turnover' and year == 2025").iloc[0]
    assert pd.notna(before["rank"]) and before["quality"] == ""
    after = compare.comparison("Camden", data).query("indicator == 'turnover' and year == 2025").iloc[0]
    assert after["value"] == 0.0 and pd.isna(after["rank"])
    assert "leavers FTE 0 but headcount" in after["quality"]
    # It takes no part in the ranking of others: the best authority that year keeps rank 1, once.
    ranks = compare.ranks(data).query("indicator == 'turnover' and year == 2025")
    assert "202" not in set(ranks["old_la_code"]) and (ranks["rank"] == 1).sum() >= 1
    assert (
        ranks["ranked_of"].iloc[0]
        == compare.ranks().query("indicator == 'turnover' and year == 2025")["ranked_of"].iloc[0] - 1
    )
    # ... and is left out of the funnel.
    funnel = compare.funnel("Derby", data).query("indicator == 'turnover'")
    assert len(funnel) == len(compare.funnel("Derby").query("indicator == 'turnover'")) - 1


def test_a_planted_fte_above_headcount_is_flagged(tmp_path):
    data = _planted(tmp_path, "886", "2023", {"inpost_fte": "9999"})  # Kent
    flags = compare.quality_flags(data).query("old_la_code == '886' and year == 2023")
    assert set(flags["indicator"]) >= {"turnover", "agency", "vacancy"}
    assert flags["detail"].str.contains("above headcount").all()


def test_suppressed_revised_and_series_break_flags():
    flags = compare.quality_flags()
    assert {compare.SUPPRESSED, compare.REVISED, compare.SERIES_BREAK, compare.CONTRADICTION} <= set(flags["flag"])
    derby_2016 = flags.query("old_la_code == '831' and year == 2016 and indicator == 'turnover'")
    assert derby_2016["flag"].tolist() == [compare.SERIES_BREAK]
    # A revision is a real difference between the two DfE releases, checked here from the files themselves.
    old = {
        (r["old_la_code"], r["time_period"]): r["turnover_rate_fte_%"]
        for r in _rows("csww_headline_measures_2017_to_2022.csv")
        if r["geographic_level"] == "Local authority"
    }
    new = {
        (r["old_la_code"], r["time_period"]): r["turnover_rate_fte"]
        for r in _rows("csww_indicators_2017_to_2025.csv")
        if r["geographic_level"] == "Local authority"
    }

    def number(text):
        try:
            return float(text)
        except ValueError:
            return None

    changed = {
        key
        for key in old.keys() & new.keys()
        if number(old[key]) is not None
        and number(new[key]) is not None
        and abs(number(old[key]) - number(new[key])) > 0.05 + 1e-9
    }
    found = set(
        zip(*[flags.query("flag == @compare.REVISED and indicator == 'turnover'")[c] for c in ("old_la_code", "year")])
    )
    assert found == {(code, int(year)) for code, year in changed}


def test_region_is_dfe_s_regional_figure_and_neighbours_lait_s_mean():
    """The comparators as DfE and LAIT publish them: East Midlands' own re-referral figure in DfE's C1 file
    (24.7 in 2025, not the 23.9 median of its authorities), and the mean of the ten neighbours' values,
    with their median beside it."""
    frame = compare.comparison("Derby").set_index(["indicator", "year"])
    row = next(
        r
        for r in _rows("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
        if r["time_period"] == "2025" and r["geographic_level"] == "Regional" and r["region_name"] == "East Midlands"
    )
    assert frame.loc[("rereferral_percent", 2025), "region"] == float(row["rereferral_percent"]) == 24.7
    rows = [
        r
        for r in _rows("csww_indicators_2017_to_2025.csv")
        if r["time_period"] == "2025" and r["geographic_level"] in ("Local authority", "Regional")
    ]
    region = next(r for r in rows if r["geographic_level"] == "Regional" and r["region_name"] == "East Midlands")
    peers = set(compare.named_neighbours("831")["old_la_code"])
    neighbours = [float(r["caseload_fte"]) for r in rows if r["old_la_code"] in peers]
    assert len(neighbours) == 10
    caseload = frame.loc[("caseload", 2025)]
    assert caseload["region"] == float(region["caseload_fte"])
    assert caseload["neighbour_mean"] == pytest.approx(sum(neighbours) / 10, abs=0.006)
    assert caseload["neighbour_median"] == pytest.approx(float(np.median(neighbours)), abs=0.006)


def test_lait_s_neighbour_figure_is_the_mean_of_lait_s_own_values():
    """LAIT's data sheet holds each neighbour's re-referral figure: their mean is our neighbour figure."""
    lait = [r for r in _rows("lait_bds_long_csc_subset_2016_2025.csv") if r["Short Desc"] == "ReReferral"]
    peers = set(compare.named_neighbours("831")["old_la_code"])
    years = {r["Years"][:4] for r in lait}
    year = max(years)
    values = [float(r["Values"]) for r in lait if r["Years"][:4] == year and r["LA Number"].removesuffix(".0") in peers]
    assert len(values) == 10
    found = compare.comparison("Derby").set_index(["indicator", "year"]).loc[("rereferral_percent", int(year))]
    assert found["neighbour_mean"] == pytest.approx(sum(values) / 10, abs=0.05)


def test_change_since_last_year():
    frame = compare.comparison("Derby").set_index(["indicator", "year"])
    assert frame.loc[("cla_rate", 2025), "change_1y"] == pytest.approx(
        frame.loc[("cla_rate", 2025), "value"] - frame.loc[("cla_rate", 2024), "value"], abs=0.01
    )
    assert pd.isna(frame.loc[("cla_rate", 2021), "change_1y"])  # the first year the file holds


# --- Funnel and Ofsted -----------------------------------------------------------------------------------


def test_funnel_names_only_the_authority_and_its_neighbours():
    frame = compare.funnel("Derby")
    named = set(frame.loc[frame["area"] != "", "area"])
    assert named == {"Derby"} | set(compare.named_neighbours("831")["la_name"])
    assert (frame.loc[frame["kind"] == "other", "area"] == "").all()
    assert set(frame["kind"]) == {compare.SELECTED, "neighbour", "other"}


def test_funnel_limits_narrow_with_size_and_hold_england():
    frame = compare.funnel(None)
    assert set(frame["kind"]) == {"limits"}
    for _, rows in frame.groupby("indicator"):
        rows = rows.sort_values("n")
        width = rows["upper_95"] - rows["lower_95"]
        assert width.is_monotonic_decreasing or (width.diff().dropna() <= 0.02).all()
        assert ((rows["lower_998"] <= rows["england"] + 0.01) & (rows["england"] <= rows["upper_998"] + 0.01)).all()


def test_funnel_position_agrees_with_the_limits():
    frame = compare.funnel("Kent")
    mine = frame[frame["kind"] == compare.SELECTED]
    for row in mine.itertuples():
        method, scale = compare.interval_kind(row.indicator)
        lo, hi = compare.control_limits(row.england, row.n, method, scale, 0.998, row.tau2)
        outside = row.value > hi + 0.01 or row.value < lo - 0.01
        assert outside == ("99.8" in row.position), row


def _share_outside(frame: pd.DataFrame) -> pd.Series:
    points = frame[frame["kind"] != "limits"]
    return points.groupby("indicator")["position"].apply(lambda p: p.str.contains("99.8").mean())


def test_funnel_limits_allow_for_overdispersion_so_only_a_handful_are_outside():
    """On every indicator, only a handful of English authorities lie outside the 99.8% limits (a calibrated
    model expects 0.2%, heavy tails a few more), where limits for chance alone put most of them outside."""
    frame = compare.funnel("Derby")
    share = _share_outside(frame)
    assert len(share) >= 20
    assert (share <= 0.04).all(), share[share > 0.04]
    # The same authorities against chance-only limits: on referrals most of England is "outside".
    counts = compare.counts()
    year = int(frame.loc[frame["indicator"] == "referral_rate", "year"].iloc[0])
    rows = counts[(counts["indicator"] == "referral_rate") & (counts["year"] == year)]
    local = rows[rows["level"] == "Local authority"].dropna(subset=["estimate"])
    england = float(rows.loc[rows["level"] == "National", "estimate"].iloc[0])
    lo, hi = compare.control_limits(england, local["n"], "poisson", 10_000, 0.998)
    assert ((local["estimate"] < lo) | (local["estimate"] > hi)).mean() > 0.5


def test_overdispersion_is_none_for_authorities_that_differ_by_chance_alone():
    rng = np.random.default_rng(3)
    n = rng.integers(200, 20_000, size=150).astype(float)
    k = rng.binomial(n.astype(int), 0.2)
    phi, tau2 = compare.overdispersion(20.0, k, n, "wilson", 100)
    assert phi < 1.2 and tau2 == 0  # winsorised z-scores of chance alone: phi about 0.7, no added variance
    spread = rng.binomial(n.astype(int), np.clip(rng.normal(0.2, 0.04, size=150), 0.01, 0.99))
    phi, tau2 = compare.overdispersion(20.0, spread, n, "wilson", 100)
    assert phi > 5 and math.sqrt(tau2) == pytest.approx(0.04, rel=0.4)


def test_the_funnel_names_its_method():
    exhibit = get("exhibit-r7.7-funnel")
    params = params_for("Derby", None)
    assert "Spiegelhalter 2005" in exhibit.summary(exhibit.frame(params), params)
    assert any("Spiegelhalter 2005" in note for note in exhibit.notes)


def test_ofsted_history_is_ofsted_s_file():
    expected = [
        (r["Inspection date"][:10], r["Overall effectiveness"])
        for r in _rows("ofsted_ilacs_inspection_history_2018_2025.csv")
        if r["Local authority name"] == "Camden"
    ]
    found = compare.ofsted_history("Camden")
    assert list(zip(found["inspection_date"], found["overall"])) == sorted(expected)
    england = compare.ofsted_history(None)
    assert england["authorities"].sum() == len(
        {r["Local authority area code"] for r in _rows("ofsted_ilacs_inspection_history_2018_2025.csv")}
    )
