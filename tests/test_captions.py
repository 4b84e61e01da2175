"""Captions of illustrative exhibits state only what the report states (issue 31, scope 2).

Which authority is left in Group 3 in wave 4, which first-wave surveys were unreliable and which
authorities' parent surveys lasted to round 3 are choices of the illustrative generator
(survey/synth.py); the report says how many, never which. A caption may name a letter only where
the report names it for that exhibit (its findings rows' ``about``), or for an authority's own files.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from roses.core.origin import Origin
from roses.exhibits.registry import CHAPTERS, Params, all_exhibits
from roses.pages.render import exhibit_html
from roses.published import findings

ILLUSTRATIVE = [ex for ex in all_exhibits() if ex.origin == Origin.ILLUSTRATIVE]
ARTICLE = re.compile(r"(^|[.:;]\s+|<br>)A (?=[a-z])")  # "A group's line ..." is not authority A
LETTER = re.compile(r"(?<![\w'-])[A-HJK](?![\w'-])")


def named_letters(text: str) -> set[str]:
    return set(LETTER.findall(ARTICLE.sub(r"\1", text)))


def report_letters(exhibit_id: str) -> set[str]:
    """The letters the report names in its findings about this exhibit."""
    table = findings.findings()
    about = table.loc[table["subject"] == exhibit_id, "about"].dropna()
    return {letter for cell in about for letter in re.findall(r"\b[A-HJK]\b", cell)}


def captions(ex, params: Params) -> list[str]:
    """The summary, the notes and the chart's written notes (sentences, not panel or line labels)."""
    frame = ex.frame(params)
    texts = [ex.summary(frame, params)] if ex.summary else []
    texts += list(ex.notes)
    if ex.chart is not None:
        notes = [a.text for a in ex.chart(frame, params).layout.annotations or [] if a.text]
        texts += [t for t in notes if len(t.split()) > 4]
    return texts


@pytest.mark.parametrize("ex", ILLUSTRATIVE, ids=lambda ex: ex.id)
def test_an_illustrative_caption_names_only_letters_the_report_names(ex):
    allowed = report_letters(ex.id)
    for text in captions(ex, Params()):
        invented = named_letters(text) - allowed
        assert not invented, f"{ex.id} names {sorted(invented)}, the generator's choice: {text}"


def test_the_generator_s_choices_are_counted_and_called_its_choice():
    (figure,) = [ex for ex in ILLUSTRATIVE if ex.id == "figure-7.3"]
    frame = figure.frame()
    summary = figure.summary(frame, Params())
    # The report says one Group 3 authority answered the fourth survey; it never says which.
    assert "Group 3 wave 4: 1 authority, was 3" in summary and "(H)" not in summary
    assert "generator's choice" in summary
    chart_note = " ".join(captions(figure, Params())[1:])
    assert "generator's choice" in chart_note and "(H)" not in chart_note
    (rates,) = [ex for ex in ILLUSTRATIVE if ex.id == "exhibit-r4.1-response-rates"]
    text = rates.summary(rates.frame(), Params())
    assert "2 in wave 1 (u)" in text and not named_letters(text)


def test_an_authority_s_own_files_are_named_in_its_captions(tmp_path):
    # Its own exports are the authority's to name; the other authorities stay counted.
    folder = tmp_path / "surveys" / "staff" / "E"
    folder.mkdir(parents=True)
    from roses.survey import instruments  # noqa: PLC0415 (only this test needs the codebook)

    items = [i for i in instruments.load("staff").items if 4 in i.waves and i.scale == "agree"]
    pd.DataFrame({i.wording: ["Disagree"] * 7 for i in items}).to_csv(folder / "wave-4.csv", index=False)
    html = exhibit_html("figure-7.2", authority="E", data_dir=tmp_path)
    assert "E wave 4" in html  # seven respondents: suppressed, and said so by name
    assert "(H)" not in html and "generator's choice" in html


def report_numbers(repo_root, kind: str) -> set[str]:
    seed = repo_root.parent / "shared" / "seed" / "you-cant-grow-roses-in-concrete-part-2.txt"
    if not seed.is_file():
        pytest.skip("the report text is not beside this checkout (../shared)")
    return set(re.findall(rf"^{kind} (\d+\.\d+):", seed.read_text(), flags=re.MULTILINE))


def test_every_table_a_source_or_caption_cites_is_one_the_report_has(repo_root):
    from roses.pages import explorers  # noqa: PLC0415

    tables = report_numbers(repo_root, "Table")
    texts = [explorers.SELF_SOURCE] + [
        " ".join([ex.title, ex.source, *ex.notes]) for ex in all_exhibits() if not ex.id.startswith("figure-a")
    ]
    for text in texts:
        cited = re.findall(r"Tables? (\d+\.\d+)((?:(?:,| and| to|-) (?:Table )?\d+\.\d+)*)", text)
        numbers = {n for first, rest in cited for n in [first, *re.findall(r"\d+\.\d+", rest)]}
        assert numbers <= tables, f"{sorted(numbers - tables)} cited but not in the report: {text}"


def test_every_exhibit_is_numbered_as_the_report_numbers_it_or_with_an_r_number(repo_root):
    """The report's tables and figures keep its numbers; every other exhibit gets an R-number that no
    one could take for the report's, and no exhibit is left with a bare title or a made-up section."""
    tables, figures = report_numbers(repo_root, "Table"), report_numbers(repo_root, "Figure")
    seen = {}
    for ex in all_exhibits():
        number = ex.number
        assert number not in seen, f"{ex.id} and {seen.get(number)} are both {number}"
        seen[number] = ex.id
        if re.fullmatch(r"Exhibit R\d+\.\d+", number):
            assert number.startswith(f"Exhibit R{CHAPTERS.index(ex.chapter) + 1}."), f"{ex.id}: {number}"
            continue
        kind, _, rest = number.partition(" ")
        if kind == "Table":
            assert rest.split(" ")[0] in tables, number
        elif kind == "Figure":
            assert rest.split(" ")[0] in figures, number
        elif kind == "Appendix":
            assert ex.chapter == "appendix-a", number
        else:  # a section of the report holding published facts (its own words are the report's)
            assert kind == "Section" and ex.origin in (Origin.PUBLISHED,), f"{ex.id}: {number}"


@pytest.mark.parametrize("ex", ILLUSTRATIVE, ids=lambda ex: ex.id)
def test_an_illustrative_caption_counts_no_authorities_off_the_synthetic_lines(ex):
    """'4 of 10 authorities are below England' read off synthetic lines would look like a result."""
    for text in captions(ex, Params())[:1]:
        assert not re.search(r"\b\d+ of \d+ authorities\b", text), f"{ex.id}: {text}"


def test_an_illustrative_exhibit_of_the_book_s_own_claims_no_chart_of_the_report():
    """The report has no response-rate or inter-rater chart, so their captions and CSVs cannot call
    the synthetic values 'the shape of the report's chart'; the report's own figures still say so."""
    from roses.pages.render import csv_preamble  # noqa: PLC0415 (only this test reads the CSV preamble)

    for id in ("exhibit-r4.1-response-rates", "exhibit-r7.3-agreement", "figure-2.1"):
        ex = next(ex for ex in ILLUSTRATIVE if ex.id == id)
        caption, preamble = html.unescape(exhibit_html(id)), csv_preamble(ex, Origin.ILLUSTRATIVE)
        own = ex.number.startswith("Exhibit R")
        assert ("shape of the report's chart" in caption) is not own, f"{id}: {caption[:300]}"
        assert ("shape of the report's chart" in preamble) is not own, f"{id}: {preamble}"
        assert ("the report has no such chart" in caption) is own


def test_how_many_authorities_each_group_has_is_called_the_generator_s_choice():
    """The report says two first-wave surveys were unreliable, not in which groups; 'Group 1 wave 2:
    3 authorities, was 2' is the generator's placing, and the caption says so."""
    (figure,) = [ex for ex in ILLUSTRATIVE if ex.id == "figure-2.2"]
    summary = figure.summary(figure.frame(), Params())
    assert "Group 1 wave 2: 3 authorities, was 2" in summary
    assert "how many each group has wherever the report does not say, is the illustrative generator's choice" in (
        summary
    )
