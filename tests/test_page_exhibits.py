"""An exhibit appears on a page only where it has something to draw, and one indicator is drawn on one
axis convention wherever it appears (issue 31, scope 4)."""

from __future__ import annotations

import pytest

from roses.exhibits import authority
from roses.exhibits.registry import Params, get
from roses.pages.render import render

NOTHING_IN_THE_BOOK = (authority.NEIGHBOURS, authority.NEIGHBOUR_TRENDS, authority.FUNNEL)
DERBY = Params(authority="Derby")


@pytest.mark.parametrize("id", NOTHING_IN_THE_BOOK)
def test_an_authority_exhibit_in_the_book_is_a_one_line_pointer_not_an_empty_figure(id):
    ex = get(id)
    frame = ex.frame(Params())
    assert not ex.shows_anything(frame)
    page = render(ex, Params())
    assert "roses-empty" in page and "roses-badge" not in page and "plotly-graph-div" not in page
    assert "<table" not in page and "has no rows" not in page
    assert ex.number in page and "roses edition NAME" in page  # found by its number; says where it is drawn


def test_the_funnel_is_drawn_where_it_has_an_authority_to_place():
    ex = get(authority.FUNNEL)
    frame = ex.frame(DERBY)
    assert ex.shows_anything(frame) and "roses-empty" not in render(ex, DERBY, frame)
    limits_only = frame[frame["kind"] == "limits"]
    assert not ex.shows_anything(limits_only)  # the limits alone place no one


def test_an_exhibit_with_rows_is_still_a_figure():
    ex = get("indicators")
    assert ex.shows_anything(ex.frame()) and "roses-empty" not in render(ex) and "roses-badge" in render(ex)


def _rangemode(figure) -> str | None:
    return figure.layout.yaxis.rangemode


@pytest.mark.parametrize("params", [Params(), DERBY], ids=["book", "Derby"])
def test_the_national_series_share_one_y_axis_convention(params):
    """R7.4, R7.6 and the national indicators draw the same England series over the years: all from zero,
    so one chart cannot look dramatic where the other looks flat."""
    ids = ["indicators", authority.COMPARISON] + ([authority.NEIGHBOUR_TRENDS] if params.authority else [])
    for id in ids:
        ex = get(id)
        figure = ex.chart(ex.frame(params), params)
        assert _rangemode(figure) == "tozero", id


def test_r7_4_and_the_indicators_draw_the_same_england_figures():
    comparison = get(authority.COMPARISON).frame().set_index(["indicator", "year"])["england"]
    national = get("indicators").frame().set_index(["indicator", "year"])["england"]
    shared = comparison.index.intersection(national.index)
    assert len(shared) > 10
    assert (comparison.loc[shared].round(1) == national.loc[shared].round(1)).all()
