"""roses verify, release snapshots and provenance: fast unit parts, plus slow end-to-end runs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pandas as pd
import pytest
from nbval.plugin import get_sanitize_patterns

from roses.core.paths import DATA_DIR, REPO_ROOT
from roses.records import provenance, releases
from roses.site import verify


def _altered_copy(tmp_path):
    """A copy of the published data with one blind rating changed (authority H, leaders' focus: 1 -> 3)."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "published", data / "published")
    path = data / "published" / "blind_ratings.csv"
    text = path.read_text()
    assert "2.3,focus_on_practice,H,3,1\n" in text
    path.write_text(text.replace("2.3,focus_on_practice,H,3,1\n", "2.3,focus_on_practice,H,3,3\n"))
    return data


# --- provenance -----------------------------------------------------------------------------------


def test_a_changed_value_changes_that_files_checksum_only(tmp_path):
    before = provenance.data_files(DATA_DIR).set_index("file")["sha256"]
    after = provenance.data_files(_altered_copy(tmp_path)).set_index("file")["sha256"]
    assert after["published/blind_ratings.csv"] != before["published/blind_ratings.csv"]
    assert after["published/table_1_1_ofsted.csv"] == before["published/table_1_1_ofsted.csv"]
    assert not any(f.startswith("releases/") for f in before.index)  # snapshots are outputs, not inputs


def test_build_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert provenance.build_date() == "2023-11-14"


def test_packages_compare_the_lock_with_what_is_installed():
    table = provenance.packages(direct_only=True)
    assert {"pandas", "scipy", "krippendorff", "nbval"} <= set(table["package"])
    row = table.set_index("package").loc["pandas"]
    assert row["installed"] == pd.__version__
    assert row["matches"] == (row["locked"] == pd.__version__)


# --- release snapshots and what changed ------------------------------------------------------------


def _snapshot(exhibits: dict, data: dict, facts: dict | None = None) -> dict:
    return {"format": releases.FORMAT, "version": "x", "exhibits": exhibits, "data": data, "notebooks": {}} | {
        "facts": facts or {}
    }


def test_exhibit_changes_give_old_and_new_headlines():
    old = _snapshot(
        {
            "table-7.1": {"title": "T", "sha256": "a", "rows": 10, "headline": "mean 21.3"},
            "table-9.9": {"title": "Gone", "sha256": "g", "rows": 1, "headline": "g"},
            "table-2.2": {"title": "Same", "sha256": "s", "rows": 10, "headline": "s"},
            "table-3.1": {"title": "Words", "sha256": "w", "rows": 4, "headline": "said"},
        },
        {},
    )
    new = _snapshot(
        {
            "table-7.1": {"title": "T", "sha256": "b", "rows": 10, "headline": "mean 22.0"},
            "figure-7.2": {"title": "New", "sha256": "n", "rows": 5, "headline": "n"},
            "table-2.2": {"title": "Same", "sha256": "s", "rows": 10, "headline": "s"},
            "table-3.1": {"title": "Words", "sha256": "w", "rows": 4, "headline": "said better"},
        },
        {},
    )
    changes = releases.exhibit_changes(old, new).set_index("exhibit")
    # The same data said in other words is listed too: a reader sees every caption that changed.
    assert changes.loc["table-3.1", "status"] == "reworded"
    assert (
        changes.loc["table-3.1", "old_headline"] == "said" and changes.loc["table-3.1", "new_headline"] == "said better"
    )
    assert changes.loc["table-7.1", "status"] == "changed"
    assert (changes.loc["table-7.1", "old_headline"], changes.loc["table-7.1", "new_headline"]) == (
        "mean 21.3",
        "mean 22.0",
    )
    assert changes.loc["table-9.9", "status"] == "removed"
    assert changes.loc["figure-7.2", "status"] == "new"
    assert "table-2.2" not in changes.index


def test_the_book_of_a_release_says_what_that_release_changed(tmp_path, monkeypatch):
    """Compared with itself, a published release's What changed page said "nothing" every time: the
    book that is release 1.1.0 lists what 1.1.0 changed since 1.0.0; a book with changes since the last
    release lists those."""
    exhibit = {"title": "T", "rows": 10}
    old = _snapshot({"table-7.1": exhibit | {"sha256": "a", "headline": "mean 21.3"}}, {}) | {"version": "1.0.0"}
    new = _snapshot({"table-7.1": exhibit | {"sha256": "b", "headline": "mean 22.0"}}, {}) | {"version": "1.1.0"}
    paths = [releases.write(old, tmp_path), releases.write(new, tmp_path)]
    monkeypatch.setattr(releases, "recorded", lambda: paths)
    monkeypatch.setattr(releases, "snapshot", lambda data_dir=None: new)
    facts, exhibits, _ = releases._changes(None)
    assert facts["wc_release"] == "1.0.0" and facts["wc_basis"].startswith("This book is release 1.1.0")
    assert exhibits.set_index("exhibit").loc["table-7.1", "new_headline"] == "mean 22.0"
    later = _snapshot({"table-7.1": exhibit | {"sha256": "c", "headline": "mean 22.5"}}, {})
    monkeypatch.setattr(releases, "snapshot", lambda data_dir=None: later)
    facts, exhibits, _ = releases._changes(None)
    assert facts["wc_release"] == "1.1.0" and "changes since the last release, 1.1.0" in facts["wc_basis"]
    assert exhibits.set_index("exhibit").loc["table-7.1", "old_headline"] == "mean 22.0"


def test_release_snapshot_records_exhibit_frames_of_altered_data(tmp_path):
    current = releases.exhibit_records()
    altered = releases.exhibit_records(_altered_copy(tmp_path))
    assert altered["table-7.1"]["sha256"] != current["table-7.1"]["sha256"]
    assert altered["table-7.1"]["headline"] != current["table-7.1"]["headline"]
    assert altered["table-1.1"] == current["table-1.1"]  # Ofsted table untouched


def test_latest_release_is_the_highest_version(tmp_path):
    for version in ("0.9.0", "0.10.0", "0.2.1"):
        releases.write(_snapshot({}, {}) | {"version": version}, tmp_path)
    assert releases.latest(tmp_path)["version"] == "0.10.0"
    assert releases.latest(tmp_path / "none") is None


def test_the_repository_has_a_release_with_key_results():
    release = releases.latest()
    assert release is not None, "record one with `roses release`"
    assert "findings-key-results" in release["notebooks"]["findings"]
    assert "exhibit-r7.1-association" in release["exhibits"]


# --- the checks -----------------------------------------------------------------------------------


def test_data_check_fails_on_a_changed_added_or_removed_file_and_names_it():
    old = _snapshot({}, {"published/a.csv": "1", "published/b.csv": "2"})
    changed = verify.data_check(_snapshot({}, {"published/a.csv": "9", "published/b.csv": "2"}), old, DATA_DIR)
    assert not changed.passed
    assert "1 changed" in changed.summary and "published/a.csv: changed since release x" in changed.details
    added = verify.data_check(_snapshot({}, {**old["data"], "dfe/extra.csv": "3"}), old, DATA_DIR)
    assert not added.passed and "dfe/extra.csv: added since release x" in added.details
    removed = verify.data_check(_snapshot({}, {"published/a.csv": "1"}), old, DATA_DIR)
    assert not removed.passed and "published/b.csv: removed since release x" in removed.details
    assert verify.data_check(old, old, DATA_DIR).passed


def _synth_export(tmp_path):
    """One staff survey export as a survey tool writes it (`roses synth`): authority C, wave 2."""
    out = tmp_path / "synth"
    subprocess.run([sys.executable, "-m", "roses.commands.cli", "synth", "--out", str(out)], check=True, cwd=REPO_ROOT)
    return next(p for p in sorted((out / "surveys" / "staff").rglob("*.csv")) if "wave-2" in p.name)


def test_an_added_survey_export_fails_naming_the_file_and_the_exhibits_it_changes(tmp_path):
    """Issue 30: an extra export in a --data folder changed 19 exhibits, and verify passed."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("releases"))
    release = releases.snapshot(data) | {"version": "0.2.0"}
    export = _synth_export(tmp_path)
    target = data / "surveys" / "staff" / export.parent.name / export.name
    target.parent.mkdir(parents=True)
    shutil.copyfile(export, target)
    current = releases.snapshot(data)
    check = verify.data_check(current, release, data)
    assert not check.passed
    assert "staff survey, authority A, wave 2: added since release 0.2.0" in check.details
    results = verify.results_check(current, release)
    assert not results.passed
    assert "exhibits and 0 of 0 glued facts differ" in results.summary
    assert any(d.startswith("exhibit figure-") for d in results.details)
    assert any(d.strip().startswith("caption was:") or d.strip().startswith("headline was:") for d in results.details)


def test_compare_trees_finds_every_difference(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "book").mkdir(parents=True)
        (root / "same.html").write_text("<p>same</p>")
    (a / "book" / "page.html").write_text("<p>built 2026-01-01</p>")
    (b / "book" / "page.html").write_text("<p>built 2026-01-02</p>")
    (a / "extra.js").write_text("x")
    problems = verify.compare_trees(a, b)
    assert len(problems) == 2
    assert any("only in the first build: extra.js" in p for p in problems)
    assert any(p.startswith("book/page.html differs") and "built 2026-01-0" in p for p in problems)
    assert verify.compare_trees(a / "book", a / "book") == []


def test_sanitize_file_masks_memory_addresses(tmp_path):
    path = verify.write_sanitize_file(tmp_path / "sanitize.cfg")
    patterns = get_sanitize_patterns(path.read_text())
    text = "<roses.pages.render.HTML object at 0x7f3a2b1c4d50>"
    assert len(patterns) == len(verify.SANITIZE)
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    assert text == "<roses.pages.render.HTML object at 0xADDRESS>"


def test_a_prose_fact_bug_fails_naming_the_sentence_and_both_values(monkeypatch):
    """Issue 30: a copy-paste bug made the Introduction say enquiries rose 38% instead of 122%."""
    from roses.pages import facts

    release = _snapshot({}, {}, verify.glued_facts(only=["introduction"]))
    correct = facts._PROVIDERS["introduction"]

    def copy_paste_bug(provider):
        def buggy(data_dir):
            found = provider(data_dir)
            if "rise_s47" in found:
                found["rise_s47"] = found["rise_cpp"]  # the plans' figure pasted for the enquiries
            return found

        return buggy

    monkeypatch.setitem(facts._PROVIDERS, "introduction", [copy_paste_bug(p) for p in correct])
    check = verify.results_check(_snapshot({}, {}, verify.glued_facts(only=["introduction"])), release)
    assert not check.passed
    assert "0 of 0 exhibits and 1 of" in check.summary
    at = check.details.index("introduction: glued fact rise_s47:")
    was, now, sentence = check.details[at + 1 : at + 4]
    assert (was.strip(), now.strip()) == ("was: '122%'", "now: '38%'")
    assert sentence.strip().startswith("in: ") and "{glue}`rise_s47`" in sentence


def test_a_changed_exhibit_is_named_with_its_old_and_new_rows(tmp_path):
    release = _snapshot(releases.exhibit_records(), {})
    check = verify.results_check(_snapshot(releases.exhibit_records(_altered_copy(tmp_path)), {}), release)
    assert not check.passed
    at = check.details.index("exhibit table-7.1 (Summary of blind-rated scores):")
    block = "\n".join(check.details[at : at + 12])
    assert "headline was:" in block and "headline now:" in block
    assert "row was: H,3,1,1,2,1,1,1,2,1,10,9.33" in block and "row now: H,3,1,3,2,1,1,1,2,1,12,10.0" in block


def test_a_release_of_the_old_format_cannot_pass():
    old = {"version": "0.2.0", "exhibits": {}, "data": {}, "notebooks": {}}
    check = verify.results_check(_snapshot({}, {}), old)
    assert not check.passed and "record a new release" in check.details[0]


def test_prepared_notebooks_expect_the_release_outputs(tmp_path):
    release = {
        "notebooks": {
            "findings": {
                "findings-key-results": [{"output_type": "stream", "name": "stdout", "text": "table-7.1\nrecorded\n"}]
            }
        }
    }
    notes = verify.prepare_notebooks(tmp_path, release, only=["findings", "conclusion"])
    findings = nbformat.read(tmp_path / "findings.ipynb", as_version=4)
    key = next(c for c in findings.cells if c.get("id") == "findings-key-results")
    assert key.outputs[0]["text"] == "table-7.1\nrecorded\n"
    assert key.execution_count is not None
    # Cells the release has no output for stay checked, and expect a line no run prints: they fail.
    conclusion = nbformat.read(tmp_path / "conclusion.ipynb", as_version=4)
    missing = next(c for c in verify.check_cells(conclusion) if c.id == "conclusion-key-results")
    assert missing.outputs[0]["text"].startswith("(no output recorded for this key cell in release (none recorded)")
    assert "conclusion.ipynb cell conclusion-key-results: no reference in release (none recorded)" in notes
    assert "findings.ipynb cell findings-key-record: no reference in release (none recorded)" in notes


def test_every_chapter_has_a_key_cell_for_its_exhibits_and_facts():
    """`pytest --nbval-lax book/` checks every chapter's headline results, not two chapters'."""
    for chapter in verify.chapters():
        nb = nbformat.read(REPO_ROOT / "book" / f"{chapter}.ipynb", as_version=4)
        sources = [c.source for c in verify.check_cells(nb)]
        assert any(s.rstrip().endswith("page.key_results()") for s in sources), chapter
        shows = max((i for i, c in enumerate(nb.cells) if "page.show(" in c.source), default=-1)
        record = next(i for i, c in enumerate(nb.cells) if c.source.rstrip().endswith("page.key_results()"))
        assert record > shows, f"{chapter}: the key record must come after every exhibit"


def test_a_built_chapter_keeps_no_key_cell_output(tmp_path):
    """Key cells print for nbval and verify; the page and its _sources never carry what they print."""
    from roses.site.build import drop_check_outputs

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\npage.key_results()"), nbformat.v4.new_code_cell("1")]
    for cell in nb.cells:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="table-7.1 ...\n")]
    nbformat.write(nb, tmp_path / "chapter.ipynb")
    drop_check_outputs(tmp_path / "chapter.ipynb")
    cells = nbformat.read(tmp_path / "chapter.ipynb", as_version=4).cells
    assert cells[0].outputs == [] and cells[1].outputs[0]["text"] == "table-7.1 ...\n"


def test_chapters_follow_the_table_of_contents():
    names = verify.chapters()
    assert names.index("findings") < names.index("conclusion") < names.index("provenance")
    assert "glossary" not in names  # Markdown pages have nothing to execute


def test_report_names_failures_and_lists_data():
    report = verify.Report(
        checks=[verify.Check("notebooks", True, "12 chapters"), verify.Check("builds", False, "differ", ["x.html"])],
        commit="abc",
        data_root=DATA_DIR,
        data_files=[("published/a.csv", "f" * 64)],
        notes=[],
        seconds=1.0,
    )
    text = report.text()
    assert not report.passed
    assert text.splitlines()[0].startswith("roses verify: FAILED")
    assert "[FAIL] builds: differ" in text and "x.html" in text
    assert f"{'f' * 64}  published/a.csv" in text
    assert text.splitlines()[-1] == "roses verify: FAILED: builds (details above)"


def test_verify_refuses_a_missing_data_folder(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "roses.commands.cli", "verify", "--data", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 2
    assert "no such folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_verify_names_the_chapters_when_asked_for_one_that_does_not_exist():
    result = subprocess.run(
        [sys.executable, "-m", "roses.commands.cli", "verify", "--no-builds", "--chapter", "findngs"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no chapter named findngs; the chapters are " in result.stderr and "findings" in result.stderr


# --- papermill with an authority the chapter cannot show ----------------------------------------------


def test_a_chapter_for_an_unknown_authority_says_what_to_run_in_one_line():
    from roses.pages.chapter import Chapter, ParameterError

    with pytest.raises(ParameterError) as raised:
        Chapter("findings", "Nowhere")
    (line,) = raised.value._render_traceback_()  # what IPython (papermill, nbval, JupyterLab) shows
    assert line.startswith("roses: unknown authority 'Nowhere'") and "roses edition NAME" in line


@pytest.mark.slow
def test_papermill_with_a_real_authority_names_the_command_to_run(tmp_path):
    """Issue 30: `-p authority Derby` stopped at cell 5 with a raw ValueError."""
    result = subprocess.run(
        [sys.executable, "-m", "papermill", "findings.ipynb", str(tmp_path / "out.ipynb"), "-p", "authority", "Derby"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT / "book",
    )
    assert result.returncode != 0
    message = result.stderr.split('Exception encountered at "In [')[1].splitlines()[1]
    assert message.startswith("roses: Table 7.1 has nothing for Derby") and "roses edition Derby" in message
    assert "ValueError" not in result.stderr


# --- make: the hooks -------------------------------------------------------------------------------


def _make_dry_run(folder, git: bool) -> str:
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copyfile(REPO_ROOT / name, folder / name)
    if git:
        subprocess.run(["git", "init", "-q", str(folder)], check=True)
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("GIT_")}
    result = subprocess.run(["make", "-n", "book"], cwd=folder, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_installs_the_pre_commit_hooks_in_a_git_checkout_only(tmp_path):
    (tmp_path / "git").mkdir()
    (tmp_path / "tarball").mkdir()
    in_git = _make_dry_run(tmp_path / "git", git=True)
    assert ".venv/bin/pre-commit install" in in_git
    assert "/.venv/bin:$PATH" in in_git  # the hook finds ruff and mypy without an activated venv
    assert "pre-commit install" not in _make_dry_run(tmp_path / "tarball", git=False)


# --- end to end (slow) ----------------------------------------------------------------------------


def _run_cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "roses.commands.cli", *args], capture_output=True, text=True, cwd=REPO_ROOT, env=env
    )


@pytest.mark.slow
def test_a_lab_session_on_altered_data_cannot_make_the_direct_nbval_run_pass(tmp_path):
    """Issue 30: after a JupyterLab session on altered data saved its outputs into the notebook,
    `pytest --nbval-lax book/findings.ipynb` went from 1 failed to 33 passed. The key cells' reference
    is the release's, whatever the notebook holds."""
    import os

    from nbclient import NotebookClient

    folder = tmp_path / "book"
    folder.mkdir()
    shutil.copy(REPO_ROOT / "book" / "conftest.py", folder / "conftest.py")  # as in book/
    env = {**os.environ, "ROSES_DATA": str(_altered_copy(tmp_path))}
    nb = nbformat.read(REPO_ROOT / "book" / "findings.ipynb", as_version=4)
    os.environ["ROSES_DATA"], before = env["ROSES_DATA"], os.environ.get("ROSES_DATA")
    try:  # the session: Run All on altered data, then save (outputs and all)
        NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(REPO_ROOT / "book")}}).execute()
    finally:
        os.environ.pop("ROSES_DATA") if before is None else os.environ.update(ROSES_DATA=before)
    nbformat.write(nb, folder / "findings.ipynb")
    assert "H,3,1,3" in json.dumps(nb)  # the saved outputs are the altered ones
    (folder / "pytest.ini").write_text("[pytest]\n")  # a reader's own folder: the repository's settings aside
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider"]
        + ["-p", "no:randomly", "findings.ipynb"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "H,3,1,3" in result.stdout and "H,3,1,1" in result.stdout  # today's value against the release's


@pytest.mark.slow
def test_roses_verify_passes_on_an_unchanged_copy_of_the_data(tmp_path):
    """Issue 30: `roses verify --data COPY` of an unmodified data/ failed (the builds wrote their own
    folder's path into _sources). Also the repository's own check: every value as in the last release."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    ok = _run_cli("verify", "--data", str(data))
    # The checks and their details come first; the list of data files after them.
    assert ok.returncode == 0, ok.stdout.split("data files used")[0][-3000:]
    assert "byte-identical" in ok.stdout
    assert "[ok] results:" in ok.stdout and "none changed, added or removed" in ok.stdout


@pytest.mark.slow
def test_roses_verify_fails_on_altered_data_and_an_added_export_naming_old_and_new_values(tmp_path):
    data = _altered_copy(tmp_path)
    export = _synth_export(tmp_path)
    target = data / "surveys" / "staff" / export.parent.name / export.name
    target.parent.mkdir(parents=True)
    shutil.copyfile(export, target)
    bad = _run_cli("verify", "--no-builds", "--chapter", "findings", "--data", str(data))
    assert bad.returncode == 1
    assert "published/blind_ratings.csv: changed since release" in bad.stdout
    assert "staff survey, authority A, wave 2: added since release" in bad.stdout
    assert "findings-key-results (key result): output differs" in bad.stdout
    assert "(1 chapter(s) re-executed)" in bad.stdout  # --chapter: only findings ran
    results = bad.stdout.split("[FAIL] results:")[1]
    assert "exhibit table-7.1 (Summary of blind-rated scores):" in results
    assert "row was: H,3,1,1,2,1,1,1,2,1,10,9.33" in results and "row now: H,3,1,3,2,1,1,1,2,1,12,10.0" in results


_PLANTED = """
import json, sys
from roses.records import releases
from roses.site import verify
baseline = json.load(open(sys.argv[1]))
current = releases.snapshot(facts=verify.glued_facts(only=["findings"]))
check = verify.results_check(current, baseline, only=["findings"])
print(check.summary)
print("\\n".join(check.details))
"""


@pytest.mark.slow
def test_a_committed_code_change_fails_the_results_check_naming_old_and_new_values(tmp_path):
    """Issue 30: a commit weakening the survey suppression threshold and switching 95% intervals to 90%
    passed `roses verify`. Here the same change is made in a copy of the package, which a fresh
    process imports, and compared with the release recorded from the unchanged code (the findings
    chapter's exhibits and facts, as `roses verify --chapter findings` compares them)."""
    baseline = releases.snapshot(facts=verify.glued_facts(only=["findings"]))
    (tmp_path / "baseline.json").write_text(json.dumps(baseline))
    code = tmp_path / "src"
    shutil.copytree(REPO_ROOT / "src" / "roses", code / "roses", ignore=shutil.ignore_patterns("__pycache__"))
    for path, old, new in (
        ("national/compare.py", "CONFIDENCE = 0.95", "CONFIDENCE = 0.90"),
        ("survey/disclosure.py", "MIN_RESPONDENTS = 10", "MIN_RESPONDENTS = 5"),
    ):
        file = code / "roses" / path
        assert old in file.read_text()
        file.write_text(file.read_text().replace(old, new))
    env = {**__import__("os").environ, "PYTHONPATH": str(code), "ROSES_ROOT": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", _PLANTED, str(tmp_path / "baseline.json")], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    summary, *details = result.stdout.splitlines()
    assert summary.startswith(("1 of", "2 of", "3 of", "4 of", "5 of")) and "differ from release" in summary
    comparison = details.index(
        "exhibit exhibit-r7.4-authority-comparison (An authority against England, its region and its statistical neighbours):"
    )
    block = "\n".join(details[comparison : comparison + 12])
    assert re.search(r"column ci_low was: n \d+, min [\d.]+", block) and "column ci_low now:" in block
