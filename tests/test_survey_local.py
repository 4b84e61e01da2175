"""Local survey exports: readers, validation errors, replacement of illustrative data, suppression."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from roses.commands.cli import main
from roses.core.errors import DataError, DataWarning
from roses.core.origin import Origin
from roses.exhibits.local import frame
from roses.exhibits.registry import Params, get
from roses.pages.render import exhibit_html
from roses.survey import cellkey, export, instruments, readers, scoring, synth

STAFF = instruments.load("staff")


def write_export(folder: Path, authority: str, wave: int, table: pd.DataFrame, survey: str = "staff") -> Path:
    path = folder / "surveys" / survey / authority / f"wave-{wave}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False)
    return path


def labelled_export(n: int, answer: str = "Agree") -> pd.DataFrame:
    """n respondents answering every wave-4 statement with one label, columns named by wording."""
    items = [i for i in STAFF.items if 4 in i.waves and i.scale == "agree"]
    return pd.DataFrame({i.wording: [answer] * n for i in items})


def test_labels_and_wordings_are_read(tmp_path):
    path = write_export(tmp_path, "E", 4, labelled_export(12, "strongly agree"))
    answers, _, ignored = readers.read_export(path, STAFF, "E", 4)
    assert set(answers["value"]) == {5}
    assert answers["respondent"].nunique() == 12 and not ignored


def test_numbers_and_ids_are_read_and_unknown_columns_listed(tmp_path):
    table = pd.DataFrame({"direct_work_time": [1, 2, 5], "Start time": ["x", "y", "z"]})
    path = write_export(tmp_path, "E", 4, table)
    answers, _, ignored = readers.read_export(path, STAFF, "E", 4)
    assert answers.sort_values("respondent")["value"].tolist() == [1, 2, 5]
    assert ignored == ["Start time"]


def test_each_answer_keeps_its_respondent_and_statement_past_blank_cells_and_rows(tmp_path):
    """Blank cells and cells of spaces are no answer; a row with none is left out (said, by its line),
    and every other answer stays with its own respondent (numbered in row order) and statement."""
    table = pd.DataFrame(
        {
            "Respondent ID": ["r9", "r3", "r7", "r5"],
            "direct_work_time": ["4", "", "2", "  "],
            "mistake_incompetent": ["", " ", "5", "1"],
        }
    )
    path = write_export(tmp_path, "E", 4, table)
    with pytest.warns(DataWarning, match=r"left out row\(s\) 3 with no answers"):
        answers, _, _ = readers.read_export(path, STAFF, "E", 4)
    assert answers[["respondent", "item", "value"]].astype({"item": str}).values.tolist() == [
        [1, "direct_work_time", 4],
        [2, "direct_work_time", 2],
        [2, "mistake_incompetent", 5],
        [3, "mistake_incompetent", 1],
    ]


def test_bad_answer_names_file_row_and_column(tmp_path):
    table = labelled_export(3)
    column = STAFF.item("direct_work_time").wording
    table.loc[1, column] = "Sort of"
    path = write_export(tmp_path, "E", 4, table)
    with pytest.raises(DataError) as error:
        readers.read_export(path, STAFF, "E", 4)
    message = str(error.value)
    assert "wave-4.csv" in message and "row 3" in message and column in message and "'Sort of'" in message
    assert "Strongly agree" in message


def test_cli_reports_a_bad_export_and_exits_2(tmp_path, capsys):
    table = labelled_export(3)
    table.loc[0, STAFF.item("mistake_incompetent").wording] = "7"
    write_export(tmp_path, "E", 4, table)
    assert main(["data", "figure-2.2", "--data", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "row 2" in err and "Traceback" not in err


def test_duplicate_respondent_ids_are_rejected(tmp_path):
    table = labelled_export(3).assign(**{"Respondent ID": ["r1", "r2", "r1"]})
    path = write_export(tmp_path, "E", 4, table)
    with pytest.raises(DataError, match="row 4"):
        readers.read_export(path, STAFF, "E", 4)


def test_local_export_replaces_the_authority_and_is_badged_local(tmp_path):
    write_export(tmp_path, "E", 4, labelled_export(40, "Strongly agree"))
    f = frame("figure-6.4", data_dir=tmp_path)
    assert get("figure-6.4").origin_for(Params(data_dir=tmp_path)) == Origin.LOCAL
    mine = f[(f["level"] == "authority") & (f["authority"] == "E")]
    assert mine["wave"].tolist() == [4]  # all of E's illustrative waves are replaced
    # 40 of 40 agreed; the published share is perturbed (docs/disclosure.md) by at most MAX_COUNT_MOVE people.
    assert 100 - 100 * cellkey.MAX_COUNT_MOVE / 40 <= mine["pct_agree"].iloc[0] <= 100
    assert mine["origin"].iloc[0] == "local"
    assert "Local data" in exhibit_html("figure-6.4", data_dir=tmp_path)


def test_seven_respondent_authority_is_suppressed_visibly(tmp_path):
    write_export(tmp_path, "E", 4, labelled_export(7, "Disagree"))
    f = frame("figure-7.2", data_dir=tmp_path)
    mine = f[(f["level"] == "authority") & (f["authority"] == "E")]
    assert (mine["status"] == "c").all() and mine["scale_score"].isna().all()
    group2 = f[(f["level"] == "group") & (f["group"] == 2) & (f["wave"] == 4)]
    assert group2["authorities"].iloc[0] == 3  # E is not in the group mean
    html = exhibit_html("figure-7.2", authority="E", data_dir=tmp_path)
    assert "suppressed" in html and "E wave 4" in html  # in the summary and on the chart
    assert re.search(r"<td>E</td>(<td[^>]*>[^<]*</td>)*<td>c</td>", html)  # and in the data table


def test_synth_exports_read_back_to_the_same_results(tmp_path, capsys):
    out = tmp_path / "synth"
    staff = synth.staff()
    # Two authorities are enough to exercise both formats (A: CSV with labels, B: XLSX with numbers).
    parts = []
    for authority in ("A", "B"):
        waves = staff.waves[staff.waves["authority"] == authority]
        part = synth.Responses(
            "staff",
            staff.answers[staff.answers["authority"] == authority],
            waves,
            staff.comments[staff.comments["authority"] == authority],
        )
        export.write(part, STAFF, out)
        parts.append(part)
    export.write_invited(parts, out)  # rows for authorities without a folder would be refused
    # Local exports are perturbed with the folder's own key (docs/disclosure.md); with the public key of
    # the illustrative respondents, the read-back results are the book's, figure for figure.
    (out / cellkey.KEY_FILE).write_text(cellkey.PUBLIC_KEY)
    assert sorted(p.suffix for p in (out / "surveys" / "staff").glob("*/*")) == [".csv"] * 4 + [".xlsx"] * 4
    local = frame("figure-7.2", data_dir=out)
    base = frame("figure-7.2")
    columns = ["level", "group", "authority", "wave", "scale_score", "percent_positive", "respondents"]
    pd.testing.assert_frame_equal(local[columns], base[columns])
    assert set(local.loc[local["authority"].isin(["A", "B"]), "origin"]) == {"local"}


def test_roses_synth_writes_the_layout(tmp_path, capsys):
    assert main(["synth", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "surveys" / "invited.csv").is_file()
    assert len(list((tmp_path / "surveys" / "staff").glob("*/wave-*.*"))) == 38
    assert "synthetic" in capsys.readouterr().out


def one_authority(authority: str = "B") -> synth.Responses:
    staff = synth.staff()
    return synth.Responses(
        "staff",
        staff.answers[staff.answers["authority"] == authority],
        staff.waves[staff.waves["authority"] == authority],
        staff.comments[staff.comments["authority"] == authority],
    )


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_interrupted_synth_leaves_the_previous_folder_whole(tmp_path, monkeypatch):
    export.write_all([(one_authority(), STAFF)], tmp_path)
    before = files_under(tmp_path)

    def interrupted(*args):
        raise KeyboardInterrupt  # Ctrl-C after the exports, before invited.csv

    monkeypatch.setattr(export, "_write_invited", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export.write_all([(one_authority("A"), STAFF)], tmp_path)
    assert files_under(tmp_path) == before  # no half-written folder, no leftovers beside it
    assert [p.name for p in tmp_path.iterdir()] == ["surveys"]


def test_synth_never_replaces_an_authoritys_own_exports(tmp_path, capsys):
    mine = write_export(tmp_path, "E", 4, labelled_export(12))
    assert main(["synth", "--out", str(tmp_path)]) == 2
    assert "roses synth did not write" in capsys.readouterr().err
    assert [p for p in (tmp_path / "surveys").rglob("*") if p.is_file()] == [mine]


def test_rows_without_an_id_are_not_merged_into_one_respondent(tmp_path):
    table = labelled_export(4).assign(**{"Respondent ID": ["r1", None, "r3", None]})
    path = write_export(tmp_path, "E", 4, table)
    with pytest.raises(DataError) as error:
        readers.read_export(path, STAFF, "E", 4)
    assert "row 3, column 'Respondent ID'" in str(error.value) and "row 5" in str(error.value)


@pytest.mark.parametrize("place", ["surveys/staff/E/responses.csv", "surveys/staff/Q/wave-4.csv"])
def test_a_file_the_reader_cannot_place_stops_the_figure(tmp_path, place):
    """Never a figure quietly drawn from illustrative data when the user gave files."""
    path = tmp_path / place
    path.parent.mkdir(parents=True)
    labelled_export(12).to_csv(path, index=False)
    with pytest.raises(DataError) as error:
        frame("figure-6.4", data_dir=tmp_path)
    assert str(path.parent if "/Q/" in place else path) in str(error.value)


def test_authority_folders_by_letter_dfe_name_code_or_edition_folder_name():
    assert readers.authority_problem("E") is None
    for name in ("Derby", "derby", "831", "Bristol-City-of"):
        assert readers.authority_problem(name) is None, name
    assert "A-K" in readers.authority_problem("Q")
    assert "close matches: Derby" in readers.authority_problem("Derbyy")


def test_xlsx_title_and_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(tmp_path):
    items = ["direct_work_time", "targets_precedence"]
    rows = [["Staff survey, wave 4"], [], ["Respondent ID", *items], ["r1", 4, 5], [], ["r2", "Agree", "Sort of"]]
    path = tmp_path / "wave-4.xlsx"
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    with pytest.warns(DataWarning) as warned:
        with pytest.raises(DataError) as error:
            readers.read_export(path, STAFF, "E", 4)
    assert "row 6, column 'targets_precedence': found 'Sort of'" in str(error.value)  # the row Excel shows
    messages = " ".join(str(w.message) for w in warned)
    assert "the header is on row 3" in messages and "blank row(s): row(s) 5" in messages
    book.active["C6"] = 2
    book.save(path)
    with pytest.warns(DataWarning):
        answers, _, _ = readers.read_export(path, STAFF, "E", 4)
    assert sorted(answers["value"]) == [2, 4, 4, 5]


def test_xlsx_value_under_no_column_name_is_an_error(tmp_path):
    path = tmp_path / "wave-4.xlsx"
    book = openpyxl.Workbook()
    for row in (["Respondent ID", "direct_work_time"], ["r1", 4, "stray"]):
        book.active.append(row)
    book.save(path)
    with pytest.raises(DataError, match=r"row 2, column 'column 3': found 'stray'"):
        readers.read_export(path, STAFF, "E", 4)


def test_saq_scores_are_computed_once_and_each_caller_gets_its_own_copy():
    staff = synth.staff()
    first = scoring.saq_scores(staff.answers, STAFF)
    first["scale_score"] = -1.0  # a caller altering its frame must not alter the next caller's
    again = scoring.saq_scores(staff.answers, STAFF)
    assert again["scale_score"].between(0, 100).all()
    assert again.equals(scoring._saq_scores(staff.answers, STAFF))


# --- Issue 19 -------------------------------------------------------------------------------------


def test_synth_writes_the_same_bytes_for_the_same_seed(tmp_path, capsys):
    """XLSX files carry no time of writing and their zip entries come in a fixed order."""
    assert main(["synth", "--out", str(tmp_path / "one")]) == 0
    assert main(["synth", "--out", str(tmp_path / "two")]) == 0
    one, two = files_under(tmp_path / "one"), files_under(tmp_path / "two")
    assert one.keys() == two.keys() and any(name.endswith(".xlsx") for name in one)
    assert [name for name in one if one[name] != two[name]] == []


def test_an_export_above_the_size_limit_is_refused_at_once(tmp_path, monkeypatch):
    path = write_export(tmp_path, "E", 4, labelled_export(12))
    from roses.survey.readers import table

    monkeypatch.setattr(table, "MAX_FILE_BYTES", 100)
    with pytest.raises(DataError, match=r"found 'a file of 0 MB', expected an export of at most 0 MB"):
        readers.read_export(path, STAFF, "E", 4)


def test_a_qualtrics_workbook_is_read_like_its_csv(tmp_path):
    """The same Qualtrics layout saved as XLSX: three header rows, a preview left out."""
    source = Path(__file__).parent / "corpus" / "files" / "staff_qualtrics_labels.csv"
    rows = [line for line in __import__("csv").reader(source.open(encoding="utf-8"))]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([cell or None for cell in row])
    path = tmp_path / "wave-4.xlsx"
    book.save(path)
    with pytest.warns(DataWarning, match="left out 1 survey preview"):
        answers, _, ignored = readers.read_export(path, STAFF, "E", 4)
    assert answers["respondent"].nunique() == 12 and "Status" in ignored


def test_numbers_in_a_file_of_item_ids_follow_a_declared_reversed_coding(tmp_path):
    table = pd.DataFrame({"mistake_incompetent": [1, 1, 2], "direct_work_time": [5, 4, 5]})
    path = write_export(tmp_path, "E", 4, table)
    (tmp_path / "surveys" / "codings.csv").write_text("survey,authority,wave,coding\nstaff,E,4,5-1\n")
    local = readers.read_local(tmp_path, STAFF)
    means = local.answers.groupby("item", observed=True)["value"].mean().round(2).to_dict()
    assert means == {"direct_work_time": 1.33, "mistake_incompetent": 4.67}
    path.unlink()


def test_a_surveymonkey_workbook_with_its_question_merged_over_the_grid_is_read(tmp_path):
    source = Path(__file__).parent / "corpus" / "files" / "staff_surveymonkey.csv"
    rows = list(__import__("csv").reader(source.open(encoding="utf-8")))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([cell or None for cell in row])
    book.active.merge_cells("I1:K1")  # SurveyMonkey merges a grid question's cell over its statements
    path = tmp_path / "wave-4.xlsx"
    book.save(path)
    answers, _, _ = readers.read_export(path, STAFF, "E", 4)
    assert answers["respondent"].nunique() == 12 and answers["item"].nunique() == 3


def test_scores_for_items_nobody_answered_summarise_to_no_rows_with_the_same_columns():
    """A folder whose answers hold none of an instrument's items (a short export, a first wave): the
    summary is empty, not an error."""
    from roses.survey import data, instruments, scoring

    waves = pd.DataFrame({"authority": ["A"], "wave": [1], "respondents": [12], "invited": [40], "origin": ["local"]})
    answers = pd.DataFrame({"authority": ["A"], "wave": [1], "respondent": [1], "item": ["not-an-item"], "value": [3]})
    saq = scoring.with_status(
        scoring.saq_scores(answers, instruments.load("staff")), scoring.reliability(waves), ["scale_score"]
    )
    summary = scoring.summarise(saq, data.groups(), ["dimension"], ["scale_score"])
    assert summary.empty
    assert list(summary.columns[:6]) == ["level", "group", "authority", "wave", "dimension", "scale_score"]


@pytest.mark.parametrize(
    "misnamed, expected",
    [
        ("Surveys/staff/E", "surveys"),
        ("survey/staff/E", "surveys"),
        ("surveys/Staff/E", "surveys/staff"),
        ("surveys/staff survey/E", "surveys/staff"),
    ],
)
def test_a_misnamed_folder_stops_every_command_naming_the_path_it_should_have(tmp_path, capsys, misnamed, expected):
    """Never the illustrative results for an authority whose files sit in a folder roses does not read."""
    path = tmp_path / misnamed / "wave-4.csv"
    path.parent.mkdir(parents=True)
    labelled_export(12).to_csv(path, index=False)
    (tmp_path / "published").mkdir()  # a folder that holds something roses reads besides
    commands = [
        ["validate", str(tmp_path)],
        ["data", "figure-6.4", "--data", str(tmp_path)],
        ["build", "--data", str(tmp_path)],
        ["edition", "E", "--data", str(tmp_path)],
    ]  # release takes --data through the same check; never run here, where it would record a release
    for command in commands:
        assert main(command) == 2, command
        err = capsys.readouterr().err
        assert f"{tmp_path / expected}, which roses reads" in err and "Traceback" not in err, command


def test_a_page_built_with_data_says_which_authorities_are_local_and_which_illustrative(tmp_path):
    from roses.exhibits.local import params_for
    from roses.pages.blocks import banner

    write_export(tmp_path, "E", 4, labelled_export(12))
    write_export(tmp_path, "C", 4, labelled_export(12))
    (tmp_path / "surveys" / "staff" / "C" / readers.SYNTHETIC_MARK).touch()  # written by roses synth
    text = banner(params_for(None, tmp_path)).text
    assert "staff survey: local data for E; illustrative for A, B, C, D, F, G, H, J, K" in text
    assert "parent survey: illustrative for every authority" in text
    assert "local data for E" in banner(params_for("e", tmp_path)).text  # a programme edition says it too
    assert banner(params_for(None, None)) is None  # the book from the repository's data: no note


CORPUS_FILES = Path(__file__).parent / "corpus" / "files"


@pytest.mark.parametrize(
    "name, date",
    [
        ("staff_qualtrics_labels.csv", "2019-06-01"),  # RecordedDate, ISO
        ("staff_microsoft_forms_us_dates.csv", "2025-03-07"),  # Completion time, 3/7/25 ... 3/13/25: month first
        ("staff_methods_two_matrices.csv", "2024-03-09"),  # the median of 4-15 March 2024
    ],
)
def test_a_waves_date_is_the_median_response_date_in_the_export(tmp_path, name, date):
    path = tmp_path / "surveys" / "staff" / "E" / "wave-4.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes((CORPUS_FILES / name).read_bytes())
    waves = readers.read_local(tmp_path, STAFF).waves
    assert waves["date"].dt.strftime("%Y-%m-%d").tolist() == [date]
    assert waves["date_source"].tolist() == ["export"]


@pytest.mark.parametrize("name", ["staff_microsoft_forms.csv", "staff_google_forms_grid.csv", "staff_surveymonkey.csv"])
def test_dates_that_could_be_day_or_month_first_are_not_guessed(tmp_path, name):
    """6/1/19 is 6 January in the UK and 1 June in the US: no value in these files says which."""
    path = tmp_path / "surveys" / "staff" / "Derby" / "wave-4.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes((CORPUS_FILES / name).read_bytes())
    with pytest.warns(DataWarning, match=r"left the wave undated: .* could be day/month or month/day; .*waves.csv"):
        waves = readers.read_local(tmp_path, STAFF).waves
    assert waves["date"].isna().all() and waves["date_source"].tolist() == [""]


def test_a_wave_without_dates_takes_its_date_from_waves_csv_and_a_bad_date_is_named(tmp_path, capsys):
    write_export(tmp_path, "E", 4, labelled_export(12))
    write_export(tmp_path, "E", 3, labelled_export(12))
    waves_csv = tmp_path / "surveys" / "waves.csv"
    waves_csv.write_text("survey,authority,wave,date\nstaff,E,4,2025-03-14\n")
    waves = readers.read_local(tmp_path, STAFF).waves.set_index("wave")
    assert str(waves.loc[4, "date"].date()) == "2025-03-14" and waves.loc[4, "date_source"] == "waves.csv"
    assert pd.isna(waves.loc[3, "date"]) and waves.loc[3, "date_source"] == ""
    waves_csv.write_text("survey,authority,wave,date\nstaff,E,4,14 March\n")
    with pytest.raises(DataError, match=r"row 2, column 'date': found '14 March', expected a date such as 2024-03-15"):
        readers.read_local(tmp_path, STAFF)
    assert main(["validate", str(tmp_path)]) == 2
    assert "column 'date': found '14 March'" in capsys.readouterr().err


def test_an_edited_codebook_is_seen_by_the_next_read_in_the_same_process(tmp_path):
    """The responses are cached on every file they were read from, the folder's codebook included,
    and each caller gets its own copy."""
    from roses.survey import data

    write_export(tmp_path, "E", 4, labelled_export(12, "Agree"))
    codebook = tmp_path / "instruments" / "staff_survey.yml"
    codebook.parent.mkdir()
    text = (Path(__file__).parents[1] / "data" / "instruments" / "staff_survey.yml").read_text()
    codebook.write_text(text)
    first = data.responses("staff", tmp_path)
    assert set(first.answers.loc[first.answers["authority"] == "E", "value"]) == {4}
    first.answers["value"] = 1  # one caller's change never reaches the next
    again = data.responses("staff", tmp_path)
    assert set(again.answers.loc[again.answers["authority"] == "E", "value"]) == {4}
    wording = STAFF.item("direct_work_time").wording
    codebook.write_text(text.replace(wording, "A statement reworded in the folder's codebook"))
    with pytest.raises(DataError, match="answers under a name the staff codebook does not know"):
        data.responses("staff", tmp_path)
    codebook.write_text(text)
    assert len(data.responses("staff", tmp_path).answers) == len(first.answers)
    invited = tmp_path / "surveys" / "invited.csv"  # a file added to the folder is seen too
    invited.write_text("survey,authority,wave,invited\nstaff,E,4,5\n")
    with pytest.raises(DataError, match="at least the 12 respondents"):
        data.responses("staff", tmp_path)


def test_a_file_in_data_replaces_only_that_file_and_validate_agrees(tmp_path, capsys):
    """instruments/ and published/ in --data are overrides file by file (issue 32): a folder holding only
    one codebook still reads the repository's comment themes; one published table replaces only that one."""
    from roses.published import tables as published
    from roses.survey import comments, data

    repo = Path(__file__).parents[1] / "data"
    write_export(tmp_path, "E", 4, labelled_export(12))
    (tmp_path / "instruments").mkdir()
    (tmp_path / "instruments" / "staff_survey.yml").write_text((repo / "instruments" / "staff_survey.yml").read_text())
    (tmp_path / "published").mkdir()
    ofsted = (repo / "published" / "table_1_1_ofsted.csv").read_text()
    (tmp_path / "published" / "table_1_1_ofsted.csv").write_text(
        ofsted.replace("D,2,2018,Good", "D,2,2018,Outstanding", 1)
    )
    assert main(["validate", str(tmp_path)]) == 0, capsys.readouterr().err
    assert comments.codebook("staff", tmp_path)  # the repository's comment_themes.yml
    assert len(data.responses("staff", tmp_path).answers) > 0
    own = published.ofsted(tmp_path).query("authority == 'D' and year == 2018")
    assert own["overall"].tolist() == ["Outstanding"]  # the folder's own table
    assert len(published.blind_ratings(tmp_path)) == len(published.blind_ratings())  # the repository's
    assert main(["data", "figure-6.4", "--data", str(tmp_path)]) == 0


USE = ["Never", "Rarely", "Sometimes", "Often", "Always"]
CONFIDENCE = ["Not at all confident", "Slightly confident", "Moderately confident", "Very confident"]


def _method_matrices(tool: str) -> list[list[str]]:
    """Two matrices titled as a questionnaire titles them, with the same methods as rows, in a tool's layout."""
    methods = list(STAFF.methods.values())[:2]
    how_often, how_confident = "How often do you do each of these?", "How confident do you feel doing each of these?"
    answers = [[USE[i % 5], USE[(i + 1) % 5], CONFIDENCE[i % 4], CONFIDENCE[(i + 2) % 4]] for i in range(12)]
    grid = [(how_often, m) for m in methods] + [(how_confident, m) for m in methods]
    if tool == "Qualtrics":
        header = ["StartDate", "Status", "Finished", "ResponseId", "Q5_1", "Q5_2", "Q6_1", "Q6_2"]
        text = ["Start Date", "Response Type", "Finished", "Response ID", *(f"{q} - {m}" for q, m in grid)]
        ids = [
            '{"ImportId":"startDate"}',
            '{"ImportId":"status"}',
            '{"ImportId":"finished"}',
            '{"ImportId":"_recordId"}',
        ]
        ids += [f'{{"ImportId":"QID{k}"}}' for k in range(4)]
        body = [["2025-03-10 09:00:00", "IP Address", "True", f"R_{i}", *a] for i, a in enumerate(answers)]
        return [header, text, ids, *body]
    if tool == "SurveyMonkey":
        header = ["Respondent ID", "Collector ID", how_often, "", how_confident, ""]
        return [header, ["", "", *methods, *methods], *[[str(100 + i), "7", *a] for i, a in enumerate(answers)]]
    separator = {"Google Forms": "{q} [{m}]", "Microsoft Forms": "{q}.{m}", "SmartSurvey": "{q}: {m}"}[tool]
    names = [separator.format(q=q, m=m) for q, m in grid]
    first = {"Google Forms": ["Timestamp"], "Microsoft Forms": ["ID", "Start time", "Completion time"]}
    first = first.get(tool, ["UserID", "Started", "Ended"])
    meta = {"Google Forms": ["10/03/2025 09:00:00"], "Microsoft Forms": ["{i}", "3/10/25 9:00", "3/10/25 9:05"]}
    meta = meta.get(tool, ["{i}", "10/03/2025 09:00", "10/03/2025 09:05"])
    return [[*first, *names], *[[*(m.format(i=i + 1) for m in meta), *a] for i, a in enumerate(answers)]]


@pytest.mark.parametrize("tool", ["Qualtrics", "SurveyMonkey", "Google Forms", "Microsoft Forms", "SmartSurvey"])
def test_method_matrices_are_read_by_their_rows_wording_whatever_their_title(tmp_path, tool):
    """Issue 32: a matrix question 'How often do you do each of these?' with the methods as rows, in all
    five tools' layouts, gives the use and confidence items."""
    import csv

    path = tmp_path / "surveys" / "staff" / "E" / "wave-4.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(_method_matrices(tool))
    answers = readers.read_local(tmp_path, STAFF).answers
    keys = list(STAFF.methods)[:2]
    means = answers.groupby("item", observed=True)["value"].mean().round(2).to_dict()
    assert set(means) == {f"{kind}_{k}" for kind in ("use", "confidence") for k in keys}
    assert means[f"use_{keys[0]}"] == 2.75 and means[f"confidence_{keys[0]}"] == 2.5  # (1+...+5, 1, 2) / 12


def test_an_answer_column_matching_no_item_is_named_by_its_header_text(tmp_path):
    import csv

    rows = _method_matrices("SurveyMonkey")
    rows[0].insert(4, "")
    rows[1].insert(4, "Something the codebook does not ask")
    for row in rows[2:]:
        row.insert(4, "Often")
    path = tmp_path / "surveys" / "staff" / "E" / "wave-4.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(DataError) as error:
        readers.read_local(tmp_path, STAFF)
    message = str(error.value)
    assert "column 'How often do you do each of these? - Something the codebook does not ask'" in message
    assert "column 5" not in message


@pytest.mark.parametrize(
    "name, left_out",
    [
        ("staff_qualtrics_labels.csv", "1 survey preview, test or spam response(s) (Status); 1 incomplete"),
        ("staff_average_row.csv", "1 summary row(s) (Average)"),
        ("staff_rows_without_answers.csv", "2 row(s) with no answers"),
        ("staff_filtered_rows.xlsx", "2 row(s) hidden by a filter"),
        ("staff_valid.csv", ""),
    ],
)
def test_each_local_wave_says_which_rows_it_left_out(tmp_path, name, left_out):
    """Issue 32 (account for everything): Responses.waves carries what each wave's reading left out."""
    path = tmp_path / "surveys" / "staff" / "E" / f"wave-4{Path(name).suffix}"
    path.parent.mkdir(parents=True)
    path.write_bytes((CORPUS_FILES / name).read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        said = readers.read_local(tmp_path, STAFF).waves["left_out"].iloc[0]
    assert said.startswith(left_out) and (said == "") == (left_out == "")
