"""Every blind-rated table shows what the raters scored and what a 3, 2 and 1 meant (issue 13)."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from roses.exhibits.published_tables import FACTOR_TABLE
from roses.exhibits.registry import Params, get
from roses.pages.render import render
from roses.published import tables

CRITERIA = tables.rating_criteria().set_index("factor")


def _rendered(table: str, data_dir=None) -> str:
    return render(get(f"table-{table}"), Params(data_dir=data_dir))


def test_table_2_2_shows_its_score_3_description():
    assert html.escape(CRITERIA.loc["workshop_attendance", "score_3"]) in _rendered("2.2")
    assert "High seniority and good attendance" in _rendered("2.2")


@pytest.mark.parametrize("factor", sorted(FACTOR_TABLE))
def test_every_rating_table_shows_criteria_and_all_three_scores(factor):
    table, _ = FACTOR_TABLE[factor]
    row = CRITERIA.loc[factor]
    assert row["table"] == table  # the criteria file and the exhibit agree on the table number
    page = _rendered(table)
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
