"""Disclosure control, redaction and comment coding."""

from __future__ import annotations

import numpy as np
import pandas as pd

from roses.exhibits.local import frame
from roses.survey import cellkey, comments, disclosure, synth
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
            "authority": ["A"] + ["B"] * 12,
            "wave": [3] * 13,
            "respondent": range(13),
            "question": "working_well",
            "text": ["Synthetic: supervision helps"] + [f"Synthetic note {i}" for i in range(12)],
        }
    )
    themes = comments.codebook("staff")
    counts = comments.theme_counts(notes, themes, {"A": 1, "B": 2})
    lone = counts[counts["group"] == 1]
    assert (lone["count"] == "c").all() and lone["comments"].isna().all()  # one comment: count and total hidden
    assert counts.loc[counts["group"] == 2, "comments"].eq(12).all()
    # Every theme has a row in every group-wave, so a new comment's theme never shows as a new row.
    assert counts.groupby("group").size().tolist() == [len(themes) + 1] * 2


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


# --- The range functions: exact, and linear in the rows --------------------------------------------------


def _distributions(n: int):
    """Every way n respondents can split over answers 1-5."""
    for c1 in range(n + 1):
        for c2 in range(n - c1 + 1):
            for c3 in range(n - c1 - c2 + 1):
                for c4 in range(n - c1 - c2 - c3 + 1):
                    yield c1, c2, c3, c4, n - c1 - c2 - c3 - c4


def test_likert_count_ranges_match_a_brute_force_attacker():
    # Exact figures: for every published row, each count's range holds every distribution with the same
    # % agree, % disagree and mean (sound), and agree, disagree and neutral are exactly what they allow.
    truth = {}
    for n in (10, 11):
        for c in _distributions(n):
            published = (
                n,
                round(100 * (c[3] + c[4]) / n, 1),
                round(100 * (c[0] + c[1]) / n, 1),
                round(sum(k * v for k, v in zip(range(1, 6), c)) / n, 2),
            )
            truth.setdefault(published, []).append(c)
    rows = list(truth)
    n, agree, disagree, mean = (np.array(x, dtype=float) for x in zip(*rows))
    ranges = disclosure.likert_count_ranges(n, agree, disagree, mean, perturbed=False)
    names = {"answer 1": 0, "answer 2": 1, "neutral": 2, "answer 4": 3, "answer 5": 4}
    for i, row in enumerate(rows):
        for name, k in names.items():
            values = [c[k] for c in truth[row]]
            lo, hi = ranges[name][0][i], ranges[name][1][i]
            assert lo <= min(values) and hi >= max(values), (row, name)  # sound: never narrower than the truth
            if name == "neutral":
                assert (lo, hi) == (min(values), max(values)), row
    # the textbook case: ten respondents, nine answered 1 and one answered 2
    i = rows.index((10, 0.0, 100.0, 1.1))
    assert (ranges["answer 2"][0][i], ranges["answer 2"][1][i]) == (1, 1)


def test_perturbed_ranges_always_hold_the_true_counts():
    rng = np.random.default_rng(29)
    n = rng.integers(10, 200, 2000)
    c = np.array([rng.multinomial(m, rng.dirichlet(np.ones(5))) for m in n])
    agree, disagree, total = c[:, 3] + c[:, 4], c[:, 0] + c[:, 1], c @ np.arange(1, 6)
    move = cellkey.MAX_COUNT_MOVE
    e = rng.integers(-move, move + 1, (2, len(n)))
    s_move = rng.integers(-cellkey.MAX_SUM_MOVE, cellkey.MAX_SUM_MOVE + 1, len(n))
    a_pub = np.clip(agree + e[0], 0, n)
    d_pub = np.clip(disagree + e[1], 0, n - a_pub)
    s_pub = np.clip(total + s_move, n, 5 * n)
    ranges = disclosure.likert_count_ranges(
        n, np.round(100 * a_pub / n, 1), np.round(100 * d_pub / n, 1), np.round(s_pub / n, 2)
    )
    for name, k in {"answer 1": 0, "answer 2": 1, "neutral": 2, "answer 4": 3, "answer 5": 4}.items():
        lo, hi = ranges[name]
        assert ((lo <= c[:, k]) & (c[:, k] <= hi)).all(), name
