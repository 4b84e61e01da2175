"""The charts' own controls work in the static page, with no kernel: a choice changes the chart.

Each chart menu is a native <select> above the chart. The test chooses an option as a reader would
(and, once per page, with the keyboard alone), then compares what the chart draws (trace
visibility, data and the SVG paths) before and after. The legend, plotly's other control, is
clicked on every page that has one. A page's three tests take turns on one load of it, as one reader
would (``page_per_path``): each compares the chart before and after its own choice.
"""

from __future__ import annotations

import pytest

from .conftest import present, wait_for_charts
from .expected import pages_with

pytestmark = pytest.mark.browser

MENU_PAGES = pages_with("menus") or ["(no chart menu in the book)"]
LEGEND_PAGES = pages_with("legends") or ["(no chart legend in the book)"]
MENU = "select[data-roses-menu]"

# What the reader sees: which traces show, their data, and the paths actually drawn.
DRAWN_STATE = """(div) => JSON.stringify({
    traces: div.data.map(t => [t.visible === undefined ? true : t.visible, t.x, t.y, t.opacity,
                               t.line && t.line.width, t.line && t.line.color, t.marker && t.marker.color]),
    paths: [...div.querySelectorAll('.cartesianlayer path, .barlayer path, .scatterlayer path')]
        .map(p => p.getAttribute('d')).join('|'),
})"""


def _charts_with_menus(page, path: str):
    charts = page.locator(".roses-chart").filter(has=page.locator(MENU))
    return present(charts, f"{path}: a chart with a menu (its notebook shows one)")


def _when_enabled(page, select):
    """The menu, once roses-charts.js has drawn its chart and connected it."""
    page.wait_for_function("s => !s.disabled", arg=select.element_handle(), timeout=20_000)
    return select


def _state_after(page, plot, before: str, polls: int = 30) -> str:
    """What the chart draws once it has changed, or after about three seconds (a busy machine is slow)."""
    for _ in range(polls):
        page.wait_for_timeout(100)
        after = plot.evaluate(DRAWN_STATE)
        if after != before:
            return after
    return after


def _other_end(select) -> int:
    """The page may open on the first option or the last (e.g. the latest wave): the index at the other end."""
    count = select.locator("option").count()
    assert count >= 2, "a menu with one option offers no choice"
    return 0 if select.evaluate("s => s.selectedIndex") == count - 1 else count - 1


@pytest.mark.parametrize("path", MENU_PAGES, scope="module")
def test_every_chart_menu_changes_its_chart(page_per_path, path):
    page, log = page_per_path(path)
    charts = _charts_with_menus(page, path)
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        plot = chart.locator(".plotly-graph-div")
        for menu_index in range(chart.locator(MENU).count()):
            select = _when_enabled(page, chart.locator(MENU).nth(menu_index))
            before = plot.evaluate(DRAWN_STATE)
            select.select_option(index=_other_end(select))
            label = chart.locator("label").nth(menu_index).text_content()
            assert _state_after(page, plot, before) != before, (
                f"{path} chart {index}: choosing '{label}' changed nothing"
            )
    assert log.page_errors == []


@pytest.mark.parametrize("path", MENU_PAGES, scope="module")
def test_a_chart_menu_works_from_the_keyboard(page_per_path, path):
    page, log = page_per_path(path)
    chart = _charts_with_menus(page, path).first
    chart.scroll_into_view_if_needed()  # as a reader reaches it: charts are drawn as they come into view
    select, plot = _when_enabled(page, chart.locator(MENU).first), chart.locator(".plotly-graph-div")
    # Tab from the element before the menu reaches it: it is in the keyboard's path.
    select.evaluate("s => { const b = document.createElement('button'); b.id = 'before-menu'; s.before(b); }")
    page.focus("#before-menu")
    page.keyboard.press("Tab")
    assert select.evaluate("s => document.activeElement === s")
    before = plot.evaluate(DRAWN_STATE)
    page.keyboard.press("End" if _other_end(select) else "Home")
    assert _state_after(page, plot, before) != before, f"{path}: the keyboard did not change the chart"
    assert log.page_errors == []


@pytest.mark.parametrize("path", LEGEND_PAGES, scope="module")
def test_clicking_a_legend_entry_toggles_its_trace(page_per_path, path):
    page, log = page_per_path(path)
    wait_for_charts(page)  # charts are drawn as they come into view: the legends of all of them
    entry = present(
        page.locator(".roses-chart .legend .traces"), f"{path}: a chart legend (its notebook shows one)"
    ).first
    entry.scroll_into_view_if_needed()
    plot = entry.locator("xpath=ancestor::div[contains(@class, 'plotly-graph-div')]")
    before = plot.evaluate(DRAWN_STATE)
    entry.click()  # plotly toggles once its double-click delay (0.3 s) has passed
    assert _state_after(page, plot, before) != before
    assert log.page_errors == []
