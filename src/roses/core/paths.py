"""Where the project's files live."""

from __future__ import annotations

import os
import re
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


def data_file(folder: str | os.PathLike | None, area: str, *names: str) -> Path:
    """One file of ``instruments/``, ``published/`` or ``dfe/``: the data folder's own if it has that file,
    else the repository's. A file in ``--data`` replaces only that file (a folder holding only
    ``instruments/staff_survey.yml`` still reads the repository's comment themes), so every command
    and ``roses validate`` mean the same by a folder."""
    own = data_dir(folder).joinpath(area, *names)
    if own.exists() or own.is_symlink():
        return own
    return DATA_DIR.joinpath(area, *names)


def data_files_in(folder: str | os.PathLike | None, area: str, *names: str, pattern: str = "*") -> list[Path]:
    """Every file matching ``pattern`` in a folder of ``area``: the repository's, each replaced by the
    data folder's own file of the same name, plus the data folder's new ones."""
    found = {p.name: p for p in sorted(DATA_DIR.joinpath(area, *names).glob(pattern))}
    found |= {p.name: p for p in sorted(data_dir(folder).joinpath(area, *names).glob(pattern))}
    return [found[name] for name in sorted(found)]


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
    near = near_misses(folder)
    if near:
        raise RosesError(f"--data {folder}: " + "; ".join(near))
    if not any(name in DATA_AREAS or name in DATA_FILES for name in entries):
        known = ", ".join([*(a + "/" for a in DATA_AREAS), *DATA_FILES])
        raise RosesError(f"--data {folder}: holds none of {known}; {hint}")
    return folder


SURVEY_FOLDERS = ("staff", "parent")


def near_misses(folder: Path) -> list[str]:
    """Entries of a data folder named almost as roses expects (``Surveys/``, ``survey/``,
    ``surveys/Staff/``, ``surveys/staff survey/``): each with the path roses reads instead.

    Such a folder would otherwise be ignored and its authority shown with illustrative results, so
    every command refuses it (this is the one place the check lives: every command's ``--data`` and
    ``roses validate`` come through :func:`checked_data_dir`).
    """
    found = []
    for entry, expected in [
        *((e, _near(e.name, DATA_AREAS, within=False)) for e in _listed(folder)),
        *((e, _near(e.name, SURVEY_FOLDERS, within=True)) for e in _listed(folder / "surveys")),
    ]:
        if expected and entry.name != expected and not (entry.parent / expected).exists():
            found.append(
                f"{entry} is named almost like {entry.parent / expected}, which roses reads "
                f"(names are exact: lower case, no spaces); rename it {expected}"
            )
        elif expected and entry.name != expected:
            found.append(
                f"{entry} is named almost like {entry.parent / expected}, beside it; roses reads only "
                f"{expected}: move the files into it and remove {entry.name}"
            )
    return found


def _listed(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError:
        return []


def _near(name: str, expected: tuple[str, ...], within: bool) -> str | None:
    """The expected name ``name`` nearly is: the same letters in another case, with spaces or
    punctuation, singular for plural, or (``within``) with other words around it ('staff survey')."""
    letters = re.sub(r"[^a-z]", "", name.lower())
    for word in expected:
        if letters in (word, word.rstrip("s"), word + "s") or (within and word in letters):
            return word
    return None
