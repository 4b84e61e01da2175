"""The leak scan: nothing is published while any of its files names what it must not.

Used for every edition (``check``, before it is moved into place) and for the main book built from a
local data folder (``scan_site``). Both raise :class:`LeakError` listing every hit.

**What must not appear** (``forbidden_terms``):

- every English authority other than the edition's own (all of them in a programme edition or the
  main book: a letter must never be tied to a real one), in every form a reader recognises: the DfE
  name, "City of Bristol", the common short names (``SHORT_NAMES``: "Hull", "Bristol", "Stoke"...),
  the nine-character ONS code (``E06000015``) and the three-digit DfE code where it stands as a code
  ("LA 831", "code 831", a folder ``staff/831``);
- from the local input files (every table under ``DATA/surveys/`` that the readers would open: hidden
  files and Excel lock files ``~$...`` are skipped, as the readers skip them; every encoding the
  readers accept, and others, is decoded): e-mail addresses (also written ``jo [at] x [dot] uk``), UK
  phone numbers (``+44``, ``0044``, ``(0)``, any spacing), postcodes, NI numbers, links (with or
  without ``https://``), IP addresses, dates of birth, case numbers, street addresses, personal names
  (values of name columns such as "Your name", first names from ``redaction_names.txt`` with the
  capitalised word after them), identifying respondent ids (six characters or more with a digit), and
  the text itself: every run of ``SHINGLE`` words of a comment, of a title row above a header or of
  any other free-text cell (a local comment is never published verbatim: docs/editions.md);
- the names of the input files and folders (a file named after a person), unless they are layout
  names (``wave-2.csv``, ``staff``) or names of the repository's own data files;
- the data folder's absolute path, and the temporary folders an edition is built in.

**How text is read** (``views``): every file of the site (HTML, JS, JSON, CSV, ipynb, txt, the
compressed ``objects.inv``), with base64 and percent-encoded ``data:`` URIs (the CSV downloads)
decoded, is normalised the way a reader sees it: HTML entities (twice, for double escaping) and JSON
``\\u`` escapes decoded, Unicode NFKC, zero-width characters, soft hyphens and other invisible format
characters removed, accents dropped in comparison. Three views are searched: tags kept, tags removed (``Der<b>by</b>`` is "Derby")
and tags as spaces (``<td>Derby</td><td>Leeds</td>``); inline tags (``b``, ``span``, ``a``...) are
removed in the second view, others become spaces. Each view is split into words (letters and
digits; ``&`` read as "and") and case-folded, and terms are matched as whole word sequences, so
spacing, punctuation, line breaks and letter case do not hide them. A few short names that are also
ordinary words ("Reading", "Bath", "Hull") are matched only as Title Case or capitals.

Matching is linear in the size of the text (word n-gram look-ups, bounded patterns), so a 1.6 MB
comment costs a second, not minutes.
"""

from __future__ import annotations

import base64
import binascii
import csv
import hashlib
import html
import io
import re
import unicodedata
import urllib.parse
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import openpyxl
import snowballstemmer
from confusable_homoglyphs import confusables

from roses.core import archives, identifiers
from roses.core.errors import RosesError
from roses.core.paths import DATA_DIR, REPO_ROOT
from roses.national import compare, readers
from roses.survey import data as survey_data
from roses.survey import instruments
from roses.survey.instruments import normalise as normalise_header

# --- Patterns for identifiers in the inputs (every quantifier bounded: linear time) ---------------

# The identifier patterns and respondent-id column names live in roses.core.identifiers, shared with
# the redactor and the survey readers.
EMAIL_LOCAL, EMAIL_DOMAIN = identifiers.EMAIL_LOCAL, identifiers.EMAIL_DOMAIN
OBFUSCATED_AT, OBFUSCATED_DOT = identifiers.OBFUSCATED_AT, identifiers.OBFUSCATED_DOT
TLDS, WORDED_EMAIL, WORDED_DOT = identifiers.TLDS, identifiers.WORDED_EMAIL, identifiers.WORDED_DOT
URL, BARE_URL, UK_PHONE = identifiers.URL, identifiers.BARE_URL, identifiers.UK_PHONE
POSTCODE, NI_NUMBER, IPV4 = identifiers.POSTCODE, identifiers.NI_NUMBER, identifiers.IPV4
DATE_OF_BIRTH, CASE_NUMBER, STREET = identifiers.DATE_OF_BIRTH, identifiers.CASE_NUMBER, identifiers.STREET
CAPITALISED = re.compile(r"\b[A-Z][a-z'-]{1,30}\b")
DATA_URI = re.compile(r"data:[\w/+.-]{1,100}(?:;[\w=.-]{1,100}){0,5};base64,([A-Za-z0-9+/=]{1,50000000})")
PERCENT_URI = re.compile(r"data:[\w/+.-]{1,100}(?:;[\w=.-]{1,100}){0,5},([^\"'\s<>]{1,50000000})")
# The temporary data folder of an edition (tempfile: 8 random characters) and its work folder.
WORK_FOLDERS = re.compile(r"roses-data-[a-z0-9_]{8}(?![\w-])|\.building-\d+-[0-9a-f]{8}(?![\w-])", re.IGNORECASE)

# --- Normalisation -----------------------------------------------------------------------------

# Zero-width and other invisible characters, and how a word is compared: shared with the redactor.
INVISIBLE, fold = identifiers.INVISIBLE, identifiers.fold
TAG = re.compile(r"<[^<>]{0,4000}>")
# Tags that do not break a word on screen: 'Der<b>by</b>' reads 'Derby'; '<td>a</td><td>b</td>' reads 'a b'.
INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|del|em|font|i|ins|kbd|mark|q|s|samp|small|span|strong|"
    r"sub|sup|u|var|wbr)(?:\s[^<>]{0,4000})?/?>",
    re.IGNORECASE,
)
JSON_PAIR = re.compile(r"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)
JSON_ONE = re.compile(r"\\u([0-9a-f]{4})", re.IGNORECASE)
JSON_SIMPLE = {"\\/": "/", "\\n": "\n", "\\t": "\t", "\\r": "\n", '\\"': '"'}
WORD = re.compile(r"[^\W_]+")


def _json_unescape(text: str) -> str:
    def pair(m: re.Match) -> str:
        high, low = int(m.group(1), 16), int(m.group(2), 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))

    text = JSON_PAIR.sub(pair, text)
    text = JSON_ONE.sub(lambda m: chr(int(m.group(1), 16)), text)
    for escaped, plain in JSON_SIMPLE.items():
        text = text.replace(escaped, plain)
    return text


PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2}){1,12}")


def _percent_decoded(text: str) -> str:
    """Percent-encoded runs decoded ('https%3A%2F%2Fx' -> 'https://x'), as a browser shows a link."""
    return PERCENT.sub(lambda m: urllib.parse.unquote(m.group()), text) if "%" in text else text


class _LookAlikes(dict):
    """str.translate table: a letter of another script that looks like a Latin one becomes that Latin
    letter (Unicode's confusables, TR39, via the maintained confusable-homoglyphs package), so a
    Cyrillic-a "Wakefield" is read as Wakefield. Filled as characters are met."""

    def __missing__(self, code: int) -> int:
        char, latin = chr(code), code
        if code > 127 and char.isalpha() and "LATIN" not in unicodedata.name(char, "LATIN"):
            for found in confusables.is_confusable(char, preferred_aliases=["latin"]) or []:
                glyphs = [g["c"] for g in found["homoglyphs"] if len(g["c"]) == 1 and g["c"].isascii()]
                if glyphs:
                    latin = ord(glyphs[0])
                    break
        self[code] = latin
        return latin


LOOK_ALIKES = _LookAlikes()


def normalise(text: str) -> str:
    """Text as a reader sees it: entities, JSON and percent escapes decoded, NFKC, invisible characters
    gone, look-alike letters of other scripts read as the Latin ones they imitate."""
    text = _percent_decoded(_json_unescape(text))
    for _ in range(2):
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = text.translate(LOOK_ALIKES)
    text = INVISIBLE.sub("", text)
    text = OBFUSCATED_AT.sub("@", text)
    return OBFUSCATED_DOT.sub(".", text)


# A word boundary inside a run-together word: 'WakefieldCares' and 'WSCCSupport' are two words each.
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def views(text: str) -> list[str]:
    """The normalised text with tags kept, inline tags removed (other tags as spaces), and all tags as
    spaces with run-together words split at their capitals ('#WakefieldCares' reads '# Wakefield Cares')."""
    plain = normalise(text)
    return [plain, TAG.sub(" ", INLINE_TAG.sub("", plain)), CAMEL.sub(" ", TAG.sub(" ", plain))]


def words(text: str) -> list[str]:
    """Words (runs of letters and digits), case kept; '&' is read as 'and'."""
    return WORD.findall(text.replace("&", " and "))


def folded(text: str) -> tuple[str, ...]:
    """The words of ``text``, folded (``fold``): how every term and every page is compared."""
    return tuple(fold(w) for w in words(normalise(text)))


# --- Terms and hits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """Something that must not appear. ``kind`` says what it is, ``value`` is the text found.

    How it is matched: ``words`` (a sequence of case-folded words, or of words as written when
    ``cased``); ``squeezed`` (letters and digits only, for identifiers such as postcodes, matched
    whatever their spacing); ``digits`` (a UK phone number without its 0 or +44 prefix); ``literal``
    (a regular expression on the case-folded text).
    """

    kind: str
    value: str
    words: tuple[str, ...] = ()
    cased: bool = False
    squeezed: str = ""
    digits: str = ""
    literal: str = ""


@dataclass(frozen=True)
class Hit:
    file: Path
    term: Term
    context: str

    def __str__(self) -> str:
        return f"{self.file}: {self.term.kind} '{self.term.value}' in '...{self.context}...'"


class LeakError(RosesError):
    """An edition (or the book) names something it must not; it is not published."""

    def __init__(self, edition: str, hits: list[Hit]):
        self.hits = hits
        shown = "\n  ".join(str(h) for h in hits[:20])
        more = f"\n  ... and {len(hits) - 20} more" if len(hits) > 20 else ""
        super().__init__(
            f"leak scan failed for {edition}: {len(hits)} hit(s); the previous "
            f"version (if any) is left in place.\n  {shown}{more}"
        )


def word_term(kind: str, value: str, cased: bool = False) -> Term | None:
    found = tuple(words(normalise(value))) if cased else folded(value)
    return Term(kind, value, words=found, cased=cased) if found else None


def squeezed_term(kind: str, value: str) -> Term | None:
    squeezed = "".join(folded(value))
    return Term(kind, value, squeezed=squeezed) if squeezed else None


# --- Authorities ---------------------------------------------------------------------------------

# Short names and abbreviations a reader uses for an authority (DfE writes the long one): a maintained
# list (short_names.csv beside this module: ONS/DfE short forms and hand-checked ones such as Lincs,
# WSCC, LBTH, WMDC), each naming only its authority. Those that are also ordinary words ("Reading the
# chart", "Staffs") are matched only as Title Case or capitals.
SHORT_NAMES_FILE = Path(__file__).with_name("short_names.csv")


def _short_names() -> tuple[dict[str, list[str]], set[str]]:
    lines = [line for line in SHORT_NAMES_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    names: dict[str, list[str]] = {}
    ordinary = set()
    for row in csv.DictReader(lines):
        names.setdefault(row["la_name"], []).append(row["short_name"])
        if row["cased"] == "yes":
            ordinary.add(row["short_name"])
    return names, ordinary


SHORT_NAMES, ORDINARY_WORDS = _short_names()
# The hand-checked abbreviations ('WSCC', 'Warks'): matched as words, never inside other words ('Southwarks').
ABBREVIATIONS = {
    row["short_name"]
    for row in csv.DictReader(
        line for line in SHORT_NAMES_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")
    )
    if row["source"].startswith("hand-checked")
}
# Phrases that contain an authority's name but do not name the authority; each has a reason.
ALLOWED_PHRASES = (
    "Bradford Hill",  # Austin Bradford Hill's criteria for causation (appendix A)
    "New York",  # publishers' addresses in the bibliography
    "Durham University",
    "University of York",  # a research centre's affiliation in the bibliography
    "Reading this book",  # the title of the book's guide to reading it
    "sexual exploitation in Rotherham",  # the inquiry the introduction cites as national context
)
# Page blocks the scan does not read, by their ``data-roses-explorer`` name, each with its reason. Empty:
# the indicators explorer (every English authority's national statistics) names every authority, so a
# page carrying it fails the scan of a programme edition or of the main book built from local data.
# Add it here only if the project decides that a list of all authorities beside the letters is allowed.
ALLOWED_BLOCKS: dict[str, str] = {}
# Sphinx's search index is a bag of lower-case words taken from the pages (which are all scanned):
# in it the single words of the phrases above stand alone ("york"), so they are allowed there.
SEARCH_INDEX = "searchindex.js"
CODE_CONTEXTS = (("la",), ("lea",), ("code",), ("authority",), ("la", "code"))
PATH_CONTEXTS = (("staff",), ("parent",))  # surveys/staff/831/wave-2.csv


def name_variants(name: str) -> list[str]:
    """How a DfE name is written in text: 'Bristol, City of' -> 'Bristol, City of', 'City of Bristol', 'Bristol'."""
    variants = [name]
    match = re.fullmatch(r"(.+), (City|County) of", name)
    if match:
        variants += [f"{match.group(2)} of {match.group(1)}", match.group(1)]
    if "&" not in name and " and " in name:
        variants.append(name.replace(" and ", " & "))
    return list(dict.fromkeys(variants + SHORT_NAMES.get(name, [])))


def _name_terms(kind: str, value: str) -> list[Term]:
    if value in ORDINARY_WORDS:
        return [t for t in (word_term(kind, value, cased=True), word_term(kind, value.upper(), cased=True)) if t]
    term = word_term(kind, value)
    return [term] if term else []


def edition_names(own: str | None, data_dir: Path | None = None) -> list[str]:
    """The English authorities an edition for ``own`` may name: itself and its ten DfE statistical
    neighbours (docs/editions.md, decision 3), as DfE writes them; none for a programme edition."""
    if not own:
        return []
    try:  # the code the edition was planned with (a name can have had two codes: Dorset 835 and 838)
        code, _ = compare.resolve(own, data_dir)
    except RosesError:
        return [own]
    return [own] + compare.named_neighbours(code, data_dir)["la_name"].dropna().tolist()


def authority_terms(own: str | None, data_dir: Path | None = None) -> list[Term]:
    """Every English authority except ``own`` and its named statistical neighbours (all of them when
    ``own`` is None): names and codes."""

    table = readers.authorities(data_dir)
    allowed = set(edition_names(own, data_dir))
    own_variants = {v.casefold() for name in allowed for v in name_variants(name)}
    mine = table[table["la_name"].isin(allowed)]
    own_codes = set(mine["old_la_code"].astype(str)) | set(mine["new_la_code"].astype(str))
    terms: dict[tuple, Term] = {}
    for code, new_code, name in zip(
        table["old_la_code"].astype(str), table["new_la_code"].astype(str), table["la_name"]
    ):
        if name in allowed:
            continue
        for variant in name_variants(name):
            if variant.casefold() in own_variants:
                continue
            for term in _name_terms("authority name", variant):
                terms[(term.words, term.cased)] = term
        if new_code not in own_codes and re.fullmatch(r"E\d{8}", new_code):
            terms[((new_code.casefold(),), False)] = Term("authority code", new_code, words=(new_code.casefold(),))
        if code not in own_codes and code.isdigit():
            sequences = [(*c, code) for c in CODE_CONTEXTS] + [
                (*c, code, w) for c in PATH_CONTEXTS for w in ("wave", "round")
            ]
            for seq in sequences:
                terms[(seq, False)] = Term("authority code", " ".join(seq), words=seq)
    return list(terms.values())


# --- Reading the inputs ----------------------------------------------------------------------------

NOT_READ = (".", "~$")  # as roses.survey.readers: hidden files and Excel's lock files are never read
TABLES = {".csv", ".tsv", ".txt"}
SPREADSHEETS = {".xlsx", ".xlsm"}
ID_COLUMNS = identifiers.RESPONDENT_ID_COLUMNS
# A column holding people's details: a short label such as "Your name", "Manager's e-mail", "Phone".
PERSONAL_COLUMN = re.compile(
    r"(?:(?:your|my|the|respondent|worker|social worker|manager|team manager|line manager|supervisor|staff|"
    r"first|last|full|family|given|sur|middle|contact|child|parent|carer|practitioner|key worker)(?:'?s)?\s*)*"
    r"(?:name|names|surname|forename|forenames|e[- ]?mail(?:\s*address)?|phone(?:\s*number)?|"
    r"tel(?:ephone)?(?:\s*number|\s*no)?|mobile(?:\s*number)?|address|home\s*address|postcode|contact\s*details|"
    r"date\s*of\s*birth|dob|case\s*(?:number|no|ref|reference|id)|nhs\s*number|ni\s*number|"
    r"national\s*insurance\s*number)\s*[:?]?"
)
SHINGLE = 8  # words: a run this long from a local text cell is never published
MIN_TEXT_WORDS = 5  # shorter cells are matched whole only if they have this many words (three of them letters)
MAX_CELL_WORDS = 20_000  # shingles from the first words of a cell only (readers refuse longer cells)
HEADER_SEARCH_ROWS = 20


def _decode(raw: bytes) -> str:
    """Text in any encoding the readers accept (UTF-8, UTF-16 with or without BOM) and a few more."""
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xef\xbb\xbf", "utf-8"),
    ):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace")
    head = raw[:4096]
    if head and head.count(b"\x00") > len(head) // 4:  # UTF-16 without a byte order mark
        odd_zeros = head[1::2].count(b"\x00")
        return raw.decode("utf-16-le" if odd_zeros >= head[0::2].count(b"\x00") else "utf-16-be", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _text_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    if lines and re.fullmatch(r"\s*sep=.\s*", lines[0]):
        text = "\n".join(lines[1:])
        lines = lines[1:]
    first = lines[0] if lines else ""
    delimiter = max([",", ";", "\t", "|"], key=first.count) if first else ","
    csv.field_size_limit(1 << 30)
    try:
        return list(csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")), delimiter=delimiter))
    except csv.Error:
        return [line.split(delimiter) for line in lines]


def _sheet_rows(path: Path) -> list[list[str]]:
    """Every row of every sheet (hidden ones too: terms only make the scan stricter)."""
    archives.check_unpacked_size(path)  # before unpacking anything: a 2 MB zip bomb unpacks to 600 MB
    book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    try:
        rows = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            rows += [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            rows.append([])
        return rows
    finally:
        book.close()


def input_rows(path: Path) -> list[list[str]]:
    """The cells of one input file as text; [] for a file that cannot be read (the readers refuse it)."""
    try:
        if path.suffix.lower() in SPREADSHEETS:
            return _sheet_rows(path)
        return _text_rows(_decode(path.read_bytes()))
    except Exception:  # a damaged, locked or password-protected file: the readers refuse it, nothing is built
        return []


def local_input_files(data_dir: Path | None) -> list[Path]:
    """The local inputs: every table under ``DATA/surveys/`` the readers would open."""
    if data_dir is None or not (Path(data_dir) / "surveys").is_dir():
        return []
    root = Path(data_dir) / "surveys"
    found = []
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if any(p.startswith(NOT_READ) for p in parts) or path.suffix.lower() not in TABLES | SPREADSHEETS:
            continue
        if path.is_file():
            found.append(path)
    return found


def _known_headers() -> set[str]:
    """Item ids and wordings of both codebooks (normalised): header cells, and answers' columns."""

    known = set()
    for survey in instruments.SURVEYS:
        try:
            known |= set(instruments.load(survey).column_map())
        except Exception:  # noqa: BLE001 - a broken codebook fails the build elsewhere
            continue
    return known


def _open_question_headers() -> set[str]:

    found = set()
    for survey in instruments.SURVEYS:
        try:
            inst = instruments.load(survey)
        except Exception:  # noqa: BLE001
            continue
        found |= {key for key, item in inst.column_map().items() if item in inst.open_questions}
    return found


def _norm_header(text: str) -> str:

    return normalise_header(str(text))


# --- What must not appear: the inputs ----------------------------------------------------------------


def _first_names(data_dir: Path | None) -> set[str]:
    for folder in (data_dir, DATA_DIR):
        path = Path(folder) / "instruments" / "redaction_names.txt" if folder else None
        if path and path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            return {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    return set()


def _phone_digits(found: str) -> str | None:
    digits = re.sub(r"\D", "", found)
    if digits.startswith("0044"):
        digits = digits[4:]
    elif digits.startswith("44") and not found.lstrip().startswith("0"):
        digits = digits[2:]
    digits = digits.lstrip("0") if digits.startswith("0") else digits
    return digits if 9 <= len(digits) <= 10 else None


def emails_in(text: str) -> list[str]:
    """E-mail addresses, also written with [at], (at), ' at ' ... ' dot '; linear in the text's length."""
    text = OBFUSCATED_DOT.sub(".", OBFUSCATED_AT.sub("@", text))
    found = []
    start = text.find("@")
    while start != -1:
        left = EMAIL_LOCAL.search(text, max(0, start - 64), start)
        right = EMAIL_DOMAIN.match(text, start + 1, start + 1 + 600)
        if left and right:
            found.append(f"{left.group()}@{right.group()}")
        start = text.find("@", start + 1)
    for local, domain in WORDED_EMAIL.findall(text):
        found.append(local + "@" + WORDED_DOT.sub(".", domain))
    return found


def word_is_capitalised(word: str) -> bool:
    return bool(CAPITALISED.fullmatch(word))


@lru_cache(maxsize=4)
def _folded_names(first_names: frozenset[str]) -> frozenset[str]:
    return frozenset(fold(n) for n in first_names)


def identifiers_in(text: str, first_names: set[str], printed: frozenset[str] = frozenset()) -> list[Term]:
    """Identifiers found in one piece of free text (``printed``: first names the book itself prints,
    such as authors in its bibliography: alone they identify nobody, with a surname they still do)."""
    found: list[Term | None] = []
    found += [word_term("email", e) for e in emails_in(text)]
    for url in URL.findall(text) + BARE_URL.findall(text):
        url = url.rstrip(".,;:)/")
        bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", url, flags=re.IGNORECASE)  # found without its scheme too
        found.append(Term("URL", url, words=folded(bare)) if folded(bare) else None)
    for phone in UK_PHONE.findall(text):
        digits = _phone_digits(phone)
        if digits:
            found.append(Term("phone", phone.strip(), digits=digits))
    found += [squeezed_term("postcode", m) for m in POSTCODE.findall(text)]
    found += [squeezed_term("NI number", m) for m in NI_NUMBER.findall(text)]
    found += [word_term("IP address", m) for m in IPV4.findall(text)]
    found += [squeezed_term("date of birth", m) for m in DATE_OF_BIRTH.findall(text)]
    found += [squeezed_term("case number", m) for m in CASE_NUMBER.findall(text) if sum(c.isdigit() for c in m) >= 4]
    found += [word_term("address", m) for m in STREET.findall(text)]
    if first_names:  # a first name in any letter case or accents: 'oliver', 'ZOË'
        names = _folded_names(frozenset(first_names))
        for word in sorted({w for w in words(text) if fold(w) in names and not word_is_capitalised(w)}):
            title = word[:1].upper() + word[1:].lower()
            if title not in printed:
                found += [word_term("name", title, cased=True), word_term("name", title.upper(), cased=True)]
    capitalised = [(m.group(), m.end()) for m in CAPITALISED.finditer(text)] if first_names else []
    for i, (word, end) in enumerate(capitalised):
        if word in first_names:  # a first name alone is matched as written (Title Case or capitals)
            if word not in printed:
                found += [word_term("name", word, cased=True), word_term("name", word.upper(), cased=True)]
            following = capitalised[i + 1] if i + 1 < len(capitalised) else None
            if following and text[end : end + 1] == " " and text.startswith(following[0], end + 1):
                found.append(word_term("name", f"{word} {following[0]}"))
    return [t for t in found if t is not None]


def _text_terms(text: str, public: set[tuple[str, ...]]) -> list[Term]:
    """A free-text cell: its runs of SHINGLE words, or the whole cell if shorter (see the docstring)."""
    tokens = folded(text)[:MAX_CELL_WORDS]
    if len(tokens) < MIN_TEXT_WORDS or sum(t.isalpha() for t in tokens) < 3:
        return []
    if len(tokens) <= SHINGLE:
        runs = [tokens]
    else:
        runs = [tokens[i : i + SHINGLE] for i in range(len(tokens) - SHINGLE + 1)]
    shown = " ".join(tokens[:SHINGLE]) + (" ..." if len(tokens) > SHINGLE else "")
    return [Term("input text", shown, words=run) for run in runs if not _is_public(run, public)]


def _is_public(run: tuple[str, ...], public: set[tuple[str, ...]]) -> bool:
    """True if the run is text the repository itself publishes (codebook wordings, synthetic comments)."""
    return run in public


def public_runs(data_dir: Path | None = None) -> set[tuple[str, ...]]:
    """Runs of SHINGLE words of the repository's own public text: codebooks and synthetic comments.

    A local file may repeat them (an export made with ``roses synth``, a respondent pasting a
    question): they are not the local file's secret.
    """
    texts = []
    for path in sorted((DATA_DIR / "instruments").glob("*.yml")):
        texts.append(path.read_text(encoding="utf-8"))
    try:
        for survey in ("staff", "parent"):
            texts += list(survey_data.responses(survey, None).comments["text"].astype(str).unique())
    except Exception:  # noqa: BLE001 - without them the scan is only stricter
        pass
    runs = set()
    for text in texts:
        tokens = folded(text)
        for n in range(MIN_TEXT_WORDS, SHINGLE + 1):  # every run a cell's term can be
            runs.update(tokens[i : i + n] for i in range(len(tokens) - n + 1))
    return runs


def printed_words() -> frozenset[str]:
    """Every word (as written) of the book's own pages and bibliography (``book/``)."""

    found: set[str] = set()
    folder = REPO_ROOT / "book"
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.suffix in (".ipynb", ".md", ".bib") and path.is_file():
            found.update(words(path.read_text(encoding="utf-8", errors="ignore")))
    return frozenset(found)


def _header_row(rows: list[list[str]], known: set[str]) -> int:
    filled = [i for i, row in enumerate(rows) if any(c.strip() for c in row)]
    for i in filled[:HEADER_SEARCH_ROWS]:
        if any(_norm_header(c) in known or _norm_header(c) in ID_COLUMNS for c in rows[i] if c.strip()):
            return i
    return filled[0] if filled else 0


def _respondent_id(value: str) -> bool:
    """Ids that could identify a row: six or more letters and digits, with at least one digit."""
    squeezed = re.sub(r"[\W_]", "", value)
    return len(squeezed) >= 6 and any(c.isdigit() for c in squeezed)


def file_terms(
    path: Path,
    first_names: set[str],
    known: set[str],
    open_questions: set[str],
    public: set[tuple[str, ...]],
    printed: frozenset[str] = frozenset(),
) -> list[Term]:
    """Every term one input file yields (see the module docstring)."""
    rows = input_rows(path)
    if not rows:
        return []
    start = _header_row(rows, known)
    found: list[Term] = []
    for row in rows[:start]:  # titles and notes above the header
        for cell in row:
            if cell.strip():
                found += identifiers_in(cell, first_names, printed) + _text_terms(cell, public)
    header = [_norm_header(c) for c in rows[start]]
    for col, title in enumerate(header):
        values = [row[col].strip() for row in rows[start + 1 :] if col < len(row) and row[col].strip()]
        if title in ID_COLUMNS:
            found += [t for v in values if _respondent_id(v) for t in [squeezed_term("respondent id", v)] if t]
        elif title in known and title not in open_questions:
            continue  # answers to a closed question: numbers or scale labels
        elif PERSONAL_COLUMN.fullmatch(title):
            for v in values:
                if not re.search(r"[^\W\d_]{2}", v) and len("".join(folded(v))) >= 6:  # a date of birth, a number
                    found += [t for t in [squeezed_term("personal detail", v)] if t]
                if re.search(r"[^\W\d_]{2}", v) and not emails_in(v):
                    found += (
                        _name_terms("name", v)
                        if len(folded(v)) > 1
                        else [
                            t for t in (word_term("name", v, cased=True), word_term("name", v.upper(), cased=True)) if t
                        ]
                    )
                found += identifiers_in(v, first_names, printed)
        else:
            for v in values:
                found += identifiers_in(v, first_names, printed) + _text_terms(v, public)
    return found


def local_terms(data_dir: Path | None) -> list[Term]:
    """Every identifier and text run found in the local input files (see the module docstring)."""
    files = local_input_files(data_dir)
    if not files:
        return []
    first_names, known, open_questions = _first_names(data_dir), _known_headers(), _open_question_headers()
    public, printed = public_runs(data_dir), printed_words()
    terms: dict[tuple, Term] = {}
    for path in files:
        for t in file_terms(path, first_names, known, open_questions, public, printed):
            terms.setdefault((t.kind, t.words, t.cased, t.squeezed, t.digits), t)
    return list(terms.values())


LAYOUT_NAMES = re.compile(
    r"(?:surveys|staff|parent|invited\.csv|waves\.csv|codings\.csv|self_assessment\.csv|(?:wave|round)-?\d+\.(?:csv|xlsx)|[A-HJK])",
    re.IGNORECASE,
)


def _repository_names() -> set[str]:
    return {p.name.casefold() for p in DATA_DIR.rglob("*")} if DATA_DIR.is_dir() else set()


def name_terms(data_dir: Path | None) -> list[Term]:
    """The data folder's absolute path and the names of its files and folders (unless layout names)."""
    if data_dir is None:
        return []
    root = Path(data_dir)
    terms: list[Term | None] = []
    for path in {root.absolute(), root.resolve()}:
        if path != DATA_DIR.resolve():
            terms.append(word_term("data folder path", str(path)))
    repository = _repository_names()
    try:
        entries = sorted(root.rglob("*"))
    except OSError:
        entries = []
    for entry in entries:
        name = entry.name
        if LAYOUT_NAMES.fullmatch(name) or name.casefold() in repository or name.startswith("."):
            continue
        for text in (name, Path(name).stem):
            if len(folded(text)) >= 2:
                terms.append(word_term("file name", text))
    return [t for t in terms if t is not None]


def forbidden_terms(own_authority: str | None, data_dir: Path | None) -> list[Term]:
    """All terms an edition must not contain (``own_authority``: the real authority's name, or None)."""
    terms = authority_terms(own_authority, data_dir) + local_terms(data_dir) + name_terms(data_dir)
    own = set()
    if own_authority:  # the edition's own name may be a file or folder name (surveys/staff/Derby)
        own = {folded(v) for v in name_variants(own_authority)}
    return [t for t in terms if not (t.kind == "file name" and t.words in own)]


# --- The scan -------------------------------------------------------------------------------------------


def _without_allowed_blocks(text: str) -> str:
    """``text`` without the figures named in ALLOWED_BLOCKS (raw markup only: data is HTML-escaped)."""
    for block in ALLOWED_BLOCKS:
        start = re.compile(r'<figure[^<>]{0,400}data-roses-explorer=\\?"' + re.escape(block) + r'\\?"')
        while (match := start.search(text)) is not None:
            end = text.find("</figure>", match.end())
            text = text[: match.start()] + text[end + len("</figure>") :] if end != -1 else text[: match.start()]
    return text


def readable_text(raw: bytes, name: str = "") -> str:
    """The file as text, plus every base64 or percent-encoded data: URI decoded (and objects.inv inflated)."""
    if name == "objects.inv":
        head, _, body = raw.partition(b"zlib\n")
        try:
            raw = head + zlib.decompress(body)
        except zlib.error:
            pass
    text = _without_allowed_blocks(raw.decode("utf-8", errors="ignore"))
    parts = [text]
    if "data:" in text:
        for payload in DATA_URI.findall(text):
            try:
                parts.append(base64.b64decode(payload).decode("utf-8", errors="ignore"))
            except (binascii.Error, ValueError):
                continue
        parts += [urllib.parse.unquote(p) for p in PERCENT_URI.findall(text) if "%" in p]
        # The payloads are read decoded (above); their base64 letters are no words, and by chance spell
        # one ("...lj mk miwy..." read as MK, an abbreviation of Milton Keynes).
        parts[0] = DATA_URI.sub("data:base64,", text)
    return "\n".join(parts)


def edition_files(html_dir: Path) -> list[Path]:
    """Every file of the site itself: the ``_static`` folder (theme and package assets) is not read."""
    found = []
    for path in sorted(html_dir.rglob("*")):
        relative = path.relative_to(html_dir)
        if relative.parts[0] == "_static":
            continue
        if path.is_file() and not path.is_symlink():
            found.append(path)
    return found


FOLDED, CASED, EMAIL = "folded", "cased", "email"
HASHTAG = re.compile(r"#([^\W_]{1,100})")
LETTERS = re.compile(r"[^\W\d_]+")
STEMMER = snowballstemmer.stemmer("porter")  # as Sphinx's English search index stems words
INNER_MIN = 5  # letters: a one-word name this long is looked for inside longer words
RUN_TOGETHER = 12  # letters: a word this long may be words run together ('wakefieldcares' is 14)
EMAIL_FILLERS = ("at", "dot")  # 'jo at x dot uk': an e-mail's words are compared without them


class _Index:
    """Terms arranged for linear-time look-up: word sequences by first word, identifiers by kind."""

    def __init__(self, terms: list[Term]):
        self.by_words: dict[str, dict[tuple[str, ...], Term]] = {FOLDED: {}, CASED: {}, EMAIL: {}}
        self.firsts: dict[str, dict[str, set[int]]] = {FOLDED: {}, CASED: {}, EMAIL: {}}
        self.squeezed = [t for t in terms if t.squeezed]
        self.digits = {t.digits: t for t in terms if t.digits}
        self.literal = [t for t in terms if t.literal]
        for t in terms:
            if not t.words:
                continue
            mode, sequence = (CASED if t.cased else FOLDED), t.words
            if t.kind == "email":
                mode, sequence = EMAIL, tuple(w for w in t.words if w not in EMAIL_FILLERS)
            if sequence:
                self.by_words[mode].setdefault(sequence, t)
                self.firsts[mode].setdefault(sequence[0], set()).add(len(sequence))
        # One-word names looked for inside run-together words and hashtags ('#wakefieldcares').
        self.inner = {
            seq[0]: t
            for seq, t in self.by_words[FOLDED].items()
            if len(seq) == 1
            and len(seq[0]) >= INNER_MIN
            and seq[0].isalpha()
            and t.kind == "authority name"
            and t.value not in ABBREVIATIONS
        }
        self.inner_lengths = sorted({len(w) for w in self.inner})


def _mask(tokens: list[str], folded_tokens: list[str], phrases: list[tuple[str, ...]]) -> None:
    """Blank allowed phrases (and the edition's own name) so the names inside them do not count."""
    firsts = {p[0] for p in phrases if p}
    for i, w in enumerate(folded_tokens):
        if w in firsts:
            for p in phrases:
                if tuple(folded_tokens[i : i + len(p)]) == p:
                    for j in range(i, i + len(p)):
                        tokens[j] = folded_tokens[j] = ""


def _context(tokens: list[str], i: int, n: int) -> str:
    return " ".join(t for t in tokens[max(0, i - 6) : i + n + 6] if t)


def _run_together_hits(view: str, low: list[str], index: _Index, phrases) -> list[tuple[Term, str]]:
    """One-word names inside run-together words and hashtags ('#wakefieldcares'), and names flush against
    a number ('wakefield201939': a search index runs a table's cells together). Allowed words are blanked
    inside a token first, so an allowed 'nottinghamshire' run into 'neighbour' does not read 'nottingham'."""
    hashtags = {fold(w) for w in HASHTAG.findall(view)}
    allowed = {w for p in phrases for w in p}
    longest_first = sorted((w for w in allowed if len(w) >= INNER_MIN and w.isalpha()), key=len, reverse=True)
    found: list[tuple[Term, str]] = []
    pieces = {w for w in low if w.isalpha()}
    for w in {w for w in low if w and not w.isalpha()}:
        for piece in LETTERS.findall(w):
            pieces.add(piece)
            if piece in index.inner and piece not in allowed:
                found.append((index.inner[piece], w))
    for token in {p for p in pieces if len(p) >= RUN_TOGETHER or p in hashtags}:
        masked = token
        for word in longest_first:
            if word in masked:
                masked = masked.replace(word, " " * len(word))
        for n in index.inner_lengths:
            for start in range(len(token) - n + 1):
                term = index.inner.get(masked[start : start + n])
                if term and n < len(token):
                    found.append((term, token))
    return found


def _scan_view(view: str, index: _Index, phrases: list[tuple[str, ...]]) -> list[tuple[Term, str]]:
    cased = words(view)
    low = [fold(w) for w in cased]
    _mask(cased, low, phrases)
    found: list[tuple[Term, str]] = []
    streams = {FOLDED: low, CASED: cased}
    if index.by_words[EMAIL]:
        streams[EMAIL] = [w for w in low if w and w not in EMAIL_FILLERS]
    for mode, tokens in streams.items():
        firsts, table = index.firsts[mode], index.by_words[mode]
        if not table:
            continue
        for i in [i for i, w in enumerate(tokens) if w in firsts]:
            for n in firsts[tokens[i]]:
                term = table.get(tuple(tokens[i : i + n]))
                if term:
                    found.append((term, _context([fold(w) for w in tokens[max(0, i - 6) : i + n + 6]], 6, n)))
    if index.inner:
        found += _run_together_hits(view, low, index, phrases)
    if index.squeezed:
        squeezed, spaced = "".join(low), None
        for term in index.squeezed:
            if term.squeezed in squeezed:
                spaced = spaced if spaced is not None else " ".join(w for w in low if w)
                pattern = r"(?<![^\W_])" + r" ?".join(re.escape(c) for c in term.squeezed) + r"(?![^\W_])"
                match = re.search(pattern, spaced)
                if match:
                    found.append((term, match.group()))
    if index.digits:
        runs = [(i, w) for i, w in enumerate(low) if w.isdigit()]
        for k, (i, _) in enumerate(runs):
            joined = ""
            for m in range(k, min(k + 13, len(runs))):  # up to one digit a word ('0 7 7 0 0 ...')
                if runs[m][0] != i + (m - k):
                    break
                joined += runs[m][1]
                if len(joined) > 14:
                    break
                digits = _phone_digits(joined)
                if digits and digits in index.digits:
                    found.append((index.digits[digits], joined))
    lowered = view.casefold()
    for term in index.literal:
        match = re.search(term.literal, lowered)
        if match:
            found.append((term, match.group()))
    match = WORK_FOLDERS.search(view)
    if match:
        found.append((Term("work folder path", match.group()), match.group()))
    return found


# Identifiers are looked for on the pages themselves, in what a reader sees: scripts, styles, colours
# ('#EF553B') and hashes are not text, and a table cell never runs on into the next ('¦' between them).
PAGE_SUFFIXES = {".html", ".csv", ".txt", ".ipynb"}
SCRIPT = re.compile(r"<(script|style)\b[^<>]{0,4000}>.*?</\1\s{0,10}>", re.IGNORECASE | re.DOTALL)
NOT_TEXT = re.compile(r"#[0-9a-f]{3,8}\b|\b[0-9a-f]{16,128}\b", re.IGNORECASE)
ON_PAGES = (("phone number", UK_PHONE), ("NI number", NI_NUMBER), ("postcode", POSTCODE))


def page_identifiers(text: str) -> list[tuple[Term, str]]:
    """E-mail addresses, phone numbers, NI numbers and postcodes in a page's text, whatever file they
    came from (a codebook, a theme label, a file name): none may be published."""
    visible = NOT_TEXT.sub(" ", TAG.sub(" \u00a6 ", SCRIPT.sub(" ", normalise(text))))
    found = [(Term("e-mail address", e), e) for e in emails_in(visible)]
    for kind, pattern in ON_PAGES:
        for match in pattern.finditer(visible):
            before, after = visible[match.start() - 1 : match.start()], visible[match.end() : match.end() + 1]
            if not (before.isalnum() or after.isalnum()):
                found.append((Term(kind, match.group()), match.group()))
    return found


def scan(
    html_dir: Path, terms: list[Term], own_authority: str | None = None, clean: set[str] | None = None
) -> list[Hit]:
    """Every forbidden term in the site's files (one hit per file and term).

    ``clean``: keys of files already scanned with no hit (a rebuild rewrites few pages). A key is the
    SHA-256 of the terms, the allowed phrases, the file's name and its bytes, so a file is skipped only
    when the very same scan of the very same bytes found nothing; new clean files are added to it.
    """
    allowed = list(ALLOWED_PHRASES) + [v for name in edition_names(own_authority) for v in name_variants(name)]
    phrases = sorted({folded(p) for p in allowed}, key=len, reverse=True)
    words_alone = {w for p in phrases for w in p}
    # The search index holds words as Sphinx's English (Porter) stemmer left them: 'nottinghamshir'.
    stems = {STEMMER.stemWord(w) for w in words_alone}
    single = sorted(set(phrases) | {(w,) for w in words_alone | stems}, key=len, reverse=True)
    index = _Index(terms)
    salt = hashlib.sha256(repr((sorted(map(repr, terms)), phrases)).encode()).digest()
    hits = []
    for path in edition_files(html_dir):
        data = path.read_bytes()
        key = hashlib.sha256(salt + path.name.encode() + b"\0" + data).hexdigest()
        if clean is not None and key in clean:
            continue
        text = readable_text(data, path.name)
        seen: dict[Term, str] = {}
        for view in views(text):
            for term, context in _scan_view(view, index, single if path.name == SEARCH_INDEX else phrases):
                seen.setdefault(term, context)
        if path.suffix in PAGE_SUFFIXES:
            for term, context in page_identifiers(text):
                seen.setdefault(term, context)
        hits += [Hit(path.relative_to(html_dir), term, context) for term, context in seen.items()]
        if clean is not None and not seen:
            clean.add(key)
    return hits


def output_terms(html_dir: Path) -> list[Term]:
    """The folder a site is built into (``--out DIR``: it often names a user), unless it is the
    repository's own: no local path in any output (issue 28)."""
    out = Path(html_dir).resolve().parent.parent
    term = word_term("output folder path", str(out)) if out != REPO_ROOT.resolve() else None
    return [term] if term else []


def check(html_dir: Path, edition: str, terms: list[Term], own_authority: str | None = None) -> None:
    """Raise LeakError if the edition in ``html_dir`` contains any forbidden term."""
    hits = scan(html_dir, terms + output_terms(html_dir), own_authority)
    if hits:
        raise LeakError(f"edition '{edition}'", hits)


def scan_site(html_dir: str | Path, data_dir: str | Path | None = None, clean: set[str] | None = None) -> None:
    """Scan a built main book (``roses build --data DIR``) as an edition is scanned; raise LeakError on a hit.

    The main book is anonymised like a programme edition: no English authority may be named, and
    nothing of the local inputs in ``data_dir`` may appear. ``_static`` is not read (theme and
    package assets only).
    """
    folder = Path(data_dir) if data_dir else None
    if folder is not None and folder.resolve() == DATA_DIR.resolve():
        folder = None  # the repository's own data: nothing local to look for
    check_terms = forbidden_terms(None, folder) + output_terms(Path(html_dir))
    hits = scan(Path(html_dir), check_terms, clean=clean)
    if hits:
        raise LeakError(f"the book in {html_dir}", hits)
