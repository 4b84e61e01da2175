"""Survey instruments as data: the codebooks in ``data/instruments/*.yml``.

An :class:`Instrument` knows its items (id, wording, scale, waves, dimension, reverse flag), how each
scale's answer labels map to the numbers 1-5, and the open questions. Readers use it to map an
export's columns to items; scoring uses it to reverse and group items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from roses.core.cache import cached_on_file
from roses.core.errors import DataError, Problem
from roses.core.paths import DATA_DIR, data_file

SURVEYS = ("staff", "parent")


@dataclass(frozen=True)
class Item:
    id: str
    wording: str
    scale: str
    waves: tuple[int, ...]
    section: str = ""
    dimension: str | None = None
    reverse: bool = False
    method: str | None = None


@dataclass(frozen=True)
class Instrument:
    survey: str
    waves: dict[int, dict]
    scales: dict[str, dict[int, tuple[str, ...]]]
    items: tuple[Item, ...]
    open_questions: dict[str, str]
    dimensions: dict[str, str]
    methods: dict[str, str]
    overall_excludes: tuple[str, ...] = ()
    numeric_coding: str | None = None  # how numbers in an export map to answers (see CODINGS); None: never guessed

    def item(self, item_id: str) -> Item:
        return self.by_id[item_id]

    @property
    def by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    def items_in(self, section: str | None = None, dimension: str | None = None) -> list[Item]:
        return [
            i
            for i in self.items
            if (section is None or i.section == section) and (dimension is None or i.dimension == dimension)
        ]

    def labels(self, scale: str) -> dict[str, int]:
        """Answer label (normalised) -> number, for one scale."""
        return {normalise(label): value for value, names in self.scales[scale].items() for label in names}

    def label(self, scale: str, value: int) -> str:
        """The first (canonical) label of a scale point: 5 -> 'Strongly agree'."""
        return self.scales[scale][value][0]

    def column_map(self) -> dict[str, str]:
        """Normalised column name (item id, or its wording) -> item id; open questions map to themselves."""
        mapping = {}
        for item in self.items:
            mapping[normalise(item.id)] = item.id
            mapping[normalise(item.wording)] = item.id
        for key, wording in self.open_questions.items():
            mapping[normalise(key)] = key
            mapping[normalise(wording)] = key
        return mapping


# Numeric codings an export may use: name -> (lowest, highest, number -> the codebook's 1-5).
# "1-5" is the codebooks' own order (1 = the scale's first label, Strongly disagree / Never /
# Not at all confident; 5 = its last); "5-1" reverses it (1 = Strongly agree, as a recode can give);
# "0-4" and "4-0" start at 0.
CODINGS = {
    "1-5": (1, 5, lambda v: v),
    "5-1": (1, 5, lambda v: 6 - v),
    "0-4": (0, 4, lambda v: v + 1),
    "4-0": (0, 4, lambda v: 5 - v),
}


def normalise(text: str) -> str:
    """Compare wordings loosely: lower case, no quotes or apostrophes, other punctuation as spaces.

    Survey tools change punctuation (Google Forms drops a question mark, curly quotes become
    straight, a dash becomes a hyphen); the words are what identify a question. Underscores stay,
    so item ids such as ``direct_work_time`` match themselves.
    """
    text = str(text).lower()
    text = re.sub(r"['\u2018\u2019\u201c\u201d\"`\u00b4]", "", text)
    text = re.sub(r"[^\w\s]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def instruments_dir(data_dir: Path | None = None) -> Path:
    """``DATA/instruments`` if the data folder has one, else the repository's (analysts rarely copy it)."""
    if data_dir is not None and (Path(data_dir) / "instruments").is_dir():
        return Path(data_dir) / "instruments"
    return DATA_DIR / "instruments"


def load(survey: str, data_dir: Path | None = None) -> Instrument:
    """The instrument of the ``staff`` or ``parent`` survey: the data folder's codebook if it has
    one for this survey, else the repository's (a folder may replace one codebook only)."""
    return _load(str(data_file(data_dir, "instruments", f"{survey}_survey.yml")))


@cached_on_file(maxsize=8)
def _load(path: str) -> Instrument:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataError.one(path, str(error).splitlines()[0], "a readable YAML codebook") from None
    methods = raw.get("methods", {}) or {}
    items = [_item(entry, path, i) for i, entry in enumerate(raw["items"])]
    # Section 1 (use of and confidence in each method) is generated from the list of methods.
    for key, wording in methods.items():
        waves = tuple(raw["waves"])
        items.append(Item(f"use_{key}", f"Use: {wording}", "use", waves, "methods", method=key))
        items.append(Item(f"confidence_{key}", f"Confidence: {wording}", "confidence", waves, "methods", method=key))
    ids = [i.id for i in items]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise DataError(path, [Problem(None, "id", d, "item ids used once each") for d in duplicated])
    scales = {name: {int(k): tuple(v) for k, v in points.items()} for name, points in raw["scales"].items()}
    return Instrument(
        survey=raw["survey"],
        waves={int(k): v for k, v in raw["waves"].items()},
        scales=scales,
        items=tuple(items),
        open_questions=dict(raw.get("open_questions", {})),
        dimensions=dict(raw.get("dimensions", {}) or {}),
        methods=dict(methods),
        overall_excludes=tuple(raw.get("overall_excludes", []) or []),
        numeric_coding=_coding(raw.get("numeric_coding"), path),
    )


def _coding(value, path: str) -> str | None:
    if value is None:
        return None
    if str(value) not in CODINGS:
        raise DataError.one(path, value, f"one of {', '.join(CODINGS)}", column="numeric_coding")
    return str(value)


def _item(entry: dict, path: str, index: int) -> Item:
    missing = [key for key in ("id", "wording", "scale", "waves") if key not in entry]
    if missing:
        raise DataError.one(path, entry.get("id", entry), f"keys {missing}", column=f"items[{index}]")
    return Item(
        id=entry["id"],
        wording=entry["wording"],
        scale=entry["scale"],
        waves=tuple(entry["waves"]),
        section=entry.get("section", ""),
        dimension=entry.get("dimension"),
        reverse=bool(entry.get("reverse", False)),
    )
