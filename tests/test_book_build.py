"""The build treats warnings and failing cells as errors, so nothing is silently lost from a page."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from roses.site.build import build_book
from roses.core.errors import RosesError

pytestmark = pytest.mark.slow


def _tiny_book(tmp_path, repo_root, cells):
    root = tmp_path / "book-root"
    (root / "book").mkdir(parents=True)
    (root / "data").mkdir()
    shutil.copy(repo_root / "_config.yml", root / "_config.yml")
    shutil.copytree(repo_root / "book" / "_static", root / "book" / "_static")
    shutil.copy(repo_root / "book" / "references.bib", root / "book" / "references.bib")
    (root / "_toc.yml").write_text("format: jb-book\nroot: book/index\n")
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, root / "book" / "index.ipynb")
    return root


GOOD = [new_markdown_cell("# A page"), new_code_cell("1 + 1")]
CASES = {
    "broken cross-reference": [new_markdown_cell("# A page\n\nSee {ref}`nowhere <no-such-label>`.")],
    "failing cell": [new_markdown_cell("# A page"), new_code_cell("raise ValueError('data missing')")],
    "plotly output the page cannot show": [
        new_markdown_cell("# A page"),
        new_code_cell("import plotly.graph_objects as go\ngo.Figure(go.Bar(y=[1, 2]))"),
    ],
}


def test_a_clean_book_builds(tmp_path, repo_root):
    root = _tiny_book(tmp_path, repo_root, GOOD)
    html = build_book(root=root)
    assert (html / "book" / "index.html").is_file()


@pytest.mark.parametrize("case", CASES)
def test_the_build_fails_on(case, tmp_path, repo_root):
    root = _tiny_book(tmp_path, repo_root, CASES[case])
    with pytest.raises(RosesError, match="the book build failed"):
        build_book(root=root)


def test_a_second_build_re_executes_when_only_the_data_changed(tmp_path, repo_root):
    """Sphinx sees no changed page when only data (or roses's code) changed: the build must still re-run."""
    cells = [new_markdown_cell("# A page"),
             new_code_cell("from pathlib import Path\nprint('value:', (Path('..') / 'data' / 'value.txt').read_text())")]
    root = _tiny_book(tmp_path, repo_root, cells)
    (root / "data" / "value.txt").write_text("first")
    build_book(root=root)
    (root / "data" / "value.txt").write_text("second")
    html = build_book(root=root)
    assert "value: second" in (html / "book" / "index.html").read_text()
