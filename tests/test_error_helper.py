"""One way to build a single-problem error: ``DataError.one(path, found, expected, row=, column=)``.
A ``DataError(path, [Problem(...)])`` with one problem written out, or a module's own helper for it,
fails here (a list built from many problems is the other, plural, way)."""

from __future__ import annotations

import ast

import pytest

from roses.core.errors import DataError, Problem
from roses.core.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "roses"


def _single_problem_errors(tree: ast.AST) -> list[int]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "DataError" and len(node.args) == 2:
            listed = node.args[1]
            if isinstance(listed, ast.List) and len(listed.elts) == 1:
                found.append(node.lineno)
    return found


def test_single_problem_errors_are_built_one_way():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative != "core/errors.py":
            found += [f"{relative}:{line}" for line in _single_problem_errors(ast.parse(path.read_text()))]
    assert found == [], "use DataError.one(path, found, expected, row=..., column=...)"


def test_one_names_file_row_and_column():
    error = DataError.one("data/x.csv", "abc", "a number", row=4, column="score")
    assert error.problems == [Problem(4, "score", "abc", "a number")]
    assert str(error) == "data/x.csv: 1 problem(s)\n  x.csv, row 4, column 'score': found 'abc', expected a number"
    with pytest.raises(DataError, match="whole file: found 'empty', expected rows"):
        raise DataError.one("y.csv", "empty", "rows")
