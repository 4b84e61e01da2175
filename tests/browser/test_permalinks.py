"""Links to a view: a chart's menu choices live in the page address, are restored on load, a
"Copy link to this view" control gives the address, and each chart saves as PNG and SVG offline."""

from __future__ import annotations

import pytest

from .conftest import PHONE, present, wait_for_charts

pytestmark = pytest.mark.browser

FINDINGS = "book/findings.html"


def _chart(page, anchor: str):
    return page.locator(f"figure#{anchor}-exhibit .roses-chart")


def test_a_menu_choice_is_written_into_the_address(open_page):
    page, log = open_page(FINDINGS)
    wait_for_charts(page)
    chart = _chart(page, "figure-7-8")
    chart.scroll_into_view_if_needed()
    chart.locator("select").select_option(label="Authority H")
    page.wait_for_function("() => location.hash.includes('figure-7-8?')")
    assert page.evaluate("location.hash") == "#figure-7-8?highlight=authority-h"
    assert log.page_errors == []


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_an_address_with_a_view_restores_it_on_load(open_page, viewport):
    page, log = open_page(FINDINGS + "#figure-7-8?highlight=H", viewport=viewport)
    wait_for_charts(page)
    chart = _chart(page, "figure-7-8")
    assert chart.locator("select").evaluate("s => s.options[s.selectedIndex].textContent") == "Authority H"
    # The chart itself shows the view: H's line is the thick one, the others faded.
    widths = chart.locator(".plotly-graph-div").evaluate(
        "d => d.data.filter(t => t.hovertemplate && t.hovertemplate.startsWith('H ')).map(t => t.line.width)"
    )
    assert widths and all(w == 4 for w in widths)
    # ...and the page has scrolled to the figure.
    top = page.locator("figure#figure-7-8-exhibit").evaluate("f => f.getBoundingClientRect().top")
    assert -5 <= top < viewport["height"]
    assert log.page_errors == []


def test_an_address_with_two_charts_views_in_turn(open_page):
    """The address names one chart; changing it (hashchange) moves to another chart's view."""
    page, _ = open_page(FINDINGS + "#table-7-1?measure=family-finding")
    wait_for_charts(page)
    assert (
        _chart(page, "table-7-1").locator("select").evaluate("s => s.options[s.selectedIndex].textContent")
        == "Family Finding"
    )
    page.evaluate("location.hash = '#figure-7-9?highlight=group-3'")
    page.wait_for_function("() => document.querySelector('#figure-7-9-exhibit select').selectedIndex > 0")
    assert (
        _chart(page, "figure-7-9").locator("select").evaluate("s => s.options[s.selectedIndex].textContent")
        == "Group 3"
    )


def test_copy_link_gives_the_address_of_this_view(open_page):
    page, log = open_page(FINDINGS, permissions=["clipboard-read", "clipboard-write"])
    wait_for_charts(page)
    chart = _chart(page, "figure-7-8")
    chart.scroll_into_view_if_needed()
    chart.locator("select").select_option(label="Group 2")
    chart.locator("button[data-roses-copy-link]").click()
    status = chart.locator(".roses-chart-tools [role=status]")
    page.wait_for_function("s => s.textContent.length > 0", arg=status.element_handle())
    link = status.get_attribute("data-link")
    assert link.endswith("/book/findings.html#figure-7-8?highlight=group-2")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == link
    # The link, opened fresh, shows the same view.
    fresh, _ = open_page(link.split("127.0.0.1:", 1)[1].split("/", 1)[1])
    wait_for_charts(fresh)
    assert (
        _chart(fresh, "figure-7-8").locator("select").evaluate("s => s.options[s.selectedIndex].textContent")
        == "Group 2"
    )
    assert log.page_errors == []


@pytest.mark.parametrize("fmt,magic", [("png", b"\x89PNG"), ("svg", b"<svg")])
def test_every_chart_saves_as_png_and_svg_offline(open_page, tmp_path, fmt, magic):
    page, log = open_page("book/introduction.html", accept_downloads=True)
    wait_for_charts(page)
    button = present(page.locator(f"button[data-roses-save={fmt}]"), "the introduction's chart tools").first
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        button.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == f".{fmt}" and saved.name.startswith("table-1-1")
    assert saved.read_bytes()[: 4 if fmt == "png" else 200].find(magic) >= 0
    assert log.page_errors == []
