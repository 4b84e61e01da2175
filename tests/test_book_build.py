"""The build treats warnings and failing cells as errors, so nothing is silently lost from a page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from roses.core.errors import RosesError
from roses.site.build import build_book


def jupyter_book() -> str:
    return str(Path(sys.executable).parent / "jupyter-book")


pytestmark = pytest.mark.slow


def _write(root, name, cells):
    nb = new_notebook(
        cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    nbformat.write(nb, root / "book" / f"{name}.ipynb")


def _tiny_book(tmp_path, repo_root, cells, chapters=()):
    root = tmp_path / "book-root"
    (root / "book").mkdir(parents=True)
    (root / "data").mkdir()
    shutil.copy(repo_root / "_config.yml", root / "_config.yml")
    shutil.copytree(repo_root / "book" / "_static", root / "book" / "_static")
    shutil.copy(repo_root / "book" / "references.bib", root / "book" / "references.bib")
    toc = "format: jb-book\nroot: book/index\n"
    if chapters:
        toc += "chapters:\n" + "".join(f"  - file: book/{name}\n" for name in chapters)
    (root / "_toc.yml").write_text(toc)
    _write(root, "index", cells)
    for name, chapter_cells in chapters.items() if chapters else ():
        _write(root, name, chapter_cells)
    return root


# A chapter runs in its executed copy's folder, <root>/_build/.roses/source/book (so no build path is
# published); the tiny book's own data folder is <root>/data, four levels up.
BOOK_DATA = "Path.cwd().parents[3] / 'data'"


def _reads(name):
    return [
        new_markdown_cell(f"# {name}"),
        new_code_cell(
            f"from pathlib import Path\nBOOK_DATA = {BOOK_DATA}\nprint('value:', (BOOK_DATA / '{name}.txt').read_text())"
        ),
    ]


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
    html = build_book(root=root).html
    assert (html / "book" / "index.html").is_file()


@pytest.mark.parametrize("case", CASES)
def test_the_build_fails_on(case, tmp_path, repo_root):
    root = _tiny_book(tmp_path, repo_root, CASES[case])
    with pytest.raises(RosesError, match="failed"):
        build_book(root=root)


def test_a_second_build_re_executes_when_only_the_data_changed(tmp_path, repo_root):
    """Sphinx sees no changed page when only data (or roses's code) changed: the build must still re-run."""
    cells = [
        new_markdown_cell("# A page"),
        new_code_cell(
            f"from pathlib import Path\nBOOK_DATA = {BOOK_DATA}\nprint('value:', (BOOK_DATA / 'value.txt').read_text())"
        ),
    ]
    root = _tiny_book(tmp_path, repo_root, cells)
    (root / "data" / "value.txt").write_text("first")
    build_book(root=root)
    (root / "data" / "value.txt").write_text("second")
    html = build_book(root=root).html
    assert "value: second" in (html / "book" / "index.html").read_text()


def test_a_rebuild_re_executes_only_the_chapters_whose_inputs_changed(tmp_path, repo_root):
    root = _tiny_book(tmp_path, repo_root, GOOD, chapters={"one": _reads("one"), "two": _reads("two")})
    (root / "data" / "one.txt").write_text("first")
    (root / "data" / "two.txt").write_text("first")
    assert sorted(build_book(root=root).executed) == ["book/index", "book/one", "book/two"]
    unchanged_page = root / "_build" / ".roses" / "out" / "html" / "book" / "one.html"  # as Sphinx wrote it
    written = unchanged_page.stat().st_mtime_ns
    (root / "data" / "two.txt").write_text("second")
    report = build_book(root=root)
    assert report.executed == ["book/two"] and sorted(report.reused) == ["book/index", "book/one"]
    # In the same process too (roses build --watch), Sphinx writes only the page that changed.
    assert unchanged_page.stat().st_mtime_ns == written
    assert "value: second" in (report.html / "book" / "two.html").read_text()
    assert "value: first" in (report.html / "book" / "one.html").read_text()
    nb = nbformat.read(root / "book" / "one.ipynb", as_version=4)
    nb.cells.append(new_markdown_cell("A new sentence."))
    nbformat.write(nb, root / "book" / "one.ipynb")
    report = build_book(root=root)
    assert report.executed == ["book/one"]
    assert "A new sentence." in (report.html / "book" / "one.html").read_text()


def test_a_failed_build_leaves_the_previous_site_in_place(tmp_path, repo_root):
    root = _tiny_book(tmp_path, repo_root, GOOD)
    html = build_book(root=root).html
    _write(root, "index", CASES["failing cell"])
    with pytest.raises(RosesError, match="failed to execute"):
        build_book(root=root)
    assert "A page" in (html / "book" / "index.html").read_text()


def test_sphinx_reads_a_page_only_once_its_chapter_has_run(tmp_path, repo_root):
    """A clean build starts Sphinx before the chapters run; a slow chapter's page still shows its output."""
    slow = [new_markdown_cell("# Slow"), new_code_cell("import time\ntime.sleep(3)\nprint('value:', 'late')")]
    root = _tiny_book(tmp_path, repo_root, GOOD, chapters={"slow": slow})
    html = build_book(root=root, full=True).html
    assert "value: late" in (html / "book" / "slow.html").read_text()


def test_a_failed_clean_build_leaves_no_unexecuted_page_to_reuse(tmp_path, repo_root):
    """Sphinx is started with an unexecuted copy of each chapter still to run; if the build fails, the
    next build must run that chapter, not take the copy for its output."""
    root = _tiny_book(tmp_path, repo_root, GOOD, chapters={"one": _reads("one"), "two": _reads("two")})
    for name in ("one", "two"):
        (root / "data" / f"{name}.txt").write_text("first")
    build_book(root=root)
    (root / "_build" / ".roses" / "source" / "book" / "two.ipynb").unlink()
    (root / "_config.yml").write_text((root / "_config.yml").read_text() + "\n# changed\n")  # Sphinx starts fresh
    good = {name: (root / "book" / f"{name}.ipynb").read_bytes() for name in ("one", "two")}
    for name in good:  # two's run fails too, so nothing replaces its copy
        _write(root, name, CASES["failing cell"])
    with pytest.raises(RosesError, match="failed to execute"):
        build_book(root=root)
    for name, notebook in good.items():  # as they were: the last good build's record matches them again
        (root / "book" / f"{name}.ipynb").write_bytes(notebook)
    report = build_book(root=root)
    assert "book/two" in report.executed
    assert "value: first" in (report.html / "book" / "two.html").read_text()


def test_a_direct_jupyter_book_build_shows_a_data_change(tmp_path, repo_root):
    """`jupyter-book build .` re-reads the notebooks when the data folder changed (roses.site.sphinx_ext)."""
    cells = [
        new_markdown_cell("# A page"),
        new_code_cell("from roses.core.paths import data_dir\nprint('value:', (data_dir() / 'value.txt').read_text())"),
    ]
    root = _tiny_book(tmp_path, repo_root, cells)
    env = dict(os.environ, ROSES_DATA=str(root / "data"))
    command = [jupyter_book(), "build", str(root), "--warningiserror"]
    (root / "data" / "value.txt").write_text("first")
    subprocess.run(command, env=env, check=True, capture_output=True)
    (root / "data" / "value.txt").write_text("second")
    subprocess.run(command, env=env, check=True, capture_output=True)
    assert "value: second" in (root / "_build" / "html" / "book" / "index.html").read_text()


def test_watch_rebuilds_after_a_data_edit_and_restarts_on_a_code_change(tmp_path, repo_root):
    """`roses build --watch`: an edited data file gives a rebuilt page (only its chapter re-executed);
    a failed rebuild is reported and the watch goes on; a change to the code asks for a restart."""
    import threading
    import time

    from roses.site.watch import watch

    root = _tiny_book(tmp_path, repo_root, GOOD, chapters={"one": _reads("one"), "two": _reads("two")})
    for name in ("one", "two"):
        (root / "data" / f"{name}.txt").write_text("first")
    code = tmp_path / "code"
    code.mkdir()
    (code / "module.py").write_text("x = 1\n")
    build_book(root=root)
    said, restarts, done = [], [], threading.Event()

    def wait_for(text: str) -> str:
        deadline = time.monotonic() + 120
        while not any(text in line for line in said):
            assert time.monotonic() < deadline, said
            time.sleep(0.1)
        return next(line for line in said if text in line)

    inputs = [root / "book", root / "_toc.yml", root / "data"]
    watcher = threading.Thread(
        target=watch,
        args=(lambda: build_book(root=root), inputs, code, said.append, done.is_set, lambda: restarts.append(1)),
    )
    watcher.start()
    try:
        wait_for("watching")
        (root / "data" / "two.txt").write_text("second")
        line = wait_for("rebuilt in")
        assert "two.txt changed (executed: book/two)" in line, line
        assert "value: second" in (root / "_build" / "html" / "book" / "two.html").read_text()
        _write(root, "one", CASES["failing cell"])
        assert "the previous site stays" in wait_for("rebuild failed")
        assert "value: first" in (root / "_build" / "html" / "book" / "one.html").read_text()
        (code / "module.py").write_text("x = 2\n")
        wait_for("code changed")
        assert restarts == [1]
    finally:
        done.set()
        watcher.join(timeout=30)


def test_what_changed_runs_on_the_kernel_that_ran_the_longest_chapter(monkeypatch, tmp_path):
    """It computes every exhibit: on kernel 0, which took the first (longest) chapter, most are cached.
    Another kernel left with only what-changed stops instead of taking it."""
    import time

    from roses.site import build

    ran = []
    monkeypatch.setattr(build, "kernel", lambda index: index)

    def run(docname, root, source, parameters, data, on):
        if docname == "book/findings":
            time.sleep(0.3)  # the other kernel runs out of chapters first
        ran.append((docname, on))
        return []

    monkeypatch.setattr(build, "_run_chapter", run)
    order = ["book/findings", "book/practice", "book/learning", "book/what-changed"]
    done = list(build.run_chapters(order, tmp_path, tmp_path, {}, tmp_path))
    assert sorted(d for d, _, _ in done) == sorted(order)
    assert dict(ran)["book/what-changed"] == 0
    assert dict(ran)["book/findings"] == 0


def test_kernel_0_takes_the_longest_chapter_even_when_another_kernel_starts_first(monkeypatch, tmp_path):
    """Kernels start side by side; the one ready first must not take the first chapter from kernel 0."""
    import time

    from roses.site import build

    ran = []

    def slow_kernel_0(index):
        if index == 0:
            time.sleep(0.3)
        return index

    monkeypatch.setattr(build, "kernel", slow_kernel_0)
    monkeypatch.setattr(
        build, "_run_chapter", lambda docname, root, source, parameters, data, on: ran.append((docname, on)) or []
    )
    order = ["book/findings", "book/practice", "book/learning", "book/what-changed"]
    list(build.run_chapters(order, tmp_path, tmp_path, {}, tmp_path))
    assert dict(ran)["book/findings"] == 0
    assert dict(ran)["book/what-changed"] == 0
    assert {d for d, on in ran if on == 1} == {"book/practice", "book/learning"}
