"""The exhibit registry: every numbered table and figure, by id (``table-7.1``, ``figure-6.4``).

An exhibit is a function from data (a data folder and an optional ``authority``) to a tidy frame,
plus an optional chart builder over that frame and a one-sentence summary of it. The frame is the
single source for the page, the CSV download, ``roses data ID`` and the numbers glued into prose.

Origins (shown on every exhibit): ``published`` (transcribed from the report), ``illustrative``
(synthetic, made by the package), ``real national`` (DfE/Ofsted/ONS/Cafcass files), ``local`` (an
authority's own files). A frame may override its exhibit's origin in ``frame.attrs["origin"]``, for
example when local survey files replace the illustrative ones.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from .errors import RosesError

ORIGINS = ("published", "illustrative", "real national", "local")
CHAPTERS = (
    "introduction", "leadership", "organisational-alignment", "meaningful-measures", "learning",
    "practice", "findings", "conclusion", "appendix-a",
)


@dataclass(frozen=True)
class Params:
    """What an exhibit is computed for."""

    data_dir: Path | None = None
    authority: str | None = None


@dataclass(frozen=True)
class Exhibit:
    id: str
    title: str
    chapter: str
    origin: str
    source: str  # where the numbers come from, e.g. "Report Table 2.2"
    build: Callable[[Params], pd.DataFrame]
    chart: Callable[[pd.DataFrame, Params], object] | None = None
    summary: Callable[[pd.DataFrame, Params], str] | None = None
    planned: str | None = None  # set for placeholders: what will fill this exhibit
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def kind(self) -> str:
        return self.id.split("-", 1)[0]

    @property
    def number(self) -> str:
        """The report's number: 'Table 7.1', 'Figure 4.5 (parent survey)'; ids without one keep their name."""
        kind, _, rest = self.id.partition("-")
        number, _, slug = rest.partition("-")
        if not number or not number[0].isdigit():
            return self.title
        label = f"{kind.capitalize()} {number}"
        return label if not slug else f"{label} ({slug.replace('-', ' ')})"

    @property
    def anchor(self) -> str:
        """An HTML/Sphinx-safe label: 'table-7-1'."""
        return re.sub(r"[^a-z0-9]+", "-", self.id.lower()).strip("-")

    @property
    def is_placeholder(self) -> bool:
        return self.planned is not None

    def frame(self, params: Params | None = None) -> pd.DataFrame:
        """The exhibit's tidy frame for ``params`` (computed once per data state, then copied)."""
        params = params or Params()
        key = (self, params.authority, data_fingerprint(params.data_dir))  # self: a replaced exhibit gets its own entries
        if key not in _FRAMES:
            frame = self.build(params)
            frame.attrs.setdefault("origin", self.origin)
            _FRAMES[key] = frame
        return _FRAMES[key].copy()


# Frames already computed, keyed on exhibit, authority and the state of the data folder: a chapter
# glues numbers from the same frames it shows, and editions reuse them across chapters.
_FRAMES: dict[tuple, pd.DataFrame] = {}


def data_fingerprint(data_dir: Path | None) -> tuple:
    """The data folder and the size and modification time of every file in it (cheap: stat only).

    Any edit to a data file changes the fingerprint, so a cached frame is never served stale.
    """
    from .paths import data_dir as resolve

    root = resolve(data_dir)
    try:
        entries = tuple(sorted(
            (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in root.rglob("*") if p.is_file()
        ))
    except OSError:
        entries = ()
    return (str(root), entries)


_REGISTRY: dict[str, Exhibit] = {}


def register(exhibit: Exhibit) -> Exhibit:
    if exhibit.origin not in ORIGINS:
        raise ValueError(f"{exhibit.id}: origin {exhibit.origin!r} not one of {ORIGINS}")
    if exhibit.chapter not in CHAPTERS:
        raise ValueError(f"{exhibit.id}: chapter {exhibit.chapter!r} not one of {CHAPTERS}")
    existing = _REGISTRY.get(exhibit.id)
    if existing is not None and not existing.is_placeholder:
        raise ValueError(f"exhibit {exhibit.id} registered twice")
    _REGISTRY[exhibit.id] = exhibit
    return exhibit


def exhibit(id: str, title: str, chapter: str, origin: str, source: str, **extra) -> Callable:
    """Decorator: register the decorated ``build(params) -> DataFrame`` function as an exhibit."""

    def decorate(build: Callable[[Params], pd.DataFrame]) -> Callable[[Params], pd.DataFrame]:
        register(Exhibit(id=id, title=title, chapter=chapter, origin=origin, source=source,
                         build=build, **extra))
        return build

    return decorate


def _load_all() -> None:
    # Importing the exhibit modules registers their exhibits.
    from . import exhibits  # noqa: F401


def get(id: str) -> Exhibit:
    _load_all()
    try:
        return _REGISTRY[id]
    except KeyError:
        close = difflib.get_close_matches(id, list(_REGISTRY), n=5, cutoff=0.6)
        hint = f" Close ids: {', '.join(close)}." if close else ""
        raise RosesError(f"unknown exhibit '{id}'.{hint} `roses data --list` lists them all.") from None


def all_exhibits() -> list[Exhibit]:
    _load_all()
    return sorted(_REGISTRY.values(), key=lambda e: (CHAPTERS.index(e.chapter), _sort_key(e.id)))


def _sort_key(id: str) -> tuple:
    kind, _, rest = id.partition("-")  # ids without a number, like "indicators", have no "-"
    parts = re.findall(r"\d+|[a-z]+", rest)
    return (kind, [int(p) if p.isdigit() else 999 for p in parts], rest)
