"""environment.yml, pyproject.toml and requirements.lock name the same dependencies and versions."""

from __future__ import annotations

import re
import tomllib

import yaml


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.lower())


def _name(requirement: str) -> str:
    return _norm(re.split(r"[<>=!\[ ;]", requirement, maxsplit=1)[0])


def _lock(repo_root) -> dict[str, str]:
    lock = {}
    for line in (repo_root / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            lock[_norm(name)] = version.strip()
    return lock


def test_environment_yml_pins_exactly_the_locked_set(repo_root):
    """Conda users get every locked package at its locked version, not only the direct ones."""
    env = yaml.safe_load((repo_root / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    env_pins = {_name(r): r.split("==")[1] for r in pip_section}
    assert env_pins == _lock(repo_root)


def test_every_direct_dependency_is_locked(repo_root):
    project = tomllib.loads((repo_root / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + [d for deps in project["optional-dependencies"].values() for d in deps]
    assert {_name(d) for d in direct} <= set(_lock(repo_root))


def test_lock_pins_every_package_exactly(repo_root):
    for line in (repo_root / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.+\-]+", line.strip()), line


def test_installed_versions_match_the_lock(repo_root):
    from importlib.metadata import version

    for pkg in ("jupyter-book", "myst-nb", "plotly", "pandas", "papermill", "nbval", "pandera"):
        pinned = _lock(repo_root)[pkg]
        assert version(pkg) == pinned
