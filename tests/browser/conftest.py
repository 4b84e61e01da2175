"""Browser fixtures: the built site served on localhost, Debian's Chromium driven by Playwright.

The site folder is $ROSES_SITE, or the repository's ``_build/html`` (what `make book` builds).
Playwright never downloads a browser: it drives ``/usr/bin/chromium`` (`make browser` installs it).
Every request to a host other than localhost is aborted and counted (``offsite``), so a page that
reaches for a CDN fails its test even on a machine with internet access.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from roses.core.paths import REPO_ROOT
from roses.site.pdf import CHROMIUM_ARGS

from .expected import pages_with

CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def site_root() -> Path:
    return Path(os.environ.get("ROSES_SITE", REPO_ROOT / "_build" / "html"))


def site_pages(site: Path) -> list[str]:
    """Every HTML page a reader can reach: the root redirect, the book's pages, search and index."""
    pages = [p.relative_to(site).as_posix() for p in sorted(site.glob("*.html"))]
    pages += [p.relative_to(site).as_posix() for p in sorted((site / "book").glob("*.html"))]
    return pages


def chapter_pages(site: Path) -> list[str]:
    return [p for p in site_pages(site) if p.startswith("book/")]


def chart_pages(site: Path) -> list[str]:
    """The chapter pages whose notebooks show at least one chart (from the book's source, ``expected``:
    a page that lost its charts is still tested, and fails)."""
    return pages_with("charts")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site() -> Path:
    root = site_root()
    if not (root / "book" / "index.html").is_file():
        pytest.fail(f"no built site at {root}: run `make book` first (or set ROSES_SITE)")
    return root


@pytest.fixture(scope="session")
def base_url(site: Path):
    """The site served by Python's http.server on a free localhost port."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium)")
    from playwright import sync_api  # locked in requirements.lock: an ImportError is a broken environment

    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Offsite:
    """Requests that tried to leave localhost (all aborted)."""

    urls: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def offsite() -> Offsite:
    return Offsite()


def _route_local_only(offsite: Offsite):
    def route(route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            offsite.urls.append(url)
            route.abort()

    return route


@dataclass
class PageLog:
    """What went wrong while a page loaded: console errors, script errors, failed responses."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.console_errors + self.page_errors + self.failed


def _load(browser, url: str, offsite: Offsite, viewport: dict, **context_options):
    """A fresh context (empty storage, requests kept on localhost) with ``url`` loaded: (page, log)."""
    context = browser.new_context(viewport=viewport, **context_options)
    context.route("**/*", _route_local_only(offsite))
    page = context.new_page()
    log = PageLog()
    page.on(
        "console",
        lambda m: log.console_errors.append(f"{m.text} ({m.location.get('url')})") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("response", lambda r: log.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: log.failed.append(f"{r.failure} {r.url}"))
    page.goto(url, wait_until="load")
    return page, log


@pytest.fixture
def open_page(browser, base_url, offsite):
    """``open_page(path, viewport=DESKTOP)`` -> (page, log): a fresh context per page, for a test that
    clicks, types, resizes or prints."""
    pages = []

    def _open(path: str, viewport: dict = DESKTOP, **context_options):
        page, log = _load(browser, f"{base_url}/{path}", offsite, viewport, **context_options)
        pages.append(page)
        return page, log

    yield _open
    for page in pages:
        page.context.close()


class _PageLoads:
    """Loads of pages kept open for the tests that take turns on them: ``get(path, viewport=DESKTOP)`` ->
    (page, log), loading the page only if it is not among the last ``keep`` loaded. With ``reload``,
    a page asked for again is reloaded first (same context, so its scripts come from the browser's
    cache): a test that clicked, typed or printed leaves nothing for the next one to find."""

    def __init__(self, browser, base_url: str, offsite: Offsite, keep: int, reload: bool = False):
        self.browser, self.base_url, self.offsite, self.keep = browser, base_url, offsite, keep
        self.reload = reload
        self.loaded: dict[tuple, tuple] = {}

    def get(self, path: str, viewport: dict = DESKTOP):
        key = (path, viewport["width"], viewport["height"])
        if key in self.loaded and self.reload:
            page, log = self.loaded[key]
            for problems in (log.console_errors, log.page_errors, log.failed):
                problems.clear()
            page.reload(wait_until="load")
        if key not in self.loaded:
            if len(self.loaded) == self.keep:
                self.loaded.pop(next(iter(self.loaded)))[0].context.close()  # the oldest
            self.loaded[key] = _load(self.browser, f"{self.base_url}/{path}", self.offsite, viewport)
        return self.loaded[key]

    def close(self) -> None:
        for page, _ in self.loaded.values():
            page.context.close()


@pytest.fixture(scope="module")
def page_per_path(browser, base_url, offsite):
    """``page_per_path(path, viewport=DESKTOP)`` -> (page, log): one browser context per page for one
    file's tests that click, type or print, which take their turns on it (parametrize them on ``path``
    with ``scope="module"``, so a page's tests run together). Each test gets the page freshly reloaded,
    so no test's outcome depends on what an earlier one did to it."""
    loads = _PageLoads(browser, base_url, offsite, keep=1, reload=True)
    yield loads.get
    loads.close()


SHARED_PAGES_OPEN = 3  # the tests of one page (desktop and phone) run together, so few need to stay open


@pytest.fixture(scope="session")
def shared_page(browser, base_url, offsite):
    """``shared_page(path, viewport=DESKTOP)`` -> (page, log), loaded once for the tests that only read
    the page (no clicks, no typing, no resizing: those use ``open_page`` or ``page_per_path``), across
    the files listed in ``tests/conftest.py`` (``SHARED_PAGE_FILES``), which run them on one worker,
    each page's tests together. Parametrize such tests on ``path`` (with ``scope="module"``)."""
    loads = _PageLoads(browser, base_url, offsite, keep=SHARED_PAGES_OPEN)
    yield loads.get
    loads.close()


@pytest.fixture(autouse=True)
def _stays_on_localhost(offsite):
    """Every browser test fails if its pages asked for anything off localhost (all such requests are
    aborted, so a page that reaches for a CDN is caught even on a machine with internet access)."""
    before = len(offsite.urls)
    yield
    assert offsite.urls[before:] == [], f"requests left localhost: {offsite.urls[before:]}"


def wait_for_charts(page) -> None:
    """Until roses-charts.js has drawn every chart of the page and connected its controls (a chart is
    drawn when it comes near the screen: all are asked for, as printing does)."""
    page.evaluate("() => window.rosesCharts && window.rosesCharts.drawAll && window.rosesCharts.drawAll()")
    page.wait_for_function(
        "[...document.querySelectorAll('.roses-chart .plotly-graph-div')]"
        ".every(d => d.hasAttribute('data-roses-ready'))",
        timeout=60_000,
    )


def present(locator, what: str):
    """``locator``, which must match at least once on the page: a test never skips a page that lost what
    its source shows (which pages must show what: ``expected``)."""
    assert locator.count() > 0, f"missing: {what}"
    return locator
