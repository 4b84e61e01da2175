"""Golden tests: indicator values computed straight from DfE's raw files match what roses shows.

The expected values here are worked out with the csv module from the files in data/dfe, not with
roses' readers, for England and several authorities and years.
"""

from __future__ import annotations

import csv
import io
import statistics
import subprocess
import sys
from functools import cache

import pytest

from roses.core.paths import DATA_DIR
from roses.exhibits.local import frame

DFE = DATA_DIR / "dfe"
AUTHORITIES = {"Derby": "831", "Leeds": "383", "Cornwall": "908", "Kent": "886"}
YEARS = [2014, 2017, 2019]


@cache
def raw(name: str) -> list[dict]:
    with open(DFE / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def by_area(name: str) -> dict:
    """Raw rows keyed by (year, old_la_code), England under code None."""
    return {
        (row["time_period"], row["old_la_code"] if row["geographic_level"] == "Local authority" else None): row
        for row in raw(name)
        if row["geographic_level"] in ("National", "Local authority")
    }


def cell(name: str, column: str, year: int, code: str | None) -> str:
    """One raw cell: England when ``code`` is None, else the authority with that old_la_code."""
    return by_area(name)[(str(year), code)][column]


def rate_per_10k(name: str, column: str, year: int, code: str | None) -> float:
    population = cell("ons_mid-year_population_estimates_2012_to_2024.csv", "population_estimate", year - 1, code)
    return float(cell(name, column, year, code)) / float(population) * 10_000


C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
C4 = "c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv"
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
CSWW = "csww_indicators_2017_to_2025.csv"
LAIT = "lait_bds_long_csc_subset_2016_2025.csv"

EXPECTED = {
    "referral_rate": lambda y, c: rate_per_10k(C1, "referral_count", y, c),
    "rereferral_percent": lambda y, c: float(cell(C1, "rereferral_percent", y, c)),
    "s47_rate": lambda y, c: rate_per_10k(C4, "Section47", y, c),
    "s47_to_cpp": lambda y, c: float(cell(D3, "CPP_start", y, c)) / float(cell(C4, "Section47", y, c)) * 100,
    "cpp_start_rate": lambda y, c: rate_per_10k(D3, "CPP_start", y, c),
}
WORKFORCE = {
    "caseload": "caseload_fte",
    "turnover": "turnover_rate_fte",
    "agency": "agency_rate_fte",
    "absence": "absence_rate_fte",
}


@cache
def table(authority: str):
    return frame("indicators", authority=authority).set_index(["indicator", "year"])


@pytest.mark.parametrize("authority", list(AUTHORITIES))
@pytest.mark.parametrize("indicator", list(EXPECTED))
def test_children_in_need_indicators_match_the_raw_files(authority, indicator):
    rows = table(authority)
    for year in YEARS:
        shown = rows.loc[(indicator, year)]
        try:
            expected = EXPECTED[indicator](year, AUTHORITIES[authority])
        except ValueError:  # a DfE symbol in the raw file (Cornwall 2014 is "x"): missing, reason kept
            assert shown["value"] != shown["value"] and shown["symbol"] in ("c", "x", "z", "u", "low")
            continue
        assert shown["value"] == pytest.approx(expected, abs=0.006)
        assert rows.loc[(indicator, year), "england"] == pytest.approx(EXPECTED[indicator](year, None), abs=0.006)


@pytest.mark.parametrize("authority", list(AUTHORITIES))
def test_workforce_indicators_match_the_raw_files(authority):
    rows = table(authority)
    for indicator, column in WORKFORCE.items():
        for year in (2017, 2018, 2019, 2023):
            text = cell(CSWW, column, year, AUTHORITIES[authority])
            assert rows.loc[(indicator, year), "value"] == pytest.approx(float(text))
            assert rows.loc[(indicator, year), "england"] == pytest.approx(float(cell(CSWW, column, year, None)))


def lait(measure: str, year: int, name: str) -> str:
    for row in raw(LAIT):
        if row["Short Desc"] == measure and row["Years"] == str(year) and row["LA and Regions"] == name:
            return row["Values"]
    raise LookupError(measure)


@pytest.mark.parametrize("authority", ["Derby", "Leeds", "Kent"])
def test_care_applications_and_2016_workforce_come_from_lait(authority):
    rows = table(authority)
    for year in (2016, 2018, 2019):
        assert rows.loc[("care_applications", year), "value"] == pytest.approx(
            float(lait("CareApplications", year, authority))
        )
        assert rows.loc[("care_applications", year), "england"] == pytest.approx(
            float(lait("CareApplications", year, "England"))
        )
    assert rows.loc[("turnover", 2016), "value"] == pytest.approx(float(lait("Work_Force_TO_Rate", 2016, authority)))


@pytest.mark.parametrize("name", ["England", "Derby", "Leeds", "Cornwall"])
def test_rates_use_the_population_of_the_year_before_as_dfe_does(name):
    """DfE's own published referral rate (in LAIT) agrees with ours: mid-(Y-1) population."""
    code = None if name == "England" else AUTHORITIES[name]
    for year in (2016, 2017, 2019):
        published = float(lait("CPP_Total_Rateper10,000", year, name))
        assert rate_per_10k(C1, "referral_count", year, code) == pytest.approx(published, abs=0.06)
        column = "england" if code is None else "value"
        assert table(name if code else "Derby").loc[("referral_rate", year), column] == pytest.approx(
            published, abs=0.06
        )


def test_suppressed_values_stay_missing_with_their_reason():
    # Derby's 2016 caseload is "-" in LAIT (not available): missing, reason x, never 0.
    assert lait("Work_Force_AvgNumCase_SW", 2016, "Derby") == "-"
    row = table("Derby").loc[("caseload", 2016)]
    assert row["value"] != row["value"] and row["symbol"] == "x" and row["rank"] is pd_na()


def pd_na():
    import pandas as pd

    return pd.NA


def test_rank_and_quartile_follow_polarity():
    """Turnover: lower is better, so rank = 1 + authorities with a lower published turnover."""
    year, code = 2019, AUTHORITIES["Leeds"]
    values = [
        float(r["turnover_rate_fte"])
        for r in raw(CSWW)
        if r["time_period"] == str(year)
        and r["geographic_level"] == "Local authority"
        and r["turnover_rate_fte"] not in ("c", "x", "z", "u", "low")
    ]
    mine = float(cell(CSWW, "turnover_rate_fte", year, code))
    row = table("Leeds").loc[("turnover", year)]
    assert row["rank"] == 1 + sum(v < mine for v in values)
    assert row["quartile"] == -(-row["rank"] * 4 // len(values))
    # Referral rate is neutral: no "better" direction, so no rank.
    assert table("Leeds").loc[("referral_rate", year), "rank"] is pd_na()


def test_neighbour_median_is_the_median_of_the_ten_dfe_neighbours():
    code = AUTHORITIES["Derby"]
    row = next(r for r in raw("sn_model_2025_wide.csv") if r["old_la_code"] == code)
    peers = [row[f"SN_{n}"] for n in range(1, 11)]
    year = 2019
    values = [float(cell(CSWW, "agency_rate_fte", year, p)) for p in peers]
    assert table("Derby").loc[("agency", year), "neighbour_median"] == pytest.approx(statistics.median(values))


@pytest.mark.parametrize(
    "figure, indicator, years",
    [
        ("figure-7.8", "caseload", [2017, 2019]),
        ("figure-7.12", "referral_rate", [2013, 2016, 2019]),
        ("figure-7.13", "rereferral_percent", [2014, 2018]),
        ("figure-7.15", "s47_to_cpp", [2013, 2019]),
    ],
)
def test_the_england_line_of_each_figure_is_the_real_england_figure(figure, indicator, years):
    shown = frame(figure)
    england = shown[shown["authority"] == "England"].set_index("year")
    for year in years:
        expected = (
            float(cell(CSWW, "caseload_fte", year, None))
            if indicator == "caseload"
            else EXPECTED[indicator](year, None)
        )
        assert england.loc[year, "england"] == pytest.approx(expected, abs=1e-6)
        assert england.loc[year, "index"] == 0
        letters = shown[(shown["authority"] != "England") & (shown["year"] == year)]
        assert (letters["england"] == england.loc[year, "england"]).all()


def roses(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roses.commands.cli", *args], capture_output=True, text=True)


def test_the_command_gives_the_same_rows_for_a_name_and_its_code():
    by_name, by_code = (
        roses("data", "indicators", "--authority", "Derby"),
        roses("data", "indicators", "--authority", "831"),
    )
    assert by_name.returncode == 0, by_name.stderr
    assert by_name.stdout == by_code.stdout
    rows = list(csv.DictReader(io.StringIO(by_name.stdout)))
    assert list(rows[0])[:7] == ["indicator", "year", "value", "england", "neighbour_median", "rank", "quartile"]
    referrals = {r["year"]: r for r in rows if r["indicator"] == "referral_rate"}
    assert float(referrals["2019"]["value"]) == pytest.approx(
        rate_per_10k(C1, "referral_count", 2019, "831"), abs=0.006
    )
    assert roses("data", "indicators", "--authority", "derby").stdout == by_name.stdout


def test_an_unknown_authority_is_a_clear_error_with_close_matches():
    result = roses("data", "indicators", "--authority", "Darby")
    assert result.returncode == 2
    assert "unknown authority 'Darby'" in result.stderr and "Derby (831)" in result.stderr
    assert "Traceback" not in result.stderr


def test_programme_letters_never_get_real_figures():
    result = roses("data", "indicators", "--authority", "E")
    assert result.returncode == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert all(r["value"] == r["england"] and r["rank"] == "" for r in rows)
