"""An offline redactor for free-text comments, and the rule for which comments may be quoted at all.

**The rule** (``may_quote``, docs/editions.md): only comments written for roses (illustrative,
synthetic) are ever shown verbatim. An authority's own (local) comments are never published, not
even redacted: pages show only their theme counts, disclosure-controlled. A rule-based redactor
cannot be made safe enough for real comments (a nickname, a misspelt surname, "the worker who
moved from the Hull office" identify as well as a full name), and the leak scan fails any build
that prints eight words of a local comment (``roses.editions.leaks``).

**The redactor** (``redact``) tidies the synthetic examples and anything else shown as an example:
e-mail addresses (also ``jo [at] x [dot] uk`` and ``jo at x dot uk``), links (with or without
``https://``), UK phone numbers (``+44 (0)``, ``0044``, any spacing), NI numbers, postcodes, dates
of birth, case and reference numbers, street addresses, first names from
``data/instruments/redaction_names.txt`` in any letter case and with or without accents, the
capitalised word after such a name (a surname), and any ``extra_terms`` (place names) are replaced
by a bracketed tag. Rule-based on purpose: it runs anywhere with no model downloads, and a reader can
see why a word was removed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from roses.core import identifiers
from roses.core.cache import cached_on_file
from roses.survey.instruments import instruments_dir

# The identifier patterns, invisible characters and word folding live in roses.core.identifiers,
# shared with the leak scan.
PATTERNS = identifiers.REDACTION
WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


def may_quote(origin: str) -> bool:
    """Whether comments of this origin may be shown verbatim (after redaction): illustrative only.

    Local comments are an authority's respondents' own words: never quoted (see the module docstring).
    """
    return str(origin) == "illustrative"


def bundled_names(path: str | None = None) -> frozenset[str]:
    """The bundled first names (one a line; '#' starts a comment)."""
    return _names_in(Path(path) if path else instruments_dir() / "redaction_names.txt")


@cached_on_file(maxsize=4)
def _names_in(file: Path) -> frozenset[str]:
    lines = file.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=4)
def _plain_names(names: frozenset[str]) -> frozenset[str]:
    return frozenset(identifiers.fold(n) for n in names)


def _names(text: str, known: frozenset[str]) -> str:
    plain = _plain_names(known)
    out, last, after_name = [], 0, False
    for match in WORD.finditer(text):
        word = match.group()
        between = text[last : match.start()]
        is_name = identifiers.fold(word) in plain
        # The capitalised word right after a first name is taken for a surname ('Emma Thwaiteley').
        surname = after_name and between == " " and word[:1].isupper() and not word.isupper()
        out.append(between)
        out.append("[name]" if is_name or surname else word)
        after_name = is_name
        last = match.end()
    out.append(text[last:])
    return re.sub(r"\[name\](?: \[name\])+", "[name]", "".join(out))


def redact(text: str, extra_terms: tuple[str, ...] = (), names: frozenset[str] | None = None) -> str:
    """``text`` with personal details replaced: 'call Sarah on 07700 900123' -> 'call [name] on [phone]'."""
    text = unicodedata.normalize("NFKC", text)
    text = identifiers.INVISIBLE.sub("", text)  # soft hyphens, zero-width characters, bidi marks
    for tag, pattern in PATTERNS:
        text = pattern.sub(f"[{tag}]", text)
    for term in sorted(extra_terms, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(term)}\b", "[place]", text, flags=re.IGNORECASE)
    return _names(text, bundled_names() if names is None else names)
