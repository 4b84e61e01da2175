"""Issue 28, scopes 4, 5 and 8: no fingerprint of a local export, one gate for every publishing command.

- Provenance lists no size and no plain SHA-256 of a survey export (a checksum let an attacker
  confirm a guessed round of answers by hashing candidates); a keyed digest that only the authority
  can recompute replaces it, and the key stays in the data folder.
- ``roses release --data`` refuses what ``roses build`` refuses (a real authority's survey folder),
  writes its snapshot into the data folder, never into the repository, and leak-scans it first.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from roses.commands.cli import main
from roses.core.errors import RosesError
from roses.records import provenance
from roses.survey import cellkey, export, instruments, synth
from roses.survey.model import Responses

STAFF = instruments.load("staff")


def write_folder(out: Path, authority: str = "C", folder: str | None = None) -> list[Path]:
    """Authority ``authority``'s illustrative staff exports written as a local folder (as ``folder``)."""
    staff = synth.staff()
    part = Responses(
        "staff",
        staff.answers[staff.answers["authority"] == authority],
        staff.waves[staff.waves["authority"] == authority],
        staff.comments[staff.comments["authority"] == authority],
    )
    paths = export.write(part, STAFF, out)
    if folder:
        (out / "surveys" / "staff" / authority).rename(out / "surveys" / "staff" / folder)
        paths = sorted((out / "surveys" / "staff" / folder).iterdir())
    return paths


def test_provenance_shows_no_size_or_checksum_of_a_local_export(tmp_path):
    paths = write_folder(tmp_path)
    files = provenance.data_files(tmp_path)
    exports = files[files["file"].str.contains("staff survey")]
    assert len(exports) == len(paths)
    assert exports["bytes"].isna().all()
    plain = {hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    assert not plain & set(exports["sha256"]) and exports["sha256"].str.startswith("keyed:").all()
    # The key lives with the data and nowhere in the repository; the same folder gives the same digest.
    assert (tmp_path / cellkey.KEY_FILE).is_file()
    assert provenance.data_files(tmp_path)["sha256"].tolist() == files["sha256"].tolist()
    (tmp_path / cellkey.KEY_FILE).write_text("another-key-1234")
    assert provenance.data_files(tmp_path)["sha256"].tolist() != files["sha256"].tolist()


def test_release_from_a_folder_with_a_real_authority_is_refused_like_build(tmp_path, capsys):
    write_folder(tmp_path, "C", folder="Derby")
    from roses.editions.plan import refuse_real_authorities

    with pytest.raises(RosesError, match="real authorities"):
        refuse_real_authorities(tmp_path, "the main book")  # what build says
    assert main(["release", "--data", str(tmp_path), "--version", "9.9.9-test"]) == 2
    err = capsys.readouterr().err
    assert "real authorities" in err and "surveys/staff/Derby" in err
    assert not (Path("data/releases") / "9.9.9-test.json").exists()
    assert not (tmp_path / "releases").exists()


def test_a_release_text_naming_an_authority_is_not_written(tmp_path):
    from roses.commands import release

    (tmp_path / "releases").mkdir()
    snapshot = tmp_path / "staging" / "1.0.json"
    snapshot.parent.mkdir()
    snapshot.write_text('{"exhibits": {"figure-7.2": {"caption": "C wave 1 (u), Derby wave 3 (c)"}}}')
    with pytest.raises(RosesError, match="Derby"):
        release.scanned(snapshot, None)


# --- Linking: a letter's exports and a named authority's in one folder --------------------------------------


def test_the_same_exports_filed_as_a_letter_and_as_a_real_authority_are_refused(tmp_path, capsys):
    write_folder(tmp_path, "C")
    write_folder(tmp_path / "copy", "C", folder="Derby")
    (tmp_path / "copy" / "surveys" / "staff" / "Derby").rename(tmp_path / "surveys" / "staff" / "Derby")
    from roses.survey import linking

    (found,) = linking.linked_folders(tmp_path)
    assert "C and Derby" in found and "the same exports are filed under both (Derby = C)" in found
    assert main(["edition", "Derby", "--data", str(tmp_path)]) == 2
    assert "is refused" in capsys.readouterr().err
    assert main(["edition", "C", "--data", str(tmp_path)]) == 2  # the programme edition refuses it too
    assert main(["build", "--data", str(tmp_path)]) == 2


def test_a_named_authority_alone_is_not_linked(tmp_path):
    write_folder(tmp_path, "C", folder="Derby")
    from roses.survey import linking

    assert linking.linked_folders(tmp_path) == []


# --- Limits that hold: a workbook's unpacked size is checked before reading ----------------------------


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(tmp_path):
    import zipfile

    from roses.core import archives
    from roses.core.errors import DataError
    from roses.editions import leaks

    bomb = tmp_path / "surveys" / "staff" / "C" / "wave-1.xlsx"
    bomb.parent.mkdir(parents=True)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<c>0</c>" * (40 * 1024 * 1024 // 8))  # 40 MB of one cell
    assert bomb.stat().st_size < 1024 * 1024  # a small file on disk
    with pytest.raises(DataError, match=r"wave-1.xlsx.*packed \d+ to 1"):
        archives.check_unpacked_size(bomb)
    with pytest.raises(DataError, match="unpacks to 40 MB"):
        archives.check_unpacked_size(bomb, limit=10 * 1024 * 1024)
    assert leaks.input_rows(bomb) == []  # the leak scan checks before it opens the workbook, and skips it
    ordinary = write_folder(tmp_path / "ok", "B")
    assert all(archives.check_unpacked_size(p) > 0 for p in ordinary if p.suffix == ".xlsx")
