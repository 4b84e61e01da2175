"""The book as a PDF printed by Chromium (``roses build --pdf``): page count, every exhibit's caption
in the PDF's text, page numbers, no blank chart, charts as vector graphics (their text is text)."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from roses.core.paths import REPO_ROOT
from roses.site import pdf

pytestmark = pytest.mark.browser


def site_root() -> Path:
    """The built site (as the browser tests find it): $ROSES_SITE or the repository's _build/html."""
    return Path(os.environ.get("ROSES_SITE", REPO_ROOT / "_build" / "html"))


def _words(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2212", "-").replace("\u2013", "-")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    site = site_root()
    if not (site / "book" / "index.html").is_file():
        pytest.fail(f"no built site at {site}: run `make book` first (or set ROSES_SITE)")
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: run `make browser` (installs poppler-utils)")
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    report = pdf.write_pdf(site, out)
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return site, report, text


def _site_captions(site) -> list[str]:
    captions = []
    for page in pdf.reading_order(site):
        body = (site / page).read_text(encoding="utf-8")
        captions += [html.unescape(c) for c in re.findall(r'<strong class="roses-number">(.*?)</strong>', body)]
    return captions


def test_the_pdf_has_every_page_of_the_book_and_a_sane_length(printed):
    site, report, text = printed
    assert report.pages[0] == "book/index.html" and len(report.pages) >= 10
    assert 20 <= report.page_count <= 400, report.page_count
    assert text.count("\f") >= report.page_count - 1


def test_every_chart_fits_one_page_with_its_caption_and_notes(printed):
    """On paper a chart is drawn no taller than its page leaves under the card's caption, opened notes
    and menus: a card taller than a page was cut through its chart, its footnote over two pages."""
    site, report, text = printed
    assert report.charts > 20
    assert report.too_tall == [], f"cards taller than an A4 page: {report.too_tall}"
    # ...measured with the notes open, as paper shows them: the survey charts' protection note is printed.
    assert "Protected figures" in _words(text), "the captions' notes are folded in the PDF"
    assert "Data files read by this chapter" in _words(text), "the chapters' data-used lists are folded in the PDF"


def test_every_exhibit_caption_is_in_the_pdf_text(printed):
    site, report, text = printed
    captions = _site_captions(site)
    assert report.captions and set(report.captions) <= set(captions)
    flat = _words(text)
    missing = [c for c in captions if _words(c) not in flat]
    assert missing == [], f"captions not found in the PDF text: {missing}"


def test_pages_are_numbered(printed):
    _, report, text = printed
    assert f"Page 1 of {report.page_count}" in text
    assert f"Page {report.page_count} of {report.page_count}" in text


def test_no_chart_is_blank_and_charts_are_vector(printed):
    site, report, text = printed
    charts = sum((site / p).read_text(encoding="utf-8").count("window.rosesCharts.push(") for p in report.pages)
    assert report.charts == charts > 0
    assert report.blank == []
    # Chart text (axis titles, end labels) is text in the PDF, so the charts were printed as vectors,
    # not as pictures.
    for axis_title in ("Year of inspection", "Overall judgment", "% vs England", "Spearman's rho"):
        assert axis_title in text, axis_title
    if shutil.which("pdfimages"):
        # The pages that print Table 1.1's and Figure 7.8's charts hold no raster image at all.
        pages = text.split("\f")
        for axis_title in ("Year of inspection", "% vs England"):
            number = next(i for i, page in enumerate(pages, 1) if axis_title in page)
            images = subprocess.run(
                ["pdfimages", "-list", "-f", str(number), "-l", str(number), str(report.path)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            assert len(images.strip().splitlines()) == 2, f"page {number}: a chart was printed as an image"


def test_a_blank_chart_is_reported(tmp_path, monkeypatch):
    """write_pdf names a chart that drew nothing (checked before printing)."""
    site = site_root()
    copy = tmp_path / "html"
    shutil.copytree(site, copy)
    page = copy / "book" / "introduction.html"
    body = page.read_text(encoding="utf-8")
    marker = body.index("window.rosesCharts.push(")
    # Empty the first chart's traces.
    start = body.index('"data": [', marker) + len('"data": ')
    depth, end = 0, start
    for end, char in enumerate(body[start:], start):  # noqa: B007 - end is used after the loop
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0:
            break
    page.write_text(body[:start] + "[]" + body[end + 1 :], encoding="utf-8")
    from roses.core.errors import RosesError

    with pytest.raises(RosesError, match="drew nothing: Table 1.1"):
        pdf.write_pdf(copy, tmp_path / "book.pdf")


def _page_lines(text: str) -> list[list[str]]:
    """Each PDF page's lines of text, without the running footer (title and page number)."""
    return [
        [line.strip() for line in page.splitlines() if line.strip() and " of " not in line] for page in text.split("\f")
    ]


def test_contents_number_each_chapter_once(printed):
    _, _, text = printed
    contents = text.split("\f")[0]
    assert re.search(r"^\s*2\. Leadership\s*$", contents, re.M), contents[:600]
    assert not re.search(r"\d+\.\s+\d+\.\s+Leadership", contents), "the contents number the chapters twice"


def test_no_page_holds_only_an_exhibit_title(printed):
    """A card's caption always shares its page with the chart or table it introduces: charts are laid out
    for paper at most a page's height (roses-charts.js forPaper)."""
    site, report, text = printed
    numbers = {re.split(r":\s", _words(c))[0] for c in _site_captions(site)}
    alone = []
    for number, lines in enumerate(_page_lines(text), 1):
        heads = [line for line in lines if any(_words(line).startswith(n + ":") for n in numbers)]
        if heads and len(lines) <= 8:
            alone.append(f"page {number}: {heads[0][:60]}")
    assert alone == [], alone
