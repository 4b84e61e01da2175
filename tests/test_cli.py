"""The roses command as a user runs it: CSV on stdout, clear errors with exit code 2, no traceback."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from roses.exhibits.registry import frame_csv, get


def roses(*args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "roses.commands.cli", *args], capture_output=True, text=True)


def test_data_prints_the_exhibit_frame_as_csv():
    result = roses("data", "table-7.1")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["authority"] for r in rows] == list("ABCDEFGHJK")
    assert [int(r["total"]) for r in rows] == [23, 20, 21, 19, 17, 18, 13, 10, 9, 9]
    assert result.stdout == frame_csv(get("table-7.1").frame())


def test_data_list_has_id_title_origin_chapter():
    result = roses("data", "--list")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_id = {r["id"]: r for r in rows}
    assert by_id["table-7.1"]["origin"] == "published"
    assert by_id["table-7.1"]["chapter"] == "findings"
    assert by_id["table-2.2"]["title"] == "Attendance at leaders' workshops"
    assert {"table-1.1", "table-2.1", "table-4.2", "table-5.3"} <= set(by_id)


def test_unknown_exhibit_is_a_clear_error():
    result = roses("data", "table-7.9")
    assert result.returncode == 2
    assert "unknown exhibit 'table-7.9'" in result.stderr and "table-7.1" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_data_folder_value_names_file_row_column(data_copy):
    path = data_copy / "published" / "blind_ratings.csv"
    path.write_text(path.read_text().replace("3.1,case_alignment,J,3,2", "3.1,case_alignment,J,3,x"))
    result = roses("data", "table-7.1", "--data", str(data_copy))
    assert result.returncode == 2
    assert "blind_ratings.csv" in result.stderr and "column 'score'" in result.stderr
    assert "found 'x'" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_authority_is_marked_in_the_page_html():
    from roses.pages.render import exhibit_html

    html = exhibit_html("table-7.1", authority="C")
    assert html.count('class="roses-you"') == 1
    assert '<tr class="roses-you"><td>C</td>' in html


def test_a_repaired_file_gives_one_plain_warning_line(data_copy):
    path = data_copy / "published" / "table_1_1_ofsted.csv"
    path.write_text(path.read_text().replace(",", ";"))
    result = roses("data", "table-2.1", "--data", str(data_copy))
    assert result.returncode == 0
    assert "roses: warning:" in result.stderr and "separated by ';'" in result.stderr
    assert "DataWarning" not in result.stderr and "warn(" not in result.stderr
    assert result.stdout.splitlines()[1] == "A,1,2018,Outstanding"


# --- Issue 19: --data that is not a data folder, authorities as users type them, CSV injection ------

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from roses.commands.cli import main  # noqa: E402

COMMANDS = [
    ["data", "figure-6.4"],
    ["data", "--list"],
    ["build"],
    ["edition", "C"],
    ["editions", "C"],
    ["release", "--version", "0.0.0-test"],
    ["verify", "--no-builds"],
]


def bad_data_folders(root):
    """(what, path, message fragment) for every kind of --data that is not a usable data folder."""
    (root / "empty").mkdir(parents=True)
    (root / "afile.csv").write_text("a,b\n1,2\n")
    (root / "data" / "surveys" / "staff").mkdir(parents=True)
    (root / "other").mkdir()
    (root / "other" / "notes.txt").write_text("not data")
    return [
        ("missing", root / "nowhere", "no such folder"),
        ("a file", root / "afile.csv", "a file, not a folder"),
        ("empty", root / "empty", "an empty folder"),
        ("surveys/", root / "data" / "surveys", "give the data folder itself"),
        ("staff/", root / "data" / "surveys" / "staff", "give the data folder itself"),
        ("unrelated", root / "other", "holds none of"),
    ]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_refuses_a_data_folder_that_is_not_one(command, tmp_path, capsys):
    for what, folder, fragment in bad_data_folders(tmp_path / command[0]):
        assert main([*command, "--data", str(folder)]) == 2, what
        out, err = capsys.readouterr()
        assert out == "" and fragment in err and "Traceback" not in err, (what, err)


def test_validate_refuses_the_surveys_subfolder(tmp_path, capsys):
    (tmp_path / "surveys" / "staff").mkdir(parents=True)
    assert main(["validate", str(tmp_path / "surveys")]) == 2
    assert f"--data {tmp_path}" in capsys.readouterr().err


def test_authorities_are_matched_as_users_type_them():
    from roses.national.readers import user_authority

    assert user_authority("c") == "C" and user_authority(" K ") == "K"
    assert user_authority("Hull") == "Kingston upon Hull, City of"
    assert user_authority("bristol, city of") == user_authority("Bristol-City-of") == "Bristol, City of"
    assert user_authority("831") == "Derby"


@pytest.mark.parametrize("letter", ["I", "Z", "i"])
def test_letters_that_are_not_programme_authorities_are_refused(letter, capsys):
    assert main(["data", "figure-6.4", "--authority", letter]) == 2
    err = capsys.readouterr().err
    assert f"no programme authority '{letter}'" in err and "no I" in err


def test_a_lower_case_letter_is_that_letter(capsys):
    assert main(["data", "figure-6.4", "--authority", "c"]) == 0
    lower = capsys.readouterr().out
    assert main(["data", "figure-6.4", "--authority", "C"]) == 0
    assert capsys.readouterr().out == lower


def test_an_ambiguous_name_lists_the_authorities_it_could_be(capsys):
    assert main(["data", "indicators", "--authority", "Kingston"]) == 2
    err = capsys.readouterr().err
    assert "Kingston upon Thames" in err and "Kingston upon Hull, City of" in err


def test_csv_downloads_neutralise_formula_cells_but_keep_numbers():
    frame = pd.DataFrame(
        {
            "text": ['=HYPERLINK("http://x")', "+1+1", "-2-2", "@SUM(A1)", "\tx", "\rx", "plain"],
            "number": [-5, 1, 2, 3, 4, 5, 6],
            "as_text": ["-5", "+3", "1", "-0.5", "2", "3", "4"],
        }
    )
    rows = list(csv.reader(io.StringIO(frame_csv(frame))))[1:]
    assert [r[0] for r in rows] == ['\'=HYPERLINK("http://x")', "'+1+1", "'-2-2", "'@SUM(A1)", "'\tx", "'\nx", "plain"]
    assert [r[1] for r in rows] == ["-5", "1", "2", "3", "4", "5", "6"]
    assert [r[2] for r in rows] == ["-5", "+3", "1", "-0.5", "2", "3", "4"]  # numbers written as text stay numbers


def test_errors_name_the_users_folder_not_a_working_copy(tmp_path, monkeypatch):
    """An edition reads a temporary copy of the data folder; its messages name the user's folder."""
    from roses.core.errors import SHOWN_AS, DataError, Problem

    monkeypatch.setenv(SHOWN_AS, f"{tmp_path / 'roses-data-x1'}\t/home/analyst/exports")
    error = DataError(
        tmp_path / "roses-data-x1" / "surveys" / "staff" / "E" / "wave-4.csv", [Problem(3, "q", "0", "1-5")]
    )
    assert str(error).startswith("/home/analyst/exports/surveys/staff/E/wave-4.csv: 1 problem(s)")
    other = DataError(tmp_path / "roses-data-x10" / "wave-4.csv", [Problem(3, "q", "0", "1-5")])
    assert str(other).startswith(str(tmp_path / "roses-data-x10"))  # only that folder, not one named like it
