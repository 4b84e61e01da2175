"""Figures 7.8-7.15 and 7.18: illustrative letters around the real England line, as the report describes."""

from __future__ import annotations

import pandas as pd
import pytest

from roses.exhibits.local import frame
from roses.exhibits.registry import get
from roses.national import illustrative
from roses.pages.render import exhibit_html

FIGURES = [
    "figure-7.8",
    "figure-7.9",
    "figure-7.10",
    "figure-7.11",
    "figure-7.12",
    "figure-7.13",
    "figure-7.14",
    "figure-7.15",
    "figure-7.18",
]
LETTERS = list("ABCDEFGHJK")


def index_table(figure: str) -> pd.DataFrame:
    shown = frame(figure)
    return shown[shown["authority"] != "England"].pivot(index="authority", columns="year", values="index")


@pytest.mark.parametrize("figure", FIGURES)
def test_each_figure_is_built_badged_and_keeps_letters_apart_from_real_values(figure):
    ex = get(figure)
    assert ex.origin == "illustrative" and "England" in ex.source and ".csv" in ex.source
    shown = frame(figure)
    letters = shown[shown["authority"] != "England"]
    assert sorted(letters["authority"].unique()) == LETTERS
    assert set(letters.groupby("panel")["authority"].nunique()) == {5}
    assert shown["year"].between(2013, 2019).all()
    # The index is the percentage difference from England, recomputable from the frame itself.
    expected = ((letters["value"] - letters["england"]) / letters["england"] * 100).round(1)
    assert (letters["index"] - expected).abs().max() < 0.051
    html = exhibit_html(figure)
    assert "roses-badge-illustrative" in html and "Highlight" in html


def test_series_are_deterministic():
    first = illustrative.letter_series("agency")
    illustrative_again = illustrative.letter_series("agency")
    pd.testing.assert_frame_equal(first, illustrative_again)
    assert not first.equals(illustrative.letter_series("agency", seed=1))


def test_workforce_figures_flag_the_2017_series_break():
    shown = frame("figure-7.8")
    assert shown.loc[shown["year"] < 2017, "before_break"].all()
    assert not shown.loc[shown["year"] >= 2017, "before_break"].any()
    fig = get("figure-7.8").chart(shown, _params())
    assert any("Series break" in (a.text or "") for a in fig.layout.annotations)
    assert any(s.line.dash == "dash" and s.x0 == 2016.5 for s in fig.layout.shapes)
    referrals = frame("figure-7.12")
    assert not referrals["before_break"].any()


def _params():
    from roses.exhibits.registry import Params

    return Params()


def test_chart_has_two_panels_a_black_england_line_and_a_highlight_menu():
    ex = get("figure-7.12")
    fig = ex.chart(ex.frame(), _params())
    england = [t for t in fig.data if t.name.startswith("England")]
    assert len(england) == 2 and all(t.line.color == "#000000" and set(t.y) == {0} for t in england)
    assert {t.yaxis for t in fig.data} == {"y", "y2"}
    labels = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert labels[0] == "All authorities" and "Authority H" in labels and "Group 3" in labels
    # Picking H fades the other letters but keeps England solid.
    pick = next(b for b in fig.layout.updatemenus[0].buttons if b.label == "Authority H").args[0]
    names = [t.hovertemplate.split(" ")[0] for t in fig.data]
    assert {n: o for n, o in zip(names, pick["opacity"])}["H"] == 1.0
    assert all(o == 1.0 for n, o in zip(names, pick["opacity"]) if n == "England")
    assert sorted(o for n, o in zip(names, pick["opacity"]) if n not in ("H", "England"))[-1] < 1


# --- Calibration: what the report says in words (DESIGN.md section 6) --------------------------


def test_caseload_c_e_g_start_above_england_and_fall_towards_it_while_h_rises():
    table = index_table("figure-7.8")
    first, last = table.columns.min(), table.columns.max()
    for letter in "CEG":
        assert table.loc[letter, first] > 10 and abs(table.loc[letter, last]) < table.loc[letter, first] / 2
    assert table.loc["H", last] - table.loc["H", first] > 15


def test_agency_falls_most_in_a_and_d_and_rises_late_in_h_and_j():
    table = index_table("figure-7.10")
    fall = table[table.columns.min()] - table[table.columns.max()]
    assert set(fall.nlargest(2).index) == {"A", "D"}
    for letter in "HJ":
        assert table.loc[letter, 2019] - table.loc[letter, 2017] > 20


def test_referrals_mostly_below_england_with_d_and_h_as_described():
    table = index_table("figure-7.12")
    assert ((table < 0).sum() >= 7).all()  # most authorities below England every year
    d = table.loc["D"]
    assert d[2017] - d[2015] > 20 and d[2019] < d[2017]
    h = table.loc["H"]
    assert h[2013] > 40 and h.idxmin() < 2019 and h[2019] > h.min()


def test_re_referrals_converge_on_england_by_2019():
    table = index_table("figure-7.13")
    assert table[2019].abs().max() < 6
    assert table[2013].abs().mean() > 3 * table[2019].abs().mean()


def test_section_47s_mostly_below_england_and_h_falls_a_lot():
    table = index_table("figure-7.14")
    assert ((table.drop(index="H") < 0).all()).all()
    assert table.loc["H", 2013] - table.loc["H", 2019] > 40


@pytest.mark.parametrize("figure, above", [("figure-7.15", {"H"}), ("figure-7.18", {"E", "H"})])
def test_below_england_except_the_named_authorities(figure, above):
    table = index_table(figure)
    assert (table.loc[sorted(above)] > 0).all().all()
    assert (table.drop(index=sorted(above)) < 0).all().all()
