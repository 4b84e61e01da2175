"""Editions for a real English authority: its national statistics and its own survey evidence only.

What such an edition shows, and why (docs/editions.md, "Authority editions"):

- every registered exhibit whose origin is **real national**, computed for the authority: where it
  stands against England, its region and its ten DfE statistical neighbours, *named*, with intervals,
  ranks only where better has a direction, a funnel and data-quality flags
  (``roses.exhibits.authority``, ``roses.national.compare``), its Ofsted history, its core data set;
- every exhibit whose frame, for this authority and data folder, has origin **local** (its own
  survey exports), cut down to the authority's own rows (``roses.exhibits.local.own_frame``);
- its self-assessment (``DATA/self_assessment.csv``) beside the programme's groups, when given;
- what the programme's research found about the conditions for progress, cited from the report's
  findings (``data/published/findings``), each with its section, numbers glued as ``report_<key>``;
- nothing illustrative from the programme: its per-letter series must never be read as this authority's.

The generated pages are thin notebooks like the book's chapters, executed by papermill with
``authority`` and ``data_dir`` parameters.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from roses.core.cache import BoundedCache, computed_from_files
from roses.core.errors import RosesError
from roses.core.paths import REPO_ROOT
from roses.editions.methods import methods_markdown, release_line
from roses.editions.model import AUTHORITY, BOOK, EditionPlan, Page, book_files
from roses.exhibits import authority as authority_exhibits
from roses.exhibits.local import local_key, params_for, shown_in_edition, slug
from roses.exhibits.registry import CHAPTERS, all_exhibits
from roses.national import compare
from roses.national.readers import resolve_authority
from roses.published import findings as report_findings
from roses.published import self_assessment
from roses.survey.readers import SYNTHETIC_MARK

# Shown first in their chapter, in this order; then every other chosen exhibit in registry order.
FIRST = (
    authority_exhibits.LATEST,
    authority_exhibits.COMPARISON,
    authority_exhibits.NEIGHBOURS,
    authority_exhibits.NEIGHBOUR_TRENDS,
    authority_exhibits.FUNNEL,
    "section-4.6-core-data-set-national",
    authority_exhibits.SELF_ASSESSMENT,
    authority_exhibits.OFSTED,
)
METHODS_PAGE = "methods"  # the edition's methods, glossary and dates (editions/methods.py)
# Superseded in an authority edition by Exhibit R7.4 (the same values, with intervals, region and flags).
LEFT_OUT = ("indicators",)


def exhibits_for(authority: str, data_dir: Path | None) -> dict[str, list[str]]:
    """Exhibit ids of an authority edition, by chapter, in the book's order."""
    params = params_for(authority, data_dir)
    chosen: dict[str, list[str]] = {}
    for ex in all_exhibits():
        if ex.id in LEFT_OUT:
            continue
        if ex.id == authority_exhibits.SELF_ASSESSMENT:
            wanted = self_assessment.path(data_dir) is not None  # only with the authority's own file
        else:
            wanted = shown_in_edition(ex, params)
        if wanted:
            chosen.setdefault(ex.chapter, []).append(ex.id)
    rank = {id: i for i, id in enumerate(FIRST)}
    return {c: sorted(ids, key=lambda id: rank.get(id, len(FIRST))) for c, ids in chosen.items()}


# --- What the programme's research found ----------------------------------------------------------

# Findings of the report about the conditions for progress, cited on the authority's pages by chapter.
# A finding whose statement carries a number is written here with the number glued (report_<key>).
RESEARCH = {
    "leadership": (
        "ldr_culture",
        "ldr_director_involvement",
        "ldr_focus_g1",
        "ldr_focus_g3",
        "ldr_ofsted_pattern",
        "ldr_new_dcs_withdrew",
        "ldr_conclusion",
    ),
    "findings": (
        "fd_cautious_yes",
        "fd_table71_supports",
        "fd_safeguard_raters",
        "fd_concl_correlation",
        "fd_turnover_reading",
        "fd_absence_mixed",
        "fd_out_relative",
        "fd_concl_direction",
        "fd_firmer_test",
    ),
    "conclusion": (
        "cn_results_follow_implementation",
        "cn_leaders_visible",
        "cn_delegation_falters",
        "cn_leader_turnover",
        "cn_misaligned_forms",
        "cn_alignment_commitment",
        "cn_collaborative_audit",
        "cn_shared_reasoning",
        "cn_culture_change",
        "cn_workload",
    ),
}
WITH_NUMBERS = {  # key -> a sentence in this book's words, its numbers glued
    "ldr_dcs_tenure": "Directors of children's services in England stay in post for {glue}`report_ldr_dcs_tenure` "
    "on average, so senior turnover is common.",
    "cn_like_job": "Between {glue}`report_cn_like_job` and {glue}`report_cn_like_job_high` of the programme's staff "
    "said they like their job, a motivation the report counts as a support for reform.",
}
EXTRA = {"leadership": ("ldr_dcs_tenure",), "conclusion": ("cn_like_job",)}
TYPED_NUMBER = re.compile(r"\d")
ALLOWED_NUMBERS = re.compile(r"\b(?:Group|Chapter|EIP|section|Table)\s*\d+(?:\.\d+)*")


def research_markdown(chapter: str, data_dir: Path | None = None) -> str | None:
    """A "what the research found" section for an authority's page: the report's findings, each with its
    section; statements with typed numbers are left out unless written here with the numbers glued."""
    keys = RESEARCH.get(chapter, ()) + EXTRA.get(chapter, ())
    if not keys:
        return None
    table = report_findings.findings(data_dir).set_index("key")
    items = []
    for key in keys:
        if key not in table.index:
            continue
        row = table.loc[key]
        text = WITH_NUMBERS.get(key) or row["statement"]
        if key not in WITH_NUMBERS and TYPED_NUMBER.search(ALLOWED_NUMBERS.sub("", text)):
            continue  # a number in prose is glued, never typed
        items.append(f"- {text} (report section {row['section']})")
    if not items:
        return None
    return (
        "## What the programme's research found\n\n"
        "These are the report's findings across the ten programme authorities (published; anonymised, so no "
        "authority is named), set here beside this authority's own figures as questions to ask of them, "
        "not as results about it.\n\n" + "\n".join(items)
    )


# --- What a local folder holds for the authority --------------------------------------------------------


def local_evidence(authority: str, data_dir: Path | None) -> dict[str, list[str]]:
    """What ``--data DIR`` holds for a real authority, for the command to say before building.
    Files marked synthetic count as nothing.

    Returns lists of paths relative to DIR: ``used`` (its own survey exports and self-assessment),
    ``synthetic`` (its exports in a folder marked synthetic: never shown as its results), ``national``
    (dfe/, published/, instruments/ that replace the repository's) and ``not_used`` (every other
    file: other authorities' folders, unrecognised names).
    """

    found = {"used": [], "synthetic": [], "national": [], "not_used": []}
    if data_dir is None:
        return found
    root = Path(data_dir)
    key = local_key(authority, root)
    side = {"invited.csv", "codings.csv", "waves.csv"}
    for path in sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()):
        rel = path.relative_to(root)
        parts = rel.parts
        if any(part.startswith(".") for part in parts):
            continue
        if parts[0] == self_assessment.FILE and len(parts) == 1:
            try:
                synthetic = self_assessment.read(path)[1]
            except RosesError:
                synthetic = False  # the edition's build reports what is wrong with it
            found["synthetic" if synthetic else "used"].append(str(rel))
        elif parts[0] in ("dfe", "published", "instruments"):
            found["national"].append(str(rel))
        elif parts[0] == "surveys" and len(parts) == 2 and parts[1] in side:
            found["used"].append(str(rel))
        elif parts[0] == "surveys" and len(parts) == 4 and parts[1] in ("staff", "parent") and parts[2] == key:
            marked = (path.parent / SYNTHETIC_MARK).is_file()
            found["synthetic" if marked else "used"].append(str(rel))
        else:
            found["not_used"].append(str(rel))
    if not any(p.startswith("surveys/") and not p.endswith(tuple(side)) for p in found["used"]):
        found["used"] = [p for p in found["used"] if not p.endswith(tuple(side))]  # side tables alone are nothing
        found["not_used"] = sorted(
            found["not_used"] + [f"surveys/{n}" for n in side if (root / "surveys" / n).is_file()]
        )
    return found


# --- The pages ----------------------------------------------------------------------------------


def chapter_title(chapter: str, root: Path = REPO_ROOT) -> str:
    """The chapter's title: the first ``# `` heading of its notebook in book/."""
    return computed_from_files(_TITLES, (chapter, str(root)), lambda: _chapter_title(chapter, root))


_TITLES = BoundedCache(32)


def _chapter_title(chapter: str, root: Path) -> str:
    path = root / BOOK / f"{chapter}.ipynb"
    if path.is_file():
        for cell in nbformat.read(path, as_version=4).cells:
            for line in cell.source.splitlines() if cell.cell_type == "markdown" else []:
                if line.startswith("# "):
                    return line[2:].strip()
    return chapter.replace("-", " ").capitalize()


def _code(source: str, tags: list[str], index: int) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": tags})
    cell["id"] = f"edition-{index}"
    return cell


def chapter_notebook(
    chapter: str, ids: list[str], name: str, root: Path = REPO_ROOT, research: str | None = None
) -> nbformat.NotebookNode:
    """A thin notebook: parameters, a heading, the edition banner, one cell per exhibit, and what the
    programme's research found (``research``: markdown, its numbers glued as ``report_<key>``)."""
    cells = [
        _code(
            "authority = None  # the authority's name as DfE writes it\ndata_dir = None",
            ["parameters", "remove-cell"],
            0,
        ),
        nbformat.v4.new_markdown_cell(f"# {chapter_title(chapter, root)}: {name}"),
        _code(
            f'from roses.pages import Chapter\n\npage = Chapter("{chapter}", authority, data_dir)', ["remove-cell"], 1
        ),
        _code("page.banner()", ["remove-input"], 2),
    ]
    cells[1]["id"] = "edition-heading"
    # page.show for every exhibit it shows as it is (national, or local cut to the authority's rows);
    # page.show_edition for the self-assessment, whose origin (analysis, or illustrative for an example
    # file) is its own.
    cells += [
        _code(
            f'page.{"show_edition" if id == authority_exhibits.SELF_ASSESSMENT else "show"}("{id}")',
            ["remove-input"],
            3 + i,
        )
        for i, id in enumerate(ids)
    ]
    if research:
        cells.append(nbformat.v4.new_markdown_cell(research))
        cells[-1]["id"] = "edition-research"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


CHAPTER_NOTES = {  # what each chapter of an authority edition holds
    "leadership": "its Ofsted (ILACS) inspection history, and what the research found about leadership",
    "findings": "where it stands on every workforce and outcome indicator the national files hold, against "
    "England, its region and its named statistical neighbours, with intervals, ranks, a funnel and "
    "data-quality flags; its core data set; its self-assessment, if supplied",
    "conclusion": "what the programme's research concluded about the conditions for progress",
}


def landing_page(
    name: str, chapters: list[str], root: Path = REPO_ROOT, code: str | None = None, data_dir: Path | None = None
) -> str:
    """The edition's index page (markdown): whose edition, what it holds, what it leaves out."""

    def line(c: str) -> str:
        note = CHAPTER_NOTES.get(c, "its own survey results, scored and disclosure-controlled")
        return f"- [{chapter_title(c, root)}]({BOOK}/{c}.ipynb): {note}."

    listed = "\n".join(line(c) for c in chapters)
    where = ""
    if code:
        region = compare.region_of(code, data_dir)
        peers = compare.named_neighbours(code, data_dir)
        named = ", ".join(peers["la_name"].dropna())
        where = (
            f"{name} is in the {region} region. Its statistical neighbours in DfE's {peers['model'].iloc[0]}, "
            f"closest first: {named}.\n\n"
            if len(peers)
            else f"{name} is in the {region} region.\n\n"
        )
    return f"""# {name}: an edition of the living evidence report

This edition puts {name}'s own evidence beside the national picture and beside what the programme's
research found. {where}Every table and chart is badged with where its numbers come from:

- **real national statistics** (DfE, Ofsted, ONS, Cafcass; Open Government Licence v3.0): {name} against
  England, the median of its region's authorities and its statistical neighbours, who are named, because
  these are public statistics about public bodies and an analyst must be able to check the comparison;
- **local data**: {name}'s own survey exports, if it supplied any, scored and disclosure-controlled
  (results from fewer than ten respondents and small counts are suppressed and marked `c`);
- **published** and **this book's analysis**: the report's findings and blind-rated scores, anonymised.

It leaves out the programme's illustrative per-authority series: those belong to the anonymised programme
authorities, not to {name}. No authority is named other than {name} and its statistical neighbours.

{listed}
- [Methods, glossary and dates]({BOOK}/{METHODS_PAGE}.md): how each figure is made, the data releases it
  rests on, and the terms used.

This edition was {release_line()}.
"""


def authority_plan(authority: str, data_dir: Path | None = None, root: Path = REPO_ROOT) -> EditionPlan:
    code, name = resolve_authority(authority, data_dir)
    chosen = exhibits_for(name, data_dir)
    for chapter in RESEARCH:  # a chapter of the research's findings, even with no exhibit of its own
        chosen.setdefault(chapter, [])
    chapters = [c for c in CHAPTERS if c in chosen]
    pages = [Page("index", markdown=landing_page(name, chapters, root, code, data_dir))]
    pages += [
        Page(f"{BOOK}/{c}", notebook=chapter_notebook(c, chosen[c], name, root, research_markdown(c, data_dir)))
        for c in chapters
    ]
    pages.append(Page(f"{BOOK}/{METHODS_PAGE}", markdown=methods_markdown(name, data_dir)))
    toc = {
        "format": "jb-book",
        "root": "index",
        "parts": [
            {"caption": f"{name}", "chapters": [{"file": f"{BOOK}/{c}"} for c in chapters]},
            {"caption": "About this edition", "chapters": [{"file": f"{BOOK}/{METHODS_PAGE}"}]},
        ],
    }
    return EditionPlan(
        kind=AUTHORITY,
        authority=name,
        code=code,
        slug=slug(name),
        title=f"Edition for {name}",
        toc=toc,
        pages=tuple(pages),
        book_files=book_files(root),
    )
