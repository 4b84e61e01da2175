"""A PDF of a built site (the book, or one edition), printed by Chromium: no LaTeX.

``write_pdf(html_dir, out)`` serves the built site on localhost (network off: any other host is
refused), reads its pages in reading order (each page's ``<link rel="next">``, from the landing page
on), puts every page's article into one print document (a cover, then each chapter on a new page),
lets ``roses-charts.js`` draw every chart at the printed width, opens every chart's data table, and
prints with Chromium's own PDF writer: text stays text, charts stay vector (plotly draws SVG), and
each page's footer gives its number. Before printing it checks that every chart drew marks (none is
blank) and it names any that did not.

Chromium is Debian's ``/usr/bin/chromium`` (``make browser``), driven by Playwright, the browser
tests' own set-up; nothing is downloaded.
"""

from __future__ import annotations

import asyncio
import functools
import html
import http.server
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import sync_playwright

from roses.core.errors import RosesError
from roses.pages import plotlyjs

CHROMIUM = os.environ.get("ROSES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PRINT_WIDTH = 680  # CSS px across an A4 page inside 14 mm margins: charts are drawn at the printed width
PRINT_CSS = """
html, body { background: #fff; margin: 0 !important; padding: 0 !important; width: auto !important; font-size: 10.5pt; }
* { box-shadow: none !important; text-shadow: none !important; }
article.bd-article, .roses-print-chapter { width: auto !important; max-width: 100% !important; margin: 0 !important;
  padding: 0 !important; overflow-wrap: break-word; }
.roses-print-chapter section, .roses-print-chapter .admonition { max-width: 100%; box-sizing: border-box; }
.roses-print-cover { break-after: page; padding-top: 30%; }
.roses-print-cover h1 { font-size: 24pt; margin-bottom: 0.5em; }
.roses-print-cover p { font-size: 12pt; }
.roses-print-cover ul { font-size: 11pt; line-height: 1.6; list-style: none; padding-left: 0; }
.roses-print-chapter { break-before: page; }
.roses-print-chapter .headerlink, .roses-print-chapter .toggle-details, .roses-print-chapter button.copybtn { display: none !important; }
.bd-article { padding: 0 !important; }
main, .bd-main, .bd-content, .bd-article-container { max-width: none !important; width: auto !important; }
.roses-exhibit { break-inside: avoid; }
.roses-exhibit figcaption { break-inside: avoid; break-after: avoid; }
@page { @bottom-right { content: none; } }  /* the PDF's footer (title and page number) replaces the site's */
"""
FOOTER = (
    '<div style="font-size:8pt; width:100%; padding:0 14mm; color:#444; display:flex; '
    'justify-content:space-between; font-family:system-ui, sans-serif;"><span>{title}</span>'
    '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>'
)

# Marks a drawn chart has: scatter lines and markers, bars, text. None at all = a blank chart (a chart
# with no data for this book, e.g. one authority's trends, draws none but says why in a note).
# The height of an A4 page inside the margins page.pdf is given below (297 mm less 14 and 16), in CSS px.
PAGE_PX = (297 - 14 - 16) * 96 / 25.4
# Each chart's card from its top to the chart's bottom (a short data table under it may flow on).
CARD_HEIGHTS = """() => [...document.querySelectorAll('figure.roses-exhibit')].filter(f => f.querySelector('.roses-chart'))
  .map(f => ({figure: f.querySelector('.roses-number').textContent.trim(),
              height: f.querySelector('.roses-chart').getBoundingClientRect().bottom - f.getBoundingClientRect().top}))"""
CHART_MARKS = """() => [...document.querySelectorAll('.roses-chart .plotly-graph-div')].map(div => ({
    id: div.id,
    figure: div.closest('figure')?.querySelector('.roses-number')?.textContent.trim() || div.id,
    marks: [...div.querySelectorAll('.scatterlayer path.js-line, .scatterlayer path.point, .barlayer path, .scatterlayer .textpoint')]
        .filter(p => (p.getAttribute('d') || p.textContent || '').length > 3).length,
    traces: (div.data || []).length,
    message: [...div.querySelectorAll('g.annotation text')].some(t => t.textContent.trim().length > 20),
}))"""


@dataclass
class PdfReport:
    path: Path
    pages: list[str] = field(default_factory=list)  # the site's pages, in the order printed
    captions: list[str] = field(default_factory=list)  # every exhibit's number and title
    charts: int = 0
    blank: list[str] = field(default_factory=list)
    too_tall: list[str] = field(default_factory=list)  # cards whose words and chart overrun one page
    page_count: int = 0


def reading_order(html_dir: Path) -> list[str]:
    """The site's pages as a reader meets them: from the landing page, each page's rel=next."""
    start = "book/index.html" if (html_dir / "book" / "index.html").is_file() else "index.html"
    order: list[str] = []
    page: str | None = start
    while page and page not in order and (html_dir / page).is_file():
        order.append(page)
        text = (html_dir / page).read_text(encoding="utf-8")
        match = re.search(r'<link rel="next"[^>]*href="([^"#]+)', text)
        page = urlsplit(urljoin("/" + page, html.unescape(match.group(1)))).path.lstrip("/") if match else None
    return order


def _article(text: str) -> str:
    start = text.find('<article class="bd-article"')
    if start < 0:
        raise RosesError('a page of the site has no <article class="bd-article">: not a roses book page')
    end = text.rfind("</article>")
    return text[start : end + len("</article>")]


def _head(text: str) -> str:
    """The stylesheets and the book's scripts of a page: theme and roses styles, plotly.js, its drawer
    and roses-tables.js (which opens the captions' notes and the data-used lists for paper)."""
    links = re.findall(r"<link\b[^>]*rel=\"stylesheet\"[^>]*>", text)
    scripts = [
        s
        for s in re.findall(r"<script\b[^>]*src=\"[^\"]*\"[^>]*></script>", text)
        if plotlyjs.FILENAME in s or "roses-charts" in s or "roses-tables" in s
    ]
    return "\n".join(links + scripts)


def print_document(html_dir: Path, title: str, subtitle: str = "") -> tuple[str, list[str]]:
    """One HTML document holding every page's article, in reading order (relative to ``book/``)."""
    pages = reading_order(html_dir)
    if not pages:
        raise RosesError(f"{html_dir} has no book pages to print (build it first)")
    head = ""
    chapters, contents = [], []
    for page in pages:
        text = (html_dir / page).read_text(encoding="utf-8")
        if not head or "roses-charts" not in head:
            head = _head(text) if "roses-charts" in text or not head else head
        name = re.search(r"<title>(.*?)</title>", text, re.S)
        contents.append(re.split(r"\s+[\u2014|-]\s+", html.unescape(name.group(1).strip()))[0] if name else page)
        chapters.append(
            f'<section class="roses-print-chapter" data-page="{html.escape(page)}">{_article(text)}</section>'
        )
    # The pages' own titles carry the chapters' numbers ("2. Leadership"): the list adds none.
    items = "".join(f"<li>{html.escape(c)}</li>" for c in contents)
    cover = (
        f'<section class="roses-print-cover"><h1>{html.escape(title)}</h1>'
        + (f"<p>{html.escape(subtitle)}</p>" if subtitle else "")
        + f'<h2>Contents</h2><ul class="roses-print-contents">{items}</ul></section>'
    )
    document = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'{head}<style>{PRINT_CSS}</style></head><body class="roses-print">{cover}{"".join(chapters)}'
        f"</body></html>"
    )
    return document, pages


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def _serve(root: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _site_title(html_dir: Path, pages: list[str]) -> str:
    text = (html_dir / pages[0]).read_text(encoding="utf-8") if pages else ""
    match = re.search(r"<title>(.*?)</title>", text, re.S)
    title = html.unescape(match.group(1)) if match else "roses"
    return re.sub(r"^.*?\s[\u2014|-]\s", "", title) if " \u2014 " in title or " | " in title else title


def write_pdf(
    html_dir: Path, out: Path, *, title: str | None = None, subtitle: str = "", timeout_ms: int = 180_000
) -> PdfReport:
    """Print the built site at ``html_dir`` to ``out`` (a PDF); fails if any chart is blank.

    Playwright's sync API refuses to start inside a running asyncio loop (a notebook, or a test
    session already driving a browser): then the printing runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _write_pdf(html_dir, out, title=title, subtitle=subtitle, timeout_ms=timeout_ms)
    result: dict = {}

    def work():
        try:
            result["report"] = _write_pdf(html_dir, out, title=title, subtitle=subtitle, timeout_ms=timeout_ms)
        except BaseException as error:  # noqa: BLE001 - handed back to the caller's thread
            result["error"] = error

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["report"]


def _write_pdf(html_dir: Path, out: Path, *, title: str | None, subtitle: str, timeout_ms: int) -> PdfReport:
    html_dir = Path(html_dir).resolve()
    if not Path(CHROMIUM).is_file():
        raise RosesError(f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium)")
    pages = reading_order(html_dir)
    title = title or _site_title(html_dir, pages)
    document, pages = print_document(html_dir, title, subtitle)
    # Served from the folder that holds the site, so an edition's shared assets (linked as ../) resolve.
    root = html_dir.parent if any("../../" in link for link in re.findall(r'href="([^"]+)"', document)) else html_dir
    prefix = "" if root == html_dir else html_dir.name + "/"
    server = _serve(root)
    base = f"http://127.0.0.1:{server.server_address[1]}/{prefix}book/"
    document = document.replace("<head>", f'<head><base href="{base}">', 1)
    report = PdfReport(path=Path(out), pages=pages)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": PRINT_WIDTH, "height": 1000})

            def route(request_route):
                host = urlsplit(request_route.request.url).hostname
                if request_route.request.url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
                    request_route.continue_()
                else:
                    request_route.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.route(
                base + "__print__.html",
                lambda r: r.fulfill(status=200, body=document, content_type="text/html; charset=utf-8"),
            )
            page.goto(base + "__print__.html", wait_until="load", timeout=timeout_ms)
            page.evaluate("() => window.rosesCharts && window.rosesCharts.drawAll()")  # not only those in view
            page.wait_for_function(
                "() => [...document.querySelectorAll('.roses-chart .plotly-graph-div')]"
                ".every(d => d.hasAttribute('data-roses-ready'))",
                timeout=timeout_ms,
            )
            marks = page.evaluate(CHART_MARKS)
            report.charts = len(marks)
            # Blank: a chart that drew no marks, unless it has no data by design and says so in words.
            report.blank = [m["figure"] for m in marks if m["marks"] == 0 and (m["traces"] or not m["message"])]
            if report.blank:
                raise RosesError(f"{out}: {len(report.blank)} chart(s) drew nothing: {', '.join(report.blank)}")
            report.captions = page.evaluate(
                "() => [...document.querySelectorAll('figure.roses-exhibit "
                "figcaption .roses-number')].map(e => e.textContent.trim())"
            )
            # Short data tables open under their charts, long ones are named (roses-charts.js, as on print).
            # Charts laid out for paper (a page's height at most: a caption never sits alone on a page).
            page.evaluate("() => window.rosesTables && window.rosesTables.openForPrint()")  # notes, data files
            page.evaluate("() => window.rosesCharts && window.rosesCharts.forPaper()")
            page.emulate_media(media="print")
            page.wait_for_timeout(300)
            # A card taller than a page is cut somewhere through its chart: name each, for the tests.
            report.too_tall = [c["figure"] for c in page.evaluate(CARD_HEIGHTS) if c["height"] > PAGE_PX]
            page.pdf(
                path=str(out),
                format="A4",
                print_background=True,
                prefer_css_page_size=False,
                margin={"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER.format(title=html.escape(title)),
            )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    report.page_count = page_count(out)
    return report


def page_count(pdf: Path) -> int:
    """Pages in a PDF Chromium wrote (its page objects are not compressed into object streams)."""
    data = Path(pdf).read_bytes()
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    return max(counts) if counts else len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
