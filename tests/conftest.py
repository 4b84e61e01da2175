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


GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="write tests/golden/ files from this run instead of comparing (review the diff); "
        "the environment variable ROSES_UPDATE_GOLDEN=1 does the same",
    )


@pytest.fixture
def snapshot(request):
    """``snapshot(name, text)``: ``text`` must equal tests/golden/<name>. Only ``--update-goldens`` (or
    ROSES_UPDATE_GOLDEN=1) writes a golden file: a missing one fails, so deleting it cannot pass."""
    update = request.config.getoption("--update-goldens") or os.environ.get("ROSES_UPDATE_GOLDEN") == "1"

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.write_text(text, encoding="utf-8")
            return
        if not path.is_file():
            pytest.fail(f"{path} is missing: run pytest with --update-goldens to write it, then review it")
        assert text == path.read_text(encoding="utf-8"), f"{path} differs; if intended, rerun with --update-goldens"

    return check


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the repository's data folder, safe to alter."""
    target = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", target, ignore=shutil.ignore_patterns("dfe"))
    dfe = REPO_ROOT / "data" / "dfe"
    if dfe.is_dir():
        (target / "dfe").symlink_to(dfe)  # large and read-only in tests: share it
    return target


# The browser files whose tests only read a page (``shared_page``). They run on one xdist worker as
# one unit, each page's tests together, so a page is loaded once per viewport for all of them: a chart
# page costs about 4 CPU-seconds to load and draw, and these files loaded the same pages 83 times.
SHARED_PAGE_FILES = (
    "tests/browser/test_pages.py",
    "tests/browser/test_layout.py",
    "tests/browser/test_exhibits.py",
    "tests/browser/test_accessibility.py",
)
# axe runs last on each page: it fetches the page's stylesheets itself, requests a reader's browser
# never makes, which must not reach the page's log that test_pages checks (before the stylesheets were
# bundled, its reading of theme.css's `@import` left a 404 there).
RUNS_LAST_ON_A_PAGE = "tests/browser/test_accessibility.py"


def _shares_pages(nodeid: str) -> bool:
    return nodeid.split("::", 1)[0] in SHARED_PAGE_FILES


@pytest.hookimpl(trylast=True)  # after pytest's own grouping by parameter
def pytest_collection_modifyitems(items):
    """The slow files (books, editions, roses verify, JupyterLab) first, so that with
    ``pytest -n 2 --dist loadfile --no-loadscope-reorder`` (make test) both workers finish together.
    Without that flag xdist sends the files with the most tests first, and roses verify, the longest
    file, started late and ran on alone at the end. The files of ``SHARED_PAGE_FILES`` (one unit, as
    long as roses verify) go with the slow ones, their tests ordered by page (axe's last on each)."""

    def key(item):
        shared = _shares_pages(item.nodeid)
        page = item.callspec.params.get("path", "") if shared and hasattr(item, "callspec") else ""
        return (not (shared or item.get_closest_marker("slow")), page, item.nodeid.startswith(RUNS_LAST_ON_A_PAGE))

    items.sort(key=key)  # stable: other files stay together, in collection order


def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile``, with the files of ``SHARED_PAGE_FILES`` sent to one worker as one unit."""
    if config.getoption("dist") != "loadfile":
        return None
    from roses.engine.compat import file_scheduler

    def scope(nodeid: str, by_file) -> str:
        return "tests/browser/(pages read by several files)" if _shares_pages(nodeid) else by_file(nodeid)

    return file_scheduler(scope)(config, log)
