"""axe-core (bundled with axe-playwright-python, run inside the page: no network) on every page.

Fails on any serious or critical violation, and on any "incomplete" result (axe could not decide
and asks a person) that is not in ACCEPTED_INCOMPLETE below with the reason a person accepted it.
The accessibility statement (book/accessibility.md) points here. axe runs on the page loads that
the other reading tests share (``shared_page``), after them (see ``RUNS_LAST_ON_A_PAGE``).
"""

from __future__ import annotations

import pytest

from .conftest import PHONE, site_pages, site_root

pytestmark = pytest.mark.browser

PAGES = site_pages(site_root()) or ["(no site built)"]
BLOCKING = {"serious", "critical"}

# rule id -> (CSS fragment the node's target must contain, reason it was checked by a person and accepted)
ACCEPTED_INCOMPLETE = {
    "color-contrast": [
        (
            'class="loop-',
            "Labels of the landing page's infinity loop: axe cannot compute the background of "
            "SVG text. Checked by eye and colour picker: #1a1a1a on white, above 15:1.",
        ),
        (
            "data-unformatted=",
            "Text drawn by plotly.js in a chart's SVG (labels, annotations; plotly marks them "
            "data-unformatted): axe cannot see the SVG background. #2a3f5f or the group colours "
            "on white, checked by eye and colour picker: 4.5:1 or more.",
        ),
        (
            ".ytick",
            "Axis tick labels drawn by plotly.js inside the chart SVG (#2a3f5f on white, 11:1): axe "
            "cannot see the SVG background.",
        ),
        (
            ".xtick",
            "Axis tick labels drawn by plotly.js inside the chart SVG (#2a3f5f on white, 11:1): axe "
            "cannot see the SVG background.",
        ),
        (
            "main-svg",
            "Text drawn by plotly.js inside a chart's SVG: axe cannot see the SVG background. "
            "Plotly's dark blue-grey (#2a3f5f) on white, above 10:1.",
        ),
        (
            '<tspan class="line"',
            "A multi-line tick label drawn by plotly.js in the chart SVG (#2a3f5f on white, 11:1).",
        ),
        (
            "> details > summary",
            "The 'Data table' toggle under a chart (#212529 on white, 16:1). axe reports 'bgOverlap' "
            "while plotly is still laying the chart out; on the settled page nothing covers it "
            "(checked with document.elementsFromPoint).",
        ),
        (
            'class="roses-download"',
            "The CSV link under a chart (theme link blue on white, 7:1): the same transient "
            "'bgOverlap' while plotly lays the chart out; nothing covers it once drawn.",
        ),
        ('class="updatemenu-', "A chart menu's label (plotly SVG): #2a3f5f on white, above 10:1."),
        (
            'class="output text_plain"',
            "A glued number inside a sentence (myst-nb's inline span): #222832 on a transparent paragraph on "
            "the white page, 15:1, checked with getComputedStyle up the ancestors; axe flags it undecidable "
            "while the charts of the page are still being laid out.",
        ),
        (
            'class="roses-long"',
            "A long text cell of a data table: #222832 on transparent cells, table and figure on the white "
            "page, 15:1, checked with getComputedStyle; the same layout-time 'bgOverlap' as above.",
        ),
        ('class="legendtext', "A chart legend's label (plotly SVG): #2a3f5f on white, above 10:1."),
    ],
}


def _unaccepted(incomplete: list[dict]) -> list[str]:
    problems = []
    for result in incomplete:
        accepted = ACCEPTED_INCOMPLETE.get(result["id"], [])
        for node in result["nodes"]:
            target = " ".join(str(t) for t in node["target"]) + " " + node.get("html", "")
            if not any(fragment in target for fragment, _ in accepted):
                problems.append(
                    f"{result['id']} ({result.get('impact')}): {node['target']} {node.get('html', '')[:120]}"
                )
    return problems


def _wait_for_charts(page) -> None:
    """Run axe on the settled page: until plotly has drawn every chart, its half-sized layers overlap
    the text below them and axe reports that text's contrast as undecidable."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => window.rosesCharts && window.rosesCharts.drawAll()")  # charts off screen too
    page.wait_for_function(
        "[...document.querySelectorAll('.roses-chart')].every(c => c.querySelector('svg.main-svg'))", timeout=20_000
    )
    page.wait_for_timeout(500)


def _axe(page) -> dict:
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations", "incomplete"]}
    return Axe().run(page, options=options).response


def _blocking(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
        if v.get("impact") in BLOCKING
    ]


@pytest.mark.parametrize("path", PAGES, scope="module")
def test_no_serious_or_critical_accessibility_violation(shared_page, path):
    page, _ = shared_page(path)
    _wait_for_charts(page)
    results = _axe(page)
    blocking, unaccepted = _blocking(results["violations"]), _unaccepted(results["incomplete"])
    assert blocking == [], f"{path}: {blocking}"
    assert unaccepted == [], f"{path}: incomplete results nobody has checked: {unaccepted}"


@pytest.mark.parametrize("path", [p for p in PAGES if p.startswith("book/")][:3] or PAGES[:1], scope="module")
def test_no_serious_violation_at_phone_width(shared_page, path):
    page, _ = shared_page(path, viewport=PHONE)
    _wait_for_charts(page)
    assert _blocking(_axe(page)["violations"]) == [], path


def test_landing_loop_is_keyboard_reachable(open_page):
    """Each part of the infinity loop is a link a keyboard user reaches with Tab and can see focused."""
    page, _ = open_page("book/index.html")
    names: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "document.activeElement.closest('.roses-loop') && document.activeElement.getAttribute('aria-label')"
        )
        if label in names:
            break  # focus came round again
        if label:
            names.append(label)
    assert len(names) == 5, names
    assert any("Practice" in n for n in names)
