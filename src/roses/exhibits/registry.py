"""The exhibit registry: every numbered table and figure, by id (``table-7.1``, ``figure-6.4``).

An exhibit is a function from data (a data folder and an optional ``authority``) to a tidy frame,
plus an optional chart builder over that frame and a one-sentence summary of it. The frame is the
single source for the page, the CSV download, ``roses data ID`` and the numbers glued into prose.

Every exhibit has an ``Origin`` (``roses.core.origin``), shown on its badge. A build function may
return ``(frame, origin)`` instead of a frame when the origin depends on the data, for example when
local survey files replace the illustrative ones; ``Exhibit.origin_for(params)`` gives it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from roses.core.cache import BoundedCache, computed_from_files
from roses.core.errors import RosesError
from roses.core.origin import Origin
from roses.core.stamps import data_names

CHAPTERS = (
    "introduction",
    "leadership",
    "organisational-alignment",
    "meaningful-measures",
    "learning",
    "practice",
    "findings",
    "conclusion",
    "appendix-a",
)


@dataclass(frozen=True)
class Params:
    """What an exhibit is computed for.

    ``highlight``: the authority to mark in tables and charts (a programme letter A-K, or the survey
    folder of a real authority's local files); presentation only. ``authority``: a real English
    authority (name or DfE code) whose national statistics the national exhibits compute.
    ``roses.exhibits.local.params_for`` turns a notebook's one ``authority`` parameter into these.
    """

    data_dir: Path | None = None
    highlight: str | None = None
    authority: str | None = None


@dataclass(frozen=True)
class Exhibit:
    id: str
    title: str
    chapter: str
    origin: Origin
    source: str  # where the numbers come from, e.g. "Report Table 2.2"
    build: Callable[[Params], pd.DataFrame]
    chart: Callable[[pd.DataFrame, Params], object] | None = None
    summary: Callable[[pd.DataFrame, Params], str] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Whether a frame holds anything to draw (default: any row). A funnel of control limits with no
    # authority on it draws nothing; a page shows a one-line note instead of such an exhibit.
    drawable: Callable[[pd.DataFrame], bool] | None = None
    # This book's number for an exhibit of its own whose id carries none ("R7.10"): never a bare title,
    # never a number that could be the report's.
    r_number: str = ""

    def shows_anything(self, frame: pd.DataFrame) -> bool:
        """Whether a page showing ``frame`` shows the exhibit, or only a note saying where it has data."""
        return not frame.empty and (self.drawable is None or bool(self.drawable(frame)))

    @property
    def kind(self) -> str:
        return self.id.split("-", 1)[0]

    @property
    def number(self) -> str:
        """The exhibit's number: the report's ('Table 7.1', 'Figure 6.4 (by group)'), or this book's own
        for exhibits the report does not have ('exhibit-r4.1-...' -> 'Exhibit R4.1'); ids without a
        number ('indicators', 'section-...') show their title."""
        if self.r_number:
            return f"Exhibit {self.r_number}"
        kind, _, rest = self.id.partition("-")
        number, _, slug = rest.partition("-")
        if kind == "exhibit" and number[:1] == "r":
            return f"Exhibit {number.upper()}"
        if not number or not number[0].isdigit():
            return self.title
        label = f"{kind.capitalize()} {number}"
        return label if not slug else f"{label} ({slug.replace('-', ' ')})"

    @property
    def anchor(self) -> str:
        """An HTML/Sphinx-safe label: 'table-7-1'."""
        return re.sub(r"[^a-z0-9]+", "-", self.id.lower()).strip("-")

    def frame(self, params: Params | None = None) -> pd.DataFrame:
        """The exhibit's tidy frame for ``params`` (computed once per data state, then copied)."""
        return self._computed(params or Params())[0]

    def origin_for(self, params: Params | None = None) -> Origin:
        """Where this frame's numbers come from (local files can replace illustrative ones)."""
        return self._computed(params or Params())[1]

    def _computed(self, params: Params) -> tuple[pd.DataFrame, Origin]:
        # A chapter glues numbers from the same frames it shows, and editions reuse them across
        # chapters: computed once per exhibit, parameters and set of data files, and again only when
        # a file it read changes (an author's edit recomputes the exhibits made from that file).
        def build() -> tuple[pd.DataFrame, Origin]:
            result = self.build(params)
            frame, origin = result if isinstance(result, tuple) else (result, self.origin)
            return frame, Origin(origin)

        frame, origin = computed_from_files(_FRAMES, (self, params, data_names(params.data_dir)), build)
        return frame, origin


_FRAMES = BoundedCache(maxsize=512)


_REGISTRY: dict[str, Exhibit] = {}


def register(exhibit: Exhibit) -> Exhibit:
    object.__setattr__(exhibit, "origin", Origin(exhibit.origin))  # a typo is a ValueError here
    if exhibit.chapter not in CHAPTERS:
        raise ValueError(f"{exhibit.id}: chapter {exhibit.chapter!r} not one of {CHAPTERS}")
    if exhibit.id in _REGISTRY:
        raise ValueError(f"exhibit {exhibit.id} registered twice")
    _REGISTRY[exhibit.id] = exhibit
    return exhibit


def exhibit(id: str, title: str, chapter: str, origin: str, source: str, **extra) -> Callable:
    """Decorator: register the decorated ``build(params) -> DataFrame`` function as an exhibit."""

    def decorate(build: Callable[[Params], pd.DataFrame]) -> Callable[[Params], pd.DataFrame]:
        register(
            Exhibit(id=id, title=title, chapter=chapter, origin=Origin(origin), source=source, build=build, **extra)
        )
        return build

    return decorate


def frame_csv(frame: pd.DataFrame) -> str:
    """The CSV text of an exhibit frame: what `roses data ID` prints and the page offers.

    Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
    carriage return) get a leading single quote (OWASP's CSV-injection rule); numbers, such as
    -5, stay numbers. Carriage returns inside text become line feeds, so the cell is quoted.
    """
    plain_number = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?%?")  # "-5" is a number, not a formula

    def neutral(value):
        if not isinstance(value, str):
            return value
        if value[:1] in ("=", "+", "-", "@", "\t", "\r") and not plain_number.fullmatch(value):
            value = "'" + value
        # A bare carriage return would end the row for a reader but not be quoted by the writer.
        return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value

    safe = frame.copy()
    for column in safe.columns:
        kind = safe[column].dtype
        if not (
            pd.api.types.is_numeric_dtype(kind)
            or pd.api.types.is_bool_dtype(kind)
            or pd.api.types.is_datetime64_any_dtype(kind)
        ):
            safe[column] = safe[column].astype(object).map(neutral)
    if safe.columns.dtype == object:
        safe.columns = [neutral(c) for c in safe.columns]
    return safe.to_csv(index=False, lineterminator="\n")


def _load_all() -> None:
    # Importing the exhibit modules registers their exhibits.
    from roses import exhibits  # noqa: F401, PLC0415 (the exhibit modules import this one: load them on first use)


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
