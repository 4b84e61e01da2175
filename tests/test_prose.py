"""Prose is written in the project's own words: no run of ten words shared with the report."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_no_sentence_from_the_report(repo_root):
    tool = repo_root.parent / "shared" / "tools" / "seed_overlap.py"
    if not tool.is_file():
        pytest.skip("the report text is not beside this checkout (../shared)")
    result = subprocess.run([sys.executable, str(tool), str(repo_root)], capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.strip().splitlines()[-1].startswith("0 run(s)"), result.stdout
