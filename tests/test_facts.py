"""Prose facts: one mechanism, every fact with its origin, and no illustrative number passed off as a result."""

from __future__ import annotations

import re

import nbformat
import pytest

from roses.core.origin import Origin
from roses.exhibits.registry import CHAPTERS
from roses.pages import facts as facts_module
from roses.pages.facts import ILLUSTRATIVE_MARKER, Fact, chapter_facts, facts_for

PAGES = [*CHAPTERS, "data-and-methods", "provenance", "what-changed"]


def _glued_names(repo_root, chapter: str) -> set[str]:
    notebook = nbformat.read(repo_root / "book" / f"{chapter}.ipynb", as_version=4)
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    return set(re.findall(r"\{glue(?::text)?\}`([^`]+)`", prose))


def test_an_illustrative_fact_always_carries_its_marker():
    assert Fact("71", Origin.ILLUSTRATIVE).text_for_prose() == "71" + ILLUSTRATIVE_MARKER
    for origin in set(Origin) - {Origin.ILLUSTRATIVE}:
        assert Fact("71", origin).text_for_prose() == "71"


@pytest.mark.parametrize("chapter", PAGES)
def test_every_glued_name_is_a_fact_of_its_chapter(repo_root, chapter):
    """Prose can only glue through the one mechanism, so every value it shows has an origin."""
    facts = chapter_facts(chapter)
    missing = sorted(_glued_names(repo_root, chapter) - set(facts))
    assert not missing, f"{chapter} glues names no fact provides: {missing}"


@pytest.mark.parametrize("chapter", PAGES)
def test_notebooks_glue_only_through_the_chapter(repo_root, chapter):
    notebook = nbformat.read(repo_root / "book" / f"{chapter}.ipynb", as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "glue(" not in code and f'Chapter("{chapter}", authority, data_dir)' in code


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_prose_states_no_illustrative_number(repo_root, chapter):
    """What the report found is cited from the report: no chapter glues an illustrative value at all."""
    facts = chapter_facts(chapter)
    illustrative = sorted(n for n in _glued_names(repo_root, chapter) if facts[n].origin == Origin.ILLUSTRATIVE)
    assert not illustrative, f"{chapter} states illustrative values: {illustrative}"


def test_a_fact_without_an_origin_is_refused(monkeypatch):
    monkeypatch.setattr(facts_module, "_PROVIDERS", {})
    facts_for("test-page")(lambda data_dir: {"n": "42"})
    with pytest.raises(TypeError, match="has no origin"):
        chapter_facts("test-page")


def test_report_findings_are_glued_with_their_units():
    facts = chapter_facts("introduction")
    assert facts["report_ldr_dcs_tenure"].text == "37 months"  # section 2.4
    assert facts["report_intro_response_rate_mean"].text == "43%"  # section 1.4
    numbered = {name: fact for name, fact in facts.items() if name.startswith("report_")}
    assert len(numbered) > 50 and all(f.origin == Origin.PUBLISHED for f in numbered.values())


def test_a_chapter_glues_the_facts_its_prose_uses_and_all_of_them_without_its_notebook(tmp_path, monkeypatch):
    """Each glue is an output the book reads: a chapter glues only what its prose names, but every fact
    when its notebook is not beside it to read (an unused glue is harmless, a missing one breaks a page)."""
    from roses.pages import chapter as chapter_module

    every = set(chapter_facts("introduction"))
    used = sorted(every)[:2]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"A {{glue}}`{used[0]}` in a sentence."),
        nbformat.v4.new_markdown_cell(f"```{{glue:text}} {used[1]}\n```"),
        nbformat.v4.new_code_cell(f"glue('not-prose-{used[0]}', 1)"),
    ]
    glued: list[str] = []
    monkeypatch.setattr(chapter_module, "glue", lambda name, value, display=True: glued.append(name))
    monkeypatch.chdir(tmp_path)
    chapter_module.Chapter("introduction")  # no notebook here: every fact
    assert set(glued) == every
    nbformat.write(notebook, tmp_path / "introduction.ipynb")
    glued.clear()
    texts = chapter_module.Chapter("introduction").glue_facts()
    assert sorted(set(glued)) == used and set(texts) == every


@pytest.mark.parametrize(
    ("chapter", "table", "factor"),
    [
        ("leadership", "table-2.2", "workshop_attendance"),
        ("leadership", "table-2.4", "leadership_stability"),
        ("organisational-alignment", "table-3.1", "case_alignment"),
    ],
)
def test_a_group_mean_of_blind_ratings_is_rounded_half_up_as_a_reader_would(chapter, table, factor):
    """Group 2's four scores in these tables average 2.25: the prose and the caption say 2.3, as a
    reader checking by hand would (they once said 2.2, beside a 1.75 shown as 1.8)."""
    from roses.exhibits.registry import Params, get  # noqa: PLC0415 (only this test renders a caption)

    ex = get(table)
    frame = ex.frame()
    mean = frame.loc[frame["group"] == 2, "score"].mean()
    assert mean == 2.25  # the tie this test is about
    assert "Group 2 2.3" in ex.summary(frame, Params())
    assert chapter_facts(chapter)[f"{factor}_g2"].text == "2.3"
