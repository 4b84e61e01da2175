"""The outcomes a leadership team asks about (children looked after, placement stability, care leavers,
child protection plans by duration), checked against DfE's own files read with the csv module: the
figures a reader would look up in DfE's release or LAIT."""

from __future__ import annotations

import csv
import math
import shutil

import pandas as pd
import pytest

from roses.core.paths import DATA_DIR
from roses.national import compare, indicators, readers

DFE = DATA_DIR / "dfe"
NEW = ("cla_rate", "cla_start_rate", "cla_cease_rate", "placement_moves", "placement_same_carer")
NEW += ("care_leavers_eet_17_18", "care_leavers_eet_19_21", "care_leavers_suitable_17_18")
NEW += ("care_leavers_suitable_19_21", "cpp_two_years")


def _rows(name: str) -> list[dict]:
    with open(DFE / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _half_up(x: float, places: int = 0) -> float:
    """DfE rounds halves up (0.5 -> 1), not to even as Python's round does."""
    return math.floor(x * 10**places + 0.5) / 10**places


def _value(name: str, code: str, year: int) -> float:
    frame = indicators.values(name)
    return float(frame[(frame["old_la_code"] == code) & (frame["year"] == year)]["value"].iloc[0])


def test_every_indicator_has_a_definition_polarity_and_source_file():
    found = indicators.definitions()
    assert set(NEW) <= set(found)
    for definition in found.values():
        assert len(definition.definition) > 30, definition.name
        assert definition.polarity in indicators.POLARITIES
        assert all((DFE / file).is_file() for file in definition.files), definition.name
    assert found["placement_moves"].polarity == "low" and found["care_leavers_eet_19_21"].polarity == "high"
    assert found["cla_rate"].polarity == "neutral"  # more children in care is neither better nor worse


def test_derby_s_children_looked_after_as_dfe_publishes_them():
    """Derby, 31 March 2025: 545 children looked after, 88 per 10,000 (DfE's rounding)."""
    row = next(
        r
        for r in _rows(readers.CLA)
        if r["old_la_code"] == "831"
        and r["time_period"] == "2025"
        and r["population_type"] == "Children looked after on 31 March each year"
    )
    assert row["children_count"] == "545" and row["rate_per_10000"] == "88"
    value = _value("cla_rate", "831", 2025)
    assert value == pytest.approx(545 / int(row["population_estimate"]) * 10_000)
    assert _half_up(value) == 88


@pytest.mark.parametrize(
    "name, file, label, published, places",
    [
        (
            "cla_rate",
            readers.CLA,
            {"population_type": "Children looked after on 31 March each year"},
            "rate_per_10000",
            0,
        ),
        (
            "cla_start_rate",
            readers.CLA,
            {"population_type": "Children starting to be looked after each year"},
            "rate_per_10000",
            0,
        ),
        (
            "placement_moves",
            readers.PLACEMENTS,
            {"cla_group": "CLA on 31 March", "placement_stability": "With 3 or more placements during the year"},
            "children_percent",
            0,
        ),
        (
            "care_leavers_eet_17_18",
            readers.CARE_LEAVERS_ACTIVITY,
            {"care_leaver_age": "17 to 18 years", "breakdown": "Total in education, employment or training"},
            "care_leaver_percent",
            0,
        ),
        (
            "care_leavers_suitable_19_21",
            readers.CARE_LEAVERS_ACCOMMODATION,
            {"care_leaver_age": "19 to 21 years", "breakdown": "Accommodation considered suitable"},
            "care_leaver_percent",
            0,
        ),
        ("cpp_two_years", readers.D5, {}, "2_years_or_more_percent", 1),
    ],
)
def test_recomputed_figures_round_to_dfe_s_published_ones(name, file, label, published, places):
    """Every authority, every year: the figure recomputed from DfE's counts rounds to the one DfE prints."""
    frame = indicators.values(name)
    mine = frame[frame["level"] == "Local authority"].set_index(["old_la_code", "year"])["value"]
    why = frame[frame["level"] == "Local authority"].set_index(["old_la_code", "year"])["symbol"]
    checked = 0
    for row in _rows(file):
        if row["geographic_level"] != "Local authority" or any(row[k] != v for k, v in label.items()):
            continue
        key = (row["old_la_code"], int(row["time_period"][:4]))
        text = row[published]
        if text in readers.SYMBOLS:
            assert math.isnan(mine.get(key, math.nan)) or text in ("z", "k"), key
            continue
        if math.isnan(mine[key]):  # DfE prints a share of a total it suppresses (City of London: 0 of c)
            assert why[key] in readers.SYMBOLS, key
            continue
        assert _half_up(mine[key], places) == pytest.approx(float(text), abs=1e-9), key
        checked += 1
    assert checked > 100


def test_derby_s_care_leavers_placements_and_long_plans():
    assert _value("care_leavers_eet_17_18", "831", 2025) == pytest.approx(63 / 103 * 100)
    assert _value("care_leavers_suitable_17_18", "831", 2025) == pytest.approx(96 / 103 * 100)
    assert _value("placement_same_carer", "831", 2025) == pytest.approx(172 / 230 * 100)
    assert _value("cpp_two_years", "831", 2025) == pytest.approx(13 / 253 * 100)
    england = indicators.england("cla_rate")
    assert _half_up(england[2025]) == 67


def test_a_suppressed_count_stays_missing_with_its_symbol():
    row = next(
        r
        for r in _rows(readers.PLACEMENTS)
        if r["geographic_level"] == "Local authority"
        and r["cla_group"] == "CLA on 31 March"
        and r["placement_stability"] == "With 3 or more placements during the year"
        and r["children_count"] == "c"
    )
    frame = indicators.values("placement_moves")
    mine = frame[(frame["old_la_code"] == row["old_la_code"]) & (frame["year"] == int(row["time_period"]))].iloc[0]
    assert math.isnan(mine["value"]) and mine["symbol"] == "c"


def test_new_indicators_are_compared_with_intervals_region_and_neighbours():
    frame = compare.comparison("Derby").set_index(["indicator", "year"])
    row = frame.loc[("placement_moves", 2025)]
    assert row["interval_on"].endswith("43 of 545")
    assert row["ci_low"] < row["value"] < row["ci_high"]
    assert row["rank"] >= 1 and row["quartile"] in (1, 2, 3, 4)  # polarity low: ranked
    assert pd.isna(frame.loc[("cla_rate", 2025), "rank"])  # neutral: never ranked
    region = next(
        r
        for r in _rows(readers.CLA)
        if r["geographic_level"] == "Regional"
        and r["region_name"] == "East Midlands"
        and r["time_period"] == "2025"
        and r["population_type"] == "Children looked after on 31 March each year"
    )
    assert _half_up(frame.loc[("cla_rate", 2025), "region"]) == float(region["rate_per_10000"])
    assert "cla_rate" not in compare.ranked_indicators()


def test_a_breakdown_that_names_no_rows_is_a_validation_error(tmp_path):
    shutil.copytree(DFE, tmp_path / "dfe")
    path = tmp_path / "dfe" / "indicators.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("With 3 or more placements during the year", "Three or more moves"),
        encoding="utf-8",
    )
    errors = [str(e) for e in indicators.problems(tmp_path)]
    assert any(readers.PLACEMENTS in e and "placement_stability" in e and "Three or more moves" in e for e in errors)


def test_validate_names_file_row_and_column_of_a_bad_cell_in_a_new_file(tmp_path):
    from roses.validation.folder import check

    shutil.copytree(DFE, tmp_path / "dfe")
    path = tmp_path / "dfe" / readers.PLACEMENTS
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    cells = lines[5].split(",")
    cells[header.index("children_count")] = "forty"
    lines[5] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = check(tmp_path)
    text = "\n".join(str(e) for e in report.errors)
    assert not report.ok and readers.PLACEMENTS in text
    assert "row 6, column 'children_count': found 'forty'" in text  # the file's line 6


def test_validate_reads_a_dfe_folder_file_by_file(tmp_path):
    """A dfe/ folder holding one national file passes validate (the others are the repository's), as the
    build reads it; a bad cell in that one file is still found."""
    from roses.validation.folder import check

    (tmp_path / "dfe").mkdir()
    shutil.copy(DFE / readers.D5, tmp_path / "dfe" / readers.D5)
    assert check(tmp_path).ok
    path = tmp_path / "dfe" / readers.D5
    path.write_text(path.read_text(encoding="utf-8").replace(",253,", ",two hundred,", 1), encoding="utf-8")
    text = "\n".join(str(e) for e in check(tmp_path).errors)
    assert readers.D5 in text and "'two hundred'" in text
