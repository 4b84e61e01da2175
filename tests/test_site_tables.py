"""The page's tables and text as a reader sees them (checked on the rendered HTML, no browser)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from test_pdf import site_root  # the built site, as the browser tests find it

from roses.exhibits.registry import Params, all_exhibits, get
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


def test_a_long_exhibit_table_folds_after_its_first_rows_but_never_the_authority_s_own_row():
    frame = pd.DataFrame({"authority": [f"X{i}" for i in range(30)], "value": range(30)})
    frame.loc[20, "authority"] = "E"
    html = data_table(frame, "Example", "E", condensed=True)
    rows = re.findall(r"<tr( class=\"[^\"]*\")?><td", html)
    assert [cls for cls in rows[:12]] == [""] * 12
    assert rows[20] == ' class="roses-you"' and rows.count(' class="roses-more"') == 17
    assert 'class="roses-table roses-condensed"' in html and ">Show all 30 rows</button>" in html
    # A table only a few rows longer is not worth a button: shown whole.
    short = data_table(frame.head(15), "Example", condensed=True)
    assert "roses-more" not in short and "<button" not in short
    assert "roses-more" not in data_table(frame, "Example")  # a data table under a chart is never folded


def test_a_summary_keeps_its_first_sentence_in_view_and_folds_the_rest():
    ex = get("figure-6.3")
    page = render(ex, Params())
    lead = re.search(r'<p class="roses-summary">(.*?)</p>', page).group(1)
    assert lead.count(". ") == 0 and lead.endswith("waves 1-4.")
    notes = re.search(r'<details class="roses-notes"><summary>About these figures</summary>(.*?)</details>', page)
    assert notes and "A group&#x27;s line is the mean" in notes.group(1) and "Protected figures" in notes.group(1)


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
