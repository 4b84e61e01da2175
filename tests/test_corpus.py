"""The robustness corpus (tests/corpus/cases.yml): every bad or messy file gets its expected outcome.

Each case is run twice: through its reader (the function the book calls) and through the command
line (`roses validate DIR`, and `roses data figure-6.4 --data DIR` for survey errors), where an error
must exit 2 with the same message and no traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

from roses.commands.cli import main
from roses.core.errors import DataError, DataWarning
from roses.core.paths import REPO_ROOT
from roses.national import indicators
from roses.national import readers as national
from roses.published import tables as published
from roses.survey import instruments, readers

CORPUS = Path(__file__).parent / "corpus"
CASES = yaml.safe_load((CORPUS / "cases.yml").read_text())


def build_folder(case: dict, root: Path) -> Path:
    """A data folder holding the case's file at its place (plus the good files its area needs)."""
    data = root / "data"
    area = case["place"].split("/")[0]
    if area == "published":  # the loaders need the whole table set
        shutil.copytree(REPO_ROOT / "data" / "published", data / "published")
    if area == "dfe":  # every other national file, shared read-only
        (data / "dfe").mkdir(parents=True)
        for source in (REPO_ROOT / "data" / "dfe").iterdir():
            (data / "dfe" / source.name).symlink_to(source)
    if case["reader"] == "invited":  # the list of invitations is read beside an export
        good = data / "surveys" / "staff" / "E" / "wave-4.csv"
        good.parent.mkdir(parents=True)
        shutil.copy(CORPUS / "files" / "staff_valid.csv", good)
    for place, name in case.get("also", {}).items():
        (data / place).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / "files" / name, data / place)
    target = data / case["place"]
    target.parent.mkdir(parents=True, exist_ok=True)
    make = case.get("make")
    original = target.resolve() if target.exists() else None
    if target.is_symlink() or target.exists():
        target.unlink()
    if make == "missing":
        pass
    elif make == "newer_release":  # the last year's rows again as the next year
        lines = original.read_text(encoding="utf-8-sig").splitlines()
        last = max(line[:4] for line in lines[1:])
        newer = [str(int(last) + 1) + line[4:] for line in lines[1:] if line.startswith(last)]
        target.write_text("\n".join(lines + newer) + "\n", encoding="utf-8")
    elif make == "rename":
        old, new = case["rename"]
        lines = original.read_text(encoding="utf-8-sig").splitlines()
        lines[0] = ",".join(new if cell == old else cell for cell in lines[0].split(","))
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif make == "folder":
        target.mkdir()
    elif make == "symlink_loop":
        target.symlink_to(target.name)
    else:
        shutil.copy(CORPUS / "files" / case["file"], target)
        if make == "unreadable":
            target.chmod(0)
        elif make == "unreadable_folder":
            target.parent.chmod(0)
        elif make == "oversized":  # a sparse file just over the limit: refused before it is read
            os.truncate(target, readers.MAX_FILE_BYTES + 1)
    return data


def read(case: dict, data: Path):
    """Run the case's reader the way the book does."""
    reader = case["reader"]
    if reader in ("staff", "parent"):
        return readers.read_local(data, instruments.load(reader, data))
    if reader == "invited":
        return readers.read_invited(data, "staff")
    if reader == "indicators":
        return indicators.all_values(data)
    if reader == "ofsted":
        return national.ofsted(data)
    kind, name = reader.split(":")
    if kind == "neighbours":
        return national.neighbours(data, int(name))
    if kind == "published":
        return getattr(published, name)(data)
    return national.tidy(name, data)


def check_result(case: dict, result, data: Path) -> None:
    """What an accepted or repaired file must give: the numbers a user would look at."""
    expected = case.get("check", {})
    if case["reader"] in ("staff", "parent"):
        authority, wave = case["place"].split("/")[2], int(case["place"].split("-")[-1].split(".")[0])
        waves = result.waves.set_index(["authority", "wave"])
        if "respondents" in expected:
            assert waves.loc[(authority, wave), "respondents"] == expected["respondents"]
            assert result.answers["respondent"].nunique() == expected["respondents"]
        if "values" in expected:
            assert sorted(set(result.answers["value"])) == expected["values"]
        if "ignored" in expected:
            ignored = next(iter(result.problems["ignored_columns"].values()), [])
            assert ignored == expected["ignored"]
        for item, mean in expected.get("mean", {}).items():  # the declared coding was applied
            answers = result.answers[result.answers["item"] == item]["value"]
            assert answers.mean() == pytest.approx(mean), item
    for indicator, year in expected.get("last_year", {}).items():
        rows = result[(result["indicator"] == indicator) & result["value"].notna()]
        assert rows["year"].max() == year
    if "codes" in expected:
        assert set(expected["codes"]) <= set(result["old_la_code"].dropna())
    if "symbols" in expected:
        symbols = result["symbol"].value_counts().to_dict()
        assert symbols == expected["symbols"]
        assert result.loc[result["symbol"].notna(), "value"].isna().all()  # a symbol is never a number
    if "rows" in expected:
        assert len(result) == expected["rows"]


def skip_if_impossible(case: dict) -> None:
    if case.get("make") in ("unreadable", "unreadable_folder") and os.geteuid() == 0:
        pytest.skip("root reads any file: permissions cannot be tested as root")


@pytest.fixture(autouse=True)
def _readable_again(tmp_path):
    yield
    for folder in tmp_path.rglob("*"):  # an unreadable folder made by a case: let pytest remove it
        if folder.is_dir() and not folder.is_symlink():
            folder.chmod(0o755)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_reader(case, tmp_path):
    skip_if_impossible(case)
    data = build_folder(case, tmp_path)
    if case.get("reader_gap"):
        if _reader_raises(case, data):
            pytest.fail("the reader now catches this: remove `reader_gap` from the case in cases.yml")
        pytest.xfail(f"reader gap (reported): {case['reader_gap']}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if case["outcome"] == "error":
            with pytest.raises(DataError) as error:
                read(case, data)
            message = str(error.value)
            for fragment in case["message"]:
                assert fragment in message, message
            return
        result = read(case, data)
    repairs = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    if case["outcome"] == "accepted":
        assert repairs == [], "a file read as it is must not warn"
    elif case.get("warning_from") != "validate":
        for fragment in case["message"]:
            assert any(fragment in text for text in repairs), repairs
    check_result(case, result, data)


def _reader_raises(case: dict, data: Path) -> bool:
    try:
        read(case, data)
    except DataError:
        return True
    return False


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_validate_command(case, tmp_path, capsys):
    skip_if_impossible(case)
    data = build_folder(case, tmp_path)
    code = main(["validate", str(data)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if case["outcome"] == "error":
        assert code == 2, out + err
        for fragment in case["message"]:
            assert fragment in err, err
    else:
        assert code == 0, err
        assert out.startswith("roses: ok")
        for fragment in case.get("message", []):
            assert fragment in err, err


SURVEY_ERRORS = [c for c in CASES if c["outcome"] == "error" and c["reader"] == "staff" and not c.get("reader_gap")]


@pytest.mark.parametrize("case", SURVEY_ERRORS, ids=[c["id"] for c in SURVEY_ERRORS])
def test_data_command_stops_with_the_problem(case, tmp_path, capsys):
    skip_if_impossible(case)
    data = build_folder(case, tmp_path)
    assert main(["data", "figure-6.4", "--data", str(data)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert case["message"][-1] in err


@pytest.mark.parametrize("case_id", ["binary-with-csv-name", "dfe-empty-file", "symlink-loop"])
def test_a_real_process_exits_2_without_a_traceback(case_id, tmp_path):
    case = next(c for c in CASES if c["id"] == case_id)
    data = build_folder(case, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "roses.commands.cli", "validate", str(data)], capture_output=True, text=True
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert case["message"][-1] in result.stderr


def test_the_corpus_is_complete():
    """Each file in files/ has a case (no orphan), and the corpus covers at least 30 cases."""
    used = {c.get("file") for c in CASES} | {name for c in CASES for name in c.get("also", {}).values()}
    assert {p.name for p in (CORPUS / "files").iterdir()} <= used
    assert len(CASES) >= 30
    assert len({c["id"] for c in CASES}) == len(CASES)


def test_validate_passes_on_the_repository_data(capsys):
    assert main(["validate", str(REPO_ROOT / "data")]) == 0
    out = capsys.readouterr().out
    # the national files are read too (their number grows as DfE files are added)
    assert out.startswith("roses: ok") and "published 7" in out and re.search(r"dfe [1-9]\d", out)


def test_validate_passes_on_the_illustrative_exports(tmp_path, capsys):
    assert main(["synth", "--out", str(tmp_path)]) == 0
    assert main(["validate", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "roses: ok" in out and "surveys" in out and "0 warning(s)" in out


def test_validate_lists_every_problem_at_once(tmp_path, capsys):
    """Problems in several files and areas come in one run, each with its file named."""
    for case_id in ("zero-and-six-on-a-five-point-scale", "unknown-authority", "empty-file"):
        case = next(c for c in CASES if c["id"] == case_id)
        place = case["place"].replace("/E/", "/F/") if case_id == "empty-file" else case["place"]
        target = tmp_path / place
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / "files" / case["file"], target)
    assert main(["validate", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "found '0'" in err and "authority 'Q'" in err and "an empty file" in err
    assert "in 3 file(s)" in err
