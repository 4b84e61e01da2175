"""The one cache policy (``roses.core.cache``) is the only one: a result read from files is cached keyed
on every file it was computed from, and every caller gets its own copy. A process-wide
``functools.lru_cache``/``cache`` or a hand-made file stamp elsewhere fails this file, unless it is
named below with the reason it is safe.
"""

from __future__ import annotations

import ast

import nbformat
import pandas as pd

from roses.core.cache import BoundedCache, computed_from_folder
from roses.core.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "roses"
CACHE_DECORATORS = {"lru_cache", "cache"}
# Functions that read no file: their result depends on their arguments only.
PURE = {
    ("published/stats.py", "_arrangements"): "the distinct orderings of a tuple of values (combinatorics)",
    ("survey/redact.py", "_plain_names"): "a set of names, each folded to plain letters",
    ("editions/leaks.py", "_folded_names"): "a set of names, each case- and accent-folded",
}
# Where a file's modification time is read for something other than caching a result.
STAT_ALLOWED = {
    "core/stamps.py": "the one definition of a file's stamp",
    "core/atomic.py": "orders the folders a killed swap left behind",
    "site/watch.py": "the watcher notices a saved file (no result is cached on it)",
}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative != "core/cache.py":
            yield relative, ast.parse(path.read_text(encoding="utf-8"))


def _decorator_name(node: ast.expr) -> str:
    node = node.func if isinstance(node, ast.Call) else node
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def test_no_process_wide_cache_outside_core_cache_but_for_pure_functions():
    found = []
    for relative, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if any(_decorator_name(d) in CACHE_DECORATORS for d in node.decorator_list):
                    if (relative, node.name) not in PURE:
                        found.append(f"{relative}: {node.name}")
    assert found == [], "cache through roses.core.cache (or add a pure function to PURE, with why)"


def test_no_hand_made_file_stamp_outside_core():
    found = []
    for relative, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {"st_mtime", "st_mtime_ns"}:
                if relative not in STAT_ALLOWED:
                    found.append(f"{relative}:{node.lineno}")
    assert found == [], "a file's stamp comes from roses.core.stamps, a cache from roses.core.cache"


def test_the_pure_functions_named_still_exist():
    names = {
        (relative, n.name) for relative, tree in _modules() for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
    }
    assert set(PURE) <= names


def test_a_folder_cache_follows_edits_additions_and_removals_and_hands_out_copies(tmp_path):
    (tmp_path / "a.csv").write_text("x\n1\n")
    cache, computed = BoundedCache(4), []

    def total():
        computed.append(1)
        return pd.DataFrame({"x": [sum(int(p.read_text().split()[1]) for p in sorted(tmp_path.glob("*.csv")))]})

    first = computed_from_folder(cache, "total", tmp_path, total)
    first.loc[0, "x"] = 999  # a caller's edit reaches no one else
    assert computed_from_folder(cache, "total", tmp_path, total)["x"][0] == 1 and len(computed) == 1
    (tmp_path / "a.csv").write_text("x\n22\n")  # an edit (another size: the stamp changes)
    assert computed_from_folder(cache, "total", tmp_path, total)["x"][0] == 22
    (tmp_path / "b.csv").write_text("x\n3\n")  # a file added
    assert computed_from_folder(cache, "total", tmp_path, total)["x"][0] == 25
    (tmp_path / "b.csv").unlink()  # and removed
    assert computed_from_folder(cache, "total", tmp_path, total)["x"][0] == 22


def test_an_editions_chapter_title_follows_its_notebook(tmp_path):
    from roses.editions.authority import chapter_title

    (tmp_path / "book").mkdir()
    path = tmp_path / "book" / "findings.ipynb"
    for title in ("Findings", "What the programme found"):
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"# {title}")]), path)
        assert chapter_title("findings", tmp_path) == title
