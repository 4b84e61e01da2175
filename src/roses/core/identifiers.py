"""What identifies a person in text, in one place: the patterns of personal identifiers, the column
names of respondent ids, and how text is read before matching (invisible characters dropped, words
folded without case or accents).

Used by the redactor of example comments (``roses.survey.redact``), by the leak scan of every built
page (``roses.editions.leaks``) and by the survey readers (which column is a respondent id), so the
three can never disagree on what an e-mail address, a phone number or an id column is. Every
quantifier is bounded, so matching is linear in the length of the text.
"""

from __future__ import annotations

import re
import unicodedata

# --- Text as a reader sees it ---------------------------------------------------------------------------

# Zero-width and other invisible format characters, soft hyphens, variation selectors, bidi marks: they
# split a word or an address for a pattern, not for a reader, so both the scan and the redactor drop them.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)


def fold(word: str) -> str:
    """A word as compared: case-folded, accents dropped ('Zoë' and 'ZOE' are 'zoe')."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- Respondent ids ------------------------------------------------------------------------------------

# Column names (normalised: lower case, punctuation as spaces) that hold a respondent's id in an export.
RESPONDENT_ID_COLUMNS = frozenset(
    {
        "respondent",
        "respondent id",
        "response id",
        "responseid",
        "respondentid",
        "id",
        "userid",
        "user id",
        "response",
        "submission id",
        "record id",
        "case id",
        "participant id",
    }
)

# --- E-mail addresses ---------------------------------------------------------------------------------

TLDS = r"(?:uk|com|org|net|gov|ac|co|nhs|sch|io|info|edu|me)"
# The parts of an address, written once for every pattern below: a local part's and a domain label's
# characters (any script's letters: 'zoë@x.uk' is an address), and '[at]', '(dot)', '<at>' written
# for people rather than machines.
LOCAL_CHAR = r"[\w.%+'-]"
LABEL = r"[\w-]{1,63}"
BRACKETED_AT = r"[\[\(\{<]\s{0,2}(?:at|@)\s{0,2}[\]\)\}>]"
BRACKETED_DOT = r"[\[\(\{<]\s{0,2}(?:dot|\.)\s{0,2}[\]\)\}>]"
# The two halves of an address found around an '@' (the scan splits at '@' once obfuscations are undone).
EMAIL_LOCAL = re.compile(rf"{LOCAL_CHAR}{{1,64}}$")
EMAIL_DOMAIN = re.compile(rf"{LABEL}(?:\.{LABEL}){{1,8}}")
OBFUSCATED_AT = re.compile(rf"\s{{0,3}}{BRACKETED_AT}\s{{0,3}}", re.IGNORECASE)
OBFUSCATED_DOT = re.compile(rf"\s{{0,3}}{BRACKETED_DOT}\s{{0,3}}", re.IGNORECASE)
# Whole addresses as written, obfuscated forms included ('jo [at] x [dot] uk'): what the redactor replaces.
EMAIL = re.compile(
    rf"{LOCAL_CHAR}{{1,64}}\s{{0,3}}(?:@|{BRACKETED_AT})\s{{0,3}}"
    rf"{LABEL}(?:\s{{0,3}}(?:\.|{BRACKETED_DOT})\s{{0,3}}{LABEL}){{1,8}}",
    re.IGNORECASE,
)
# An address in words ('jo at x dot gov dot uk', also mixed: 'jo [at] x dot uk', 'jo@x.gov dot uk'): the
# one pattern of the redactor and the leak scan. Its last dot is the word ' dot ' before a known top-level
# domain, so 'we met at the office dot' is not an address, nor is 'data at gov.uk' (the scan reads
# 'jo at x [dot] uk' so, once it has undone the brackets: left unread by both). It starts only where no
# address character stands before it (linear time on 'a.a.a...'), so a run of more than 64 such
# characters before the 'at' (no address: RFC 5321's limit) is not searched inside; the local part
# starts with a letter or digit.
WORDED_DOT = re.compile(r"\s{1,3}dot\s{1,3}", re.IGNORECASE)
_ANY_AT = rf"(?:\s{{1,3}}at\s{{1,3}}|\s{{0,3}}(?:@|{BRACKETED_AT})\s{{0,3}})"
_ANY_DOT = rf"(?:\s{{1,3}}dot\s{{1,3}}|\.|\s{{0,3}}{BRACKETED_DOT}\s{{0,3}})"
WORDED_EMAIL = re.compile(
    rf"(?<![\w.-])[.-]{{0,64}}(?P<local>\w[\w.-]{{0,63}}){_ANY_AT}"
    rf"(?P<domain>{LABEL}(?:{_ANY_DOT}{LABEL}){{0,5}}\s{{1,3}}dot\s{{1,3}}{TLDS})\b",
    re.IGNORECASE,
)

# --- Links, phones, postcodes, NI numbers ----------------------------------------------------------------

URL = re.compile(r"(?:https?://|www\.)[^\s\"'<>,]{1,2000}", re.IGNORECASE)
BARE_URL = re.compile(
    r"(?<![\w.@/-])[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,5}"
    r"\.(?:gov\.uk|org\.uk|co\.uk|ac\.uk|nhs\.uk|sch\.uk|com|org|net|io|info)"
    r"(?:/[^\s\"'<>,]{0,2000})?(?![\w-])",
    re.IGNORECASE,
)
UK_PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)\s{0,2}44\s{0,2}(?:\(\s?0\s?\)\s{0,2})?|\(\s?0|0)"
    r"\d(?:[\s.\-)]{0,2}\d){7,9}(?!\d)"
)
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s{0,2}\d[A-Z]{2}\b", re.IGNORECASE)
# Liberal on purpose (any two letters): HMRC's own example prefix QQ is not a valid real one.
NI_NUMBER = re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")

# --- Dates of birth, case numbers, addresses ------------------------------------------------------------

DATE_OF_BIRTH = re.compile(
    r"\b(?:dob|d\.o\.b\.?|date of birth|born(?: on)?|birthday)\s{0,3}[:\-]?\s{0,3}"
    r"(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s{1,3}[A-Za-z]{3,9}\.?,?\s{1,3}\d{4})",
    re.IGNORECASE,
)
CASE_NUMBER = re.compile(
    r"\b(?:case|ref|reference|file|child|client|record|mosaic|lcs|id)\.?\s{0,3}"
    r"(?:no\.?|number|num|#|ref|id)?\s{0,3}[:#]?\s{0,3}([A-Z]{0,4}[/-]?\d{4,12}(?:[/-][A-Z0-9]{1,8}){0,3})\b",
    re.IGNORECASE,
)
STREET = re.compile(
    r"\b\d{1,4}[A-Za-z]?,?\s{1,3}(?:[A-Z][a-z'-]{1,20}\s{1,3}){1,3}"
    r"(?:Road|Street|Lane|Avenue|Close|Drive|Way|Crescent|Court|Place|Gardens|Terrace|Grove|"
    r"Walk|Row|Mews|Square|Rd|St|Ave)\b"
)

# What the redactor replaces, in order, with the tag it writes ('[phone]'); the leak scan looks for the
# same identifiers (``ON_PAGES``) on every built page, whatever file they came from.
REDACTION = [
    ("email", WORDED_EMAIL),  # first: 'jo [at] x [dot] gov dot uk' is one address, not '[email] dot uk'
    ("email", EMAIL),
    ("url", URL),
    ("url", BARE_URL),
    ("ni number", NI_NUMBER),
    ("date of birth", DATE_OF_BIRTH),
    ("case number", CASE_NUMBER),
    ("phone", UK_PHONE),
    ("postcode", POSTCODE),
    ("address", re.compile(STREET.pattern, re.IGNORECASE)),
]
