"""Attacks on the leak scan, the exposure rules and the redactor (issues 14 and 19): each one planted,
each one now caught (or, for ordinary files, no longer a false alarm)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import openpyxl
import pytest
from editions_helpers import CANARIES, ITEMS, write_canary_exports

from roses.core.errors import RosesError
from roses.editions import leaks


def _page(site: Path, text: str, name: str = "index.html") -> Path:
    site.mkdir(parents=True, exist_ok=True)
    (site / name).write_text(text, encoding="utf-8")
    return site


def _kinds(site: Path, terms, own=None) -> set[tuple[str, str]]:
    return {(h.term.kind, h.term.value) for h in leaks.scan(site, terms, own)}


@pytest.fixture(scope="module")
def national_terms():
    return leaks.forbidden_terms(None, None)


# --- Readable forms of an authority's name ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<p>LEICESTERSHIRE</p>",
        "<p>leicestershire</p>",
        "<p>Leices<b>ter</b>shire</p>",  # split by tags
        "<p>Leices\u00adtershire</p>",
        "<p>Leices\u200btershire</p>",  # soft hyphen, zero-width space
        "<p>Leices&shy;tershire</p>",
        "<p>Leices&#8203;tershire</p>",  # the same as entities
        '{"t": "Leic\\u0065stershire"}',  # a JSON escape
        "<p>\uff2c\uff45\uff49\uff43\uff45\uff53\uff54\uff45\uff52\uff53\uff48\uff49\uff52\uff45</p>",  # full width (NFKC)
        "<td>Derby</td><td>Leicestershire</td>",
    ],
)
def test_every_readable_form_of_a_name_is_caught(tmp_path, national_terms, text):
    assert ("authority name", "Leicestershire") in _kinds(_page(tmp_path, text), national_terms)


@pytest.mark.parametrize(
    "text, value",
    [
        ("<p>our team in Hull</p>", "Hull"),
        ("<p>HULL</p>", "Hull"),
        ("<p>bristol</p>", "Bristol"),
        ("<p>Stoke</p>", "Stoke"),
        ("<p>Southend</p>", "Southend"),
        ("<p>Brighton &amp; Hove</p>", "Brighton & Hove"),
    ],
)
def test_common_short_names_are_caught(tmp_path, national_terms, text, value):
    found = _kinds(_page(tmp_path, text), national_terms)
    assert any(kind == "authority name" for kind, _ in found), found


def test_dfe_codes_are_caught_where_they_stand_as_codes(tmp_path, national_terms):
    assert ("authority code", "E06000015") in _kinds(_page(tmp_path, "<p>e06000015</p>"), national_terms)
    assert ("authority code", "la 831") in _kinds(_page(tmp_path, "<p>LA 831</p>"), national_terms)
    assert ("authority code", "staff 831 wave") in _kinds(
        _page(tmp_path, "surveys/staff/831/wave-1.csv"), national_terms
    )
    assert _kinds(_page(tmp_path, "<p>831 children; 202 referrals</p>"), national_terms) == set()


def test_own_authority_and_ordinary_words_pass(tmp_path):
    terms = leaks.forbidden_terms("Kingston upon Hull, City of", None)
    text = (
        "<h1>Kingston upon Hull</h1><p>Hull against England; reading the chart, a bath, the hull of a ship; "
        "Reading this book; University of York</p>"
    )
    assert _kinds(_page(tmp_path, text), terms, "Kingston upon Hull, City of") == set()


def test_the_built_book_has_no_false_alarm(national_terms):
    from roses.core.paths import BUILD_DIR

    site = BUILD_DIR / "html"
    if not (site / "index.html").is_file():
        pytest.fail("the book is not built: run `make book` first")
    # The public book's indicator explorer (Data and methods) names every English authority by design:
    # national statistics, with no letter on that page. Editions leave it out (pages.Chapter.explorer).
    explorer = {"book/data-and-methods.html", "_sources/book/data-and-methods.ipynb", "searchindex.js"}
    hits = [
        h
        for h in leaks.scan(site, national_terms)
        if not (h.file.as_posix() in explorer and h.term.kind.startswith("authority"))
    ]
    assert hits == []


# --- Identifiers from the inputs, in every readable form -------------------------------------------


def _export(
    folder: Path, rows: list[list[str]], name: str = "wave-3.csv", authority: str = "Derby", encoding: str = "utf-8"
) -> Path:
    path = folder / "surveys" / "staff" / authority / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".xlsx":
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    else:
        path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding=encoding)
    return folder


def _rows(comment: str, n: int = 12, header_extra: tuple[str, ...] = (), extra=lambda i: ()) -> list[list[str]]:
    rows = [["Response ID", *ITEMS, *header_extra, "What is working well?"]]
    for i in range(n):
        rows.append([f"R{i}", *[str(1 + (i + k) % 5) for k in range(len(ITEMS))], *extra(i), comment if i == 0 else ""])
    return rows


@pytest.mark.parametrize(
    "planted, page",
    [
        ("mail jo.bloggs@example-council.gov.uk", "jo.bloggs [at] example-council [dot] gov [dot] uk"),
        ("mail jo.bloggs [at] example-council.gov.uk", "jo.bloggs@example-council.gov.uk"),
        ("mail jo.bloggs at example-council dot gov dot uk", "JO.BLOGGS@EXAMPLE-COUNCIL.GOV.UK"),
        ("ring +44 (0)7700 900461", "07700&nbsp;900&nbsp;461"),
        ("ring 0044 7700 900461", "+44 7700 900461"),
        ("ring 07700-900-461", "(07700) 900461"),
        ("see intranet.example-council.gov.uk/teams/canary", "https://intranet.example-council.gov.uk/teams/canary"),
        ("born 12/03/2015 says dob: 12/03/2015", "12/03/2015"),
        ("case ref 4417230 is open", "4417230"),
        ("she lives at 14 Acacia Avenue now", "14 acacia avenue"),
        ("Emma Thwaiteley helped", "emma thwaiteley"),
    ],
)
def test_identifiers_are_caught_in_other_forms(tmp_path, planted, page):
    local = _export(tmp_path / "local", _rows(planted))
    terms = leaks.local_terms(local)
    assert leaks.scan(_page(tmp_path / "html", f"<p>{page}</p>"), terms), f"{page!r} not caught"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_every_encoding_yields_terms(tmp_path, encoding):
    local = _export(tmp_path / "local", _rows(f"write to {CANARIES['email']}"), encoding=encoding)
    assert ("email", CANARIES["email"]) in {(t.kind, t.value) for t in leaks.local_terms(local)}


def test_an_excel_lock_file_is_skipped_like_the_readers_skip_it(tmp_path):
    local = _export(tmp_path / "local", _rows(f"write to {CANARIES['email']}"), name="wave-4.xlsx")
    (local / "surveys" / "staff" / "Derby" / "~$wave-4.xlsx").write_bytes(b"\x00locked by jo\x00" * 10)
    (local / "surveys" / "staff" / "Derby" / "wave-2.xlsx").write_bytes(b"not a workbook")  # damaged: no traceback
    terms = leaks.local_terms(local)
    assert ("email", CANARIES["email"]) in {(t.kind, t.value) for t in terms}


def test_an_address_at_the_end_of_a_huge_comment_is_found(tmp_path):
    # 1.6 MB that almost matches (the old e-mail pattern ran for minutes): how fast is bench/checks_bench.py.
    huge = "a." * 400_000 + "a@" * 200_000 + " jo@example.org"
    local = _export(tmp_path / "local", _rows(huge))
    terms = leaks.local_terms(local)
    assert ("email", "jo@example.org") in {(t.kind, t.value) for t in terms}
    hits = leaks.scan(_page(tmp_path / "html", "<p>" + "b." * 400_000 + " jo@example.org</p>"), terms)
    assert ("email", "jo@example.org") in {(h.term.kind, h.term.value) for h in hits}
    assert leaks.emails_in("a." * 800_000) == []


def test_a_title_row_above_the_header_is_forbidden_text(tmp_path):
    title = "Confidential export for Janet Pemberton-Oakes, team leader in the north locality"
    local = _export(tmp_path / "local", [[title], *_rows("fine")], name="wave-3.xlsx")
    terms = leaks.local_terms(local)
    warning = f"DataWarning: the header is on row 2; skipped row(s) 1-1 above it (starting {title[:60]!r})"
    assert any(t.kind == "input text" for t in {h.term for h in leaks.scan(_page(tmp_path / "html", warning), terms)})


def test_a_local_comment_is_never_published_verbatim(tmp_path):
    comment = "the duty team rota changed after the move and nobody told the families about it"
    terms = leaks.local_terms(_export(tmp_path / "local", _rows(comment)))
    quoted = "<td>Example: nobody told the families about it, and the duty team rota changed after the move</td>"
    assert leaks.scan(_page(tmp_path / "html", quoted), terms)
    assert leaks.scan(_page(tmp_path / "html2", "<p>the families and the duty team</p>"), terms) == []


def test_synthetic_comments_in_a_local_folder_are_not_secrets(tmp_path):
    from roses.survey import synth

    text = next(iter(synth.STAFF_COMMENTS.values()))[0]
    terms = leaks.local_terms(_export(tmp_path / "local", _rows(text)))
    assert leaks.scan(_page(tmp_path / "html", f"<td>{text}</td>"), terms) == []


# --- No false alarms for ordinary files (issue 19) ---------------------------------------------------


def test_answers_under_a_manager_or_worker_question_are_not_names(tmp_path):
    rows = [
        [
            "Respondent",
            "Manager or specialist involvement in case decisions encourages a sense of shared risk",
            "My worker listens to me",
            "Worker",
            *ITEMS[:2],
        ]
    ]
    rows += [[f"R{i}", "Agree", "Strongly agree", "Social worker", "1", "2"] for i in range(12)]
    terms = leaks.local_terms(_export(tmp_path / "local", rows))
    page = "<p>Agree; Strongly agree; a Social worker's view; Manager</p>"
    assert leaks.scan(_page(tmp_path / "html", page), terms) == []


def test_short_respondent_ids_and_total_are_not_identifiers(tmp_path):
    rows = [["Respondent ID", *ITEMS]] + [[f"C{i}", *["3"] * len(ITEMS)] for i in range(1, 41)]
    rows.append(["Total", *["3"] * len(ITEMS)])
    terms = leaks.local_terms(_export(tmp_path / "local", rows))
    page = "<p>dfe/c1_children_in_need_referrals.csv; c4_children; Total: 40 respondents</p>"
    assert leaks.scan(_page(tmp_path / "html", page), terms) == []


def test_a_long_respondent_id_is_still_an_identifier(tmp_path):
    terms = leaks.local_terms(write_canary_exports(tmp_path / "local"))
    assert leaks.scan(_page(tmp_path / "html", "<p>rsp 88213 zk</p>"), terms)


# --- File names, paths, the main book ---------------------------------------------------------------


def test_file_names_and_the_data_path_are_forbidden(tmp_path):
    local = write_canary_exports(tmp_path / "local")
    (local / "Janet Pemberton-Oakes appraisal.txt").write_text("private")
    terms = leaks.forbidden_terms("Derby", local)
    site = _page(tmp_path / "html", "<td>janet pemberton-oakes appraisal.txt</td>")
    assert any(h.term.kind == "file name" for h in leaks.scan(site, terms, "Derby"))
    site = _page(tmp_path / "html2", f"<p>{local}/surveys/staff/Derby/wave-3.csv</p>")
    assert any(h.term.kind == "data folder path" for h in leaks.scan(site, terms, "Derby"))
    # Layout names and the edition's own folder name are not secrets.
    assert leaks.scan(_page(tmp_path / "html3", "<p>surveys/staff/Derby/wave-3.csv</p>"), terms, "Derby") == []


def test_scan_site_refuses_a_leaking_book_and_passes_a_clean_one(tmp_path):
    local = write_canary_exports(tmp_path / "local", authority="C")
    site = _page(tmp_path / "html", "<p>Authority C, wave 3</p>")
    (site / "_static").mkdir()
    (site / "_static" / "theme.js").write_text("var Reading = 1;")  # package assets are not read
    leaks.scan_site(site, local)
    _page(site, f"<p>{CANARIES['phone']}</p>", "book.html")
    with pytest.raises(leaks.LeakError, match="phone"):
        leaks.scan_site(site, local)


def test_work_folders_are_forbidden(tmp_path, national_terms):
    site = _page(tmp_path, "<p>/tmp/roses-data-ab12cd_9/surveys; class roses-data-used</p>")
    assert [h.term.kind for h in leaks.scan(site, national_terms)] == ["work folder path"]


# --- Programme editions refuse real authorities; authority editions see only their own -------------


def test_a_programme_edition_refuses_a_real_authoritys_survey_folder(tmp_path, capsys):
    from roses.commands.cli import main
    from roses.editions.plan import plan_edition

    local = write_canary_exports(tmp_path / "local", authority="Derby")
    write_canary_exports(tmp_path / "local2", authority="C")
    with pytest.raises(RosesError, match=r"programme letters A-K.*surveys/staff/Derby"):
        plan_edition("C", local)
    assert plan_edition("C", tmp_path / "local2").authority == "C"
    assert main(["edition", "C", "--data", str(local), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "surveys/staff/Derby" in err and "roses-data-" not in err


def test_an_authority_edition_sees_only_its_own_folders(tmp_path):
    from roses.editions.build import complete_data

    local = write_canary_exports(tmp_path / "local", authority="Derby")
    write_canary_exports(tmp_path / "other", authority="Leeds")
    (local / "surveys" / "staff" / "Leeds").symlink_to(tmp_path / "other" / "surveys" / "staff" / "Leeds")
    (local / "surveys" / "invited.csv").write_text(
        "survey,authority,wave,invited\nstaff,Derby,3,20\nstaff,Leeds,3,30\n"
    )
    with complete_data(local, ("831", "Derby")) as full:
        assert sorted(p.name for p in (full / "surveys" / "staff").iterdir()) == ["Derby"]
        assert (full / "surveys" / "invited.csv").read_text() == "survey,authority,wave,invited\nstaff,Derby,3,20\n"
        assert (full / "dfe").is_dir()


# --- Notebook outputs, provenance, what changed ------------------------------------------------------


def test_stderr_and_warnings_never_reach_an_executed_notebook(tmp_path):
    from roses.engine.execute import execute

    cell = nbformat.v4.new_code_cell(
        "import sys, warnings\nwarnings.warn('skipped row 1: Janet Pemberton')\n"
        "print('kept')\nprint('/home/jo/data', file=sys.stderr)"
    )
    warned = execute(nbformat.v4.new_notebook(cells=[cell]), tmp_path / "out.ipynb", {}, tmp_path)
    outputs = json.dumps(nbformat.read(tmp_path / "out.ipynb", as_version=4).cells[0].outputs)
    assert "Janet" not in outputs and "/home/jo" not in outputs and "kept" in outputs
    assert any("Janet Pemberton" in w for w in warned)


def test_published_outputs_drops_stderr_of_every_form():
    from roses.engine.execute import published_outputs

    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="secret"),
        nbformat.v4.new_output("display_data", data={"application/vnd.jupyter.stderr": "secret"}),
        nbformat.v4.new_output("error", ename="E", evalue="secret", traceback=["secret"]),
        nbformat.v4.new_output("stream", name="stdout", text="fine"),
    ]
    notebook = published_outputs(nbformat.v4.new_notebook(cells=[cell]))
    assert "secret" not in json.dumps(notebook) and "fine" in json.dumps(notebook)


def test_provenance_lists_only_files_read_and_labels_survey_exports(tmp_path):
    from roses.records import provenance

    local = write_canary_exports(tmp_path / "local", authority="Derby")
    write_canary_exports(tmp_path / "x", authority="C")
    (local / "surveys" / "staff" / "C").symlink_to(tmp_path / "x" / "surveys" / "staff" / "C")
    (local / "Janet Pemberton-Oakes.csv").write_text("a,b\n1,2\n")
    (local / "surveys" / "staff" / "Derby" / "~$wave-3.csv").write_text("lock")
    (local / "published").mkdir()
    (local / "published" / "notes on Janet.csv").write_text("a\n1\n")
    files = provenance.data_files(local)["file"].tolist()
    assert files == ["staff survey, authority C, wave 3", "staff survey, authority folder 1, wave 3"]


def test_data_used_names_files_relative_to_the_data_root_through_links(tmp_path):
    from roses.core import readlog
    from roses.records import provenance

    local = write_canary_exports(tmp_path / "local", authority="C")
    linked = tmp_path / "edition-data"
    linked.mkdir()
    (linked / "surveys").symlink_to(local / "surveys")
    readlog.reset()
    (local / "surveys" / "staff" / "C" / "wave-3.csv").read_bytes()
    used = provenance.data_used(linked)["file"].tolist()
    assert used == ["staff survey, authority C, wave 3"]


def test_what_changed_never_names_a_survey_export():
    from roses.records import releases

    old = {
        "data": {
            "surveys/staff/Janet-Smith/wave-1.csv": "a",
            "dfe/README.md": "b",
            "published/x.csv": "c",
            "surveys/staff/Derby/notes about Janet.csv": "d",
        }
    }
    new = {"data": {"published/x.csv": "c2", "staff survey, authority folder 1, wave 1": "a"}}
    frame = releases.data_changes(old, new)
    assert frame.to_dict("records") == [{"file": "published/x.csv", "status": "changed"}]


def test_the_real_provenance_table_omits_a_stray_file(tmp_path):
    import shutil

    from roses.core.paths import DATA_DIR
    from roses.records import provenance

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "published", data / "published")
    (data / "published" / "Janet Pemberton-Oakes.csv").write_text("a,b\n1,2\n")
    files = provenance.data_files(data)["file"].tolist()
    assert "published/blind_ratings.csv" in files and not any("Janet" in f for f in files)


# --- The redactor and the quoting rule ---------------------------------------------------------------


def test_only_illustrative_comments_may_be_quoted():
    from roses.survey.redact import may_quote

    assert may_quote("illustrative") and not may_quote("local") and not may_quote("published")


# --- The corpus of sneaky identifiers (tests/corpus/leaks.yml) -----------------------------------------


def _corpus() -> list[dict]:
    import yaml

    return yaml.safe_load((Path(__file__).parent / "corpus" / "leaks.yml").read_text(encoding="utf-8"))


def test_the_corpus_has_at_least_fifty_sneaky_identifiers():
    cases = _corpus()
    assert len([c for c in cases if "page" in c]) >= 50 and len({c["id"] for c in cases}) == len(cases)


@pytest.mark.parametrize("case", _corpus(), ids=lambda c: c["id"])
def test_corpus(tmp_path, case):
    column = case.get("column")
    header_extra = (column,) if column else ()
    rows = [["Response ID", *ITEMS, *header_extra, "What is working well?"]]
    for i in range(12):
        planted = case["planted"] if i == 0 else ""
        rows.append(
            [
                f"R{i}",
                *[str(1 + (i + k) % 5) for k in range(len(ITEMS))],
                *([planted] if column else []),
                "" if column else planted,
            ]
        )
    if column and column.lower() in ("response id", "respondent"):
        rows = [["Response ID" if column.lower() == "response id" else "Respondent", *ITEMS]]
        rows += [[case["planted"] if i == 0 else f"R{i}", *["3"] * len(ITEMS)] for i in range(12)]
    local = tmp_path / "local"
    path = local / "surveys" / "staff" / "Derby" / "wave-3.csv"
    path.parent.mkdir(parents=True)
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    terms = leaks.local_terms(local)
    if "page" in case:
        assert leaks.scan(_page(tmp_path / "html", f"<p>{case['page']}</p>"), terms), f"{case['page']!r} not caught"
    if "clean" in case:
        assert leaks.scan(_page(tmp_path / "clean", f"<p>{case['clean']}</p>"), terms) == []
    if "redact" in case:
        from roses.survey.redact import redact

        out = redact(case["planted"])
        assert not [f for f in case["redact"] if f in out], out


def test_allowed_blocks_are_opt_in(tmp_path, national_terms, monkeypatch):
    page = '<figure class="roses-explorer" data-roses-explorer="indicators"><option>Derby</option></figure><p>ok</p>'
    site = _page(tmp_path, page)
    assert leaks.scan(site, national_terms)
    monkeypatch.setitem(leaks.ALLOWED_BLOCKS, "indicators", "test")
    assert leaks.scan(site, national_terms) == []
    _page(tmp_path, page + "<p>Derby</p>")
    assert [h.term.value for h in leaks.scan(site, national_terms)] == ["Derby"]


# --- Issue 28: spellings the scan did not know, and identifiers from any file ------------------------------


@pytest.mark.parametrize(
    "text, name",
    [
        ("<p>The Lincs team</p>", "Lincs"),  # hand-checked short forms (editions/short_names.csv)
        ("<td>WSCC</td>", "WSCC"),
        ("<p>LBTH theme label</p>", "LBTH"),
        ("<p>WMDC codebook</p>", "WMDC"),
        ("<p>#WakefieldCares</p>", "Wakefield"),  # a name inside a hashtag
        ("<p>#wakefieldcares</p>", "Wakefield"),
        ("<p>ourwakefieldstaffsurvey</p>", "Wakefield"),  # run together
        ("<p>W\u0430kefield</p>", "Wakefield"),  # a Cyrillic a
        ("<p>\u0421\u0430mden</p>", "Camden"),  # Cyrillic C and a
    ],
)
def test_short_forms_hashtags_run_together_and_look_alike_names_are_caught(tmp_path, national_terms, text, name):
    assert ("authority name", name) in _kinds(_page(tmp_path, text), national_terms)


def test_a_name_flush_against_a_number_is_caught_unless_its_phrase_is_allowed(tmp_path, national_terms):
    # A search index runs a table's cells together: "Wakefield 2019 39" can read "wakefield201939".
    assert ("authority name", "Wakefield") in _kinds(_page(tmp_path, "<p>wakefield201939</p>"), national_terms)
    assert ("authority name", "Wakefield") not in _kinds(tmp_path, national_terms, own="Wakefield")
    _page(tmp_path, "<p>neighbourwakefield, neighbourwakefieldshire</p>")  # header cells run into names
    assert ("authority name", "Wakefield") not in _kinds(tmp_path, national_terms, own="Wakefield")
    assert ("authority name", "Wakefield") in _kinds(tmp_path, national_terms)
    _page(tmp_path, "<p>neighbournottinghamshire</p>")  # an allowed name holding a shorter one
    assert ("authority name", "Nottingham") not in _kinds(tmp_path, national_terms, own="Nottinghamshire")
    assert ("authority name", "Nottingham") in _kinds(tmp_path, national_terms)
    index = tmp_path / "index"
    _page(index, 'Search.setIndex({"terms": {"nottinghamshir": [3]}})', leaks.SEARCH_INDEX)  # a stemmed word
    assert ("authority name", "Nottingham") not in _kinds(index, national_terms, own="Nottinghamshire")


def test_ordinary_words_and_longer_words_are_not_names(tmp_path, national_terms):
    text = "<p>Our staffs were healing old rifts; the reading group met in Southwarks' annex, understandingly.</p>"
    assert _kinds(_page(tmp_path, text), national_terms) == set()


@pytest.mark.parametrize(
    "text, kind",
    [
        ("<td>Contact jo.bloggs@example.org</td>", "e-mail address"),
        ("<td>Call 07700 900123</td>", "phone number"),
        ("<td>NI QQ 12 34 56 C</td>", "NI number"),
        ("<td>Office at SW1A 1AA</td>", "postcode"),
    ],
)
def test_identifiers_on_a_page_are_caught_whatever_file_they_came_from(tmp_path, text, kind):
    # No term was collected for them (the scan finds them on the page itself: a codebook, a theme label).
    assert kind in {k for k, _ in _kinds(_page(tmp_path, text), [])}


def test_colours_hashes_and_table_numbers_are_not_identifiers(tmp_path):
    text = (
        '<script>{"colorway":["#636efa","#EF553B","#FFA15A"]}</script>'
        "<table><tr><td>0.0005</td><td>0.0002</td><td>10</td></tr></table>"
        "<p>e299f9e510895f051895755a7a0a4b29ed4a7ee213f</p>"
    )
    assert _kinds(_page(tmp_path, text), []) == set()


def test_redactor_and_scan_share_one_set_of_patterns():
    from roses.core import identifiers
    from roses.survey import redact

    assert redact.PATTERNS is identifiers.REDACTION
    assert leaks.UK_PHONE is identifiers.UK_PHONE and leaks.POSTCODE is identifiers.POSTCODE
    assert leaks.ID_COLUMNS is identifiers.RESPONDENT_ID_COLUMNS


def test_the_output_folder_path_is_a_leak(tmp_path):
    # Issue 28: `roses build --data DIR --out /home/jo/...` printed the --out path in downloadable notebooks.
    site = tmp_path / "jo-smith-builds" / "_build" / "html"
    _page(site, f"<p>papermill ran in {tmp_path / 'jo-smith-builds' / '_build'} with data_dir</p>")
    with pytest.raises(leaks.LeakError, match="output folder path"):
        leaks.scan_site(site)
    _page(site, "<p>no path here</p>")
    leaks.scan_site(site)
