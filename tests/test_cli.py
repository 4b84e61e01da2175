"""The roses command as a user runs it: CSV on stdout, clear errors with exit code 2, no traceback."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from roses.exhibits.registry import frame_csv
from roses.exhibits.registry import get


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
    assert "<tr class=\"roses-you\"><td>C</td>" in html


def test_a_repaired_file_gives_one_plain_warning_line(data_copy):
    path = data_copy / "published" / "table_1_1_ofsted.csv"
    path.write_text(path.read_text().replace(",", ";"))
    result = roses("data", "table-2.1", "--data", str(data_copy))
    assert result.returncode == 0
    assert "roses: warning:" in result.stderr and "separated by ';'" in result.stderr
    assert "DataWarning" not in result.stderr and "warn(" not in result.stderr
    assert result.stdout.splitlines()[1] == "A,1,2018,Outstanding"
