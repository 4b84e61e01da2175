"""Shared fixtures. The built site is the one `make book` produced, or $ROSES_SITE."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from roses.core.paths import REPO_ROOT


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built HTML site; `make test` builds it first (run `make book` when testing by hand)."""
    site = Path(os.environ.get("ROSES_SITE", REPO_ROOT / "_build" / "html"))
    if not (site / "book" / "index.html").is_file():
        pytest.fail(f"no built site at {site}: run `make book` first (or set ROSES_SITE)")
    return site


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the repository's data folder, safe to alter."""
    target = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", target, ignore=shutil.ignore_patterns("dfe"))
    dfe = REPO_ROOT / "data" / "dfe"
    if dfe.is_dir():
        (target / "dfe").symlink_to(dfe)  # large and read-only in tests: share it
    return target


def pytest_collection_modifyitems(items):
    """The slow files (books, editions, roses verify, JupyterLab) first, so that with
    ``pytest -n 2 --dist loadfile --no-loadscope-reorder`` (make test) both workers finish together.
    Without that flag xdist sends the files with the most tests first, and roses verify, the longest
    file, started late and ran on alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # stable: files stay together
