"""The chapters' MyST parses cleanly with the installed myst-parser: no error from the parser in any
markdown cell of book/*.ipynb or page of book/*.md.

This file imports nothing of roses, Sphinx or jupyter-book, so ``make compat`` also runs it in an
environment holding only the newest myst-parser (docs/engine-upgrade.md): a syntax the next major
version no longer accepts fails here first. The roles and directives that Sphinx and myst-nb provide
(``{glue}``, ``{cite}``, ``{ref}``, ``{term}``, ``{bibliography}``, ``{glossary}``) are unknown to plain
docutils: that they are unknown is not reported (resolving them is the book build's job), anything
else is. Nothing is registered with docutils, whose registries are global to the process.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree

BOOK = Path(__file__).resolve().parents[1] / "book"
# jupyter-book's default MyST extensions (its default_config.yml); _config.yml adds none.
EXTENSIONS = ["colon_fence", "dollarmath", "linkify", "substitution", "tasklist"]
SPHINX_ROLES = ("glue", "cite", "ref", "term", "doc", "numref", "eq", "download", "cite:p", "cite:t")
SPHINX_DIRECTIVES = ("bibliography", "glossary", "glue:figure", "glue:math", "tableofcontents")


def _markdown(path: Path) -> str:
    """The page's MyST as the book reads it: a notebook's markdown cells in order, one document."""
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


PAGES = sorted([*BOOK.glob("*.ipynb"), *BOOK.glob("*.md")])


def _problems(text: str) -> list[str]:
    """Warnings or worse from parsing ``text``: unknown syntax, a bad directive, a broken role."""
    from myst_parser.parsers.docutils_ import Parser

    doctree = publish_doctree(
        text,
        parser=Parser(),
        settings_overrides={
            "myst_enable_extensions": EXTENSIONS,
            "report_level": 5,  # collected here, not printed
            "halt_level": 5,
            "warning_stream": False,
        },
    )
    problems = [m.astext()[:200] for m in doctree.findall(nodes.system_message) if m["level"] >= 2]
    return [p for p in problems if not _sphinx_name(p)]


def _sphinx_name(problem: str) -> bool:
    """A report that a role or directive of Sphinx or myst-nb is unknown here (and nothing else)."""
    match = re.search(r"Unknown (?:interpreted text role|directive type)[: ]*[\"']?([\w:-]+)", problem)
    return bool(match) and match.group(1) in (*SPHINX_ROLES, *SPHINX_DIRECTIVES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_parses_without_error(page):
    # Line numbers in a failure count the markdown cells joined, one blank line between cells.
    assert _problems(_markdown(page)) == [], page.name


def test_a_broken_page_is_reported():
    assert _problems("# Title\n\n```{no-such-directive}\nbody\n```\n")
    assert _problems("# Title\n\nText with {no-such-role}`x`.\n")


def test_the_book_has_pages_to_parse():
    assert len(PAGES) >= 10
