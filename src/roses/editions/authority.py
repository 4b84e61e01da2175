"""Editions for a real English authority: its national statistics and its own survey evidence only.

What such an edition shows, and why (docs/editions.md):

- every registered exhibit whose origin is **real national** (``indicators``, the national core data
  set, and any added later), computed for the authority: its values beside England and the
  **median** of its ten DfE statistical neighbours. Neighbours are never named or listed one by one;
- every exhibit whose frame, for this authority and data folder, has origin **local** (its own
  survey exports), cut down to the authority's own rows: the illustrative letters A-K and group
  summaries (which mix in illustrative data) are removed;
- nothing illustrative: the programme's per-letter series must never be read as this authority's.

The generated pages are thin notebooks like the book's chapters, executed by papermill with
``authority`` and ``data_dir`` parameters.
"""

from __future__ import annotations

import html
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import nbformat
import pandas as pd

from ..paths import REPO_ROOT
from ..registry import CHAPTERS, Exhibit, Params, all_exhibits, get
from .plan import AUTHORITY, BOOK, EditionPlan, Page, _book_files, slug

NATIONAL, LOCAL = "real national", "local"
SURVEYS = ("staff", "parent")


# --- Which authority, which survey folder -------------------------------------------------------

def resolve(authority: str, data_dir: Path | None = None) -> tuple[str, str]:
    """(DfE code, name) of a real authority; a clear error for unknown names and for letters A-K."""
    from ..national import readers

    return readers.resolve_authority(authority, data_dir)


def local_key(authority: str, data_dir: Path | None) -> str | None:
    """The folder name under ``DATA/surveys/<survey>/`` holding this authority's own exports, if any.

    The folder may be named by the authority's name, its folder slug or its DfE code (any case).
    """
    if data_dir is None:
        return None
    from ..survey import readers

    code, name = resolve(authority, data_dir)
    wanted = {name.lower(), slug(name).lower(), code}
    for survey in SURVEYS:
        for folder, _, _ in readers.find_exports(Path(data_dir), survey):
            if folder.lower() in wanted:
                return folder
    return None


# --- Which exhibits -----------------------------------------------------------------------------

def own_rows(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Only the authority's own rows (and England's): every other authority and group summary goes."""
    mine = frame[frame["authority"].astype(str).isin([key, "England"])].reset_index(drop=True)
    mine.attrs.update(frame.attrs)
    return mine


def local_frame(ex: Exhibit, key: str, data_dir: Path | None) -> pd.DataFrame | None:
    """The exhibit's frame restricted to the authority's local rows, or None if it has none."""
    frame = ex.frame(Params(data_dir=Path(data_dir) if data_dir else None, authority=key))
    if frame.attrs.get("origin") != LOCAL or "authority" not in frame:
        return None
    mine = own_rows(frame, key)
    return mine if (mine["authority"].astype(str) == key).any() else None


def exhibits_for(authority: str, data_dir: Path | None) -> dict[str, list[str]]:
    """Exhibit ids of an authority edition, by chapter, in the book's order."""
    key = local_key(authority, data_dir)
    chosen: dict[str, list[str]] = {}
    for ex in all_exhibits():
        if ex.is_placeholder:
            continue
        if ex.origin == NATIONAL or (key is not None and local_frame(ex, key, data_dir) is not None):
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
        _code("from roses.editions.authority import banner, show\n\nbanner(authority, data_dir)",
              ["remove-input"], 1),
    ]
    cells[1]["id"] = "edition-heading"
    cells += [_code(f'show("{id}", authority, data_dir)', ["remove-input"], 2 + i) for i, id in enumerate(ids)]
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
    code, name = resolve(authority, data_dir)
    chosen = exhibits_for(name, data_dir)
    chapters = [c for c in CHAPTERS if c in chosen]
    pages = [Page("index", markdown=landing_page(name, chapters, root))]
    pages += [Page(f"{BOOK}/{c}", notebook=chapter_notebook(c, chosen[c], name, root)) for c in chapters]
    toc = {"format": "jb-book", "root": "index",
           "parts": [{"caption": f"{name}", "chapters": [{"file": f"{BOOK}/{c}"} for c in chapters]}]}
    return EditionPlan(kind=AUTHORITY, authority=name, code=code, slug=slug(name),
                       title=f"Edition for {name}", toc=toc, pages=tuple(pages), book_files=_book_files(root))


# --- Called from the generated notebooks --------------------------------------------------------

class _HTML:
    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text


def banner(authority: str, data_dir: str | Path | None = None) -> _HTML:
    """Say whose edition this is and how the others are shown."""
    name = html.escape(authority)
    return _HTML(f'<div class="roses-edition" role="note"><strong>Edition for {name}.</strong> '
                 f"{name} is shown against England and the median of its statistical neighbours; "
                 f"no other authority is named, and no illustrative data appear.</div>")


def show(id: str, authority: str, data_dir: str | Path | None = None) -> _HTML:
    """Render one exhibit for a real authority: national as it is, local cut to the authority's rows."""
    from ..display import render

    ex = get(id)
    folder = Path(data_dir) if data_dir else None
    if ex.origin == NATIONAL:
        params = Params(data_dir=folder, authority=authority)
        return _HTML(render(ex, params))
    key = local_key(authority, folder)
    frame = local_frame(ex, key, folder) if key else None
    if frame is None:
        raise ValueError(f"exhibit {id} has no local rows for {authority}")
    # The exhibit's own summary compares groups and letters, which are not here: say plainly what is.
    local = replace(ex, summary=_local_summary)
    params = Params(data_dir=folder, authority=key)
    try:
        return _HTML(render(local, params, frame))
    except (KeyError, IndexError, ValueError, TypeError):
        # A comparison chart that cannot draw a single authority: the data table alone.
        return _HTML(render(replace(local, chart=None), params, frame))


def _local_summary(frame: pd.DataFrame, params: Params) -> str:
    waves = sorted(frame["wave"].dropna().astype(int).unique()) if "wave" in frame else []
    when = f" (wave {', '.join(map(str, waves))})" if waves else ""
    hidden = int((frame["status"] == "c").sum()) if "status" in frame else 0
    note = (f"; {hidden} results are suppressed (c) because they rest on fewer than ten respondents"
            if hidden else "")
    return f"{params.authority}'s own survey results{when}, from its local files{note}."
