"""Editions for a real English authority: its national statistics and its own survey evidence only.

What such an edition shows, and why (docs/editions.md):

- every registered exhibit whose origin is **real national** (``indicators``, the national core data
  set, and any added later), computed for the authority: its values beside England and the
  **median** of its ten DfE statistical neighbours. Neighbours are never named or listed one by one;
- every exhibit whose frame, for this authority and data folder, has origin **local** (its own
  survey exports), cut down to the authority's own rows (``roses.exhibits.local.own_frame``);
- nothing illustrative: the programme's per-letter series must never be read as this authority's.

The generated pages are thin notebooks like the book's chapters, executed by papermill with
``authority`` and ``data_dir`` parameters.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import nbformat

from roses.core.paths import REPO_ROOT
from roses.editions.model import AUTHORITY, BOOK, EditionPlan, Page, book_files
from roses.exhibits.local import own_frame, params_for, slug
from roses.exhibits.registry import CHAPTERS, all_exhibits
from roses.national.readers import resolve_authority


def exhibits_for(authority: str, data_dir: Path | None) -> dict[str, list[str]]:
    """Exhibit ids of an authority edition, by chapter, in the book's order."""
    params = params_for(authority, data_dir)
    chosen: dict[str, list[str]] = {}
    for ex in all_exhibits():
        if own_frame(ex, params) is not None:
            chosen.setdefault(ex.chapter, []).append(ex.id)
    return chosen


# --- The pages ----------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def chapter_title(chapter: str, root: Path = REPO_ROOT) -> str:
    """The chapter's title: the first ``# `` heading of its notebook in book/."""
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


def chapter_notebook(chapter: str, ids: list[str], name: str, root: Path = REPO_ROOT) -> nbformat.NotebookNode:
    """A thin notebook: parameters, a heading, the edition banner, one cell per exhibit."""
    cells = [
        _code("authority = None  # the authority's name as DfE writes it\ndata_dir = None",
              ["parameters", "remove-cell"], 0),
        nbformat.v4.new_markdown_cell(f"# {chapter_title(chapter, root)}: {name}"),
        _code(f'from roses.pages import Chapter\n\npage = Chapter("{chapter}", authority, data_dir)',
              ["remove-cell"], 1),
        _code("page.banner()", ["remove-input"], 2),
    ]
    cells[1]["id"] = "edition-heading"
    cells += [_code(f'page.show("{id}")', ["remove-input"], 3 + i) for i, id in enumerate(ids)]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def landing_page(name: str, chapters: list[str], root: Path = REPO_ROOT) -> str:
    """The edition's index page (markdown): whose edition, what it holds, what it leaves out."""
    listed = "\n".join(f"- [{chapter_title(c, root)}]({BOOK}/{c}.ipynb)" for c in chapters)
    return f"""# {name}: an edition of the living evidence report

This edition puts {name}'s own evidence beside the national picture. It is built from two kinds of data,
badged on every table and chart:

- **real national statistics** (DfE, Ofsted, ONS, Cafcass; Open Government Licence v3.0): {name} against
  England and against the median of its DfE statistical neighbours. Neighbours appear only as that median,
  never by name;
- **local data**: {name}'s own survey exports, if it supplied any, scored and disclosure-controlled
  (results from fewer than ten respondents and small counts are suppressed and marked `c`).

It leaves out the programme's illustrative per-authority series: those belong to the anonymised programme
authorities, not to {name}. No other authority is named.

{listed}
"""


def authority_plan(authority: str, data_dir: Path | None = None, root: Path = REPO_ROOT) -> EditionPlan:
    code, name = resolve_authority(authority, data_dir)
    chosen = exhibits_for(name, data_dir)
    chapters = [c for c in CHAPTERS if c in chosen]
    pages = [Page("index", markdown=landing_page(name, chapters, root))]
    pages += [Page(f"{BOOK}/{c}", notebook=chapter_notebook(c, chosen[c], name, root)) for c in chapters]
    toc = {"format": "jb-book", "root": "index",
           "parts": [{"caption": f"{name}", "chapters": [{"file": f"{BOOK}/{c}"} for c in chapters]}]}
    return EditionPlan(kind=AUTHORITY, authority=name, code=code, slug=slug(name),
                       title=f"Edition for {name}", toc=toc, pages=tuple(pages), book_files=book_files(root))
