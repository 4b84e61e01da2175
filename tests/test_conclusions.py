"""Generated conclusions hold on the report's data and flip when the data are changed to contradict them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from roses.core.paths import DATA_DIR
from roses.exhibits import registry
from roses.exhibits.registry import Exhibit
from roses.pages import claims as conclusions
from roses.published import tables as published

DATA_RULES = [
    "group1_above_group3",
    "totals_follow_groups",
    "groups_do_not_overlap",
    "total_progress_significant",
    "total_ofsted_significant",
    "robust_to_any_one_factor",
    "every_factor_positive",
]


def _by_id(data_dir=None) -> dict[str, conclusions.Conclusion]:
    return {c.id: c for c in conclusions.evaluate(data_dir)}


def _copy_with_ratings(tmp_path, change) -> Path:
    """A copy of the data folder whose blind ratings are changed by ``change(frame) -> frame``."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "published", data / "published")
    path = data / "published" / "blind_ratings.csv"
    change(pd.read_csv(path)).to_csv(path, index=False)
    return data


@pytest.fixture(scope="module")
def default():
    return _by_id()


@pytest.mark.parametrize("rule_id", DATA_RULES)
def test_claim_holds_on_the_report_data(default, rule_id):
    claim = default[rule_id]
    assert claim.holds is True
    assert " not " not in f" {claim.text} "


def test_every_data_claim_flips_when_the_ratings_run_against_the_groups(tmp_path, default):
    def reverse(frame):  # the best score becomes the worst: Group 3 now looks strongest
        return frame.assign(score=published.TOP_SCORE + 1 - frame["score"])

    flipped = _by_id(_copy_with_ratings(tmp_path, reverse))
    for rule_id in DATA_RULES:
        assert flipped[rule_id].holds is False, rule_id
        assert flipped[rule_id].text != default[rule_id].text, rule_id  # the page says the opposite


def test_one_high_scoring_group3_authority_breaks_only_the_no_overlap_claim(tmp_path, default):
    def lift_h(frame):
        return frame.assign(score=frame["score"].where(frame["authority"] != "H", published.TOP_SCORE))

    changed = _by_id(_copy_with_ratings(tmp_path, lift_h))
    assert changed["groups_do_not_overlap"].holds is False
    assert "Group 3" in changed["groups_do_not_overlap"].text
    assert changed["groups_do_not_overlap"].evidence != default["groups_do_not_overlap"].evidence
    assert changed["group1_above_group3"].holds is True  # the group means still point the same way


def test_flat_ratings_lose_significance(tmp_path):
    # Scores unrelated to group: alternate 1 and 3 across the authorities, identically for every factor.
    order = {a: (1 if i % 2 else 3) for i, a in enumerate(published.AUTHORITIES)}

    def scramble(frame):
        return frame.assign(score=frame["authority"].map(order))

    changed = _by_id(_copy_with_ratings(tmp_path, scramble))
    assert changed["total_progress_significant"].holds is False
    assert "not a significant" in changed["total_progress_significant"].text


def _saq_exhibits(monkeypatch, group1_change: dict[str, float]):
    """Register fake SAQ exhibits: each group's mean at waves 3 and 4 (Group 1 moves by the given amount)."""
    for figure, dimension in conclusions.SAQ_FIGURES.items():
        rows = [
            {"group": g, "wave": w, "score": 50 + (group1_change[dimension] if g == 1 and w == 4 else 0)}
            for g in published.GROUPS
            for w in (3, 4)
        ]
        frame = pd.DataFrame(rows)
        monkeypatch.setitem(
            registry._REGISTRY,
            figure,
            Exhibit(
                id=figure,
                title=dimension,
                chapter="findings",
                origin="illustrative",
                source="test",
                build=lambda params, frame=frame: frame.copy(),
            ),
        )


def test_survey_rule_holds_when_group1_improves_everywhere_and_flips_otherwise(monkeypatch):
    _saq_exhibits(monkeypatch, {d: 5.0 for d in conclusions.SAQ_FIGURES.values()})
    claim = conclusions.group1_improved_on_every_saq_dimension(conclusions.Evidence())
    assert claim.holds is True
    assert "improved on every SAQ dimension" in claim.text
    assert claim.text.endswith("(in the illustrative survey data)")  # synthetic data are never passed off as real

    worse = {d: 5.0 for d in conclusions.SAQ_FIGURES.values()} | {"safety climate": -2.0}
    _saq_exhibits(monkeypatch, worse)
    claim = conclusions.group1_improved_on_every_saq_dimension(conclusions.Evidence())
    assert claim.holds is False
    assert "safety climate -2.0" in claim.evidence


def test_glued_facts_carry_the_generated_sentences(default):
    facts = conclusions.prose_values()
    for rule_id, claim in default.items():
        assert facts[f"claim_{rule_id}"] == claim.text
    assert float(facts["assoc_p_progress"]) < 0.05
