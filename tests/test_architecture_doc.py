"""docs/architecture.md matches the tree: the layers its diagram draws are the import-linter layers of
pyproject.toml, in the same order, and every package of src/roses is one of them; every file the
"Where each job lives" table names exists."""

from __future__ import annotations

import re
import tomllib

from roses.core.paths import REPO_ROOT

DOC = (REPO_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PACKAGE = REPO_ROOT / "src" / "roses"
NOT_LAYERS = {"assets"}  # files the site serves and JupyterLab's configuration, not code layered by imports


def _diagram_layers() -> list[str]:
    """The package names in the diagram's left column, top to bottom (``survey -> national`` is two)."""
    names = []
    for line in DOC.split("```")[1].splitlines():
        names += [word for word in line[:24].replace("->", " ").split() if word.isalpha()]
    return names


def test_the_diagram_the_linter_and_the_tree_name_the_same_layers():
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    linted = [layer.removeprefix("roses.") for layer in config["tool"]["importlinter"]["contracts"][0]["layers"]]
    drawn = _diagram_layers()
    assert [name for name in drawn if name in linted] == [n for n in linted if n in drawn]  # same order
    assert set(drawn) == set(linted), "the diagram and pyproject.toml's layers differ"
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")} - NOT_LAYERS
    assert packages == set(linted), "a package of src/roses is not a layer (or a layer has no package)"


def test_every_file_the_job_table_names_exists():
    table = DOC.split("## Where each job lives", 1)[1]
    named = re.findall(r"`([a-z_/<>.]+\.(?:py|js|csv))`", table)
    missing = []
    for name in named:
        if "<" in name:
            continue
        candidates = [PACKAGE / name, REPO_ROOT / name, REPO_ROOT / "src" / "roses" / "assets" / name]
        if not any(c.exists() for c in candidates):
            missing.append(name)
    assert named and missing == []
