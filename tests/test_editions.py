"""Editions without building them: plans and their tables of contents, the leak scan, safe replacement,
shared assets, the command line."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from editions_helpers import CANARIES, write_canary_exports

from roses.commands.cli import main
from roses.core.atomic import swap_dir
from roses.core.errors import RosesError
from roses.core.paths import DATA_DIR, REPO_ROOT
from roses.editions import assets, leaks
from roses.editions.build import _publish
from roses.editions.plan import plan_edition, toc_yaml
from roses.engine.publish import recover
from roses.exhibits.local import own_rows

# --- Plans and their tables of contents --------------------------------------------------------


def test_programme_edition_toc_snapshot(snapshot):
    plan = plan_edition("c")
    assert plan.slug == "C" and plan.authority == "C"
    snapshot("edition_toc_programme_C.yml", toc_yaml(plan))


def test_authority_edition_toc_snapshot(snapshot):
    plan = plan_edition("Derby", DATA_DIR)
    assert plan.code == "831" and plan.slug == "Derby"
    snapshot("edition_toc_authority_Derby.yml", toc_yaml(plan))


def test_programme_edition_runs_every_chapter_of_the_book():
    plan = plan_edition("H")
    executed = {p.docname for p in plan.notebooks}
    assert executed == {
        f"book/{p.stem}" for p in (REPO_ROOT / "book").glob("*.ipynb") if f"book/{p.stem}" in toc_yaml(plan)
    }
    assert "book/findings" in executed


def test_authority_edition_has_no_illustrative_exhibit():
    from roses.exhibits.registry import get

    plan = plan_edition("831", DATA_DIR)  # by DfE code
    shown = [
        line.split('"')[1]
        for page in plan.notebooks
        for cell in page.notebook.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if line.startswith("page.show(")
    ]
    assert shown, "an authority edition shows its national statistics"
    assert all(get(id).origin == "real national" for id in shown)


def test_unknown_authority_is_a_clear_error():
    with pytest.raises(RosesError, match="unknown authority 'Atlantis'"):
        plan_edition("Atlantis", DATA_DIR)


def test_own_rows_drops_letters_and_group_summaries():
    frame = pd.DataFrame(
        {
            "level": ["group", "authority", "authority", "authority"],
            "authority": [None, "A", "Derby", "H"],
            "value": [1, 2, 3, 4],
        }
    )
    mine = own_rows(frame, "Derby")
    assert mine["authority"].tolist() == ["Derby"]


# --- The leak scan ------------------------------------------------------------------------------


def _canary_terms(tmp_path: Path) -> list[leaks.Term]:
    return leaks.forbidden_terms("Derby", write_canary_exports(tmp_path / "local"))


def test_local_terms_find_every_canary(tmp_path):
    terms = _canary_terms(tmp_path)
    found = {(t.kind, t.value) for t in terms}
    for kind, value in [
        ("email", CANARIES["email"]),
        ("phone", CANARIES["phone"]),
        ("postcode", CANARIES["postcode"]),
        ("NI number", CANARIES["NI number"]),
        ("URL", CANARIES["URL"]),
        ("name", CANARIES["name"]),
        ("name", "Emma"),
        ("respondent id", CANARIES["respondent id"]),
        ("authority name", CANARIES["other authority"]),
    ]:
        assert (kind, value) in found, f"{kind} {value} not found in the local inputs"
    assert ("authority name", "Derby") not in found  # the edition's own name may appear


LEAKY_FILES = {
    "book/page.html": "<p>Thanks to {}</p>",
    "searchindex.js": 'Search.setIndex({{"terms": ["{}"]}})',
    "data.json": '{{"comment": "{}"}}',
    "table.csv": "authority,comment\nDerby,{}\n",
    "_sources/book/page.ipynb": '{{"cells": [{{"outputs": [{{"text": "{}"}}]}}]}}',
    "notes.txt": "{}",
}


@pytest.mark.parametrize("kind", [k for k in CANARIES if k != "other authority"] + ["other authority"])
@pytest.mark.parametrize("file", list(LEAKY_FILES))
def test_scan_finds_a_planted_canary_in_any_kind_of_file(tmp_path, kind, file):
    terms = _canary_terms(tmp_path)
    site = tmp_path / "html"
    target = site / file
    target.parent.mkdir(parents=True)
    target.write_text(LEAKY_FILES[file].format(json.dumps(CANARIES[kind])[1:-1]), encoding="utf-8")
    hits = leaks.scan(site, terms, "Derby")
    assert hits and hits[0].file == Path(file)


def test_scan_sees_reformatted_identifiers_and_csv_downloads(tmp_path):
    terms = _canary_terms(tmp_path)
    site = tmp_path / "html"
    site.mkdir()
    payload = base64.b64encode(b"id,comment\n1,ring 07700900461\n").decode()
    (site / "a.html").write_text(f'<a href="data:text/csv;charset=utf-8;base64,{payload}">CSV</a>')
    (site / "b.html").write_text("<p>postcode de217qx and Emma&#32;Thwaiteley</p>")
    kinds = {(h.file.name, h.term.kind) for h in leaks.scan(site, terms, "Derby")}
    assert ("a.html", "phone") in kinds
    assert ("b.html", "postcode") in kinds and ("b.html", "name") in kinds


def test_scan_passes_the_own_authority_and_allowed_phrases(tmp_path):
    site = tmp_path / "html"
    site.mkdir()
    (site / "index.html").write_text(
        "<p>Derby against England; Bradford Hill's criteria; University of York; reading the chart</p>"
    )
    assert leaks.scan(site, leaks.forbidden_terms("Derby", None), "Derby") == []
    (site / "index.html").write_text("<p>Derby and Derbyshire</p>")
    hits = leaks.scan(site, leaks.forbidden_terms("Derby", None), "Derby")
    assert [h.term.value for h in hits] == ["Derbyshire"]


def test_a_name_inside_the_own_name_is_not_a_leak(tmp_path):
    site = tmp_path / "html"
    site.mkdir()
    (site / "index.html").write_text("<h1>Bath and North East Somerset</h1>")
    own = "Bath and North East Somerset"
    assert leaks.scan(site, leaks.forbidden_terms(own, None), own) == []


def test_programme_edition_forbids_every_real_name(tmp_path):
    site = tmp_path / "html"
    site.mkdir()
    (site / "index.html").write_text("<p>Authority C is Derby</p>")
    assert [h.term.value for h in leaks.scan(site, leaks.forbidden_terms(None, None))] == ["Derby"]


# --- Publishing: only a clean, complete edition replaces the old one ---------------------------


def _site(folder: Path, text: str) -> Path:
    (folder / "_static").mkdir(parents=True)
    (folder / "_static" / "theme.js").write_text("var theme = 1;")
    (folder / "index.html").write_text(text)
    return folder


def test_a_leaking_edition_is_not_published_and_the_old_one_stays(tmp_path):
    from roses.editions.plan import EditionPlan

    target = _site(tmp_path / "editions" / "Derby" / "html", "<p>previous edition</p>")
    new = _site(tmp_path / "editions" / "Derby" / ".building-1" / "html", f"<p>{CANARIES['email']}</p>")
    plan = EditionPlan(kind="authority", authority="Derby", code="831", slug="Derby", title="t", toc={}, pages=())
    local = write_canary_exports(tmp_path / "local")
    with pytest.raises(leaks.LeakError, match="email 'canary.worker@example-council.gov.uk'"):
        _publish(plan, new, target, local)
    assert (target / "index.html").read_text() == "<p>previous edition</p>"


def test_swap_replaces_and_recover_restores(tmp_path):
    target = _site(tmp_path / "Derby" / "html", "old")
    swap_dir(_site(tmp_path / "Derby" / ".building-2" / "html", "new"), target)
    assert (target / "index.html").read_text() == "new"
    assert not list(target.parent.glob(".html.old-*"))
    # A run killed between its two renames: no html, the previous edition renamed aside.
    os.rename(target, target.with_name(".html.old-abc"))
    recover(target)
    assert (target / "index.html").read_text() == "new"


def test_recover_removes_work_folders_of_dead_runs_only(tmp_path):
    target = tmp_path / "Derby" / "html"
    dead = tmp_path / "Derby" / ".building-999999999-abc"
    alive = tmp_path / "Derby" / f".building-{os.getpid()}-abc"
    dead.mkdir(parents=True)
    alive.mkdir()
    recover(target)
    assert not dead.exists() and alive.exists()


# --- Shared assets ------------------------------------------------------------------------------


def test_editions_share_one_static_folder(tmp_path):
    root = tmp_path / "editions"
    first = _site(root / "A" / "html", "a")
    second = _site(root / "B" / "html", "b")
    assert assets.share_static(first, root) == assets.share_static(second, root)
    assert len(assets.shared_folders(root)) == 1
    assert (second / "_static").is_symlink()
    assert (second / "_static" / "theme.js").read_text() == "var theme = 1;"
    assert assets.disk_usage(second) == len("b")


def test_changed_assets_get_their_own_copy_and_older_editions_keep_theirs(tmp_path):
    root = tmp_path / "editions"
    older = _site(root / "A" / "html", "a")
    assets.share_static(older, root)
    newer = _site(root / "B" / "html", "b")
    (newer / "_static" / "theme.js").write_text("var theme = 2;")
    assets.share_static(newer, root)
    assert len(assets.shared_folders(root)) == 2
    assert (older / "_static" / "theme.js").read_text() == "var theme = 1;"
    assert (newer / "_static" / "theme.js").read_text() == "var theme = 2;"


# --- Command line -------------------------------------------------------------------------------


def test_edition_of_an_unknown_authority_exits_2(capsys):
    assert main(["edition", "Atlantis"]) == 2
    assert "unknown authority 'Atlantis'" in capsys.readouterr().err


def test_editions_without_a_choice_exits_2(capsys):
    assert main(["editions"]) == 2
    assert "--all" in capsys.readouterr().err


def test_england_lists_every_current_authority():
    from roses.editions.batch import england_authorities

    names = england_authorities()
    assert len(names) >= 150 and "Derby" in names and "Northamptonshire" not in names  # split in 2021


def test_a_notebook_on_the_shared_kernel_sees_no_name_from_the_one_before(tmp_path):
    from roses.engine.execute import execute

    first = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("secret = 1\n_hidden = 2")])
    probe = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import os\nprint(sorted({'secret', '_hidden'} & set(globals())), os.getcwd())")
        ]
    )
    execute(first, tmp_path / "first.ipynb", {}, tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    execute(probe, tmp_path / "probe.ipynb", {}, elsewhere)
    cells = nbformat.read(tmp_path / "probe.ipynb", as_version=4).cells
    assert cells[-1].outputs[0]["text"] == f"[] {elsewhere}\n"
    assert len(cells) == 1  # the preparing cell is not in the output


def test_a_missing_golden_file_fails_and_is_not_written(snapshot, request):
    if request.config.getoption("--update-goldens"):
        pytest.fail("run --update-goldens on the snapshot tests only (-k snapshot)")
    path = Path(__file__).parent / "golden" / "no-such-golden.txt"
    with pytest.raises(pytest.fail.Exception, match="no-such-golden.txt is missing"):
        snapshot(path.name, "anything")
    assert not path.exists()
