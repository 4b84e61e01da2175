"""Rank association with exact p-values, leave-one-factor-out, and inter-rater agreement."""

from __future__ import annotations

import itertools
import shutil

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from roses.core.origin import Origin
from roses.core.paths import DATA_DIR
from roses.exhibits.local import frame
from roses.exhibits.registry import Params, get
from roses.published import stats
from roses.published import tables as published

SCIPY = {
    "spearman": lambda x, y: scipy_stats.spearmanr(x, y).statistic,
    "kendall": lambda x, y: scipy_stats.kendalltau(x, y).statistic,
}  # tau-b, like ours


def brute_force_p(x, y, statistic):
    """Two-sided p over every one of the n! orderings of y (the definition, slowly)."""
    observed = SCIPY[statistic](x, y)
    values = np.array([SCIPY[statistic](x, np.array(p)) for p in itertools.permutations(y)])
    return np.mean(np.abs(values) >= abs(observed) - 1e-9), np.mean(values >= observed - 1e-9)


@pytest.mark.parametrize("statistic", stats.STATISTICS)
def test_exact_p_equals_full_enumeration_of_every_ordering(statistic):
    # Six units with ties in both variables: all 6! = 720 orderings can be listed in full.
    x = np.array([9, 7, 7, 5, 4, 1])
    y = np.array([3, 3, 2, 2, 2, 1])
    result = stats.rank_association(x, y, statistic)
    p_two, p_one = brute_force_p(x, y, statistic)
    assert result.value == pytest.approx(SCIPY[statistic](x, y))
    assert result.p_value == pytest.approx(p_two)
    assert result.p_one_sided == pytest.approx(p_one)
    assert result.arrangements == 720 // (2 * 6)  # 6! / (2! 3! 1!)


def test_arrangements_are_every_distinct_ordering_once():
    values = np.array([1, 1, 2, 3, 3, 3])
    rows = stats.arrangements(values)
    assert len({tuple(r) for r in rows}) == len(rows) == len(set(itertools.permutations(values)))
    assert (np.sort(rows, axis=1) == np.sort(values)).all()


def test_ten_authorities_get_exact_p_values_over_every_distinct_arrangement():
    # How fast: bench/checks_bench.py (goal 0.5 s CPU), never a clock in a test.
    scores = np.array([20, 19, 21, 18, 17, 15, 13, 11, 9, 10])
    judgments = np.array([4, 4, 4, 3, 2, 2, 2, 1, 2, 1])
    for statistic in stats.STATISTICS:
        result = stats.rank_association(scores, judgments, statistic)
        # judgments has fewer distinct orderings (10! / (3! 4! 2!)): it is the one re-ordered
        assert result.arrangements == 12_600
        assert 0 < result.p_value <= 1 and result.value > 0


def test_constant_variable_is_refused():
    with pytest.raises(ValueError, match="constant"):
        stats.rank_association([1, 2, 3, 4], [2, 2, 2, 2])


def test_association_exhibit_reports_total_against_group_with_exact_p():
    table = frame("exhibit-r7.1-association")
    assert {"measure", "against", "statistic", "value", "p_value"} <= set(table.columns)
    row = stats.headline(table)
    data = stats.authority_table()
    assert row["value"] == pytest.approx(scipy_stats.spearmanr(data["total"], data["progress"]).statistic, abs=1e-3)
    # Exact p-values come in steps of one arrangement out of n!/(3!4!3!) = 4200 for groups of 3, 4, 3.
    assert row["p_value"] * 4200 == pytest.approx(round(row["p_value"] * 4200), abs=0.5)
    assert set(table["measure"]) == {"total", *published.FACTORS}


def _reversed_groups(tmp_path):
    """A copy of the data in which the blind ratings run against the progress groups."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "published", data / "published")
    path = data / "published" / "blind_ratings.csv"
    ratings = pd.read_csv(path)
    ratings["score"] = published.TOP_SCORE + 1 - ratings["score"]  # best becomes worst
    ratings.to_csv(path, index=False)
    return data


def test_association_follows_the_data(tmp_path):
    before = stats.headline(stats.association_table())
    after = stats.headline(stats.association_table(_reversed_groups(tmp_path)))
    assert after["value"] == pytest.approx(-before["value"], abs=1e-3)
    assert after["p_value"] == pytest.approx(before["p_value"])  # two-sided: symmetric
    assert after["p_one_sided"] > 0.5  # but now against the predicted direction


def test_leave_one_factor_out_drops_each_factor_once():
    table = stats.leave_one_factor_out()
    assert sorted(table["left_out"].unique()) == sorted(published.FACTORS)
    data = stats.authority_table()
    row = table[
        (table["left_out"] == "focus_on_practice") & (table["against"] == "ofsted") & (table["statistic"] == "kendall")
    ].iloc[0]
    partial = data[published.FACTORS].drop(columns="focus_on_practice").sum(axis=1)
    assert row["value"] == pytest.approx(scipy_stats.kendalltau(partial, data["ofsted"]).statistic, abs=1e-3)


def test_illustrative_raters_are_deterministic_and_badged():
    ratings = published.blind_ratings()
    one, two = stats.illustrative_raters(ratings), stats.illustrative_raters(ratings)
    pd.testing.assert_frame_equal(one, two)
    assert one["rater"].nunique() == len(stats.RATERS)
    assert one["score"].between(1, published.TOP_SCORE).all()
    agreement = frame("exhibit-r7.3-agreement")
    assert get("exhibit-r7.3-agreement").origin_for() == Origin.ILLUSTRATIVE
    assert agreement["alpha"].between(-1, 1).all()


def test_alpha_is_one_for_perfect_agreement_and_lower_with_disagreement():
    agree = np.array([[1, 2, 3, 3, 2], [1, 2, 3, 3, 2]], dtype=float)
    assert stats.krippendorff_alpha(agree) == pytest.approx(1.0)
    differ = agree.copy()
    differ[1, 0] = 3
    assert stats.krippendorff_alpha(differ) < 1.0


def test_real_raters_in_the_data_replace_the_illustrative_set(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "published", data / "published")
    path = data / "published" / "blind_ratings.csv"
    ratings = pd.read_csv(path)
    second = ratings.assign(score=np.where(ratings["authority"] == "A", 1, ratings["score"]))
    pd.concat([ratings.assign(rater="R1"), second.assign(rater="R2")]).to_csv(path, index=False)
    agreement = frame("exhibit-r7.3-agreement", data_dir=data)
    assert get("exhibit-r7.3-agreement").origin_for(Params(data_dir=data)) == Origin.LOCAL
    assert (agreement["raters"] == 2).all()
    assert "median_matches_published" not in agreement
    # A was scored 3 by R1 and 1 by R2 on some factors: those show as disagreements.
    assert agreement["authorities_with_disagreement"].max() == 1


def test_mid_ranks_are_exactly_scipys():
    """The ranks behind Spearman's rho, for a variable with ties and every arrangement of it."""
    y = np.array([3.0, 1.0, 2.0, 3.0, 2.0, 2.0, 5.0])
    assert np.array_equal(stats._midranks(y, y), scipy_stats.rankdata(y))
    rows = stats.arrangements(y)
    assert np.array_equal(stats._midranks(rows, rows[0]), scipy_stats.rankdata(rows, axis=1))


def test_confidence_interval_quantiles_are_exactly_scipys():
    from roses.national import compare

    q = np.array([0.025, 0.5, 0.975, 0.995])
    assert np.array_equal(compare._normal_quantile(q), scipy_stats.norm.ppf(q))
    df = np.array([2.0, 7.0, 40.0, 301.5])
    for level in q:
        assert np.array_equal(compare._chi2_quantile(level, df), scipy_stats.chi2.ppf(level, df))
