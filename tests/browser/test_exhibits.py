"""Every exhibit on a page carries its evidence: caption, summary, badge, data table and a CSV that
says what it is (exhibit, origin, source: lines starting with #) above exactly what `roses data ID` prints."""

from __future__ import annotations

import contextlib
import io
import re

import pandas as pd
import pytest

from roses.commands import cli

from .conftest import chapter_pages, site_root, wait_for_charts
from .expected import for_page, pages_with

pytestmark = pytest.mark.browser

CHAPTERS = chapter_pages(site_root()) or ["(no site built)"]
# From the book's source (expected.py): a page that lost its exhibits is tested, and fails.
EXHIBIT_PAGES = pages_with("exhibits")
CHART_PAGES = pages_with("charts")
CSV_FILE = re.compile(r"^(\.\./)*_data/(?P<name>[^/]+\.csv)$")
_cli_cache: dict[str, str] = {}


def roses_data(exhibit_id: str) -> str:
    """What `roses data ID` prints (the CLI's own code path, run in this process for speed)."""
    if exhibit_id not in _cli_cache:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert cli.main(["data", exhibit_id]) == 0
        _cli_cache[exhibit_id] = out.getvalue()
    return _cli_cache[exhibit_id]


# A chart's data table waits in a <template> inside its <details> until opened (roses-charts.js).
EXHIBIT_PARTS = """(fig) => {
  const template = fig.querySelector('details > template.roses-table-template');
  const table = fig.querySelector('table') || template?.content.querySelector('table');
  return {
    id: fig.id,
    number: fig.querySelector('figcaption .roses-number')?.textContent.trim() || '',
    summary: fig.querySelector('figcaption .roses-summary')?.textContent.trim() || '',
    badge: fig.querySelector('figcaption .roses-badge')?.textContent.trim() || '',
    caption: table?.querySelector('caption')?.textContent.trim() || '',
    headers: table ? table.querySelectorAll('thead th').length : 0,
    scoped: table ? table.querySelectorAll('thead th[scope="col"]').length : 0,
    rows: table ? table.querySelectorAll('tbody tr').length : 0,
    chart: !!fig.querySelector('.roses-chart'),
    tableInDetails: !!fig.querySelector('details > summary') && (!!template || !!fig.querySelector('details table')),
    download: fig.querySelector('a.roses-download')?.getAttribute('download') || '',
  };
}"""


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
            "Reconstruction",
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
        tools = charts.nth(index).locator(".roses-chart-tools button:is([data-roses-save], [data-roses-copy-link])")
        assert tools.count() == 3, f"{path} chart {index} lacks Save PNG / Save SVG / Copy link"


def split_csv(text: str) -> tuple[list[str], str]:
    """A downloaded CSV's leading ``#`` lines (without the #) and the rows below them."""
    lines = text.splitlines(keepends=True)
    head = [line for line in lines if line.startswith("#")]
    assert lines[: len(head)] == head, "the # lines are not all at the top"
    return [line[1:].strip() for line in head], "".join(lines[len(head) :])


CAPTION_WORDS = """(link) => { const fig = link.closest('figure');
  const badge = fig.querySelector('.roses-badge');
  return {number: fig.querySelector('.roses-number').textContent.trim(), badge: badge.textContent.trim(),
          meaning: badge.title, source: fig.querySelector('.roses-source').textContent.trim(),
          protection: fig.querySelector('.roses-protection')?.textContent.trim() || ''}; }"""


@pytest.mark.parametrize("path", EXHIBIT_PAGES, scope="module")
def test_csv_downloads_say_what_they_are_above_what_roses_data_prints(shared_page, site, path):
    page, _ = shared_page(path)
    links = page.locator("a.roses-download")
    assert links.count() == for_page(path).exhibits, f"{path}: an exhibit without its CSV download"
    protected = 0
    for index in range(links.count()):
        link = links.nth(index)
        name = link.get_attribute("download")
        match = CSV_FILE.match(link.get_attribute("href"))
        assert match and match["name"] == name, f"{path}: {name} is not a CSV file of the site"
        head, rows = split_csv((site / "_data" / name).read_text(encoding="utf-8"))
        words = link.evaluate(CAPTION_WORDS)
        assert head[0] == words["number"], f"{path}: {name} does not name its exhibit: {head}"
        assert f"Origin: {words['badge']} ({words['meaning']})" in head, f"{path}: {name} lacks its origin: {head}"
        assert words["source"] in head, f"{path}: {name} lacks its source: {head}"
        # Survey figures: how far they may be from the survey tool's travels with them.
        assert not words["protection"] or words["protection"] in head, f"{path}: {name} lacks its protection note"
        protected += bool(words["protection"])
        assert rows == roses_data(name.removesuffix(".csv")), f"{path}: {name} differs from `roses data`"
    assert protected or path != "book/practice.html", "the survey charts of Practice carry no protection note"


def test_clicking_download_saves_the_csv_with_its_origin(open_page, tmp_path):
    """A real click in the browser saves the file (no kernel); pandas reads it with comment="#"."""
    page, _ = open_page("book/findings.html", accept_downloads=True)
    link = page.locator("figure:has(.roses-badge-illustrative) a.roses-download").first
    link.scroll_into_view_if_needed()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    head, rows = split_csv(saved.read_text(encoding="utf-8"))
    assert any(line.startswith("Origin: Illustrative") for line in head), head
    assert rows == roses_data(saved.stem)
    expected = pd.read_csv(io.StringIO(rows))
    pd.testing.assert_frame_equal(pd.read_csv(saved, comment="#"), expected)
