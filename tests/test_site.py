"""The built static site, read as files: every chapter shows its exhibits; nothing points off-site."""

from __future__ import annotations

import html as html_lib
import json
import re

import nbformat
import pytest

from roses.exhibits.registry import CHAPTERS, all_exhibits
from roses.pages import plotlyjs
from roses.pages.facts import chapter_facts
from roses.site import sphinx_ext
from roses.site.sphinx_ext import COMPILE_HINT

pytestmark = pytest.mark.slow


def _page(site_dir, chapter):
    return (site_dir / "book" / f"{chapter}.html").read_text(encoding="utf-8")


def test_root_index_leads_to_the_landing_page(site_dir):
    root = (site_dir / "index.html").read_text()
    assert "url=book/index.html" in root and '<html lang="en">' in root and "<title>" in root


def test_landing_page_loop_links_to_the_loop_chapters(site_dir):
    html = (site_dir / "book" / "index.html").read_text()
    loop = html[html.index('class="roses-loop"') : html.index("</figure>", html.index('class="roses-loop"'))]
    for chapter in ("leadership", "organisational-alignment", "meaningful-measures", "learning", "practice"):
        assert f'href="{chapter}.html"' in loop
        assert (site_dir / "book" / f"{chapter}.html").is_file()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_page_shows_its_exhibits(site_dir, chapter):
    html = _page(site_dir, chapter)
    for ex in all_exhibits():
        if ex.chapter == chapter:
            assert f'id="{ex.anchor}"' in html, f"{ex.id} missing from {chapter}.html"
            assert "roses-badge-" in html and "Download the data" in html


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_glued_numbers_reach_the_prose(site_dir, repo_root, chapter):
    """Every {glue} name in a chapter's prose shows its computed text on the page."""
    notebook = nbformat.read(repo_root / "book" / f"{chapter}.ipynb", as_version=4)
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    names = set(re.findall(r"\{glue(?::text)?\}`([^`]+)`", prose))
    text = html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _page(site_dir, chapter))))
    text = text.replace("\u2019", "'").replace("\u2018", "'")  # Sphinx's smart quotes
    facts = chapter_facts(chapter)
    for name in sorted(names):
        assert facts[name].text_for_prose() in text, f"{chapter}: {name}"


def test_no_page_links_sphinx_thebe(site_dir):
    """Thebe is off: jupyter-book's sphinx-thebe files and inline configuration stay off every page."""
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "_static/sphinx-thebe" not in text and "THEBE_JS_URL" not in text, page.relative_to(site_dir)


def test_no_page_loads_anything_from_another_host(site_dir):
    pattern = re.compile(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?:)?//', re.I)
    for page in site_dir.rglob("*.html"):
        match = pattern.search(page.read_text(encoding="utf-8"))
        assert match is None, f"{page.relative_to(site_dir)} loads {match.group(0)}"


def test_plotly_js_is_served_once_from_the_site_and_fetched_by_the_drawer(site_dir):
    served = (site_dir / "_static" / "plotly-basic.min.js").read_bytes()
    assert served == COMPILE_HINT + plotlyjs.BUNDLE.read_bytes()  # the vendored file, after V8's compile hint
    findings = _page(site_dir, "findings")
    # Only the drawer is linked (async); it fetches plotly.js when the first chart comes into view,
    # with the version given here, which changes with the file (a browser never keeps a stale copy).
    assert "plotly-basic" not in findings
    drawer = re.findall(
        r'<script async="async" data-plotly-version="([0-9a-f]{8})" src="../_static/roses-charts.js\?v=', findings
    )
    assert drawer == [sphinx_ext._plotly_version()]
    assert "roses-charts" not in _page(site_dir, "conclusion")  # no chart, no script
    assert "cdn.plot.ly" not in findings


def test_pages_load_no_icon_font_script_and_no_search_index_until_search(site_dir):
    """The theme's 1.45 MB Font Awesome script is never linked (its icons are CSS); Sphinx's search
    index and tools load on the search page only; every other script is deferred or async."""
    for page in [*site_dir.glob("*.html"), *(site_dir / "book").glob("*.html")]:  # the pages a reader opens
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(site_dir)
        assert "fontawesome.js" not in text, where
        searching = page.name == "search.html"
        for script in ("searchindex.js", "searchtools.js", "language_data.js"):
            assert (f'{script}"></script>' in text) == searching, f"{where}: {script}"
    head = _page(site_dir, "findings").split("</head>")[0]
    tags = re.findall(r"<script\b[^>]*\bsrc=\"[^\"]+\"[^>]*>", head)
    blocking = [t for t in tags if not re.search(r"\b(defer|async)=", t) and "documentation_options.js" not in t]
    assert blocking == [], blocking


def test_search_finds_an_exhibit_by_its_number_and_title(site_dir):
    """The search index lists each exhibit's number and title as entries pointing at the exhibit:
    Sphinx's search ranks such an entry above every page that merely mentions the words."""
    index = (site_dir / "searchindex.js").read_text(encoding="utf-8")
    entries = json.loads(index[index.index("(") + 1 : index.rindex(")")])["indexentries"]
    docnames = json.loads(index[index.index("(") + 1 : index.rindex(")")])["docnames"]
    for ex in all_exhibits():
        if ex.number == ex.title or f'id="{ex.anchor}"' not in _page(site_dir, ex.chapter):
            continue
        for name in (ex.number, ex.title):
            found = {(docnames[file], target) for file, target, _ in entries.get(name.lower().replace(";", ","), [])}
            assert (f"book/{ex.chapter}", f"{ex.anchor}-exhibit") in found, (
                f"{name!r} does not lead to {ex.chapter}#{ex.anchor}"
            )
