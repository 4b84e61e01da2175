"""The reader's device: a phone (touch, turning it, legends), dark mode, printing, and what a saved
chart image says. Each test opens its own page (``open_page``): nothing here depends on another test."""

from __future__ import annotations

import re
import struct

import pytest

from .conftest import PHONE, site_pages, site_root, wait_for_charts

pytestmark = pytest.mark.browser

PAGES = site_pages(site_root()) or ["(no site built)"]
TOUCH_PHONE = {"viewport": PHONE, "has_touch": True, "is_mobile": True}
# The survey charts with the longest legends (28 entries: groups, authorities, agree and disagree).
LONG_LEGENDS = ["book/practice.html", "book/leadership.html", "book/findings.html"]
PRINT_WIDTH = 640  # roses-charts.js: charts are laid out again at this width for paper
OPENED_IN_DARK = "book/leadership.html"  # charts with data tables, a survey table, the data-used list

CHART_SIZES = """() => [...document.querySelectorAll('.roses-chart .plotly-graph-div')].map(div => {
  const svg = div.querySelector('svg.main-svg');
  const box = div.parentNode.classList.contains('roses-chart-scroll') ? div.parentNode.parentNode : div.parentNode;
  const legend = div.querySelector('.legend');
  const plots = [...div.querySelectorAll('.nsewdrag')].map(r => r.getBoundingClientRect());
  return {id: div.id, svg: svg ? svg.getBoundingClientRect().width : 0, room: box.getBoundingClientRect().width,
          scrolls: div.parentNode.classList.contains('roses-chart-scroll'),
          legend: legend ? legend.getBoundingClientRect().height : 0,
          plot: plots.length ? Math.max(...plots.map(r => r.bottom)) - Math.min(...plots.map(r => r.top)) : 0,
          button: !!div.parentNode.querySelector('[data-roses-legend]:not([hidden])')};
})"""


def _swipe_up(page, x: float, y: float, distance: int = 240) -> None:
    """A finger drawn upwards from (x, y), as Chromium receives it from a touch screen."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 17):
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - step * distance / 16}]}
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_a_swipe_over_a_chart_scrolls_the_page_on_a_touch_screen(open_page):
    page, log = open_page("book/findings.html", **TOUCH_PHONE)
    chart = page.locator(".roses-chart .plotly-graph-div").nth(1)
    chart.scroll_into_view_if_needed()
    page.wait_for_function("(div) => div.hasAttribute('data-roses-ready')", arg=chart.element_handle(), timeout=60_000)
    plot = chart.locator(".nsewdrag").first.bounding_box()
    ranges = "(div) => JSON.stringify([div.layout.xaxis.range, div.layout.yaxis.range])"
    before, shown = page.evaluate("window.scrollY"), chart.evaluate(ranges)
    _swipe_up(page, plot["x"] + plot["width"] / 2, plot["y"] + plot["height"] * 0.8)
    page.wait_for_timeout(600)
    assert page.evaluate("window.scrollY") - before > 100, "a swipe over the chart did not scroll the page"
    assert chart.evaluate(ranges) == shown, "the swipe zoomed or panned the chart"
    assert log.page_errors == []


def test_turning_a_phone_lays_every_chart_out_again(open_page):
    page, log = open_page("book/practice.html", **TOUCH_PHONE)
    wait_for_charts(page)
    page.set_viewport_size({"width": PHONE["height"], "height": PHONE["width"]})  # landscape
    page.wait_for_function(
        """() => [...document.querySelectorAll('.roses-chart .plotly-graph-div')].every(div =>
             Math.abs(Number(div.getAttribute('data-roses-width')) - div.parentNode.getBoundingClientRect().width) < 8
             || div.parentNode.classList.contains('roses-chart-scroll'))""",
        timeout=20_000,
    )
    page.wait_for_timeout(500)
    for size in page.evaluate(CHART_SIZES):
        if not size["scrolls"]:  # a wide diagram keeps its size and scrolls sideways by design
            assert abs(size["svg"] - size["room"]) < 10, (
                f"{size['id']}: {size['svg']:.0f} px drawn in {size['room']:.0f} px"
            )
    assert log.page_errors == []


@pytest.mark.parametrize("path", LONG_LEGENDS + ["book/meaningful-measures.html"])
def test_on_a_phone_a_chart_fits_two_screens_and_its_caption_leaves_room_for_it(open_page, path):
    """A caption's first sentence, badge and folded notes, then the chart: the chart starts within the
    first screen of its exhibit, and a reader passes the whole exhibit in at most two screens."""
    page, _ = open_page(path, **TOUCH_PHONE)
    wait_for_charts(page)
    sizes = page.evaluate("""() => [...document.querySelectorAll('figure.roses-exhibit')]
        .filter(f => f.querySelector('.roses-chart'))
        .map(f => ({id: f.id, figure: f.getBoundingClientRect().height,
                    caption: f.querySelector('figcaption').getBoundingClientRect().height}))""")
    assert sizes, f"{path}: no charts"
    for size in sizes:
        assert size["figure"] <= 2 * PHONE["height"], f"{path} {size['id']}: {size['figure']:.0f} px tall"
        assert size["caption"] <= PHONE["height"] / 2, f"{path} {size['id']}: caption {size['caption']:.0f} px"


def test_a_caption_s_notes_open_on_request(open_page):
    page, log = open_page("book/practice.html", **TOUCH_PHONE)
    notes = page.locator("#figure-6-3-exhibit details.roses-notes")
    assert not notes.locator("p.roses-protection").is_visible()
    notes.locator("summary").tap()
    assert notes.locator("p.roses-protection").is_visible()
    assert "Protected figures" in notes.inner_text() and "Group 1 wave 2" in notes.inner_text()
    assert log.page_errors == []


def test_a_long_table_shows_its_first_rows_until_the_reader_asks_for_all(open_page):
    page, log = open_page("book/meaningful-measures.html", **TOUCH_PHONE)
    figure = page.locator("figure.roses-exhibit", has_text="Exhibit R4.6:")
    visible = "(f) => [...f.querySelectorAll('tbody tr')].filter(r => r.offsetParent !== null).length"
    total = figure.locator("tbody tr").count()
    assert figure.evaluate(visible) == 12 < total
    button = figure.locator("button.roses-rows-toggle")
    assert button.inner_text() == f"Show all {total} rows" and button.get_attribute("aria-expanded") == "false"
    button.tap()
    assert figure.evaluate(visible) == total and button.get_attribute("aria-expanded") == "true"
    button.tap()
    assert figure.evaluate(visible) == 12 and button.inner_text() == f"Show all {total} rows"
    assert log.page_errors == []


@pytest.mark.parametrize("path", LONG_LEGENDS)
def test_a_legend_on_a_phone_is_never_taller_than_its_plot(open_page, path):
    page, _ = open_page(path, **TOUCH_PHONE)
    wait_for_charts(page)
    sizes = page.evaluate(CHART_SIZES)
    for size in sizes:
        assert size["legend"] <= size["plot"], (
            f"{path} {size['id']}: legend {size['legend']:.0f} px, plot {size['plot']:.0f} px"
        )
    folded = [s for s in sizes if s["button"]]
    assert folded, f"{path}: no chart folds its long legend"
    # The reader can still open the legend, and close it again.
    figure = page.locator(f"#{folded[0]['id']}").locator("xpath=ancestor::figure")
    button = figure.locator("[data-roses-legend]")
    assert button.get_attribute("aria-expanded") == "false" and "Show the legend" in button.inner_text()
    button.click()
    page.wait_for_function("(b) => b.getAttribute('aria-expanded') === 'true'", arg=button.element_handle())
    page.wait_for_timeout(300)
    assert figure.locator(".legend .traces").count() > 8
    button.click()
    page.wait_for_function("(b) => b.getAttribute('aria-expanded') === 'false'", arg=button.element_handle())


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_a_saved_chart_image_says_what_it_shows_and_where_it_comes_from(open_page, tmp_path):
    """Save SVG and Save PNG give the chart framed by its number and title, the menu's choice, the origin
    badge's words, the source and the page's address: an image shared alone is not mistaken for real
    results, nor one statement's chart for another's."""
    page, log = open_page("book/findings.html", accept_downloads=True)
    figure = page.locator("figure.roses-exhibit:has(.roses-badge-illustrative):has(.roses-chart-controls select)").first
    figure.scroll_into_view_if_needed()
    wait_for_charts(page)
    words = figure.evaluate("""(f) => ({number: f.querySelector('.roses-number').textContent.trim(),
        badge: f.querySelector('.roses-badge').textContent.trim(), source: f.querySelector('.roses-source').textContent.trim(),
        anchor: f.id.replace(/-exhibit$/, ''), height: f.querySelector('.plotly-graph-div').getBoundingClientRect().height,
        width: f.querySelector('.plotly-graph-div').getBoundingClientRect().width,
        choices: [...f.querySelectorAll('.roses-chart-controls select')].map(s => s.options[s.selectedIndex].textContent.trim())})""")
    saved = {}
    for kind in ("svg", "png"):
        with page.expect_download() as download:
            figure.locator(f"[data-roses-save='{kind}']").click()
        saved[kind] = tmp_path / download.value.suggested_filename
        download.value.save_as(saved[kind])
        assert saved[kind].suffix == f".{kind}"
    svg = saved["svg"].read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", " ", t) for t in re.findall(r"<text\b[^>]*>.*?</text>", svg, re.S))
    text = re.sub(r"\s+", " ", text.replace("&amp;", "&").replace("&quot;", '"').replace("&#39;", "'"))
    title_words = words["number"].split()
    assert " ".join(title_words[:6]) in text, "the saved SVG lacks the exhibit's number and title"
    assert f"Origin: {words['badge']}" in text, "the saved SVG lacks the origin badge's words"
    assert words["source"][:40] in text, "the saved SVG lacks the source"
    assert f"findings.html#{words['anchor']}" in text, "the saved SVG lacks the page address"
    assert words["choices"], "this test wants a chart with a menu"
    for choice in words["choices"]:  # an image of one menu choice says which
        assert choice[:30] in text, f"the saved SVG does not say it shows {choice!r}"
    assert 'class="main-svg"' in svg, "the chart itself is missing from the SVG"
    width, height = _png_size(saved["png"].read_bytes())
    assert width == round(words["width"]) * 2, "the PNG is not the chart's width at twice the pixels"
    assert height > (words["height"] + 60) * 2, "the PNG has no room above and below the chart for its words"
    assert log.page_errors == []


@pytest.mark.parametrize("path", [p for p in PAGES if p != "index.html"])  # the root only redirects to book/
def test_dark_mode_passes_axe_colour_contrast(open_page, path):
    """Every page read in dark mode: axe's colour-contrast rule finds nothing."""
    from axe_playwright_python.sync_playwright import Axe

    page, _ = open_page(path, color_scheme="dark")
    page.evaluate("() => { localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark'); }")
    page.goto(page.url, wait_until="load")  # (the site root has moved on to book/index.html)
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    # Charts are left undrawn (their SVG text is on their own white, which axe cannot judge). On one
    # page every <details> is opened, so the data tables' text is judged too (one stylesheet for all;
    # axe takes 40 s over a long chapter's opened tables).
    if path == OPENED_IN_DARK:
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        page.wait_for_timeout(300)
    results = Axe().run(page, options={"runOnly": ["color-contrast"], "resultTypes": ["violations"]}).response
    failing = [f"{n['target']} {n.get('failureSummary', '')[:160]}" for v in results["violations"] for n in v["nodes"]]
    assert failing == [], f"{path} in dark mode: {failing[:8]}"


def test_printing_draws_every_chart_at_the_papers_width_and_fits_every_table(open_page):
    """The browser's own print (beforeprint): charts laid out at the paper's width, every column of a
    table on the paper; afterwards the charts return to the screen's width."""
    page, log = open_page("book/practice.html", viewport={"width": 1366, "height": 900})
    wait_for_charts(page)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(500)
    widths = [s["svg"] for s in page.evaluate(CHART_SIZES)]
    assert widths and max(widths) <= PRINT_WIDTH + 1, widths
    page.set_viewport_size({"width": 700, "height": 1000})  # A4 at 96 dpi inside the margins
    page.emulate_media(media="print")
    page.wait_for_timeout(300)
    cut = page.evaluate("""() => [...document.querySelectorAll('.roses-table-wrap')].filter(w => w.offsetParent)
        .filter(w => w.querySelector('table').getBoundingClientRect().width > w.closest('article').getBoundingClientRect().width + 1)
        .map(w => w.getAttribute('aria-label'))""")
    assert cut == [], f"tables wider than the printed page: {cut}"
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.wait_for_timeout(800)
    assert min(s["svg"] for s in page.evaluate(CHART_SIZES)) > PRINT_WIDTH, "charts stayed at the paper's width"
    assert log.page_errors == []


def test_a_table_wider_than_its_box_says_it_scrolls(open_page):
    """Findings on a phone: its wide tables (inter-rater agreement, self-assessment) scroll inside
    their box, and a line under each says so."""
    page, _ = open_page("book/findings.html", **TOUCH_PHONE)
    page.wait_for_timeout(300)
    wide = page.evaluate("""() => [...document.querySelectorAll('.roses-table-wrap')].filter(w => w.offsetParent &&
        w.scrollWidth > w.clientWidth + 1).map(w => ({cue: !!(w.nextElementSibling && w.nextElementSibling.matches('.roses-scroll-cue')
        && getComputedStyle(w.nextElementSibling).display !== 'none'), label: w.getAttribute('aria-label')}))""")
    assert len(wide) >= 2, wide
    assert [w["label"] for w in wide if not w["cue"]] == [], "a table scrolls sideways with no cue"
