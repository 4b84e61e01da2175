"""Which plan an edition gets: every chapter for a programme letter, or an authority's own pages."""

from __future__ import annotations

from pathlib import Path

import yaml

from roses.core.errors import RosesError
from roses.core.paths import REPO_ROOT
from roses.editions.authority import authority_plan
from roses.editions.model import PROGRAMME, EditionPlan, Page, book_files, toc_files, toc_yaml  # noqa: F401 (toc_yaml: part of the plan API)
from roses.exhibits.local import is_programme_letter
from roses.published.tables import AUTHORITIES
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
        return programme_plan(letter, root)
    return authority_plan(authority, data_dir, root)


def programme_plan(letter: str, root: Path = REPO_ROOT) -> EditionPlan:
    """Every page of the book, in the book's own order; notebooks run with ``authority=letter``."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = []
    for docname in toc_files(toc):
        path = root / docname
        if path.with_suffix(".ipynb").is_file():
            pages.append(Page(docname, notebook=path.with_suffix(".ipynb")))
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
