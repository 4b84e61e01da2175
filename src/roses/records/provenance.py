"""Provenance: which code, which data files and which package versions produced the book.

Used by the book's Provenance page and by ``roses verify``. The build date appears only on the
Provenance page; it honours ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention), so two
builds given the same value are byte-identical even across midnight.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pandas as pd

from roses.core.paths import REPO_ROOT
from roses.core.paths import data_dir as resolve_data_dir

# Folders under data/ that are not inputs to the book: release snapshots are outputs of a build.
NOT_INPUTS = {"releases"}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def data_files(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every data file the book can read: path (relative to the data folder), size and sha256."""
    root = resolve_data_dir(data_dir)
    rows = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or relative.parts[0] in NOT_INPUTS or any(p.startswith(".") for p in relative.parts):
            continue
        rows.append({"file": relative.as_posix(), "bytes": path.stat().st_size, "sha256": sha256(path)})
    return pd.DataFrame(rows, columns=["file", "bytes", "sha256"])


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
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
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
    rows = [{"package": n, "locked": pins.get(n, "not in the lock"), "installed": installed_version(n)}
            for n in names]
    frame = pd.DataFrame(rows, columns=["package", "locked", "installed"])
    frame["matches"] = frame["locked"] == frame["installed"]
    return frame


def data_used(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The data files this process has read so far (see ``roses.core.readlog``), with their sha256."""
    from roses.core import readlog

    root = resolve_data_dir(data_dir)
    rows = [{"file": p.relative_to(root.resolve()).as_posix(), "sha256": sha256(p)[:12]}
            for p in readlog.files_under(root)]
    return pd.DataFrame(rows, columns=["file", "sha256"])
