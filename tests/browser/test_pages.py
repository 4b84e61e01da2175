"""Every page of the built site in Chromium: loads cleanly, draws its charts, stays on localhost."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import PHONE, chapter_pages, site_pages, site_root

pytestmark = pytest.mark.browser

PAGES = site_pages(site_root()) or ["(no site built)"]
CHAPTERS = chapter_pages(site_root()) or ["(no site built)"]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_console_errors(open_page, path):
    page, log = open_page(path)
    page.wait_for_load_state("networkidle")
    assert log.problems() == [], f"{path}: {log.problems()}"


@pytest.mark.parametrize("path", CHAPTERS)
def test_every_chart_draws(open_page, path):
    page, log = open_page(path)
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


@pytest.mark.parametrize("path", CHAPTERS)
def test_phone_width_page_does_not_scroll_sideways(open_page, path):
    """At 390 px the page fits: charts shrink to the screen; wide tables scroll inside their box."""
    page, _ = open_page(path, viewport=PHONE)
    page.wait_for_timeout(300)  # plotly's responsive resize runs after load
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{path} is {width}px wide at phone width"
    # A diagram too wide for a phone scrolls sideways inside its own box (.roses-chart-scroll).
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.roses-chart .plot-container, .roses-chart-scroll')]
        .filter(el => !el.parentNode.closest('.roses-chart-scroll'))
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1).length""")
    assert overflowing == 0, f"{path}: {overflowing} charts wider than the phone screen"


def test_no_request_left_localhost(open_page, offsite):
    """Runs after the page tests (same session): every blocked request is listed here."""
    for path in PAGES:
        page, _ = open_page(path)
        page.wait_for_load_state("networkidle")
        page.context.close()
    assert offsite.urls == []
