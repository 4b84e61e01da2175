"""Every exhibit on a page carries its evidence: caption, summary, badge, data table and a CSV that
is exactly what `roses data ID` prints."""

from __future__ import annotations

import base64
import contextlib
import io
import re

import pytest

from roses.commands import cli

from .conftest import chapter_pages, site_root, wait_for_charts
from .expected import for_page, pages_with

pytestmark = pytest.mark.browser

CHAPTERS = chapter_pages(site_root()) or ["(no site built)"]
# From the book's source (expected.py): a page that lost its exhibits is tested, and fails.
EXHIBIT_PAGES = pages_with("exhibits")
CHART_PAGES = pages_with("charts")
DATA_URI = re.compile(r"^data:text/csv;charset=utf-8;base64,(?P<payload>.*)$")
_cli_cache: dict[str, str] = {}


def roses_data(exhibit_id: str) -> str:
    """What `roses data ID` prints (the CLI's own code path, run in this process for speed)."""
    if exhibit_id not in _cli_cache:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli.main(["data", exhibit_id]) == 0
        _cli_cache[exhibit_id] = out.getvalue()
    return _cli_cache[exhibit_id]


EXHIBIT_PARTS = """(fig) => ({
    id: fig.id,
    number: fig.querySelector('figcaption .roses-number')?.textContent.trim() || '',
    summary: fig.querySelector('figcaption .roses-summary')?.textContent.trim() || '',
    badge: fig.querySelector('figcaption .roses-badge')?.textContent.trim() || '',
    caption: fig.querySelector('table caption')?.textContent.trim() || '',
    headers: fig.querySelectorAll('table thead th').length,
    scoped: fig.querySelectorAll('table thead th[scope="col"]').length,
    rows: fig.querySelectorAll('table tbody tr').length,
    chart: !!fig.querySelector('.roses-chart'),
    tableInDetails: !!fig.querySelector('details > summary') && !!fig.querySelector('details table'),
    download: fig.querySelector('a.roses-download')?.getAttribute('download') || '',
})"""


@pytest.mark.parametrize("path", EXHIBIT_PAGES, scope="module")
def test_every_exhibit_has_caption_summary_badge_table_and_download(shared_page, path):
    page, _ = shared_page(path)
    exhibits = page.locator("figure.roses-exhibit:not(.roses-empty)")
    assert exhibits.count() == for_page(path).exhibits, f"{path}: not every exhibit its notebook shows is there"
    for index in range(exhibits.count()):
        parts = exhibits.nth(index).evaluate(EXHIBIT_PARTS)
        where = f"{path} #{parts['id']}"
        # "Figure 6.4: title" for the report's exhibits; extra exhibits (no report number) still need a title.
        assert parts["number"], f"{where}: no caption"
        assert parts["summary"].endswith("."), f"{where}: no one-sentence summary"
        assert parts["badge"] in {
            "Published",
            "This book's analysis",
            "Illustrative",
            "Real national statistics",
            "Local data",
        }, where
        assert parts["caption"] and parts["headers"] == parts["scoped"] > 0, f"{where}: table lacks caption or th scope"
        assert parts["rows"] > 0, f"{where}: empty data table"
        if parts["chart"]:
            assert parts["tableInDetails"], f"{where}: a chart without its data table alternative"
        assert parts["download"].endswith(".csv"), f"{where}: no CSV download"
        # The caption's anchor is what prose cross-references point at.
        assert parts["id"], f"{where}: no anchor"


@pytest.mark.parametrize("path", CHART_PAGES, scope="module")
def test_every_chart_has_its_tools(shared_page, path):
    page, _ = shared_page(path)
    charts = page.locator(".roses-chart")
    assert charts.count() == for_page(path).charts, f"{path}: not every chart its notebook shows is there"
    wait_for_charts(page)
    for index in range(charts.count()):
        tools = charts.nth(index).locator(".roses-chart-tools button")
        assert tools.count() == 3, f"{path} chart {index} lacks Save PNG / Save SVG / Copy link"


@pytest.mark.parametrize("path", EXHIBIT_PAGES, scope="module")
def test_csv_downloads_match_roses_data(shared_page, path):
    page, _ = shared_page(path)
    links = page.locator("a.roses-download")
    assert links.count() == for_page(path).exhibits, f"{path}: an exhibit without its CSV download"
    for index in range(links.count()):
        link = links.nth(index)
        name = link.get_attribute("download")
        match = DATA_URI.match(link.get_attribute("href"))
        assert match, f"{path}: {name} is not a base64 CSV data URI"
        csv = base64.b64decode(match["payload"]).decode("utf-8")
        assert csv == roses_data(name.removesuffix(".csv")), f"{path}: {name} differs from `roses data`"


def test_clicking_download_saves_the_same_csv(open_page, tmp_path):
    """A real click in the browser saves the file (no server round trip, no kernel)."""
    page, _ = open_page("book/introduction.html", accept_downloads=True)
    link = page.locator("a.roses-download").first
    link.scroll_into_view_if_needed()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_text(encoding="utf-8") == roses_data(saved.stem)
