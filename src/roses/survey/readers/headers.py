"""Header matching: which codebook item a column name (or a tool's grid column name) means, and where the header is."""

import re

from roses.survey import instruments
from roses.survey.instruments import Instrument, normalise

HEADER_SEARCH_ROWS = 20  # a workbook's header is looked for this far down (below titles and notes)


def _codebooks(instrument: Instrument | None) -> list[Instrument]:
    """The codebook to match against; without one, both surveys' (a table read on its own)."""
    return [instrument] if instrument else [instruments.load(survey) for survey in instruments.SURVEYS]


def _item_names(instrument: Instrument | None) -> set[str]:
    return {key for inst in _codebooks(instrument) for key, item in inst.column_map().items() if item in inst.by_id}


def _answer_labels(instrument: Instrument | None) -> set[str]:
    """Every answer label (normalised) of the codebook's scales."""
    return {label for inst in _codebooks(instrument) for scale in inst.scales for label in inst.labels(scale)}


def _method_names(instrument: Instrument | None) -> dict[str, str]:
    """A method's wording (normalised) -> its key, for matrices of use and confidence."""
    return {normalise(w): k for inst in _codebooks(instrument) for k, w in inst.methods.items()}


def _names_items(records: list[list[str | None]], instrument: Instrument | None) -> bool:
    """Does a sheet have a row (of its first rows) naming a survey item?"""
    items = _item_names(instrument)
    rows = [r for r in records if any(c is not None for c in r)][:HEADER_SEARCH_ROWS]
    return any(_column_key(cell, items) for record in rows for cell in record if cell is not None)


def _items_per_row(records: list[list[str | None]], instrument: Instrument | None) -> int:
    """The most survey items one of a sheet's first rows names: a respondents' header names several
    across one row; a summary sheet names them down a column, one per row."""
    items = _item_names(instrument)
    rows = [r for r in records if any(c is not None for c in r)][:HEADER_SEARCH_ROWS]
    return max((sum(1 for c in r if c is not None and _column_key(c, items)) for r in rows), default=0)


def _header_index(records: list[list[str | None]], filled: list[int], instrument: Instrument | None) -> int:
    """The index of the header row: the first row naming a survey item, else the first row with text.

    Without an instrument, items of either survey's codebook count.
    """
    items = _item_names(instrument)
    for i in filled[:HEADER_SEARCH_ROWS]:
        if any(_column_key(cell, items) for cell in records[i] if cell is not None):
            return i
    return filled[0]


def _column_key(name: str, mapping) -> str | None:
    """The codebook key a column name means: the whole name, or a tool's statement part of it.

    Tools name a grid's columns "Question [Statement]" (Google Forms), "Question - Statement"
    (Qualtrics' question text), "Question: Statement" or "Question.Statement"; the statement is
    matched when the whole name is not.
    """
    text = str(name)
    candidates = [text]
    bracket = re.fullmatch(r".*\[(.+)\]\s*", text, re.DOTALL)
    if bracket:
        candidates.append(bracket.group(1))
    for separator in (" - ", " \u2013 ", ": ", "? ", "."):
        if separator in text:
            candidates.append(text.rsplit(separator, 1)[1])
    for candidate in candidates:
        key = normalise(candidate)
        if key in mapping:
            return mapping[key] if isinstance(mapping, dict) else key
    return None
