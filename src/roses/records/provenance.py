"""Provenance: which code, which data files and which package versions produced the book.

Used by the book's Provenance page and by ``roses verify``. The build date appears only on the
Provenance page; it honours ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention), so two
builds given the same value are byte-identical even across midnight.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pandas as pd

from roses.core import readlog
from roses.core.paths import DATA_DIR, REPO_ROOT
from roses.core.paths import data_dir as resolve_data_dir
from roses.national import readers
from roses.published.tables import AUTHORITIES
from roses.survey import cellkey
from roses.survey.readers import survey_files

# Folders under data/ that are not inputs to the book: release snapshots are outputs of a build.
NOT_INPUTS = {"releases"}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def keyed_digest(path: Path, root: Path) -> str:
    """A digest of a local survey file that only its authority can recompute (HMAC-SHA-256 under the
    data folder's secret key, ``roses.survey.cellkey.folder_key``).

    A plain SHA-256 of an export lets anyone confirm a guess of its contents (hash the candidate
    answers of a small round until one matches); the keyed one still tells the authority whether a
    file changed, and nobody else anything.
    """
    key = cellkey.folder_key(root).encode("ascii")
    digest = hmac.new(key, digestmod=hashlib.sha256)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return "keyed:" + digest.hexdigest()


def is_local_export(relative: str) -> bool:
    """A respondent-level file of the authority (``surveys/...``): never fingerprinted in public."""
    return relative.split("/")[0] == "surveys"


def fingerprint(relative: str, path: Path, root: Path) -> str:
    """SHA-256 of a public data file; a keyed digest of a local export (:func:`keyed_digest`)."""
    return keyed_digest(path, root) if is_local_export(relative) else sha256(path)


def data_files(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The data files the book reads: name (relative to the data folder), size and sha256.

    Only the files the readers open (``input_files``) are listed, never merely what lies in the
    folder: a stray file named after a person is not published. Survey exports are shown by a
    neutral label (``survey_label``), never by their path: "staff survey, authority folder 1, wave 2";
    and without their size, with a keyed digest for a checksum (docs/disclosure.md, scope 4).
    """
    root = resolve_data_dir(data_dir)
    labels = _survey_labels(root)
    rows = [
        {
            "file": labels.get(relative, relative),
            "bytes": None if is_local_export(relative) else path.stat().st_size,
            "sha256": fingerprint(relative, path, root),
        }
        for relative, path in input_files(root)
    ]
    frame = pd.DataFrame(rows, columns=["file", "bytes", "sha256"])
    return frame.sort_values("file", kind="stable").reset_index(drop=True)


DOCUMENTATION = (".md",)  # READMEs and provenance notes beside the data: no reader opens them


def input_files(data_dir: str | Path | None = None) -> list[tuple[str, Path]]:
    """(name relative to the data folder, resolved path) of every file the readers open in it.

    The readers look for files by name, so this is decided by name, cheaply and the same way in
    every build: the national, published and codebook files by the names the repository's own
    ``data/`` folder and the national readers use; every CSV in ``published/findings/`` (its loader
    reads them all); the survey exports the survey readers accept (``survey_files``: hidden files,
    lock files and misnamed files are not exports) and ``surveys/invited.csv``.
    """
    root = resolve_data_dir(data_dir)
    names = {relative: path for path, relative in _names_under(root).items()}
    wanted = _reader_names()
    chosen = []
    for relative, path in names.items():
        parts = relative.split("/")
        if parts[0] in NOT_INPUTS or relative.lower().endswith(DOCUMENTATION) or parts[0] == "surveys":
            continue
        findings = len(parts) == 3 and parts[:2] == ["published", "findings"] and parts[2].endswith(".csv")
        if relative in wanted or findings:
            chosen.append((relative, path))
    chosen += _survey_inputs(root, names)
    return sorted(chosen)


def _reader_names() -> set[str]:
    """Relative names of the national, published and codebook files the readers open by name."""

    names = (
        {p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*") if p.is_file()} if DATA_DIR.is_dir() else set()
    )
    names |= {
        f"dfe/{value}"
        for value in vars(readers).values()
        if isinstance(value, str) and value.endswith((".csv", ".ods", ".yml")) and "/" not in value
    }
    return names


def _survey_inputs(root: Path, names: dict[str, Path]) -> list[tuple[str, Path]]:

    found = []
    if "surveys/invited.csv" in names:
        found.append(("surveys/invited.csv", names["surveys/invited.csv"]))
    for survey in ("staff", "parent"):
        try:
            exports, _ = survey_files(root, survey)
        except Exception:  # noqa: BLE001 - a folder the readers refuse fails the build itself
            continue
        for _, _, path in exports:
            relative = Path(path).relative_to(root).as_posix()
            if relative in names:
                found.append((relative, names[relative]))
    return found


def _names_under(root: Path) -> dict[Path, str]:
    """Every file under ``root`` (links followed, as an edition's folder of links needs): resolved path ->
    its name relative to ``root``."""
    names: dict[Path, str] = {}
    seen: set[Path] = set()

    def walk(folder: Path, prefix: str, depth: int) -> None:
        real = folder.resolve()
        if real in seen or depth > 8:
            return
        seen.add(real)
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return
        for entry in entries:
            relative = f"{prefix}{entry.name}"
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                walk(entry, relative + "/", depth + 1)
            elif entry.is_file():
                names.setdefault(entry.resolve(), relative)

    walk(Path(root), "", 0)
    return names


SURVEY_FILE = re.compile(r"surveys/(staff|parent)/([^/]+)/(wave|round)-?(\d+)\.(?:csv|xlsx)", re.IGNORECASE)


def _survey_labels(root: Path) -> dict[str, str]:
    """Neutral labels for the survey exports under ``root``: relative path -> label."""

    folders = set()
    for survey in ("staff", "parent"):
        base = Path(root) / "surveys" / survey
        if base.is_dir():
            folders |= {p.name for p in base.iterdir() if p.is_dir() and p.name not in AUTHORITIES}
    numbers = {name: n for n, name in enumerate(sorted(folders), start=1)}
    labels = {}
    for relative in _names_under(root).values():
        label = survey_label(relative, numbers)
        if label:
            labels[relative] = label
    return labels


def survey_label(relative: str, numbers: dict[str, int] | None = None) -> str | None:
    """'staff survey, authority C, wave 2' or 'staff survey, authority folder 1, wave 2' for a survey
    export's path (relative to the data folder); None for any other file.

    A letter A-K is anonymised already; a folder named by a real authority (name or DfE code) is
    numbered instead (``numbers``: folder name -> number; 1 if not given).
    """

    match = SURVEY_FILE.fullmatch(relative)
    if not match:
        return None
    survey, folder, kind, wave = match.groups()
    who = f"authority {folder}" if folder in AUTHORITIES else f"authority folder {(numbers or {}).get(folder, 1)}"
    return f"{survey.lower()} survey, {who}, {kind.lower()} {int(wave)}"


def git_commit(root: Path = REPO_ROOT) -> str:
    """The checked-out commit, marked if the working tree has changes; 'unknown' outside git."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + (" (with uncommitted changes)" if dirty else "")


def build_date() -> str:
    """Today's date (UTC), or the date given by $SOURCE_DATE_EPOCH."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date().isoformat()


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").split("[")[0].strip()


def locked_versions(lock: Path = REPO_ROOT / "requirements.lock") -> dict[str, str]:
    """``{package: version}`` pinned in requirements.lock."""
    pins = {}
    for line in lock.read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[_normalise(name)] = version.split(";")[0].strip()
    return pins


def direct_dependencies(pyproject: Path = REPO_ROOT / "pyproject.toml") -> list[str]:
    """The package names listed in pyproject.toml (dependencies and the test extra)."""
    project = tomllib.loads(pyproject.read_text())["project"]
    names = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        names += extra
    return [_normalise(n.split(">")[0].split("<")[0].split("=")[0].split("!")[0]) for n in names]


def installed_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def packages(direct_only: bool = False) -> pd.DataFrame:
    """Each locked package: the pinned version, the installed one, and whether they agree."""
    pins = locked_versions()
    names = direct_dependencies() if direct_only else sorted(pins)
    rows = [{"package": n, "locked": pins.get(n, "not in the lock"), "installed": installed_version(n)} for n in names]
    frame = pd.DataFrame(rows, columns=["package", "locked", "installed"])
    frame["matches"] = frame["locked"] == frame["installed"]
    return frame


def data_used(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The data files this page has read so far (see ``roses.core.readlog``), with their sha256.

    Named as in :func:`data_files`: relative to the data folder (through an edition's links too),
    survey exports by a neutral label; files outside the data folder are not listed.
    """

    root = resolve_data_dir(data_dir)
    names = _names_under(root)
    labels = _survey_labels(root)
    rows = []
    for path in readlog.files_under(Path("/")):
        relative = names.get(path)
        if relative is not None and relative.split("/")[0] not in NOT_INPUTS:
            rows.append({"file": labels.get(relative, relative), "sha256": fingerprint(relative, path, root)[:18]})
    return pd.DataFrame(rows, columns=["file", "sha256"])
