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


# --- weight: what a page makes the reader wait for before its first paint (issue 31; speed is in bench/run)


@pytest.mark.parametrize("path", PAGES, scope="module")
def test_page_waits_for_one_stylesheet_and_no_font(shared_page, path):
    """Chromium holds the first paint for one stylesheet (the theme's and the book's, bundled), for no
    script on a book page, and no page asks for a font file (the theme's icons are CSS masks)."""
    page, _ = shared_page(path)
    page.wait_for_load_state("networkidle")
    resources = page.evaluate(
        "() => performance.getEntriesByType('resource').map(r => [r.name, r.initiatorType, r.renderBlockingStatus])"
    )
    blocking = [urlsplit(name).path for name, _kind, status in resources if status == "blocking"]
    stylesheets = page.evaluate("() => document.querySelectorAll('link[rel=stylesheet]').length")
    if path != "index.html":  # the root page only redirects to the book
        assert stylesheets == 1, f"{path} links {stylesheets} stylesheets"
        assert [p for p in blocking if p.endswith(".css")] == [blocking[0]] and "roses-bundle-" in blocking[0], blocking
    if path.startswith("book/"):
        assert [p for p in blocking if not p.endswith(".css")] == [], f"{path}: scripts hold up the first paint"
    fonts = [name for name, _kind, _status in resources if urlsplit(name).path.endswith((".woff2", ".woff", ".ttf"))]
    assert fonts == [], f"{path} fetched fonts: {fonts}"


STYLE_PROPERTIES = (
    "display color background-color background-image font-family font-size font-weight line-height width height "
    "margin-top margin-left padding-top padding-left border-top-color border-left-width position mask-image content"
).split()
COMPUTED_STYLES = """(properties) => [...document.querySelectorAll('body *')].slice(0, 2500).flatMap(element =>
    [null, '::before', '::after'].map(pseudo => { const style = getComputedStyle(element, pseudo);
        return properties.map(name => style.getPropertyValue(name)).join('|'); }))"""
UNBUNDLE = """() => new Promise(done => {
    const bundle = document.querySelector('link[rel=stylesheet][href*="roses-bundle-"]');
    const folder = new URL('.', bundle.href);
    fetch(bundle.href).then(r => r.text()).then(text => {
        const files = /roses bundle of: ([^*]*) \\*\\//.exec(text)[1].trim().split(' ');
        let waiting = files.length;
        for (const file of files) {
            const link = document.createElement('link');
            link.rel = 'stylesheet'; link.href = new URL(file, folder).href;
            link.onload = link.onerror = () => { if (--waiting === 0) { bundle.remove(); setTimeout(done, 100); } };
            bundle.before(link);
        }
    });
})"""


@pytest.mark.parametrize("viewport", [PHONE, None], ids=["phone", "desktop"])
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_stylesheet_bundle_styles_a_page_as_the_theme_files_do(open_page, viewport, mode):
    """Findings styled by the one bundle and by the theme's and the book's own stylesheets, linked one by one
    in the bundle's order, has the same computed style on every element (light and dark, phone and desktop):
    nothing lost, reordered, or pointing at a moved url()."""
    page, log = open_page("book/findings.html", **({"viewport": viewport} if viewport else {}))
    page.evaluate(f"() => {{ localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}'); }}")
    page.reload(wait_until="load")
    for problems in (log.console_errors, log.page_errors, log.failed):
        problems.clear()  # the first load's late requests (the favicon), cut short by the reload
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    bundled = page.evaluate(COMPUTED_STYLES, STYLE_PROPERTIES)
    page.evaluate(UNBUNDLE)
    assert page.evaluate("() => document.querySelectorAll('link[rel=stylesheet]').length") > 5
    separate = page.evaluate(COMPUTED_STYLES, STYLE_PROPERTIES)
    assert len(bundled) == len(separate) > 3000
    differing = [i for i, (a, b) in enumerate(zip(bundled, separate)) if a != b]
    assert differing == [], (
        f"{len(differing)} styles differ, first: {bundled[differing[0]]} != {separate[differing[0]]}"
    )
    assert log.problems() == []


def test_every_url_in_the_stylesheet_bundle_names_a_file(site):
    """The bundle sits in _static/, not beside the files it joins: each url() in it (fonts, images) was
    made relative to _static/ and names a file of the site."""
    import re

    bundles = sorted((site / "_static").glob("roses-bundle-*.css"))
    assert len(bundles) == 1, bundles
    urls = re.findall(r"""url\(\s*["']?([^"')]+)["']?\s*\)""", bundles[0].read_text(encoding="utf-8"))
    local = [u for u in urls if not u.startswith(("data:", "#")) and "://" not in u]
    assert local, "the theme's stylesheets name fonts and images"
    assert [u for u in local if not (site / "_static" / urlsplit(u).path).is_file()] == []
