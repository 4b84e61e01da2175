"""Atomic writes: an interrupted write never leaves half a file or damages the earlier version."""

from __future__ import annotations

import pytest

from roses.core import atomic


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_write_text_replaces_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out" / "table.csv"
    atomic.write_text(target, "a,b\n1,2\n")
    atomic.write_text(target, "a,b\n3,4\n")
    assert target.read_text() == "a,b\n3,4\n"
    assert leftovers(target.parent) == []


def test_a_failing_writer_keeps_the_earlier_file(tmp_path):
    target = tmp_path / "table.xlsx"
    target.write_text("earlier")
    with pytest.raises(RuntimeError):
        with atomic.replacing(target) as temp:
            assert temp.parent == target.parent and temp.suffix == ".xlsx"
            temp.write_text("half a fi")
            raise RuntimeError("disk full")
    assert target.read_text() == "earlier"
    assert leftovers(tmp_path) == []


def test_a_failed_rename_keeps_the_earlier_file(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    target.write_text("earlier")

    def crash(*args):
        raise OSError("power cut")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError):
        atomic.write_text(target, "new")
    assert target.read_text() == "earlier" and leftovers(tmp_path) == []


def test_a_folder_appears_complete_or_not_at_all(tmp_path):
    target = tmp_path / "edition"
    with atomic.replacing_dir(target) as staging:
        (staging / "index.html").write_text("one")
    with pytest.raises(KeyboardInterrupt):
        with atomic.replacing_dir(target) as staging:
            (staging / "index.html").write_text("tw")
            raise KeyboardInterrupt
    assert (target / "index.html").read_text() == "one" and leftovers(tmp_path) == []
    with atomic.replacing_dir(target) as staging:
        (staging / "index.html").write_text("two")
    assert [p.name for p in target.iterdir()] == ["index.html"]
    assert (target / "index.html").read_text() == "two" and leftovers(tmp_path) == []
