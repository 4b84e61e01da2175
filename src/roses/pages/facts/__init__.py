"""Named facts for the chapters' prose: computed from the data and glued, never typed.

One mechanism: a module here registers, with ``@facts_for(chapter, ...)``, a function
``(data_dir) -> {name: Fact}``; ``chapter_facts(chapter, data_dir)`` gathers every fact of a chapter,
and a chapter glues them all with one call (``roses.pages.Chapter``). Every fact carries its
``Origin``. A fact of illustrative origin is never a result: it renders with a visible marker
(``Fact.text_for_prose``), so a reader can always tell it from what the report found.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from roses.core.origin import Origin

ILLUSTRATIVE_MARKER = " (illustrative)"
ALL_CHAPTERS = "*"


@dataclass(frozen=True)
class Fact:
    text: str
    origin: Origin

    def text_for_prose(self) -> str:
        """The glued text: an illustrative value always says so."""
        return self.text + ILLUSTRATIVE_MARKER if self.origin == Origin.ILLUSTRATIVE else self.text


def published(text: str) -> Fact:
    return Fact(str(text), Origin.PUBLISHED)


def analysis(text: str) -> Fact:
    return Fact(str(text), Origin.ANALYSIS)


def national(text: str) -> Fact:
    return Fact(str(text), Origin.NATIONAL)


Provider = Callable[[Path | None], dict[str, Fact]]
_PROVIDERS: dict[str, list[Provider]] = {}


def facts_for(*chapters: str) -> Callable[[Provider], Provider]:
    """Decorator: the function's facts belong to these chapters (``ALL_CHAPTERS`` for every page)."""

    def register(provider: Provider) -> Provider:
        for chapter in chapters:
            _PROVIDERS.setdefault(chapter, []).append(provider)
        return provider

    return register


def _load_all() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        importlib.import_module(f"{__name__}.{module}")


def chapter_facts(chapter: str, data_dir: str | Path | None = None) -> dict[str, Fact]:
    """Every fact the chapter's prose may glue, by name."""
    _load_all()
    folder = Path(data_dir) if data_dir else None
    facts: dict[str, Fact] = {}
    for provider in _PROVIDERS.get(ALL_CHAPTERS, []) + _PROVIDERS.get(chapter, []):
        for name, fact in provider(folder).items():
            if not isinstance(fact, Fact):
                raise TypeError(
                    f"{provider.__module__}.{provider.__name__}: fact {name!r} has no origin "
                    f"(return a Fact, e.g. published(text))"
                )
            facts[name] = fact
    return facts
