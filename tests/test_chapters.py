"""The chapter notebooks: thin, parameterised, showing every exhibit of their chapter."""

from __future__ import annotations

import os
import re

import nbformat
import pytest

from roses.core.paths import REPO_ROOT
from roses.exhibits.registry import CHAPTERS, all_exhibits

NOTEBOOKS = sorted(p.stem for p in (REPO_ROOT / "book").glob("*.ipynb"))


def _notebook(repo_root, chapter):
    return nbformat.read(repo_root / "book" / f"{chapter}.ipynb", as_version=4)


@pytest.mark.parametrize("chapter", NOTEBOOKS)
def test_parameters_cell(repo_root, chapter):
    nb = _notebook(repo_root, chapter)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert re.search(r"^authority = None", tagged[0].source, re.M)
    assert re.search(r"^data_dir = None", tagged[0].source, re.M)
    assert "remove-cell" in tagged[0].metadata["tags"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exhibit_of_the_chapter_is_shown(repo_root, chapter):
    code = "\n".join(c.source for c in _notebook(repo_root, chapter).cells if c.cell_type == "code")
    shown = set(re.findall(r'page\.show\("([^"]+)"\)', code))
    expected = {ex.id for ex in all_exhibits() if ex.chapter == chapter}
    assert expected <= shown


@pytest.mark.parametrize("chapter", NOTEBOOKS)
def test_notebooks_are_stored_without_outputs(repo_root, chapter):
    """No cell keeps an output, key-result cells included: their reference is the release's
    (data/releases/), which a saved notebook cannot change (roses.site.nbval_kernel)."""
    for cell in _notebook(repo_root, chapter).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and "keep_output" not in cell.metadata, cell.id


@pytest.mark.parametrize("chapter", NOTEBOOKS)
def test_notebooks_stay_thin(repo_root, chapter):
    """Logic lives in the package: no code cell longer than a few lines."""
    for cell in _notebook(repo_root, chapter).cells:
        if cell.cell_type == "code":
            assert len(cell.source.splitlines()) <= 8, cell.source


@pytest.mark.parametrize("chapter", NOTEBOOKS)
def test_no_typed_numbers_in_prose(repo_root, chapter):
    """Numbers in prose are glued. Allowed: section and exhibit numbers, survey wave labels, years in citations."""
    allowed = re.compile(
        r"(Table|Figure|Chapter|Appendix|section|wave|EIP|Group|Part)s?\s*\d+(?:\.\d+)*|^#+\s*[\d.]+|\{[a-z]+\}`[^`]*`|\(\w[-\w]*\)=|\bv\d+(?:\.\d+)*|\]\([^)]*\)"
    )
    for cell in _notebook(repo_root, chapter).cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            stripped = allowed.sub("", line)
            stripped = re.sub(r"^#+\s.*$", "", stripped)  # headings carry the report's section numbers
            assert not re.search(r"\d", stripped), f"{chapter}: typed number in: {line}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_ends_with_its_data_footer(repo_root, chapter):
    last = _notebook(repo_root, chapter).cells[-1]
    assert last.cell_type == "code" and last.source == "page.data_used()"


def test_the_data_footer_names_the_files_read(data_copy):
    from roses.core import readlog
    from roses.exhibits.registry import Params, get
    from roses.pages.blocks import data_used

    readlog.reset()
    get("table-7.1").frame(Params(data_dir=data_copy))
    html = data_used(data_copy)._repr_html_()
    assert "published/blind_ratings.csv" in html and "published/table_1_1_ofsted.csv" in html
    assert "national_context.csv" not in html  # not read by Table 7.1


def test_the_read_log_leaves_out_the_python_environment(tmp_path, monkeypatch):
    """Imports read the installed packages' files; they are software, not a chapter's data, even when
    the environment lives inside the folder asked about (the repository's .venv)."""
    from roses.core import readlog

    environment = tmp_path / "venv"
    (environment / "lib").mkdir(parents=True)
    (environment / "lib" / "module.pyc").write_bytes(b"code")
    (tmp_path / "data.csv").write_text("a\n1\n")
    monkeypatch.setattr(readlog, "_ENVIRONMENT", (os.path.join(environment.resolve(), ""),))
    readlog.reset()
    (environment / "lib" / "module.pyc").read_bytes()
    (tmp_path / "data.csv").read_text()
    assert readlog.files_under(tmp_path) == [(tmp_path / "data.csv").resolve()]


def test_an_upgraded_package_re_executes_every_chapter(monkeypatch):
    from roses.site import build

    before = build.code_digest()
    installed = build.installed_packages()
    upgraded = [name.replace("plotly-", "plotly-99.", 1) if name.startswith("plotly-") else name for name in installed]
    assert upgraded != installed
    monkeypatch.setattr(build, "installed_packages", lambda: upgraded)
    assert build.code_digest() != before


def test_an_exhibit_is_recomputed_only_when_a_file_it_read_changes(data_copy):
    """A long-lived kernel (roses build --watch, JupyterLab) serves cached frames until a file they
    were made from is edited; an edit elsewhere in the data folder keeps them, and the new value shows."""
    from roses.exhibits.registry import Params, get

    table = get("table-7.1")
    params = Params(data_dir=data_copy)
    builds = []
    real_build = table.build
    object.__setattr__(table, "build", lambda p: builds.append(table.id) or real_build(p))  # a frozen record
    try:
        _edit_and_recompute(table, params, data_copy, builds)
    finally:
        object.__setattr__(table, "build", real_build)


def _edit_and_recompute(table, params, data_copy, builds):
    first = table.frame(params)
    offer = data_copy / "published" / "eip2_training_offer.csv"  # not read by Table 7.1
    offer.write_text(offer.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert table.frame(params).equals(first) and builds == ["table-7.1"]
    ratings = data_copy / "published" / "blind_ratings.csv"
    text = ratings.read_text(encoding="utf-8")
    lines = text.splitlines()
    cells = lines[1].split(",")
    cells[4] = "1" if cells[4] != "1" else "2"  # the score
    ratings.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    assert not table.frame(params).equals(first) and builds == ["table-7.1", "table-7.1"]
