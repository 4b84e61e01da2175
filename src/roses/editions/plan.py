"""Which plan an edition gets: every chapter for a programme letter, or an authority's own pages."""

from __future__ import annotations

from pathlib import Path

import yaml

from roses.core.errors import RosesError
from roses.core.paths import REPO_ROOT
from roses.editions.authority import authority_plan
from roses.editions.model import PROGRAMME, EditionPlan, Page, book_files, toc_files, toc_yaml  # noqa: F401 (toc_yaml: part of the plan API)
from roses.exhibits.local import is_programme_letter


def plan_edition(authority: str, data_dir: Path | None = None, root: Path = REPO_ROOT) -> EditionPlan:
    """The plan for ``authority``: a programme letter (A-K) or a real English authority (name or code)."""
    if is_programme_letter(authority):
        return programme_plan(authority.strip().upper(), root)
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
    return EditionPlan(kind=PROGRAMME, authority=letter, code=None, slug=letter,
                       title=f"Edition for programme authority {letter}", toc=toc, pages=tuple(pages),
                       book_files=book_files(root))


