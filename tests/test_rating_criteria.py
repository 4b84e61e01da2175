"""Every blind-rated table shows what the raters scored and what a 3, 2 and 1 meant (issue 13)."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from roses.exhibits.registry import Params, get
from roses.pages.render import render
from roses.published import tables

CRITERIA = tables.rating_criteria().set_index("factor")


def _rendered(table: str, data_dir=None) -> str:
    return render(get(f"table-{table}"), Params(data_dir=data_dir))


def test_table_2_2_shows_its_score_3_description():
    assert html.escape(CRITERIA.loc["workshop_attendance", "score_3"]) in _rendered("2.2")
    assert "High seniority and good attendance" in _rendered("2.2")


@pytest.mark.parametrize("factor", tables.FACTORS)
def test_every_rating_table_shows_criteria_and_all_three_scores(factor):
    row = CRITERIA.loc[factor]
    exhibit = get(f"table-{row['table']}")  # registered from this very row: number, chapter, title
    assert (exhibit.chapter, exhibit.title) == (row["chapter"], row["title"])
    page = _rendered(row["table"])
    for part in str(row["criteria"]).split(";"):
        assert html.escape(part.strip()) in page, part
    for score in (3, 2, 1):
        assert f"{score} = {html.escape(row[f'score_{score}'])}" in page, score


def test_the_rating_key_is_read_from_the_data_folder(data_copy):
    path = data_copy / "published" / "rating_criteria.csv"
    criteria = pd.read_csv(path, dtype=str, keep_default_na=False)
    criteria.loc[criteria["factor"] == "workshop_attendance", "score_3"] = "A changed description"
    criteria.to_csv(path, index=False)
    assert "3 = A changed description" in _rendered("2.2", data_copy)


def test_a_factors_label_is_read_from_the_criteria_file_everywhere(data_copy):
    """One source for the eight names: the rating table's column, the statistics' factor column and
    the chart menu of Table 7.1 all show rating_criteria.csv's title."""
    from roses.pages.columns import cell_text, column

    path = data_copy / "published" / "rating_criteria.csv"
    criteria = pd.read_csv(path, dtype=str, keep_default_na=False)
    criteria.loc[criteria["factor"] == "family_finding", "title"] = "Finding family"
    criteria.to_csv(path, index=False)
    assert tables.factor_labels(data_copy)["family_finding"] == "Finding family"
    assert "Finding family" in _rendered("7.1", data_copy)
    title = CRITERIA.loc["family_finding", "title"]
    assert column("family_finding").label == f"{title} (1-3)"
    assert cell_text("family_finding", column("factor"), "factor") == title
