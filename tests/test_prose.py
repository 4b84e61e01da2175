"""Prose is written in the project's own words (no run of ten words shared with the report), and says
of the report only what the report says: its doubts kept, its contradictions shown as such."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from roses.exhibits.registry import Params, get
from roses.published import findings


def _markdown(repo_root, chapter: str) -> str:
    cells = json.loads((repo_root / "book" / f"{chapter}.ipynb").read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def _admonitions(text: str) -> list[str]:
    """The bodies of the chapter's MyST admonitions, joined onto one line each."""
    return [" ".join(body.split()) for body in re.findall(r"```\{admonition\}(.*?)```", text, flags=re.DOTALL)]


def test_no_sentence_from_the_report(repo_root):
    tool = repo_root.parent / "shared" / "tools" / "seed_overlap.py"
    if not tool.is_file():
        pytest.skip("the report text is not beside this checkout (../shared)")
    result = subprocess.run([sys.executable, str(tool), str(repo_root)], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.strip().splitlines()[-1].startswith("0 run(s)"), result.stdout


# Where the report says two things that cannot both hold, the book shows both, each with its section,
# in one note (issue 31): the caseloads, Group 3's view of management, job satisfaction, team morale.
CONTRADICTIONS = [
    ("findings", "caseloads", "section 6.4", "section 7.3.1"),
    ("findings", "management", "section 7.2.3", "Chapter 8"),
    ("findings", "Job satisfaction", "section 7.2.4", "section 7.3"),
    ("findings", "Team morale", "section 7.2.4", "section 7.3"),
]


@pytest.mark.parametrize(("chapter", "topic", "one", "other"), CONTRADICTIONS)
def test_each_contradiction_of_the_report_is_a_note_citing_both_sections(repo_root, chapter, topic, one, other):
    notes = [n for n in _admonitions(_markdown(repo_root, chapter)) if "disagrees with itself" in n]
    holding = [n for n in notes if topic in n and one in n and other in n]
    assert holding, f"no note on {topic} citing both {one} and {other}"
    assert all("does not" in n for n in holding)  # the note says the report leaves it open


# The book was once more certain than the report, or reconciled it in the report's name; these
# phrases must not come back (each with the report's own hedge it replaced).
OVER_CERTAIN = {
    # report: a difficulty in attributing; will contribute to variations; a key method
    "introduction": ["can be credited to one cause", "How well it works varies with", "is the main method"],
    # report: this may illustrate how negative experiences are more salient; a box it does not source
    "leadership": ["The report cautions that bad experiences", "The consultants' notes give"],
    # report: would hope to see; reductions may indicate; Hood et al report a trend; how many answered wave 3
    "findings": [
        "ought to show",
        "counted in cases rather than against England",
        "is the more hopeful sign",
        "Across England, authorities were looking",
        "in wave 3 it averages all of them",
        "scored with the real instrument",  # the SAQ wordings are adapted for roses (staff_survey.yml)
    ],
    # report: show variation; has diminished this role; the importance of aligning
    "organisational-alignment": [
        "were reformed affected how clearly",
        "squeezed out that room",
        "Practitioners cannot sustain",
    ],
    # report: it would seem; the account is Viv Hogg's own
    "meaningful-measures": ["or repeating Three Houses at each visit", "the team manager, Viv Hogg, who first built"],
    "conclusion": ["shrinking budgets left staff", "cannot do without"],  # contributed to; a core ingredient
}


@pytest.mark.parametrize("chapter", sorted(OVER_CERTAIN))
def test_prose_keeps_the_reports_hedges(repo_root, chapter):
    text = " ".join(_markdown(repo_root, chapter).split())
    for phrase in OVER_CERTAIN[chapter]:
        assert phrase not in text, f"{chapter}: {phrase!r} is surer than the report"


def test_practice_keeps_the_worrying_signs_of_section_6_7(repo_root):
    text = " ".join(_markdown(repo_root, "practice").split())
    conclusion = text[text.index("## 6.7") :]
    assert conclusion.count("worrying signs") >= 2  # of worse experience, and of working conditions
    statements = findings.findings().set_index("key")["statement"]
    assert "worrying signs" in statements["pr_conclusion_conditions"]


def test_table_7_1_notes_the_printed_totals_of_j_and_k(repo_root):
    printed = findings.findings().set_index("key").loc["fd_table71_printed_jk"]
    table = get("table-7.1").frame().set_index("authority")["total"]
    for authority in printed["about"].split(";"):
        assert table[authority] != printed["value"]  # the difference the note is about
    summary = get("table-7.1").summary(get("table-7.1").frame(), Params())
    assert f"reads {findings.number(printed['value'])} for J and K" in summary
    assert f"J {table['J']} and K {table['K']}" in summary
    notes = [n for n in _admonitions(_markdown(repo_root, "findings")) if "J and K" in n]
    assert notes and all(
        "{glue}`report_fd_table71_printed_jk`" in n and "{glue}`total_J`" in n and "{glue}`min_total`" in n
        for n in notes
    )


def test_the_conclusion_does_not_pass_on_chapter_8s_group_3_summary_silently(repo_root):
    """Chapter 8 says the Group 3 authority scored worse on every SAQ dimension but one; section 7.2.3
    says its view of management did not change. The conclusion's SAQ paragraph says so."""
    text = " ".join(_markdown(repo_root, "conclusion").split())
    paragraph = text[text.index("**The staff survey.**") : text.index("**Pressure and motivation.**")]
    assert "section 7.2.3" in paragraph and "Findings" in paragraph


# Where the report says two things apart (a chapter's conclusion against its own section, a sentence
# against its heading), the prose that retells one side names the other.
BOTH_SIDES = [
    # 6.7 and 7.5: use and confidence rose steadily; 6.3: use fell in the fourth survey
    ("practice", "## 6.7", "section 6.3"),
    ("findings", "## 7.5", "section 6.3"),
    # 7.4.3 is headed section 47 but its sentence speaks of child protection plans
    ("findings", "### 7.4.3", "names child protection plans"),
    # chapter 8: job satisfaction improved in Groups 1 and 2; 7.3: no significant change
    ("conclusion", "**The staff survey.**", "section 7.3,"),
]


@pytest.mark.parametrize(("chapter", "start", "other"), BOTH_SIDES)
def test_prose_retelling_one_side_of_the_report_names_the_other(repo_root, chapter, start, other):
    text = " ".join(_markdown(repo_root, chapter).split())
    section = text[text.index(start) :]
    section = section[: section.find("##", len(start)) if "##" in section[len(start) :] else None]
    assert other in section, f"{chapter} {start}: does not name {other}"


# Survey statements the report does not quote were written for this book (data/instruments/*.yml);
# the prose before a chart whose menu or legend shows them says so, so none is read as the questionnaire's.
WRITTEN_FOR_THE_BOOK = [
    ("meaningful-measures", "(exhibit-r4-4-parent-survey)="),
    ("practice", "(figure-6-1)="),
    ("findings", "(figure-7-5)="),
]


@pytest.mark.parametrize(("chapter", "target"), WRITTEN_FOR_THE_BOOK)
def test_prose_says_which_survey_wordings_were_written_for_the_book(repo_root, chapter, target):
    text = _markdown(repo_root, chapter)
    before = " ".join(text[: text.index(target)].split())[-700:]
    assert "written for this book" in before, f"{chapter}: nothing before {target} says so"
