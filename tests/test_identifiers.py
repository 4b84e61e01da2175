"""The leak scan and the redactor read personal identifiers with the same patterns
(roses.core.identifiers), so they agree on every address: what one finds, the other removes.

Every address and person here is made up for these tests.
"""

from __future__ import annotations

import pytest

from roses.core import identifiers
from roses.editions import leaks
from roses.survey.redact import redact

# E-mail addresses as people write them in a comment; each must be found by the scan and removed by
# the redactor, local part and domain both.
ADDRESSES = [
    ("jo at example dot uk", "jo", "example"),
    ("mail jo.bloggs at example-council dot gov dot uk please", "bloggs", "council"),
    ("JO AT EXAMPLE DOT COM", "JO", "EXAMPLE"),
    ("write to pat.o-neil  at  example   dot  org", "neil", "example"),
    ("zoë.b at exämple dot ac dot uk", "zoë", "exämple"),  # letters of any script, as in an address
    ("team_lead at my_dept dot nhs dot uk", "team_lead", "my_dept"),
    ("...jo at example dot uk", "jo", "example"),  # punctuation before the address
    ("(jo at example dot me)", "jo", "example"),
    ("jo [at] example [dot] gov [dot] uk", "jo", "example"),
    ("jo(at)example(dot)org", "jo", "example"),
    ("jo <at> example <dot> uk", "jo", "example"),
    ("jo [at] example.co.uk", "jo", "example"),
    ("jo.bloggs@example-council.gov.uk", "bloggs", "council"),
    ("zoë@exämple.uk", "zoë", "exämple"),
    ("jo [at] example dot uk", "jo", "example"),  # forms mixed
    ("jo@example dot gov dot uk", "jo", "example"),
    ("jo @ example dot org", "jo", "example"),
    ("jo (at) example (dot) gov dot uk", "jo", "example"),
    ("jo.b@example.gov dot uk", "jo.b", "example"),
]

# Ordinary sentences with 'at' and 'dot' in them: neither the scan nor the redactor may take them for
# addresses (a false alarm fails a build; a false redaction garbles a comment).
SENTENCES = [
    "we met at the office dot",
    "we met at the office, dot the i's and cross the t's",
    "look at the data on the dot plot",
    "we looked at dot plots at wave 2",
    "she arrived at 9 dot on time",
    "a score at jo dot couk is no address",  # 'couk' is no top-level domain
    "staff at the team said so",
    "-- at example dot com",  # no local part
    "the figures are published at gov.uk",  # a site, as the book's pages name them
    "x" * 70 + " at example dot com",  # more than 64 characters cannot be a local part
]


@pytest.mark.parametrize("text, local, domain", ADDRESSES, ids=[a[0][:30] for a in ADDRESSES])
def test_the_scan_finds_and_the_redactor_removes_every_address(text, local, domain):
    found = leaks.emails_in(leaks.normalise(text))
    assert found and any(local in e and domain in e for e in found), found
    out = redact(text, names=frozenset())
    assert "[email]" in out and local not in out and domain not in out, out


@pytest.mark.parametrize("text", SENTENCES, ids=[s[:30] for s in SENTENCES])
def test_ordinary_sentences_are_neither_flagged_nor_redacted(text):
    assert leaks.emails_in(leaks.normalise(text)) == []
    assert redact(text, names=frozenset()) == text


# Known limits, the same for both (docs/disclosure.md): a false alarm (look@the.com), and an address the
# scan reads as 'jo at example.uk' once it has undone the brackets, like 'published at gov.uk'.
SHARED_LIMITS = ["look at the dot com era", "jo at example [dot] uk"]


@pytest.mark.parametrize("text", [a[0] for a in ADDRESSES] + SENTENCES + SHARED_LIMITS)
def test_the_scan_and_the_redactor_agree(text):
    flagged = bool(leaks.emails_in(leaks.normalise(text)))
    assert flagged == ("[email]" in redact(text, names=frozenset()))


def test_an_address_in_words_is_one_pattern_for_both():
    assert ("email", identifiers.WORDED_EMAIL) in identifiers.REDACTION
    assert leaks.WORDED_EMAIL is identifiers.WORDED_EMAIL
    assert not hasattr(identifiers, "EMAIL_IN_WORDS")


@pytest.mark.parametrize("hidden", ["\u200b", "\u00ad", "\u2061", "\u202e", "\ufe0f"])
def test_an_invisible_character_hides_an_address_from_neither(hidden):
    text = f"write to jo.blo{hidden}ggs at exam{hidden}ple dot org"
    assert leaks.emails_in(leaks.normalise(text)) == ["jo.bloggs@example.org"]
    assert redact(text, names=frozenset()) == "write to [email]"


def test_a_name_is_folded_the_same_way_by_both():
    # The redactor and the scan compare first names without case or accents, with one function.
    names = frozenset({"Zoë"})
    assert redact("ZOE and zoë and Zoe came", names=names) == "[name] and [name] and [name] came"
    assert {identifiers.fold(w) for w in ("ZOË", "Zoe", "zoë")} == {"zoe"}


@pytest.mark.parametrize(
    "text", ["jo (at) example (dot) gov dot uk", "jo.b@example.gov dot uk", "jo at example dot uk"]
)
def test_an_address_in_mixed_forms_is_redacted_whole(text):
    assert redact(text, names=frozenset()) == "[email]"
