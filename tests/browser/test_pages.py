"""Every page of the built site in Chromium: loads cleanly, draws its charts, stays on localhost."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import PHONE, chapter_pages, site_pages, site_root

pytestmark = pytest.mark.browser

PAGES = site_pages(site_root()) or ["(no site built)"]
CHAPTERS = chapter_pages(site_root()) or ["(no site built)"]


@pytest.mark.parametrize("path", PAGES, scope="module")
def test_page_loads_without_console_errors(shared_page, path):
    """No console or script error and no failed request, until the network is idle (late requests too:
    the autouse check then fails any test whose page reached off localhost)."""
    page, log = shared_page(path)
    page.wait_for_load_state("networkidle")
    assert log.problems() == [], f"{path}: {log.problems()}"


@pytest.mark.parametrize("path", CHAPTERS, scope="module")
def test_every_chart_draws(shared_page, path):
    page, log = shared_page(path)
    charts = page.locator(".roses-chart")
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        chart.locator(".plot-container svg.main-svg").first.wait_for(state="visible", timeout=10_000)
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 200, f"{path} chart {index} is {box}"
    assert log.page_errors == []


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_local_link_and_asset_exists(site, path):
    """No 404 waiting behind a click: every href/src on the page names a file of the site."""
    from html.parser import HTMLParser

    class Links(HTMLParser):
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if name in ("href", "src") and value:
                    self.found.append(value)

    parser = Links()
    parser.found = []
    parser.feed((site / path).read_text(encoding="utf-8"))
    missing = []
    for link in parser.found:
        parts = urlsplit(link)
        if parts.scheme or link.startswith(("#", "//")):
            continue  # data: URIs, external citations (plain links, never loaded), in-page anchors
        target = urlsplit(urljoin(f"/{path}", link)).path.lstrip("/")
        if not (site / target).is_file():
            missing.append(link)
    assert missing == [], f"{path} links to missing files: {missing}"


@pytest.mark.parametrize("path", CHAPTERS, scope="module")
def test_phone_width_page_does_not_scroll_sideways(shared_page, path):
    """At 390 px the page fits: charts shrink to the screen; wide tables scroll inside their box."""
    page, _ = shared_page(path, viewport=PHONE)
    page.wait_for_timeout(300)  # plotly's responsive resize runs after load
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{path} is {width}px wide at phone width"
    # A diagram too wide for a phone scrolls sideways inside its own box (.roses-chart-scroll).
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.roses-chart .plot-container, .roses-chart-scroll')]
        .filter(el => !el.parentNode.closest('.roses-chart-scroll'))
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1).length""")
    assert overflowing == 0, f"{path}: {overflowing} charts wider than the phone screen"


def test_a_request_off_localhost_is_aborted_and_counted(open_page, offsite):
    """The guard every browser test runs under: a page reaching for a CDN is stopped and recorded."""
    page, _ = open_page("book/index.html")
    before = len(offsite.urls)
    reached = page.evaluate("() => fetch('https://cdn.example.org/plotly.js').then(() => true, () => false)")
    assert reached is False
    assert offsite.urls[before:] == ["https://cdn.example.org/plotly.js"]
    del offsite.urls[before:]  # expected here: not a failure of this test
