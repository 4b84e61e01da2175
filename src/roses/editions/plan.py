"""Which plan an edition gets: every chapter for a programme letter, or an authority's own pages."""

from __future__ import annotations

from pathlib import Path

import yaml

from roses.core.errors import RosesError
from roses.core.paths import DATA_DIR as REPO_DATA
from roses.core.paths import REPO_ROOT
from roses.editions.authority import authority_plan
from roses.editions.methods import release_line, survey_protection
from roses.editions.model import PROGRAMME, EditionPlan, Page, book_files, toc_files, toc_yaml  # noqa: F401 (toc_yaml: part of the plan API)
from roses.exhibits.local import is_programme_letter
from roses.published.tables import AUTHORITIES
from roses.published.tables import groups as published_groups
from roses.records import provenance
from roses.survey import disclosure
from roses.survey.readers import NOT_READ

SURVEYS = ("staff", "parent")


def real_authority_folders(data_dir: Path | None) -> list[str]:
    """Survey folders of the data folder that are not programme letters: ``surveys/staff/Derby``, ...

    Folders the survey readers never read (hidden ones, ``~$`` lock files) are not counted.
    """

    found = []
    for survey in SURVEYS:
        folder = Path(data_dir) / "surveys" / survey if data_dir else None
        if folder is None or not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.is_dir() and not entry.name.startswith(NOT_READ) and entry.name not in AUTHORITIES:
                found.append(f"surveys/{survey}/{entry.name}")
    return found


def refuse_real_authorities(data_dir: Path | None, what: str) -> None:
    """Raise RosesError if the data folder holds a real authority's survey folder.

    A programme edition (and the main book) shows the anonymised letters A-K only: a real authority's
    results beside them would name it in tables, CSV downloads and chart legends, and tie the letters to
    real places. Its own edition (``roses edition <name> --data DIR``) is where its results belong.
    """
    folders = real_authority_folders(data_dir)
    if folders:
        shown = ", ".join(folders[:5]) + (f" and {len(folders) - 5} more" if len(folders) > 5 else "")
        raise RosesError(
            f"{what} shows only the programme letters A-K, but the data folder holds survey folders of real "
            f"authorities ({shown}). Build it from a folder whose surveys/ holds letter folders only; a real "
            f"authority's results go in its own edition: roses edition <name or DfE code> --data DIR"
        )


def plan_edition(authority: str, data_dir: Path | None = None, root: Path = REPO_ROOT) -> EditionPlan:
    """The plan for ``authority``: a programme letter (A-K) or a real English authority (name or code).

    A programme edition is refused (RosesError) if ``data_dir`` holds a real authority's survey folder.
    """
    if is_programme_letter(authority):
        letter = authority.strip().upper()
        refuse_real_authorities(data_dir, f"the programme edition '{letter}'")
        return programme_plan(letter, root, data_dir)
    return authority_plan(authority, data_dir, root)


def local_files_used(letter: str, data_dir: Path | None) -> list[str]:
    """What ``--data DIR`` supplies to a programme edition for ``letter``: its survey exports by their
    neutral labels ("staff survey, authority C, wave 2"), invitation counts, and the repository files
    the folder replaces (by their names in the data folder). Another letter's exports are not listed."""
    if data_dir is None:
        return []
    used = []
    for relative, _ in provenance.input_files(data_dir):
        label = provenance.survey_label(relative)
        if label:
            if f"authority {letter}," in label:
                used.append(label)
        elif relative.startswith("surveys/") or (Path(data_dir) / relative).resolve() != (REPO_DATA / relative):
            used.append(relative)
    return used


def programme_landing(letter: str, book_index: str, data_dir: Path | None = None) -> str:
    """The programme edition's own front page: who the authority is in the programme (letter and group),
    what is anonymised and why, which local files were used, when it was built; then the book's own
    front page (its title line replaced)."""
    # An edition's data folder holds published/ (its own or linked to the repository's); a bare folder does not.
    group = published_groups(data_dir if data_dir and (Path(data_dir) / "published").is_dir() else None).get(letter)
    used = local_files_used(letter, data_dir)
    files = (
        "Local files used for this edition:\n\n" + "\n".join(f"- {f}" for f in used)
        if used
        else "No local files were given: the survey results are the illustrative respondents roses makes, "
        "calibrated to what the report says in words and badged **Illustrative** on every chart; they are "
        f"not authority {letter}'s answers."
    )
    body = book_index.split("\n", 1)[1] if book_index.startswith("# ") else book_index
    return f"""# Edition for programme authority {letter}

This is the whole report, executed for **authority {letter}**: one of the ten local authorities of the
Signs of Safety England Innovation Programme, which the report calls A to K (it has no I). The report
places each authority in one of three groups by the progress it made; {letter} is in **Group {group}**.
Every chapter highlights {letter} among its anonymised peers.

**What is anonymised, and why.** The report names no authority, but the programme's authorities are
named in public elsewhere and the report's own description of them lets a reader undo most letters. So
this edition treats {letter} as if it were named: no real national figure (DfE, Ofsted) is ever set beside
a letter, because an exact value would identify the authority; no respondent's answers are published;
survey results from fewer than {disclosure.MIN_RESPONDENTS} respondents are suppressed (`c`), and
{survey_protection()}; comments appear only as theme counts.

{files}

This edition was {release_line()}.
{body}"""


def programme_plan(letter: str, root: Path = REPO_ROOT, data_dir: Path | None = None) -> EditionPlan:
    """Every page of the book, in the book's own order; notebooks run with ``authority=letter``; the front
    page is the edition's own (:func:`programme_landing`)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = []
    for docname in toc_files(toc):
        path = root / docname
        if path.with_suffix(".ipynb").is_file():
            pages.append(Page(docname, notebook=path.with_suffix(".ipynb")))
        elif docname == toc["root"] and path.with_suffix(".md").is_file():
            text = path.with_suffix(".md").read_text(encoding="utf-8")
            pages.append(Page(docname, markdown=programme_landing(letter, text, data_dir)))
        elif path.with_suffix(".md").is_file():
            pages.append(Page(docname, markdown=path.with_suffix(".md").read_text(encoding="utf-8")))
        else:
            raise RosesError(f"{root / '_toc.yml'}: '{docname}' names no .ipynb or .md file in {root}")
    return EditionPlan(
        kind=PROGRAMME,
        authority=letter,
        code=None,
        slug=letter,
        title=f"Edition for programme authority {letter}",
        toc=toc,
        pages=tuple(pages),
        book_files=book_files(root),
    )
