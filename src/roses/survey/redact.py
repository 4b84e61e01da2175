"""An offline redactor for free-text comments: names, emails, UK phone numbers, postcodes, NI numbers,
URLs and any extra terms (such as authority names) are replaced by a bracketed tag.

Rule-based on purpose: it runs anywhere with no model downloads, and a reader can see why a word
was removed. Names come from a small bundled list (``data/instruments/redaction_names.txt``);
editions add their own staff and place names through ``extra_terms``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from roses.survey.instruments import instruments_dir

PATTERNS = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("url", re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)),
    # Any two letters: placeholder numbers such as QQ 12 34 56 C are redacted too.
    ("ni number", re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)),
    ("phone", re.compile(r"(?<!\w)(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\w)")),
    ("postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.IGNORECASE)),
]


@lru_cache(maxsize=4)
def bundled_names(path: str | None = None) -> frozenset[str]:
    """The bundled first names (one a line; '#' starts a comment)."""
    file = Path(path) if path else instruments_dir() / "redaction_names.txt"
    lines = file.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def redact(text: str, extra_terms: tuple[str, ...] = (), names: frozenset[str] | None = None) -> str:
    """``text`` with personal details replaced: 'call Sarah on 07700 900123' -> 'call [name] on [phone]'."""
    for tag, pattern in PATTERNS:
        text = pattern.sub(f"[{tag}]", text)
    for term in sorted(extra_terms, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(term)}\b", "[place]", text, flags=re.IGNORECASE)
    known = bundled_names() if names is None else names
    # Names are matched only when capitalised, so ordinary words are left alone.
    return re.sub(r"\b[A-Z][a-z]+\b", lambda m: "[name]" if m.group(0) in known else m.group(0), text)
