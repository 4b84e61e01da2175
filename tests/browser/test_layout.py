"""Pages a reader can read at desktop (1280x900) and phone (390x844) width: no chart text overprints
another, every legend entry shows (no scroll boxes), tables have human labels, no empty columns, no
word broken in the middle, one title per exhibit, plots wide enough on a phone, no modebar over the
panels."""

from __future__ import annotations

import re

import pytest

from .conftest import DESKTOP, PHONE, chapter_pages, chart_pages, site_root, wait_for_charts
from .expected import for_page

pytestmark = pytest.mark.browser

# The same widths as the other reading tests, so that they all read one load of each page.
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
CHAPTERS = chapter_pages(site_root()) or ["(no site built)"]


CHART_PAGES = chart_pages(site_root()) or ["(no site built)"]


def _drawn(page):
    wait_for_charts(page)
    page.wait_for_timeout(200)


# Every piece of text a chart draws, with its box: legend entries, annotations (end labels, notes,
# panel titles), axis titles. Tick labels are plotly's own and never collide with each other.
TEXT_BOXES = """(div) => {
    const box = el => { const r = el.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; };
    const out = [];
    div.querySelectorAll('.legend .traces').forEach(el => {
        const t = el.querySelector('text.legendtext');
        if (t && t.textContent.trim()) out.push({kind: 'legend', text: t.textContent.trim(), ...box(t)});
    });
    div.querySelectorAll('g.annotation').forEach(el => {
        const t = el.querySelector('text');
        if (t && t.textContent.trim() && getComputedStyle(el).display !== 'none' && el.style.opacity !== '0')
            out.push({kind: 'note', text: t.textContent.trim(), ...box(t)});
    });
    div.querySelectorAll('.g-xtitle text, .g-ytitle text, .g-x2title text, .g-y2title text').forEach(t => {
        if (t.textContent.trim()) out.push({kind: 'axis', text: t.textContent.trim(), ...box(t)});
    });
    const svg = div.querySelector('svg.main-svg').getBoundingClientRect();
    const plots = [...div.querySelectorAll('.cartesianlayer .subplot .plotbg rect, .bglayer rect.bg')].map(box);
    return {boxes: out.filter(b => b.w > 0 && b.h > 0), svg: {x: svg.left, y: svg.top, w: svg.width, h: svg.height}, plots};
}"""

NOTES = re.compile(r"^(Dashed line|Series break|c = |u = |Lines break)")


def _overlap(a: dict, b: dict, slack: float = 1.5) -> bool:
    return (
        a["x"] + slack < b["x"] + b["w"]
        and b["x"] + slack < a["x"] + a["w"]
        and a["y"] + slack < b["y"] + b["h"]
        and b["y"] + slack < a["y"] + a["h"]
    )


@pytest.mark.parametrize("width", WIDTHS, scope="module")
@pytest.mark.parametrize("path", CHART_PAGES, scope="module")
def test_no_chart_text_overlaps_other_text(shared_page, path, width):
    """Bounding boxes of legend entries, notes, end labels, panel and axis titles never intersect,
    and all of them lie inside the chart; notes lie clear of the plot area (the data)."""
    page, _ = shared_page(path, viewport=WIDTHS[width])
    _drawn(page)
    charts = page.locator(".roses-chart .plotly-graph-div")
    problems = []
    for index in range(charts.count()):
        found = charts.nth(index).evaluate(TEXT_BOXES)
        boxes, svg = found["boxes"], found["svg"]
        name = charts.nth(index).get_attribute("id")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if _overlap(a, b):
                    problems.append(
                        f"{name}: '{a['text'][:30]}' ({a['kind']}) overlaps '{b['text'][:30]}' ({b['kind']})"
                    )
            inside = (
                a["x"] >= svg["x"] - 1
                and a["x"] + a["w"] <= svg["x"] + svg["w"] + 1
                and a["y"] >= svg["y"] - 1
                and a["y"] + a["h"] <= svg["y"] + svg["h"] + 1
            )
            if not inside:
                problems.append(f"{name}: '{a['text'][:30]}' ({a['kind']}) is cut off at the chart's edge")
            if a["kind"] == "note" and NOTES.match(a["text"]) and any(_overlap(a, p) for p in found["plots"]):
                problems.append(f"{name}: the note '{a['text'][:30]}' sits on the data")
    assert problems == [], f"{path} at {width} width:\n" + "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS, scope="module")
@pytest.mark.parametrize("path", CHART_PAGES, scope="module")
def test_every_legend_entry_shows(shared_page, path, width):
    """No legend is a scroll box: plotly draws a scrollbar only when entries are hidden."""
    page, _ = shared_page(path, viewport=WIDTHS[width])
    _drawn(page)
    hidden = page.evaluate("""() => [...document.querySelectorAll('.roses-chart .plotly-graph-div')].flatMap(div => {
        const bars = [...div.querySelectorAll('.legend .scrollbar')].filter(s => s.getBBox().height > 0);
        return bars.length ? [div.id] : [];
    })""")
    assert hidden == [], f"{path} at {width}: legends scroll (entries hidden) in {hidden}"


@pytest.mark.parametrize("path", CHART_PAGES, scope="module")
def test_phone_plots_keep_their_width_and_a_readable_height(shared_page, path):
    page, _ = shared_page(path, viewport=PHONE)
    _drawn(page)
    sizes = page.evaluate("""() => [...document.querySelectorAll('.roses-chart .plotly-graph-div')].map(div => {
        const plots = [...div.querySelectorAll('.cartesianlayer .subplot .plotbg rect, .bglayer rect.bg')]
            .map(r => r.getBoundingClientRect().width);
        return {id: div.id, plot: Math.min(...plots, 9999), height: div.getBoundingClientRect().height,
                modebar: !!div.querySelector('.modebar-container .modebar-group')};
    })""")
    for size in sizes:
        assert size["plot"] >= 150, f"{path} {size['id']}: the plot is {size['plot']:.0f}px wide on a phone"
        assert size["height"] <= 2200, f"{path} {size['id']}: the chart is {size['height']:.0f}px tall on a phone"
        assert not size["modebar"], f"{path} {size['id']}: plotly's modebar is drawn over the chart"


# Measured with every <details> open (a closed one hides its table, and keeps a chart's table in a
# <template> until its toggle event), then closed again: the page is shared.
TABLES = """async () => {
  const closed = [...document.querySelectorAll('details:not([open])')];
  closed.forEach(d => d.open = true);
  await new Promise(done => setTimeout(done, 100));
  const tables = [...document.querySelectorAll('table.roses-table')].map(t => {
    const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim());
    const rows = [...t.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(td => td.textContent.trim()));
    const cells = [...t.querySelectorAll('th, td')].filter(c => !c.classList.contains('roses-code'));
    const broken = cells.filter(c => {
        const s = getComputedStyle(c);
        return s.overflowWrap === 'anywhere' || s.wordBreak === 'break-all' || c.scrollWidth > c.clientWidth + 1;
    }).map(c => c.textContent.trim().slice(0, 30));
    const caption = t.querySelector('caption');
    const inExhibit = !!t.closest('figure.roses-exhibit');
    return {caption: caption ? caption.textContent.trim() : '', heads, rows, broken, inExhibit,
            captionShown: caption ? caption.getBoundingClientRect().width > 2 : false};
  });
  closed.forEach(d => d.open = false);
  return tables;
}"""


@pytest.mark.parametrize("width", WIDTHS, scope="module")
@pytest.mark.parametrize("path", CHAPTERS, scope="module")
def test_tables_read_like_a_statistics_publication(shared_page, path, width):
    page, _ = shared_page(path, viewport=WIDTHS[width])
    tables = page.evaluate(TABLES)
    assert tables or not for_page(path).exhibits, f"{path}: its notebook shows exhibits, the page has no table"
    for table in tables:
        where = f"{path} '{table['caption'][:40]}'"
        code_like = [h for h in table["heads"] if "_" in h or re.fullmatch(r"[a-z0-9 ]+", h)]
        assert code_like == [], f"{where}: headers read as code names: {code_like}"
        for column, head in enumerate(table["heads"] if table["rows"] else []):
            values = [row[column] for row in table["rows"] if column < len(row)]
            assert any(values), f"{where}: column '{head}' is empty throughout"
        assert table["broken"] == [], f"{where}: words broken mid-word or spilling out of cells: {table['broken'][:5]}"
        if table["inExhibit"]:
            # The exhibit's caption shows the title once; the table's caption is for screen readers.
            assert not table["captionShown"], f"{where}: the title is shown twice"


@pytest.mark.parametrize("path", CHAPTERS, scope="module")
def test_numbers_are_formatted_for_reading(shared_page, path):
    page, _ = shared_page(path, viewport=DESKTOP)
    cells = page.evaluate(  # a chart's data table waits in a <template> until its <details> is opened
        """() => [document, ...[...document.querySelectorAll('template.roses-table-template')].map(t => t.content)]
            .flatMap(root => [...root.querySelectorAll('table.roses-table td.roses-num')]).map(c => c.textContent.trim())"""
    )
    assert cells or not for_page(path).numeric_tables, f"{path}: its exhibits' numbers are not in the page"
    long_floats = [c for c in cells if re.search(r"\.\d{5,}", c)]
    no_separator = [c for c in cells if re.fullmatch(r"-?\d{5,}(\.\d+)?%?", c)]
    assert long_floats == [] and no_separator == [], f"{path}: {long_floats[:5]} {no_separator[:5]}"


@pytest.mark.parametrize("path", CHAPTERS, scope="module")
def test_wide_tables_scroll_inside_their_box_on_a_phone(shared_page, path):
    page, _ = shared_page(path, viewport=PHONE)
    wraps = page.locator(".roses-table-wrap")
    assert wraps.count() or not for_page(path).exhibits, f"{path}: its notebook shows exhibits, the page has no table"
    styles = wraps.evaluate_all("els => els.map(e => getComputedStyle(e).overflowX)")
    assert set(styles) <= {"auto", "scroll"}
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1


@pytest.mark.parametrize("path", CHAPTERS, scope="module")
def test_exhibit_title_and_summary_are_separate_words(shared_page, path):
    """The caption's text reads 'Title Summary', never 'TitleSummary' (search, screen readers, copy)."""
    page, _ = shared_page(path, viewport=DESKTOP)
    joined = page.evaluate("""() => [...document.querySelectorAll('figure.roses-exhibit figcaption .roses-number')]
        .filter(n => n.nextSibling && !/^\\s/.test(n.nextSibling.textContent || '')).map(n => n.textContent)""")
    assert joined == [], f"{path}: title runs into the summary: {joined}"
