"""Where the project's files live."""

from __future__ import annotations

import os
from pathlib import Path


def _find_repo_root() -> Path:
    """The folder holding ``_config.yml``: from $ROSES_ROOT, the package's checkout, or the cwd."""
    if os.environ.get("ROSES_ROOT"):
        return Path(os.environ["ROSES_ROOT"]).resolve()
    for start in (Path(__file__).resolve(), Path.cwd().resolve()):
        for folder in (start, *start.parents):
            if (folder / "_config.yml").is_file() and (folder / "data").is_dir():
                return folder
    return Path.cwd().resolve()


REPO_ROOT = _find_repo_root()
DATA_DIR = REPO_ROOT / "data"
BUILD_DIR = REPO_ROOT / "_build"


def data_dir(path: str | os.PathLike | None = None) -> Path:
    """The data folder to read: the one given, else $ROSES_DATA, else the repository's ``data/``.

    ``roses build --data DIR`` sets $ROSES_DATA so the executed notebooks read that folder.
    """
    if path:
        return Path(path).resolve()
    if os.environ.get("ROSES_DATA"):
        return Path(os.environ["ROSES_DATA"]).resolve()
    return DATA_DIR
