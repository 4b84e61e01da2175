"""The leak scan: no finished edition is moved into place while any of its files names what it must not.

What must not appear (``forbidden_terms``):

- the name of any English authority other than the edition's own (from the DfE files; in a programme
  edition, every authority: the letters must never be tied to a real one);
- every email address, UK phone number, postcode, National Insurance number and URL found in the
  edition's local input files (``DATA/surveys/``), every personal name found there (values of name
  columns, and first names from ``data/instruments/redaction_names.txt`` with the capitalised word that
  follows), and every respondent id that could identify a row (ids with a letter, or six or more digits).

The detectors here are deliberately independent of the redactor (``roses.survey.redact``): a name the
redactor misses is still caught here, because this scan looks for the literal values found in the inputs.

``scan`` reads every file of the built edition (HTML, JS, JSON, CSV, ipynb, txt, ...), also decoding
HTML entities and base64 ``data:`` URIs (the CSV downloads), and reports each hit with its file. The
shared ``_static`` folder is not the edition's own: it is byte-identical for every edition and made
from installed packages, never from an edition's inputs (see ``assets``).
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import RosesError
from ..paths import DATA_DIR

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
URL = re.compile(r"\b(?:https?://|www\.)[^\s\"'<>,]+", re.IGNORECASE)
UK_PHONE = re.compile(r"(?<!\d)(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\d)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
# Liberal on purpose (any two letters): HMRC's own example prefix QQ is not a valid real one.
NI_NUMBER = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
DATA_URI = re.compile(r"data:[\w/+.-]+(?:;[\w=.-]+)*;base64,([A-Za-z0-9+/=]+)")
NAME_COLUMN = re.compile(r"name|worker|manager|respondent|email|e-mail|phone|address", re.IGNORECASE)
ID_COLUMNS = {"respondent", "respondent id", "response id", "id"}
CAPITALISED = re.compile(r"\b[A-Z][a-z'-]+\b")
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
SPREADSHEETS = {".xlsx"}
# Phrases that contain an authority's name but do not name the authority; each has a reason.
ALLOWED_PHRASES = (
    "Bradford Hill",  # Austin Bradford Hill's criteria for causation (appendix A)
    "New York",  # publishers' addresses in the bibliography
    "Durham University",
    "University of York",  # a research centre's affiliation in the bibliography
)


@dataclass(frozen=True)
class Term:
    """Something that must not appear: ``kind`` says what it is, ``pattern`` how it is searched."""

    kind: str  # "authority name", "email", "phone", "postcode", "NI number", "URL", "name", "respondent id"
    value: str
    pattern: str


@dataclass(frozen=True)
class Hit:
    file: Path
    term: Term
    context: str

    def __str__(self) -> str:
        return f"{self.file}: {self.term.kind} '{self.term.value}' in '...{self.context}...'"


class LeakError(RosesError):
    """An edition names something it must not; it is not published."""

    def __init__(self, edition: str, hits: list[Hit]):
        self.hits = hits
        shown = "\n  ".join(str(h) for h in hits[:20])
        more = f"\n  ... and {len(hits) - 20} more" if len(hits) > 20 else ""
        super().__init__(f"leak scan failed for edition '{edition}': {len(hits)} hit(s); the previous "
                         f"edition (if any) is left in place.\n  {shown}{more}")


# --- What must not appear -----------------------------------------------------------------------

def _loose(value: str) -> str:
    """An identifier matched whatever its spacing or dashes ('DE1 2FS' also finds 'DE12FS')."""
    chars = [re.escape(c) for c in re.sub(r"[\s-]", "", value)]
    return r"(?<![A-Za-z0-9])" + r"[\s-]?".join(chars) + r"(?![A-Za-z0-9])"


def _word(value: str) -> str:
    """A name as a whole word (case kept), any run of spaces between its words."""
    return r"(?<![A-Za-z])" + r"\s+".join(re.escape(w) for w in value.split()) + r"(?![A-Za-z])"


def name_variants(name: str) -> list[str]:
    """How a DfE name is written in text: 'Bristol, City of' -> 'Bristol, City of', 'City of Bristol', 'Bristol'."""
    variants = [name]
    match = re.fullmatch(r"(.+), (City|County) of", name)
    if match:
        variants += [f"{match.group(2)} of {match.group(1)}", match.group(1)]
    return variants


def authority_terms(own: str | None, data_dir: Path | None = None) -> list[Term]:
    """Every English authority's name except ``own`` (all of them when ``own`` is None)."""
    from ..national import readers

    names = set(readers.authorities(data_dir)["la_name"])
    mine = set(name_variants(own)) if own else set()
    terms = {v for name in names if name != own for v in name_variants(name)} - mine
    return [Term("authority name", v, _word(v)) for v in sorted(terms)]


def _first_names(data_dir: Path | None) -> set[str]:
    for folder in (data_dir, DATA_DIR):
        path = Path(folder) / "instruments" / "redaction_names.txt" if folder else None
        if path and path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            return {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    return set()


def _cells(path: Path) -> pd.DataFrame:
    if path.suffix.lower() in SPREADSHEETS:
        return pd.read_excel(path, dtype=str, header=None, engine="openpyxl").fillna("")
    return pd.read_csv(path, dtype=str, header=None, keep_default_na=False, encoding_errors="replace",
                       on_bad_lines="skip", sep=None, engine="python")


def local_input_files(data_dir: Path | None) -> list[Path]:
    """The edition's local inputs: every table under ``DATA/surveys/``."""
    if data_dir is None or not (Path(data_dir) / "surveys").is_dir():
        return []
    return sorted(p for p in (Path(data_dir) / "surveys").rglob("*")
                  if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | SPREADSHEETS)


def identifiers_in(text: str, first_names: set[str]) -> list[Term]:
    """Identifiers found in one piece of free text."""
    found = [Term("email", m, _loose(m)) for m in EMAIL.findall(text)]
    found += [Term("URL", m, re.escape(m)) for m in URL.findall(text)]
    found += [Term("phone", m.strip(), _loose(m.strip())) for m in UK_PHONE.findall(text)]
    found += [Term("postcode", m, _loose(m)) for m in POSTCODE.findall(text)]
    found += [Term("NI number", m, _loose(m)) for m in NI_NUMBER.findall(text)]
    words = [(m.group(), m.end()) for m in CAPITALISED.finditer(text)]
    for i, (word, end) in enumerate(words):
        if word in first_names:
            found.append(Term("name", word, _word(word)))
            following = words[i + 1] if i + 1 < len(words) else None
            if following and text[end:end + 1] == " " and text.find(following[0], end) == end + 1:
                full = f"{word} {following[0]}"
                found.append(Term("name", full, _word(full)))
    return found


def local_terms(data_dir: Path | None) -> list[Term]:
    """Every identifier found in the local input files (see the module docstring)."""
    first_names = _first_names(data_dir)
    terms: dict[tuple[str, str], Term] = {}
    for path in local_input_files(data_dir):
        table = _cells(path)
        header = [str(h).strip() for h in table.iloc[0]] if len(table) else []
        for col, title in enumerate(header):
            values = [str(v).strip() for v in table.iloc[1:, col] if str(v).strip()]
            if title.lower() in ID_COLUMNS:
                found = [Term("respondent id", v, _loose(v)) for v in values
                         if re.search(r"[A-Za-z]", v) or len(re.sub(r"\D", "", v)) >= 6]
            elif NAME_COLUMN.search(title) and not title.lower() in ID_COLUMNS:
                found = [Term("name", v, _word(v)) for v in values if re.search(r"[A-Za-z]{2}", v)
                         and not EMAIL.search(v)]
                found += [t for v in values for t in identifiers_in(v, first_names)]
            else:
                found = [t for v in values for t in identifiers_in(v, first_names)]
            terms.update({(t.kind, t.value): t for t in found})
    return list(terms.values())


def forbidden_terms(own_authority: str | None, data_dir: Path | None) -> list[Term]:
    """All terms an edition must not contain (``own_authority``: the real authority's name, or None)."""
    return authority_terms(own_authority, data_dir) + local_terms(data_dir)


# --- The scan -----------------------------------------------------------------------------------

def readable_text(raw: bytes) -> str:
    """The file as text, plus its HTML-unescaped form and every base64 data: URI decoded."""
    text = raw.decode("utf-8", errors="ignore")
    parts = [text, html.unescape(text)]
    for payload in DATA_URI.findall(text):
        try:
            parts.append(base64.b64decode(payload).decode("utf-8", errors="ignore"))
        except (binascii.Error, ValueError):
            continue
    return "\n".join(parts)


def _masked(text: str, phrases: list[str]) -> str:
    """Blank out allowed phrases (and the edition's own name) so the names inside them do not count."""
    phrases = [p for p in phrases if p.split()[0] in text]
    return re.sub("|".join(_word(p) for p in phrases), " ", text) if phrases else text


def edition_files(html_dir: Path) -> list[Path]:
    """Every file of the edition itself (the shared ``_static`` link is not followed)."""
    found = []
    for path in sorted(html_dir.rglob("*")):
        if any(part == "_static" and (html_dir / part).is_symlink() for part in path.relative_to(html_dir).parts):
            continue
        if path.is_file() and not path.is_symlink():
            found.append(path)
    return found


def _squeezed(text: str) -> str:
    return re.sub(r"[\s-]", "", text).lower()


def _could_contain(term: Term, words: set[str], squeezed: str) -> bool:
    """A cheap pre-check (set lookups, one substring search) before the term's regex runs."""
    if term.kind in ("authority name", "name"):
        return all(w in words for w in re.findall(r"[A-Za-z0-9]+", term.value))
    return _squeezed(term.value) in squeezed


def scan(html_dir: Path, terms: list[Term], own_authority: str | None = None) -> list[Hit]:
    """Every occurrence of a forbidden term in the edition's files."""
    allowed = list(ALLOWED_PHRASES) + (name_variants(own_authority) if own_authority else [])
    hits = []
    for path in edition_files(html_dir):
        text = _masked(readable_text(path.read_bytes()), allowed)
        words, squeezed = set(re.findall(r"[A-Za-z0-9]+", text)), _squeezed(text)
        for term in terms:
            if not _could_contain(term, words, squeezed):
                continue
            flags = 0 if term.kind in ("authority name", "name") else re.IGNORECASE
            match = re.search(term.pattern, text, flags)
            if match:
                context = text[max(0, match.start() - 40):match.end() + 40].replace("\n", " ")
                hits.append(Hit(path.relative_to(html_dir), term, context))
    return hits


def check(html_dir: Path, edition: str, terms: list[Term], own_authority: str | None = None) -> None:
    """Raise LeakError if the edition in ``html_dir`` contains any forbidden term."""
    hits = scan(html_dir, terms, own_authority)
    if hits:
        raise LeakError(edition, hits)
