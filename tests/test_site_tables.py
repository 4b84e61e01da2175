"""The page's tables and text as a reader sees them (checked on the rendered HTML, no browser)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_pdf import site_root  # the built site, as the browser tests find it

from roses.exhibits.registry import Params, all_exhibits
from roses.pages import columns
from roses.pages.render import data_table, render


@pytest.mark.parametrize("ex", all_exhibits(), ids=lambda ex: ex.id)
def test_every_exhibit_table_has_human_headers_and_no_empty_column(ex):
    page = render(ex, Params())
    if not ex.shows_anything(ex.frame(Params())):  # nothing for the programme book: a note, no table
        assert "roses-empty" in page and "<table" not in page and "roses-badge" not in page
        return
    heads = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', page)
    assert heads, ex.id
    assert [h for h in heads if "_" in h or re.fullmatch(r"[a-z0-9 ]+", h)] == [], f"{ex.id}: {heads}"
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)]
    for column, head in enumerate(heads):
        assert any(row[column] for row in rows if column < len(row)), f"{ex.id}: '{head}' is empty throughout"
    # One visible title: the table's caption is for screen readers (the exhibit's caption shows it).
    assert '<caption class="roses-visually-hidden">' in page


def test_numbers_read_as_numbers():
    frame = pd.DataFrame(
        {
            "respondents": [1234, 56],
            "response_rate": [0.456, 0.2],
            "index": [-5.04, 12.0],
            "p_value": [0.00049, 0.5],
            "year": [2019, 2020],
            "neighbour_median": [None, None],
        }
    )
    html = data_table(frame, "Example")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html)
    assert cells[:5] == ["1,234", "45.6%", "\u22125.0%", "0.0005", "2019"]
    assert "Median of statistical neighbours" not in re.findall(r"<thead>.*</thead>", html)[0]
    assert "Not shown, no value in any row: Median of statistical neighbours" in html
    assert '<td class="roses-num">' in html


def test_code_values_get_reader_labels():
    assert columns.cell_text("spearman", columns.column("statistic"), "statistic") == "Spearman's rho"
    assert columns.column("change_pct").label == "Change (%)"
    assert columns.column("value", "exhibit-r7.1-association").label == "Coefficient"
    assert columns.column("some_new_column").label == "Some new column"


def test_title_and_summary_are_separate_words():
    ex = next(e for e in all_exhibits() if e.id == "section-5.2-training-offer")
    page = render(ex, Params())
    assert re.search(r'</strong>\s+<p class="roses-summary">', page)


def test_bibliography_keeps_its_capitals():
    page = site_root() / "book" / "bibliography.html"
    if not page.is_file():
        pytest.fail("no built site: run `make book` first")
    text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))
    for phrase in ("Signs of Safety", "the ICS in councils", "in England"):
        assert phrase in text, phrase
    assert not re.search(r"\[[A-Z][A-Za-z+]*\d\d\]", text), "alpha keys such as [BMM+16] instead of readable labels"
