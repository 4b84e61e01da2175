"""Release snapshots: what a release's exhibits said, so later builds can show what changed.

``roses release`` writes ``data/releases/<version>.json``: for every built exhibit its title, the
sha256 of its frame (as CSV), its row count and its headline (the one-sentence summary shown under
its caption, which carries the key numbers), plus the data files' checksums and the text output of
every notebook cell marked ``# NBVAL_CHECK_OUTPUT`` (the reference ``roses verify`` compares with).
Frames themselves are not stored: the checksum says whether one changed, the headline says how.

Snapshots live in the repository's own ``data/releases/`` whatever data folder is being read, so a
build from another data folder is compared with the last release of the repository.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd

from roses import __version__
from roses.core import atomic
from roses.core.cache import BoundedCache, computed
from roses.core.paths import DATA_DIR
from roses.core.stamps import data_stamp
from roses.exhibits.registry import Params, all_exhibits, frame_csv
from roses.published.tables import AUTHORITIES
from roses.records.provenance import DOCUMENTATION, SURVEY_FILE, data_files, survey_label

RELEASES_DIR = DATA_DIR / "releases"


def exhibit_records(data_dir: str | Path | None = None) -> dict[str, dict]:
    """``{id: {title, sha256, rows, headline}}`` for every exhibit that is not a placeholder."""
    params = Params(data_dir=Path(data_dir) if data_dir else None)
    records = {}
    for ex in all_exhibits():
        frame = ex.frame(params)
        records[ex.id] = {
            "title": ex.title,
            "sha256": hashlib.sha256(frame_csv(frame).encode("utf-8")).hexdigest(),
            "rows": len(frame),
            "headline": ex.summary(frame, params) if ex.summary else "",
        }
    return records


def snapshot(data_dir: str | Path | None = None, notebooks: dict | None = None, version: str = __version__) -> dict:
    """Everything a release records (see the module docstring)."""

    files = data_files(data_dir)
    return {
        "version": version,
        "exhibits": exhibit_records(data_dir),
        "data": dict(zip(files["file"], files["sha256"])),
        "notebooks": notebooks or {},
    }


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-]", version))


def write(record: dict, folder: Path = RELEASES_DIR) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record['version']}.json"
    atomic.write_text(path, json.dumps(record, indent=1, sort_keys=True) + "\n")  # never half a snapshot
    return path


def latest(folder: Path = RELEASES_DIR) -> dict | None:
    """The snapshot of the most recent release, or None if none has been recorded."""
    paths = sorted(folder.glob("*.json"), key=lambda p: _version_key(p.stem)) if folder.is_dir() else []
    return json.loads(paths[-1].read_text(encoding="utf-8")) if paths else None


def exhibit_changes(old: dict, new: dict) -> pd.DataFrame:
    """Exhibits new, removed or changed between two snapshots, with old and new headlines."""
    rows = []
    for id in sorted(set(old["exhibits"]) | set(new["exhibits"])):
        before, after = old["exhibits"].get(id), new["exhibits"].get(id)
        if before and after and before["sha256"] == after["sha256"]:
            continue
        status = "new" if before is None else "removed" if after is None else "changed"
        rows.append(
            {
                "exhibit": id,
                "title": (after or before)["title"],
                "status": status,
                "old_headline": before["headline"] if before else "",
                "new_headline": after["headline"] if after else "",
            }
        )
        if status == "changed" and before["headline"] == after["headline"]:
            rows[-1]["new_headline"] = "(same headline; other values in the exhibit's data changed)"
    return pd.DataFrame(rows, columns=["exhibit", "title", "status", "old_headline", "new_headline"])


def published_names(data: dict[str, str]) -> dict[str, str]:
    """A snapshot's ``{file: sha256}`` as it may be published: survey exports by their neutral label
    (a release recorded before labels, or from a local folder, may hold their paths), documentation
    files left out (no reader reads them)."""

    folders = sorted({m.group(2) for m in map(SURVEY_FILE.fullmatch, data) if m and m.group(2) not in AUTHORITIES})
    numbers = {name: n for n, name in enumerate(folders, start=1)}
    named = {}
    for file, digest in data.items():
        if file.lower().endswith(DOCUMENTATION):
            continue
        if file.startswith("surveys/") and not file.endswith("invited.csv"):
            label = survey_label(file, numbers)
            if label is None:  # no reader reads such a file: its name is never published
                continue
            file = label
        named[file] = digest
    return named


def data_changes(old: dict, new: dict) -> pd.DataFrame:
    """Data files added, removed (no longer read) or changed (by sha256) between two snapshots.

    Only names that may be published appear (``published_names``): never a survey export's path.
    """
    before, after = published_names(old["data"]), published_names(new["data"])
    rows = []
    for file in sorted(set(before) | set(after)):
        was, now = before.get(file), after.get(file)
        if was != now:
            status = "added" if was is None else "removed" if now is None else "changed"
            rows.append({"file": file, "status": status})
    return pd.DataFrame(rows, columns=["file", "status"])


def changes(data_dir: str | Path | None = None) -> tuple[dict[str, str], pd.DataFrame, pd.DataFrame]:
    """What changed since the last release: counts, the exhibit changes and the data changes (computed
    once per state of the data folder and the releases: the What changed page asks three times)."""
    key = (data_stamp(data_dir), data_stamp(RELEASES_DIR))
    return computed(_CHANGES, key, lambda: _changes(data_dir))


_CHANGES = BoundedCache(4)


def _changes(data_dir: str | Path | None) -> tuple[dict[str, str], pd.DataFrame, pd.DataFrame]:
    release = latest()
    if release is None:
        empty = pd.DataFrame()
        return (
            {
                "wc_release": "none recorded yet",
                "wc_n_changed": "0",
                "wc_n_new": "0",
                "wc_n_removed": "0",
                "wc_n_data": "0",
            },
            empty,
            empty,
        )
    current = snapshot(data_dir)
    exhibits, data = exhibit_changes(release, current), data_changes(release, current)
    facts = {
        "wc_release": release["version"],
        "wc_n_changed": str(int((exhibits["status"] == "changed").sum())),
        "wc_n_new": str(int((exhibits["status"] == "new").sum())),
        "wc_n_removed": str(int((exhibits["status"] == "removed").sum())),
        "wc_n_data": str(len(data)),
    }
    return facts, exhibits, data
