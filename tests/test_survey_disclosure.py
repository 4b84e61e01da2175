"""Disclosure control, redaction and comment coding."""

from __future__ import annotations

import pandas as pd

from roses.exhibits.local import frame
from roses.survey import comments, disclosure, synth
from roses.survey.redact import redact


def test_small_counts_suppressed_with_secondary_suppression():
    table = pd.DataFrame({"wave": [1, 1, 1, 2, 2], "theme": list("abcab"), "count": [3, 20, 30, 2, 4]})
    out = disclosure.suppress_counts(table, margins=[["wave"]])
    wave1 = out[out["wave"] == 1].set_index("theme")
    # 3 is primary; 20 (the smallest other) is secondary, so wave 1's total cannot give the 3 back.
    assert wave1["count"].tolist() == ["c", "c", "30"]
    assert wave1["suppression"].tolist() == ["primary", "secondary", ""]
    assert (out[out["wave"] == 2]["suppression"] == "primary").all()  # two primaries protect each other


def test_a_lone_small_count_withholds_its_total():
    # Wave 1: the 1 is the only non-zero count, so its total (1) would give it back.
    # Wave 2: 7 and 0 publish their total; wave 3: a total of 3 is itself a small count.
    table = pd.DataFrame({"wave": [1, 1, 2, 2, 3, 3], "theme": list("ababab"), "count": [0, 1, 7, 0, 2, 1]})
    out = disclosure.suppress_counts(table, margins=[["wave"]])
    assert out["count"].tolist() == ["0", "c", "7", "0", "c", "c"]
    assert out.groupby("wave")["total_status"].first().tolist() == ["c", "", "c"]


def test_comment_totals_are_withheld_where_they_would_reveal_a_count():
    notes = pd.DataFrame(
        {
            "authority": ["A", "B", "B", "B", "B", "B", "B"],
            "wave": [3] * 7,
            "respondent": range(7),
            "question": "working_well",
            "text": ["Synthetic: supervision helps"] + [f"Synthetic note {i}" for i in range(6)],
        }
    )
    themes = comments.codebook("staff")
    counts = comments.theme_counts(notes, themes, {"A": 1, "B": 2})
    lone = counts[counts["group"] == 1]
    assert (lone["count"] == "c").all() and lone["comments"].isna().all()  # one comment: count and total hidden
    assert counts.loc[counts["group"] == 2, "comments"].eq(6).all()


def test_zero_and_five_are_not_suppressed():
    table = pd.DataFrame({"wave": [1, 1], "count": [0, 5]})
    assert disclosure.suppress_counts(table, margins=[["wave"]])["count"].tolist() == ["0", "5"]


def test_small_bases_blank_values_and_carry_c():
    table = pd.DataFrame({"respondents": [9, 10], "pct": [50.0, 60.0]})
    out = disclosure.suppress_small_bases(table, ["pct"])
    assert out["status"].tolist() == ["c", ""] and out["pct"].isna().tolist() == [True, False]


def test_symbols_are_dfe_symbols():
    assert set(disclosure.SYMBOLS) == {"c", "x", "z", "low", "u"}


def test_redactor_removes_personal_details_and_keeps_ordinary_words():
    text = (
        "Ask Sarah (sarah.j@example.org, 07700 900123 or +44 161 496 0000) at SW1A 1AA; NI QQ 12 34 56 C; "
        "see https://example.org/x. Hope will Grace the Mark."
    )
    out = redact(text, extra_terms=("Borsetshire",))
    for gone in ("Sarah", "example.org", "07700", "496 0000", "SW1A", "QQ 12", "https"):
        assert gone not in out
    assert "[name]" in out and "[email]" in out and "[phone]" in out and "[postcode]" in out
    assert "Hope will Grace the Mark" in out
    assert redact("Borsetshire council", extra_terms=("Borsetshire",)) == "[place] council"


def test_every_synthetic_comment_codes_to_its_theme():
    themes = comments.codebook("staff")
    for theme, texts in synth.STAFF_COMMENTS.items():
        coded = comments.code(pd.Series(texts), themes)
        assert set(coded["theme"]) == {theme}, theme


def test_theme_counts_per_group_and_wave_with_suppression_visible():
    f = frame("exhibit-r4.2-comment-themes")
    assert {"group", "wave", "theme", "count", "comments"} <= set(f.columns)
    # Only "c" is published: whether a hidden count is small or a secondary one would bound it.
    assert "suppression" not in f.columns
    hidden = f[f["count"] == "c"]
    assert hidden["pct_of_comments"].isna().all()
    shown = f[f["count"] != "c"]["count"].astype(int)
    assert not shown.between(1, 4).any()


def test_examples_are_redacted_and_never_local(tmp_path):
    examples = frame("exhibit-r4.3-comment-examples")
    texts = " ".join(examples["example (redacted)"])
    assert "07700" not in texts and "Sarah" not in texts and "https://" not in texts
    assert set(examples["theme"]) == set(synth.STAFF_COMMENTS)
