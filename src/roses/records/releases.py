"""Release snapshots: every value a release published, so a later run can say exactly what changed.

``roses release`` writes ``data/releases/<version>.json`` (format 2):

- ``exhibits``: for every exhibit its title, caption (number, title, origin, source), headline (the
  one-sentence summary under the caption, which carries the key numbers), row count, columns, the
  sha256 of its frame (as CSV) and, when the frame is small (``SMALL_FRAME`` characters of CSV), the
  frame itself, line by line. A large frame is recorded by its digest and headline: a change is
  caught, and named with its old and new headline.
- ``facts``: for every chapter, the text of every fact its prose glues (``{glue}`name```), except the
  facts about the build itself (commit, build date, the release: ``BUILD_FACTS``).
- ``data``: every input file's sha256 (a file added or removed is a difference too).
- ``notebooks``: the text output of every notebook cell marked ``# NBVAL_CHECK_OUTPUT`` (the reference
  ``roses verify`` and ``pytest --nbval-lax book/`` compare with; the notebooks themselves keep none).

``differences(release, current)`` lists every difference with its old and new value.

Snapshots live in the repository's own ``data/releases/`` whatever data folder is being read, so a
build from another data folder is compared with the last release of the repository.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from roses import __version__
from roses.core import atomic
from roses.core.cache import BoundedCache, computed
from roses.core.paths import DATA_DIR
from roses.core.stamps import data_stamp
from roses.exhibits.registry import Exhibit, Params, all_exhibits, frame_csv
from roses.published.tables import AUTHORITIES
from roses.records.provenance import DOCUMENTATION, SURVEY_FILE, data_files, survey_label

RELEASES_DIR = DATA_DIR / "releases"
FORMAT = 2
SMALL_FRAME = 2000  # characters of CSV: a frame this small is recorded whole, so a change shows its values
BUILD_FACTS = ("prov_", "wc_")  # facts about the build itself (commit, date, the last release): not results


def exhibit_record(ex: Exhibit, params: Params, frame: pd.DataFrame | None = None) -> dict:
    """What a release records of one exhibit (see the module docstring)."""
    frame = ex.frame(params) if frame is None else frame
    csv = frame_csv(frame)
    headline = ex.summary(frame, params) if ex.summary else ""
    origin = ex.origin_for(params)
    title = ex.title if ex.number == ex.title else f"{ex.number}: {ex.title}"
    record = {
        "title": ex.title,
        "caption": f"{title} [{origin.label}; Source: {ex.source}]",
        "headline": headline,
        "rows": len(frame),
        "columns": [str(c) for c in frame.columns],
        "sha256": hashlib.sha256(csv.encode("utf-8")).hexdigest(),
    }
    if len(csv) <= SMALL_FRAME:
        record["frame"] = csv.splitlines()
    else:
        record["values"] = column_values(frame)
    return record


def column_values(frame: pd.DataFrame) -> dict[str, str]:
    """A large frame's values in brief, column by column (what a changed digest is explained by): a
    number column's count, minimum, mean and maximum; another column's count of distinct values and a
    digest of them. (No value beside a count: a snapshot is leak-scanned, and "authority 208" reads
    as a DfE code.)"""
    values = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            number = series.dropna()
            values[str(column)] = (
                f"n {len(number)}, min {number.min():.6g}, mean {number.mean():.6g}, max {number.max():.6g}"
                if len(number)
                else "no values"
            )
        else:
            text = "\n".join(map(str, series.tolist()))
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
            values[str(column)] = f"distinct {series.nunique()}, sha256 {digest}"
    return values


def exhibit_records(data_dir: str | Path | None = None) -> dict[str, dict]:
    """``{id: record}`` (``exhibit_record``) for every exhibit."""
    params = Params(data_dir=Path(data_dir) if data_dir else None)
    return {ex.id: exhibit_record(ex, params) for ex in all_exhibits()}


def record_lines(id: str, record: dict) -> list[str]:
    """An exhibit's record as the text a key-result cell prints (compared line by line by nbval)."""
    lines = [f"{id}: {record['caption']}", f"  headline: {record['headline']}"]
    lines.append(f"  size: {record['rows']} rows; columns: {', '.join(record['columns'])}")
    lines.append(f"  sha256: {record['sha256']}")
    return lines + [f"  | {line}" for line in record.get("frame", [])]


def is_result_fact(name: str) -> bool:
    """False for the facts about the build itself, which every release changes."""
    return not name.startswith(BUILD_FACTS)


def snapshot(
    data_dir: str | Path | None = None,
    notebooks: dict | None = None,
    version: str = __version__,
    facts: dict[str, dict[str, str]] | None = None,
) -> dict:
    """Everything a release records (see the module docstring); ``facts``: ``{chapter: {name: text}}``,
    gathered by the pages layer (``roses.site.verify.glued_facts``)."""

    files = data_files(data_dir)
    return {
        "format": FORMAT,
        "version": version,
        "exhibits": exhibit_records(data_dir),
        "facts": facts or {},
        "data": dict(zip(files["file"], files["sha256"])),
        "notebooks": notebooks or {},
    }


# --- Differences between a release and now -------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One published value that differs: where (an exhibit, a chapter's fact, a data file), and how."""

    kind: str  # "exhibit", "fact" or "data"
    where: str
    lines: tuple[str, ...]

    def text(self) -> list[str]:
        return [f"{self.where}:", *(f"    {line}" for line in self.lines)]


def _was_now(field: str, old, new) -> tuple[str, ...]:
    return (f"{field} was: {old}", f"{field} now: {new}")


def exhibit_differences(old: dict, new: dict) -> list[Difference]:
    """Every exhibit added, removed or changed, with its old and new caption, headline and values."""
    found = []
    for id in sorted(set(old["exhibits"]) | set(new["exhibits"])):
        before, after = old["exhibits"].get(id), new["exhibits"].get(id)
        if before is None:
            found.append(Difference("exhibit", f"exhibit {id}", ("not in the release (new)", after["headline"])))
            continue
        if after is None:
            found.append(Difference("exhibit", f"exhibit {id}", ("in the release, no longer built",)))
            continue
        lines: list[str] = []
        for key in ("caption", "headline", "rows", "columns"):
            if key in before and before[key] != after[key]:
                lines += _was_now(key, before[key], after[key])
        if before["sha256"] != after["sha256"]:
            lines += _frame_lines(before, after)
        if lines:
            found.append(Difference("exhibit", f"exhibit {id} ({after['title']})", tuple(lines)))
    return found


def _frame_lines(before: dict, after: dict, most: int = 6) -> list[str]:
    """The frame's changed rows (release and now), when both records hold the frame; else its digests."""
    if "frame" not in before or "frame" not in after:
        lines = [f"values: the frame's sha256 was {before['sha256'][:12]}..., now {after['sha256'][:12]}..."]
        old, new = before.get("values", {}), after.get("values", {})
        for column in [c for c in new if c in old and old[c] != new[c]][:most]:
            lines += _was_now(f"column {column}", old[column], new[column])
        return lines
    lines = []
    matcher = difflib.SequenceMatcher(a=before["frame"], b=after["frame"], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            lines += [f"row was: {row}" for row in before["frame"][i1:i2]]
            lines += [f"row now: {row}" for row in after["frame"][j1:j2]]
    if len(lines) > most:
        lines = lines[:most] + [f"... and {len(lines) - most} more changed row lines"]
    return ["values (CSV, header " + before["frame"][0] + "):" if before["frame"] else "values:", *lines]


def fact_differences(old: dict, new: dict, sentence=None) -> list[Difference]:
    """Every glued fact whose text differs (or that is glued only in one of them), per chapter;
    ``sentence(chapter, name)`` gives the prose around it."""
    found = []
    before_all, after_all = old.get("facts", {}), new.get("facts", {})
    for chapter in sorted(set(before_all) | set(after_all)):
        before, after = before_all.get(chapter, {}), after_all.get(chapter, {})
        for name in sorted(set(before) | set(after)):
            was, now = before.get(name), after.get(name)
            if was == now:
                continue
            lines = [f"was: {was!r}" if was is not None else "was: (not glued in the release)"]
            lines.append(f"now: {now!r}" if now is not None else "now: (no longer glued)")
            context = sentence(chapter, name) if sentence else None
            if context:
                lines.append(f"in: {context}")
            found.append(Difference("fact", f"{chapter}: glued fact {name}", tuple(lines)))
    return found


def data_differences(old: dict, new: dict) -> list[Difference]:
    """Every input file added, removed or changed since the release (published names only)."""
    return [
        Difference("data", f"data file {row.file}", (f"{row.status} since the release",))
        for row in data_changes(old, new).itertuples()
    ]


def format_problems(release: dict) -> list[str]:
    """What a release of an older format does not record (so it cannot vouch for those values)."""
    if release.get("format", 1) >= FORMAT:
        return []
    return [
        f"release {release['version']} was recorded in format {release.get('format', 1)}, without glued facts, "
        "captions or small frames: record a new release (roses release --version NEW) to check them"
    ]


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-]", version))


def write(record: dict, folder: Path = RELEASES_DIR) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record['version']}.json"
    atomic.write_text(path, json.dumps(record, indent=1, sort_keys=True) + "\n")  # never half a snapshot
    return path


def recorded(folder: Path = RELEASES_DIR) -> list[Path]:
    """The release snapshots, oldest first (by version number)."""
    return sorted(folder.glob("*.json"), key=lambda p: _version_key(p.stem)) if folder.is_dir() else []


def latest(folder: Path = RELEASES_DIR) -> dict | None:
    """The snapshot of the most recent release, or None if none has been recorded."""
    paths = recorded(folder)
    return json.loads(paths[-1].read_text(encoding="utf-8")) if paths else None


def exhibit_changes(old: dict, new: dict) -> pd.DataFrame:
    """Exhibits new, removed, changed (their data) or reworded (their headline only) between two
    snapshots, with old and new headlines."""
    rows = []
    for id in sorted(set(old["exhibits"]) | set(new["exhibits"])):
        before, after = old["exhibits"].get(id), new["exhibits"].get(id)
        same_data = before and after and before["sha256"] == after["sha256"]
        if same_data and before["headline"] == after["headline"]:
            continue
        status = "new" if before is None else "removed" if after is None else "reworded" if same_data else "changed"
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
    """A book with changes since the last release is compared with it. A book that is the last release
    (nothing changed since) is compared with the release before, so that the published book of each
    release says what that release changed; compared with itself it said "nothing" every time."""
    paths = recorded()
    if not paths:
        empty = pd.DataFrame()
        return (
            {
                "wc_basis": "No release has been recorded yet, so there is nothing to compare this book with",
                "wc_release": "none recorded yet",
                "wc_n_changed": "0",
                "wc_n_reworded": "0",
                "wc_n_new": "0",
                "wc_n_removed": "0",
                "wc_n_data": "0",
            },
            empty,
            empty,
        )
    release = json.loads(paths[-1].read_text(encoding="utf-8"))
    current = snapshot(data_dir)
    exhibits, data = exhibit_changes(release, current), data_changes(release, current)
    base, version = release, release["version"]
    if exhibits.empty and data.empty and len(paths) > 1:  # this book is release `version`
        base = json.loads(paths[-2].read_text(encoding="utf-8"))
        exhibits, data = exhibit_changes(base, release), data_changes(base, release)
        basis = f"This book is release {version}: this page lists what it changed since release {base['version']}"
    elif exhibits.empty and data.empty:
        basis = f"This book is release {version}, the first recorded: there is no earlier release to compare it with"
    else:
        basis = f"This book has changes since the last release, {version}: this page lists them"
    facts = {
        "wc_basis": basis,
        "wc_release": base["version"],
        "wc_n_changed": str(int((exhibits["status"] == "changed").sum())),
        "wc_n_reworded": str(int((exhibits["status"] == "reworded").sum())),
        "wc_n_new": str(int((exhibits["status"] == "new").sum())),
        "wc_n_removed": str(int((exhibits["status"] == "removed").sum())),
        "wc_n_data": str(len(data)),
    }
    return facts, exhibits, data
