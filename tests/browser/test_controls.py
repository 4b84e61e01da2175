"""The charts' own controls work in the static page, with no kernel: a choice changes the chart.

Each plotly menu (dropdown or button row) is clicked as a reader would; the test then compares what
the chart draws (trace visibility, data and the SVG paths) before and after. The legend, plotly's
other control, is clicked on every page that has one.
"""

from __future__ import annotations

import pytest

from .conftest import chapter_pages, site_root

pytestmark = pytest.mark.browser

CHAPTERS = chapter_pages(site_root()) or ["(no site built)"]

# What the reader sees: which traces show, their data, and the paths actually drawn.
DRAWN_STATE = """(div) => JSON.stringify({
    traces: div.data.map(t => [t.visible === undefined ? true : t.visible, t.x, t.y, t.opacity,
                               t.line && t.line.width, t.line && t.line.color, t.marker && t.marker.color]),
    paths: [...div.querySelectorAll('.cartesianlayer path, .barlayer path, .scatterlayer path')]
        .map(p => p.getAttribute('d')).join('|'),
})"""


def _charts_with_menus(page):
    return page.locator(".roses-chart").filter(has=page.locator(".updatemenu-container"))


def _menu_options(chart, menu_index: int):
    """Open menu ``menu_index`` of the chart (dropdowns open on click); return its option buttons."""
    menu = chart.locator(".updatemenu-container").nth(menu_index)
    header = menu.locator(".updatemenu-header-group")
    if header.count():
        header.click()
        return menu.locator(".updatemenu-dropdown-button-group .updatemenu-dropdown-button")
    return menu.locator(".updatemenu-button")


def _state_after(page, plot, before: str, polls: int = 10) -> str:
    """What the chart draws once it has changed, or after about three seconds (a busy machine is slow)."""
    for _ in range(polls):
        page.wait_for_timeout(300)
        after = plot.evaluate(DRAWN_STATE)
        if after != before:
            return after
    return after


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_chart_menu_changes_its_chart(open_page, path):
    page, log = open_page(path)
    charts = _charts_with_menus(page)
    if charts.count() == 0:
        pytest.skip(f"{path} has no chart with a menu")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        plot = chart.locator(".plotly-graph-div")
        for menu_index in range(chart.locator(".updatemenu-container").count()):
            before = plot.evaluate(DRAWN_STATE)
            options = _menu_options(chart, menu_index)
            assert options.count() >= 2, f"{path} chart {index} menu {menu_index} has one option"
            # The page may open on the first option or the last (e.g. the latest wave): pick the other end.
            options.last.click()
            after = _state_after(page, plot, before)
            if after == before:
                _menu_options(chart, menu_index).first.click()
                after = _state_after(page, plot, before)
            label = chart.locator(".updatemenu-container").nth(menu_index).text_content().strip()
            assert after != before, f"{path} chart {index}: choosing '{label}' changed nothing"
    assert log.page_errors == []


@pytest.mark.parametrize("path", CHAPTERS)
def test_clicking_a_legend_entry_toggles_its_trace(open_page, path):
    page, log = open_page(path)
    legends = page.locator(".roses-chart .legend .traces")
    if legends.count() == 0:
        pytest.skip(f"{path} has no chart legend")
    entry = legends.first
    entry.scroll_into_view_if_needed()
    plot = entry.locator("xpath=ancestor::div[contains(@class, 'plotly-graph-div')]")
    before = plot.evaluate(DRAWN_STATE)
    entry.click()
    page.wait_for_timeout(700)  # plotly waits out its double-click delay before toggling
    assert plot.evaluate(DRAWN_STATE) != before
    assert log.page_errors == []
