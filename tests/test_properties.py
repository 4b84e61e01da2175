"""Property-based tests (hypothesis) on the readers, the scorers and disclosure control.

- the order of respondents in an export does not change any result;
- adding respondents who answer "neither agree nor disagree" to everything changes neither the
  number who agree nor the number who disagree;
- suppression never lets a count of 1-4 be worked out from a published total and the other cells;
- the readers fail on arbitrary text only with a DataError (a message for the user), never a crash.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roses.core.errors import DataError
from roses.national import readers as national
from roses.published import tables as published
from roses.readers.csvfile import read_csv_text
from roses.survey import disclosure, instruments, readers, scoring

pytestmark = pytest.mark.filterwarnings("ignore::roses.core.errors.DataWarning")  # repairs are fine here

STAFF = instruments.load("staff")
ITEMS = [i.id for i in STAFF.items if 4 in i.waves and i.scale == "agree"][:4]
NEUTRAL = 3
FILE_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# One respondent: an answer 1-5 (or no answer) to each statement.
respondent = st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=len(ITEMS), max_size=len(ITEMS))
respondents = st.lists(respondent, min_size=1, max_size=25)


def scored(rows: list[list[int | None]]) -> pd.DataFrame:
    """Write rows as a staff export, read them back with the reader, score % agree / % disagree."""
    table = pd.DataFrame(rows, columns=ITEMS).astype("Int64")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "wave-4.csv"
        table.to_csv(path, index=False)
        try:
            answers, _, _ = readers.read_export(path, STAFF, "E", 4)
        except DataError as error:  # a file of empty rows only: nothing to score
            assert "only a header row" in str(error)
            return pd.DataFrame()
    # The property is about the counts behind the percentages, before disclosure control perturbs them
    # (docs/disclosure.md): perturbation is tested in tests/test_differencing.py.
    with mock.patch.object(scoring.cellkey, "noise", lambda key, label, spread: np.zeros(np.shape(key), dtype=int)):
        frame = scoring.item_shares(answers, ITEMS)
    return frame.drop(columns=["authority", "wave"]).sort_values("item", ignore_index=True)


def counts(frame: pd.DataFrame, share: str) -> dict[str, int]:
    """Numbers of respondents behind a percentage, per statement."""
    if frame.empty:
        return {}
    return {row.item: round(getattr(row, share) * row.respondents / 100) for row in frame.itertuples()}


@FILE_SETTINGS
@given(rows=respondents, seed=st.randoms(use_true_random=False))
def test_respondent_order_does_not_change_results(rows, seed):
    shuffled = list(rows)
    seed.shuffle(shuffled)
    pd.testing.assert_frame_equal(scored(rows), scored(shuffled))


@FILE_SETTINGS
@given(rows=respondents, neutral=st.integers(1, 10))
def test_neutral_respondents_change_neither_agree_nor_disagree_counts(rows, neutral):
    before = scored(rows)
    after = scored(rows + [[NEUTRAL] * len(ITEMS)] * neutral)
    for share in ("pct_agree", "pct_disagree"):
        old, new = counts(before, share), counts(after, share)
        assert {item: new[item] for item in old} == old
        assert all(new[item] == 0 for item in new if item not in old)


# A published table of counts: groups x themes, with the group totals published beside it.
count_tables = st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=6), min_size=1, max_size=4)


def comment_counts(table: list[list[int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"group": g, "theme": f"theme {t}", "count": n}
            for g, row in enumerate(table, start=1)
            for t, n in enumerate(row)
        ]
    )


@settings(max_examples=300, deadline=None)
@given(table=count_tables)
def test_suppression_never_reveals_a_small_count_through_totals(table):
    frame = comment_counts(table)
    result = disclosure.suppress_counts(frame, margins=[["group"]])
    for (_, original), (_, shown) in zip(frame.groupby("group"), result.groupby("group")):
        hidden = shown["count"] == disclosure.SUPPRESSED
        small = original["count"].between(1, disclosure.MIN_COUNT - 1)
        assert hidden[small].all(), "every count of 1-4 is suppressed"
        if (shown["total_status"] == disclosure.SUPPRESSED).all():
            continue  # the group's total is withheld too: nothing to subtract from
        assert not 1 <= original["count"].sum() < disclosure.MIN_COUNT, "a total of 1-4 is withheld"
        if not hidden.any():
            continue
        # What a reader can work out: the published total minus the cells shown.
        remainder = original["count"].sum() - shown.loc[~hidden, "count"].astype(int).sum()
        hidden_counts = original.loc[hidden, "count"]
        # The hidden cells must leave more than one possibility: at least two cells that are not zero
        # share the remainder, so no single small count is pinned down.
        assert (hidden_counts > 0).sum() >= 2, (
            f"group total {original['count'].sum()} minus the cells shown reveals {remainder} in one cell"
        )


@settings(max_examples=200, deadline=None)
@given(bases=st.lists(st.integers(0, 40), min_size=1, max_size=20))
def test_small_bases_never_show_a_value(bases):
    frame = pd.DataFrame({"respondents": bases, "pct_agree": [50.0] * len(bases)})
    result = disclosure.suppress_small_bases(frame, ["pct_agree"])
    small = result["respondents"] < disclosure.MIN_RESPONDENTS
    assert result.loc[small, "pct_agree"].isna().all()
    assert (result.loc[small, "status"] == disclosure.SUPPRESSED).all()
    assert result.loc[~small, "pct_agree"].notna().all()


# Arbitrary CSV-ish text: separators, quotes, line ends and a few words the readers know.
csv_alphabet = st.sampled_from(
    [
        ",",
        ";",
        '"',
        "\n",
        "\r",
        "\t",
        " ",
        "a",
        "1",
        "5",
        "Agree",
        "c",
        "x",
        "2019",
        "Respondent ID",
        "direct_work_time",
        "authority",
        "\ufeff",
        "\u00e9",
        "0",
    ]
)
csv_text = st.lists(csv_alphabet, max_size=60).map("".join)
csv_bytes = st.one_of(csv_text.map(lambda t: t.encode("utf-8")), st.binary(max_size=80))


def only_data_errors(read, content: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        try:
            read(Path(folder), path)
        except DataError as error:
            assert str(error).startswith(str(path)) and "problem(s)" in str(error)


@FILE_SETTINGS
@given(content=csv_bytes)
def test_csv_reader_fails_only_with_a_data_error(content):
    only_data_errors(lambda folder, path: read_csv_text(path), content, "any.csv")


# Cells as survey tools write them: blank, spaces, separators, quotes, and line breaks of every kind
# inside a quoted cell (a pasted comment), which must stay inside their cell and row.
csv_cell = st.sampled_from(
    ["", " ", "1", "Agree", "a,b", 'say "hi"', "two\nlines", "cr\ronly", "crlf\r\nend", "u\u2028v"]
)


@FILE_SETTINGS
@given(
    rows=st.lists(st.lists(csv_cell, min_size=3, max_size=3), min_size=1, max_size=6),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_csv_reader_keeps_every_cell_in_its_row_and_line(rows, line_end):
    """Each row comes back with the cells written (empty ones missing, blank rows left out), under the
    line number it starts on, whatever the line ends and the line breaks inside quoted cells."""
    written = [["q1", "q2", "q3"], *rows]
    lines, texts = [], []
    for row in written:  # quoted as survey tools quote: a cell with a separator, a quote or any line break
        cells = ['"' + c.replace('"', '""') + '"' if any(s in c for s in ',"\r\n') else c for c in row]
        lines.append(1 + sum(t.count("\n") + t.count("\r") - t.count("\r\n") for t in texts))
        texts.append(",".join(cells) + line_end)
    kept = [(row, line) for row, line in zip(rows, lines[1:]) if any(cell.strip() for cell in row)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_text("".join(texts), encoding="utf-8", newline="")
        if not kept:
            with pytest.raises(DataError, match="only a header row"):
                read_csv_text(path)
            return
        frame = read_csv_text(path)
    assert frame.fillna("").to_numpy().tolist() == [row for row, _ in kept]
    assert (frame.index + 2).tolist() == [line for _, line in kept]


@FILE_SETTINGS
@given(content=csv_bytes)
def test_survey_reader_fails_only_with_a_data_error(content):
    only_data_errors(lambda folder, path: readers.read_export(path, STAFF, "E", 4), content, "wave-4.csv")


@FILE_SETTINGS
@given(content=csv_bytes)
def test_published_loader_fails_only_with_a_data_error(content):
    only_data_errors(lambda folder, path: published.methods(folder), content, "published/table_4_2_methods.csv")


@FILE_SETTINGS
@given(content=csv_bytes)
def test_national_reader_fails_only_with_a_data_error(content):
    only_data_errors(lambda folder, path: national.read_tidy(path), content, "dfe_file.csv")
