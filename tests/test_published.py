"""Golden tests: the transcribed tables are exactly what was checked against the report."""

from __future__ import annotations

import hashlib

import pytest

from roses.exhibits.registry import Params, get
from roses.published import scoring
from roses.published import tables as published


def test_no_transcribed_value_changes(repo_root):
    """Any edit to data/published/*.csv must be deliberate: update tests/golden/published.sha256 too."""
    recorded = dict(
        reversed(line.split()) for line in (repo_root / "tests/golden/published.sha256").read_text().splitlines()
    )
    actual = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((repo_root / "data/published").glob("*.csv"))
    }
    assert actual == recorded


def test_table_7_1_reproduces_the_report_totals():
    # Report Table 7.1 totals; J and K print as '6' in the OCR text because the rotated table's
    # digits were read upside down: the factor tables sum to 9 for both.
    table = get("table-7.1").frame()
    totals = dict(zip(table["authority"], table["total"]))
    assert totals == {"A": 23, "B": 20, "C": 21, "D": 19, "E": 17, "F": 18, "G": 13, "H": 10, "J": 9, "K": 9}


def test_table_7_1_group_means():
    table = get("table-7.1").frame()
    means = table.drop_duplicates("group").set_index("group")["group_mean_total"].to_dict()
    assert means == {1: pytest.approx(21.33), 2: pytest.approx(16.75), 3: pytest.approx(9.33)}
    by_group = scoring.group_means(table).set_index("group")
    assert by_group.loc[1, "total"] == pytest.approx(64 / 3, abs=0.01)
    assert by_group["authorities"].tolist() == [3, 4, 3]


def test_table_7_1_columns_are_the_contract():
    table = get("table-7.1").frame()
    assert list(table.columns[:2]) == ["authority", "group"]
    assert set(published.FACTORS) <= set(table.columns)
    assert "total" in table.columns
    assert table["authority"].tolist() == published.AUTHORITIES


def test_table_1_1_corrected_ocr_rows():
    ofsted = get("table-1.1").frame()
    assert list(ofsted.columns) == ["authority", "group", "year", "overall", "help_and_protection", "leadership"]
    assert len(ofsted) == 20 and ofsted.groupby("authority").size().eq(2).all()
    # OCR read 'Б' for B, '0' for G, a blank for H, and group '2' for K's first row.
    b2019 = ofsted[(ofsted.authority == "B") & (ofsted.year == 2019)].iloc[0]
    assert b2019.overall == "Outstanding"
    assert ofsted[ofsted.authority == "G"]["year"].tolist() == [2014, 2018]
    assert ofsted[ofsted.authority == "K"]["group"].tolist() == [3, 3]
    assert ofsted[ofsted.authority == "H"]["overall"].tolist() == ["Requires Improvement", "Inadequate"]


def test_table_2_1_is_derived_from_table_1_1():
    leadership = get("table-2.1").frame().set_index("authority")["leadership"].to_dict()
    assert leadership == {
        "A": "Outstanding",
        "B": "Outstanding",
        "C": "Outstanding",
        "D": "Good",
        "E": "Requires Improvement",
        "F": "Good",
        "G": "Good",
        "H": "Inadequate",
        "J": "Requires Improvement",
        "K": "Inadequate",
    }


@pytest.mark.parametrize(
    "table,factor,expected",
    [
        ("2.2", "workshop_attendance", "3223222111"),
        ("2.3", "focus_on_practice", "3332221111"),
        ("2.4", "leadership_stability", "3333132211"),
        ("3.1", "case_alignment", "3332322121"),
        ("4.1", "collaborative_audit", "3212321111"),
        ("5.1", "family_finding", "3333322112"),
        ("5.2", "group_supervision", "3232131211"),
        ("5.3", "practice_leaders", "2232222111"),
    ],
)
def test_factor_tables(table, factor, expected):
    frame = get(f"table-{table}").frame()
    assert "".join(str(s) for s in frame["score"]) == expected  # authorities A..K in group order
    assert frame["authority"].tolist() == published.AUTHORITIES


def test_median_over_several_raters(data_copy):
    """With three raters, a factor's score is their median."""
    path = data_copy / "published" / "blind_ratings.csv"
    lines = path.read_text().splitlines()
    header, rows = lines[0] + ",rater", lines[1:]
    out = [header]
    for row in rows:
        out.append(row + ",r1")
        out.append(row + ",r2")
        # the third rater scores authority A one lower on every factor
        table, factor, authority, group, score = row.split(",")
        third = max(1, int(score) - 1) if authority == "A" else int(score)
        out.append(f"{table},{factor},{authority},{group},{third},r3")
    path.write_text("\n".join(out) + "\n")
    table = get("table-7.1").frame(Params(data_dir=data_copy))
    assert table.set_index("authority").loc["A", "total"] == 23  # median of (s, s, s-1) is s
