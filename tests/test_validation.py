"""A wrong value in a data file gets an error naming the file, row, column and what was expected."""

from __future__ import annotations

import pytest

from roses.core.errors import DataError
from roses.published import tables as published


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_score_out_of_range_names_row_and_column(data_copy):
    path = data_copy / "published" / "blind_ratings.csv"
    _edit(path, "2.2,workshop_attendance,B,1,2", "2.2,workshop_attendance,B,1,4")
    with pytest.raises(DataError) as caught:
        published.blind_ratings(data_copy)
    message = str(caught.value)
    assert "blind_ratings.csv" in message
    assert "row 3" in message and "column 'score'" in message
    assert "found 4" in message and "from 1 to 3" in message


def test_text_where_a_number_belongs(data_copy):
    path = data_copy / "published" / "table_1_1_ofsted.csv"
    _edit(path, "C,1,2014,", "C,1,twenty14,")
    with pytest.raises(DataError) as caught:
        published.ofsted(data_copy)
    assert "row 6, column 'year': found 'twenty14', expected a whole number" in str(caught.value)


def test_unknown_judgment_lists_the_allowed_ones(data_copy):
    _edit(data_copy / "published" / "table_1_1_ofsted.csv", "D,2,2018,Good", "D,2,2018,Goood")
    with pytest.raises(DataError) as caught:
        published.ofsted(data_copy)
    assert "row 9, column 'overall': found 'Goood', expected one of" in str(caught.value)
    assert "Outstanding" in str(caught.value)


def test_every_problem_is_reported_at_once(data_copy):
    path = data_copy / "published" / "blind_ratings.csv"
    _edit(path, "2.2,workshop_attendance,B,1,2", "2.2,workshop_attendance,B,1,0")
    _edit(path, "2.2,workshop_attendance,C,1,2", "2.2,workshop_attendance,Q,1,2")
    with pytest.raises(DataError) as caught:
        published.blind_ratings(data_copy)
    assert len(caught.value.problems) == 2


def test_missing_column(data_copy):
    path = data_copy / "published" / "table_1_1_ofsted.csv"
    _edit(
        path,
        "authority,group,year,overall,help_and_protection,leadership",
        "authority,group,year,overall,help_and_protection,leader",
    )
    with pytest.raises(DataError) as caught:
        published.ofsted(data_copy)
    message = str(caught.value)
    assert "column 'leadership'" in message and "row 1" in message


def test_group_must_agree_with_table_1_1(data_copy):
    _edit(
        data_copy / "published" / "blind_ratings.csv", "2.2,workshop_attendance,H,3,1", "2.2,workshop_attendance,H,2,1"
    )
    with pytest.raises(DataError) as caught:
        published.blind_ratings(data_copy)
    assert "column 'group': found 2, expected group 3 (Table 1.1)" in str(caught.value)


def test_missing_score_is_named(data_copy):
    path = data_copy / "published" / "blind_ratings.csv"
    lines = [line for line in path.read_text().splitlines() if not line.startswith("5.3,practice_leaders,K,")]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as caught:
        published.blind_ratings(data_copy)
    assert "a score for factor 'practice_leaders', authority K" in str(caught.value)


@pytest.mark.parametrize(
    "content,expected",
    [
        (b"", "an empty file"),
        (b"\x00\x01\x02binary", "binary content"),
        (b"authority,group\nA,\xe9\n", "UTF-8"),
    ],
)
def test_unreadable_files(data_copy, content, expected):
    (data_copy / "published" / "table_1_1_ofsted.csv").write_bytes(content)
    with pytest.raises(DataError, match=expected):
        published.ofsted(data_copy)


def test_a_folder_where_a_file_belongs(data_copy):
    path = data_copy / "published" / "table_1_1_ofsted.csv"
    path.unlink()
    path.mkdir()
    with pytest.raises(DataError, match="a folder"):
        published.ofsted(data_copy)
