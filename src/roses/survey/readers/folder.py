"""The folder: which files under ``DATA/surveys/<survey>/`` are exports, and which authority each folder names."""

import difflib
import re
from pathlib import Path

from roses.core.errors import DataError, RosesError
from roses.national import readers as national
from roses.published.tables import AUTHORITIES
from roses.survey.readers.formats import FILE_NAME, FILE_NAMES, OTHER_FORMATS, _not_a_file

CODINGS_FILE = "codings.csv"  # DATA/surveys/codings.csv: survey,authority,wave,coding
NOT_READ = (".", "~$")  # hidden files (.DS_Store) and Excel's lock files (~$wave-4.xlsx)

# An authority folder holding this file holds synthetic exports (`roses synth --authority`): read like any
# other, but their origin is illustrative, never local. Hidden, so the folder's layout check leaves it alone.
SYNTHETIC_MARK = ".roses-synthetic"
PROGRAMME = "a programme letter A-K (A, B, C, D, E, F, G, H, J or K: there is no I)"


# --- The folder: which files are exports ---------------------------------------------------------


def find_exports(data_dir: Path | None, survey: str) -> list[tuple[str, int, Path]]:
    """(authority, wave, path) for every export file under ``DATA/surveys/<survey>/``.

    Raises DataError for the first thing in that folder that is not a readable export (see
    :func:`survey_files`), so a misnamed file never leaves an authority silently illustrative.
    """
    exports, problems = survey_files(data_dir, survey)
    if problems:
        raise problems[0]
    return exports


def survey_files(data_dir: Path | None, survey: str) -> tuple[list[tuple[str, int, Path]], list[DataError]]:
    """Every export under ``DATA/surveys/<survey>/`` and every problem with the folder's layout.

    Problems: an entry that is not an authority folder, a folder not named by a known authority,
    a file whose name is not ``wave-<N>.csv|xlsx``, two files for one wave, and a name like an
    export that is not a file (a folder, a broken or looping link). Hidden files and Excel's lock
    files are left alone.
    """
    if data_dir is None:
        return [], []
    root = Path(data_dir) / "surveys" / survey
    if not root.is_dir():
        return [], []
    exports, problems = [], []
    seen: dict[str, Path] = {}  # one folder per authority: its name and its code are one authority

    def problem(path: Path, found: str, expected: str) -> None:
        problems.append(DataError.one(path, found, expected))

    for folder in _entries(root):
        if not folder.is_dir():
            if folder.name.lower() in ("invited.csv", CODINGS_FILE, "waves.csv"):
                problem(folder, "a file", f"surveys/{folder.name} (beside staff/ and parent/, not inside)")
            else:
                problem(folder, "a file", f"a folder per authority: surveys/{survey}/<AUTHORITY>/wave-<N>.csv")
            continue
        expected = authority_problem(folder.name, data_dir)
        if expected:
            problem(folder, f"authority '{folder.name}'", expected)
            continue
        key = authority_key(folder.name, data_dir)
        if key in seen:
            problem(
                folder,
                f"a second folder for one authority (also {seen[key].name})",
                "one folder per authority: move the files into one of them and remove the other",
            )
            continue
        seen[key] = folder
        waves: dict[int, Path] = {}
        try:
            entries = _entries(folder)
        except DataError as error:
            problems.append(error)
            continue
        for path in entries:
            match = FILE_NAME.match(path.name)
            if not match:
                problem(path, *_name_problem(path))
                continue
            wave = int(match.group(1))
            if wave in waves:
                problem(path, f"a second file for wave {wave} (also {waves[wave].name})", "one file per wave")
                continue
            waves[wave] = path
            what = _not_a_file(path)
            if what:
                problem(path, what, "a CSV or XLSX export file")
                continue
            exports.append((folder.name, wave, path))
    return exports, problems


def _name_problem(path: Path) -> tuple[str, str]:
    """What is wrong with an export's file name, and what to do."""
    stem = re.match(r"^(?:wave|round)-?\d+$", path.stem, re.IGNORECASE)
    what = OTHER_FORMATS.get(path.suffix.lower())
    if stem and what:
        return what
    return "a file name roses does not read", FILE_NAMES


def _entries(folder: Path) -> list[Path]:
    """The folder's entries roses looks at; a folder that cannot be listed is a DataError."""
    try:
        return sorted(p for p in folder.iterdir() if not p.name.startswith(NOT_READ))
    except OSError as error:
        raise DataError.one(
            folder, error.strerror or type(error).__name__, "a folder roses can read (check its permissions)"
        ) from None


def authority_problem(name: str, data_dir: Path | None = None) -> str | None:
    """None if ``name`` may name an authority's folder, else what was expected instead.

    Accepted: the programme letters, or (for an authority's own edition) an English authority's
    name as DfE writes it, its folder name ('Bristol-City-of') or its three-digit DfE code, in any
    case: the spellings an edition looks its folder up by.
    """

    if name in AUTHORITIES:
        return None
    if name.upper() in AUTHORITIES:
        return f"{PROGRAMME}, in capitals ('{name.upper()}')"
    expected = f"{PROGRAMME}, or an English authority's name or DfE code (e.g. Derby or 831)"
    if len(name) == 1:
        return expected
    try:
        names = _english_authorities(data_dir)
    except RosesError:  # no national files to check against: only the letters are known
        return expected
    if name.lower() in names:
        return None

    try:  # "Hull" or "Bristol City of": say which folder name would be read
        code, real = national.resolve_authority(name, data_dir)
        return (
            f"{expected}; '{name}' looks like {real}: name the folder "
            f"'{re.sub(r'[^A-Za-z0-9]+', '-', real).strip('-')}' or '{code}'"
        )
    except RosesError:
        pass
    close = difflib.get_close_matches(name.lower(), list(names), n=3, cutoff=0.75)
    return expected + (f"; close matches: {', '.join(sorted({names[c][1] for c in close}))}" if close else "")


def authority_key(name: str, data_dir: Path | None = None) -> str:
    """One key per authority for a folder name: the letter, or the DfE code of a name, slug or code."""
    try:
        found = _english_authorities(data_dir).get(name.lower())
    except RosesError:
        found = None
    return found[0] if found and len(name) > 1 else name


def _english_authorities(data_dir: Path | None) -> dict[str, tuple[str, str]]:
    """Every accepted spelling (lower case) of an English authority -> (DfE code, name as DfE writes it)."""

    table = national.authorities(data_dir)
    names = {}
    for code, name in zip(table["old_la_code"].astype(str), table["la_name"]):
        for spelling in (code, name, re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")):  # the edition folder slug
            names[spelling.lower()] = (code, name)
    return names
