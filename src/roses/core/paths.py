"""Where the project's files live."""

from __future__ import annotations

import os
from pathlib import Path

from roses.core.errors import RosesError


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


DATA_AREAS = ("published", "instruments", "surveys", "dfe")
DATA_FILES = ("self_assessment.csv",)  # files a local data folder may hold on their own


def checked_data_dir(path: str | os.PathLike | None) -> Path | None:
    """A ``--data DIR`` as given, if it is a usable data folder; None if none was given.

    Raises RosesError (exit 2) for a path that does not exist, a file, an empty folder, a folder
    holding none of published/, instruments/, surveys/, dfe/, or one of those subfolders given in
    place of the data folder (``--data DIR/surveys``): using the illustrative results instead
    would look like the user's own.
    """

    if path is None or str(path) == "":
        return None
    folder = Path(path)
    hint = "give the folder that holds surveys/ (and optionally dfe/, published/), see README.md 'Your own data'"
    if not folder.exists():
        raise RosesError(f"--data {folder}: no such folder; {hint}")
    if not folder.is_dir():
        raise RosesError(f"--data {folder}: a file, not a folder; {hint}")
    try:
        entries = [p.name for p in folder.iterdir() if not p.name.startswith(".")]
    except OSError as error:
        raise RosesError(f"--data {folder}: cannot be read ({error.strerror or type(error).__name__})") from None
    if folder.name in DATA_AREAS or folder.name in ("staff", "parent") and folder.parent.name == "surveys":
        parent = folder.parent.parent if folder.name in ("staff", "parent") else folder.parent
        raise RosesError(
            f"--data {folder}: this is the {folder.name}/ subfolder of a data folder; "
            f"give the data folder itself (--data {parent})"
        )
    if not entries:
        raise RosesError(f"--data {folder}: an empty folder; {hint}")
    if not any(name in DATA_AREAS or name in DATA_FILES for name in entries):
        known = ", ".join([*(a + "/" for a in DATA_AREAS), *DATA_FILES])
        raise RosesError(f"--data {folder}: holds none of {known}; {hint}")
    return folder
