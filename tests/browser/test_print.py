"""Printing a page: whole exhibit cards, charts with their (short) data tables, no screen-only
controls, and the theme's footer never over "Data used by this chapter"."""

from __future__ import annotations

import pytest

from .conftest import chapter_pages, site_root, wait_for_charts
from .expected import for_page

pytestmark = pytest.mark.browser

CHAPTERS = chapter_pages(site_root()) or ["(no site built)"]


def _printed(page_per_path, path):
    """The page as printed; a page's print tests share one load of it."""
    page, log = page_per_path(path, viewport={"width": 690, "height": 1000})
    wait_for_charts(page)
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # as the browser's print does
    page.emulate_media(media="print")
    page.wait_for_timeout(200)
    return page, log


@pytest.mark.parametrize(
    "path", ["book/introduction.html", "book/findings.html", "book/meaningful-measures.html"], scope="module"
)
def test_print_keeps_cards_whole_and_tables_with_their_charts(page_per_path, path):
    page, log = _printed(page_per_path, path)
    cards = page.evaluate("""() => [...document.querySelectorAll('figure.roses-exhibit')].map(f => ({
        id: f.id, inside: getComputedStyle(f).breakInside,
        chart: !!f.querySelector('.roses-chart'),
        table: !!f.querySelector('details.roses-data-details[open] table') ,
        long: !!f.querySelector('.roses-print-note'),
        tools: [...f.querySelectorAll('.roses-chart-tools, .roses-download')].some(e => getComputedStyle(e).display !== 'none'),
        number: getComputedStyle(f.querySelector('figcaption .roses-number')).display !== 'none',
        notesShut: [...f.querySelectorAll('details.roses-notes')].some(d => !d.open),
        rowsHidden: [...f.querySelectorAll('tbody tr')].filter(r => getComputedStyle(r).display === 'none').length,
    }))""")
    assert cards
    for card in cards:
        assert card["inside"] == "avoid", f"{path} {card['id']}: a card may split across pages"
        assert card["number"], f"{path} {card['id']}: the exhibit number is not printed"
        assert not card["tools"], f"{path} {card['id']}: screen-only controls are printed"
        assert not card["notesShut"], f"{path} {card['id']}: the caption's notes are folded on paper"
        assert card["rowsHidden"] == 0, f"{path} {card['id']}: {card['rowsHidden']} rows of a long table not printed"
        if card["chart"]:
            assert card["table"] or card["long"], f"{path} {card['id']}: the chart's table is neither printed nor named"
    assert log.page_errors == []


@pytest.mark.parametrize("path", CHAPTERS, scope="module")
def test_printed_footer_is_not_over_the_data_used_note(page_per_path, path):
    page, _ = _printed(page_per_path, path)
    boxes = page.evaluate("""() => {
        const box = e => e && (r => ({x: r.left, y: r.top, w: r.width, h: r.height}))(e.getBoundingClientRect());
        return {used: box(document.querySelector('footer.roses-data-used')),
                footers: [...document.querySelectorAll('footer.bd-footer, .bd-footer-content, .bd-footer-article')]
                    .filter(e => getComputedStyle(e).display !== 'none').map(box),
                fixed: [...document.querySelectorAll('footer, .bd-footer')].filter(e => ['fixed', 'sticky']
                    .includes(getComputedStyle(e).position)).length};
    }""")
    assert boxes["used"] or not for_page(path).data_used, f"{path}: its notebook shows the data-used note, the page not"
    used = boxes["used"] or {"x": 0, "y": 0, "w": 0, "h": 0}  # no note (by design): nothing to overlap
    for footer in boxes["footers"]:
        if footer["h"] == 0:
            continue
        overlap = (
            footer["y"] < used["y"] + used["h"]
            and used["y"] < footer["y"] + footer["h"]
            and footer["x"] < used["x"] + used["w"]
            and used["x"] < footer["x"] + footer["w"]
        )
        assert not overlap, f"{path}: the page footer is printed over 'Data used by this chapter'"
    assert boxes["fixed"] == 0
    # The list of data files prints open: paper has no disclosure triangle to click.
    assert page.evaluate("() => [...document.querySelectorAll('footer.roses-data-used details')].every(d => d.open)")
