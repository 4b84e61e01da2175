"""A real authority's edition: its chapters, its exhibits (named neighbours, Ofsted, self-assessment), the
report's findings cited on its pages, and a leak scan that allows exactly its neighbours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roses.core.errors import DataError
from roses.core.origin import Origin
from roses.core.paths import DATA_DIR
from roses.editions import authority as editions_authority
from roses.editions import leaks
from roses.editions.methods import survey_protection
from roses.editions.plan import plan_edition, toc_yaml
from roses.exhibits import authority as ex
from roses.exhibits.local import params_for
from roses.exhibits.registry import Params, get
from roses.national import compare, indicators
from roses.pages.facts.report import report_findings
from roses.pages.render import render
from roses.published import self_assessment, tables
from roses.published.tables import FACTORS
from roses.records import provenance, releases


def _self_file(folder: Path, scores: dict[str, int] | None = None, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    scores = scores or dict(zip(FACTORS, [3, 2, 3, 2, 2, 1, 2, 3]))
    lines = ["factor,score" + ("," + extra.split("=")[0] if extra else "")]
    lines += [f"{f},{s}" + ("," + extra.split("=")[1] if extra else "") for f, s in scores.items()]
    path = folder / self_assessment.FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- The plan -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("authority", ["Camden", "Kent"])
def test_authority_edition_toc_snapshots(authority, snapshot):
    snapshot(f"edition_toc_authority_{authority}.yml", toc_yaml(plan_edition(authority, DATA_DIR)))


def test_every_chapter_with_evidence():
    plan = plan_edition("Derby", DATA_DIR)
    files = [c["file"] for c in plan.toc["parts"][0]["chapters"]]
    assert files == ["book/leadership", "book/findings", "book/conclusion"]
    cells = {p.docname: "\n".join(c.source for c in p.notebook.cells) for p in plan.notebooks}
    for id in (ex.COMPARISON, ex.NEIGHBOURS, ex.NEIGHBOUR_TRENDS, ex.FUNNEL):
        assert f'page.show("{id}")' in cells["book/findings"]
    assert f'page.show("{ex.OFSTED}")' in cells["book/leadership"]
    assert ex.SELF_ASSESSMENT not in cells["book/findings"]  # no local file
    assert 'indicators"' not in cells["book/findings"]  # superseded by Exhibit R7.4
    index = plan.pages[0].markdown
    assert "East Midlands" in index and all(n in index for n in compare.named_neighbours("831")["la_name"])


def test_research_findings_are_cited_with_glued_numbers():
    plan = plan_edition("Derby", DATA_DIR)
    facts = report_findings(None)
    for page in plan.notebooks:
        prose = "\n".join(c.source for c in page.notebook.cells if c.cell_type == "markdown")
        research = prose[prose.index("## What the programme's research found") :] if "research found" in prose else ""
        assert research, page.docname
        for name in re.findall(r"\{glue\}`([^`]+)`", research):
            assert name in facts, name
        bare = re.sub(r"\{glue\}`[^`]+`", "", research)
        bare = editions_authority.ALLOWED_NUMBERS.sub("", bare)
        assert not re.search(r"\d", bare), f"{page.docname}: a typed number"


def test_self_assessment_joins_the_edition_when_supplied(data_copy):
    _self_file(data_copy)
    plan = plan_edition("Derby", data_copy)
    findings = next(p for p in plan.notebooks if p.docname == "book/findings")
    assert f'page.show_edition("{ex.SELF_ASSESSMENT}")' in "\n".join(c.source for c in findings.notebook.cells)


# --- The exhibits ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("id", ex.ALL)
def test_authority_exhibits_without_an_authority_show_no_authority(id):
    """The book and programme editions: England only, or an empty frame; never one authority's figures."""
    exhibit = get(id)
    for params in (Params(), params_for("C", None)):
        frame = exhibit.frame(params)
        html = render(exhibit, params)
        assert "Derby" not in html and "Coventry" not in html
        if id in ex.AUTHORITY_ONLY:
            assert frame.empty
        assert exhibit.origin_for(params) in (Origin.NATIONAL, Origin.ANALYSIS)


def test_neighbours_exhibit_names_them():
    frame = get(ex.NEIGHBOURS).frame(Params(authority="Derby"))
    assert frame["neighbour"].tolist() == compare.named_neighbours("831")["la_name"].tolist()


def test_comparison_summary_says_which_indicators():
    params = Params(authority="Derby")
    exhibit = get(ex.COMPARISON)
    summary = exhibit.summary(exhibit.frame(params), params)
    assert "best quarter of authorities on" in summary and "(social worker turnover rate" in summary
    assert (
        "Not ranked because DfE's own figures disagree: social worker turnover rate 2017 (FTE and headcount "
        "disagree: leavers FTE 0 but headcount 13)"
    ) in summary


# --- Self-assessment -----------------------------------------------------------------------------------------


def test_self_assessment_is_placed_among_the_groups(tmp_path):
    _self_file(tmp_path)
    frame, origin = self_assessment.for_folder(tmp_path)
    assert origin == Origin.ANALYSIS
    total = frame.set_index("factor").loc["total"]
    assert total["score"] == 18 and total["closest_group"] == "2"
    assert 0 <= total["programme_at_or_below"] <= 10
    html = render(get(ex.SELF_ASSESSMENT), Params(data_dir=tmp_path, authority="Derby"))
    assert "self-assessed total is 18" in html


def test_a_synthetic_self_assessment_is_illustrative(tmp_path):
    _self_file(tmp_path, extra="synthetic=yes")
    assert self_assessment.for_folder(tmp_path)[1] == Origin.ILLUSTRATIVE
    html = render(get(ex.SELF_ASSESSMENT), Params(data_dir=tmp_path, authority="Derby"))
    assert "Local data" not in html


@pytest.mark.parametrize(
    "change, row, column",
    [
        ({"family_finding": 4}, 7, "score"),
        ({"family_finding": 0}, 7, "score"),
    ],
)
def test_a_bad_score_names_file_row_and_column(tmp_path, change, row, column):
    scores = dict(zip(FACTORS, [2] * 8)) | change
    path = _self_file(tmp_path, scores)
    with pytest.raises(DataError) as error:
        self_assessment.read(path)
    text = str(error.value)
    assert self_assessment.FILE in text and f"row {row}" in text and f"'{column}'" in text


def test_an_unknown_or_missing_factor_is_an_error(tmp_path):
    scores = dict(zip(FACTORS, [2] * 8))
    del scores["practice_leaders"]
    path = _self_file(tmp_path, scores | {"pratice_leaders": 2})
    with pytest.raises(DataError) as error:
        self_assessment.read(path)
    assert "pratice_leaders" in str(error.value) and "'factor'" in str(error.value)
    path = _self_file(tmp_path, {f: 2 for f in FACTORS[:-1]})
    with pytest.raises(DataError, match="practice_leaders"):
        self_assessment.read(path)


# --- The leak scan ---------------------------------------------------------------------------------------


def _site(tmp_path: Path, text: str) -> Path:
    site = tmp_path / "html"
    site.mkdir(parents=True)
    (site / "index.html").write_text(f"<p>{text}</p>", encoding="utf-8")
    return site


def test_leak_scan_allows_exactly_the_authority_its_region_and_its_named_neighbours(tmp_path):
    names = compare.named_neighbours("831")["la_name"].tolist()
    site = _site(tmp_path, "Derby, East Midlands, England; its neighbours " + ", ".join(names))
    assert leaks.scan(site, leaks.forbidden_terms("Derby", None), "Derby") == []
    other = _site(tmp_path / "other", "Derby beside Leeds")
    assert [h.term.value for h in leaks.scan(other, leaks.forbidden_terms("Derby", None), "Derby")] == ["Leeds"]
    # Another edition may not name Derby's neighbours.
    hits = leaks.scan(site, leaks.forbidden_terms("Kent", None), "Kent")
    assert {"Derby", "Coventry"} <= {h.term.value for h in hits}


# --- Local folders: what was found, synthetic examples ----------------------------------------------------


def test_synth_for_a_real_authority_is_marked_synthetic(tmp_path, capsys):
    from roses.commands.cli import main
    from roses.survey import data as survey_data
    from roses.survey.readers import SYNTHETIC_MARK

    out = tmp_path / "example"
    assert main(["synth", "--authority", "derby", "--out", str(out)]) == 0
    assert (out / "surveys" / "staff" / "Derby" / SYNTHETIC_MARK).is_file()
    assert self_assessment.for_folder(out)[1] == Origin.ILLUSTRATIVE
    waves = survey_data.responses("staff", out).waves
    assert set(waves.loc[waves["authority"] == "Derby", "origin"]) == {"illustrative"}
    # The edition never shows them as Derby's own: no survey chapter joins, the self-assessment is illustrative.
    plan = plan_edition("Derby", _merged(tmp_path, out))
    assert [c["file"] for c in plan.toc["parts"][0]["chapters"]] == [
        "book/leadership",
        "book/findings",
        "book/conclusion",
    ]
    found = editions_authority.local_evidence("Derby", out)
    assert found["used"] == [] and len(found["synthetic"]) >= 5


def _merged(tmp_path: Path, local: Path) -> Path:
    """A data folder as an edition sees it: the local folder plus the repository's other folders."""
    merged = tmp_path / "merged"
    merged.mkdir()
    for entry in local.iterdir():
        (merged / entry.name).symlink_to(entry)
    for name in ("published", "instruments", "dfe"):
        if not (merged / name).exists():
            (merged / name).symlink_to(DATA_DIR / name)
    return merged


def test_a_folder_with_nothing_for_the_authority_is_said_and_strict_exits_2(tmp_path, capsys):
    from roses.commands.cli import main

    folder = tmp_path / "local"
    (folder / "surveys" / "staff" / "Leeds").mkdir(parents=True)
    (folder / "surveys" / "staff" / "Leeds" / "wave-1.csv").write_text("a\n1\n")
    (folder / "notes.txt").write_text("x")
    assert main(["edition", "Derby", "--data", str(folder), "--strict", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "holds nothing for Derby" in err and "--strict" in err
    assert "not used for Derby: notes.txt" in err and "not used for Derby: surveys/staff/Leeds/wave-1.csv" in err
    assert not (tmp_path / "out").exists()


def test_a_standalone_edition_travels_as_one_folder(tmp_path):
    from roses.editions.build import build_edition

    result = build_edition("Derby", out=tmp_path / "editions", standalone=True)
    links = [p for p in result.html.rglob("*") if p.is_symlink()]
    assert links == []
    assert (result.html / "_static" / "roses.css").is_file() or list((result.html / "_static").glob("*.css"))
    page = (result.html / "book" / "findings.html").read_text(encoding="utf-8")
    assert "Coventry" in page and 'id="exhibit-r7-7-funnel-exhibit"' in page


def test_leak_scan_for_a_name_with_two_codes():
    """Dorset was 835 until 2019 and is 838 now: the edition's neighbours are those of the code it is built for."""
    assert (
        leaks.edition_names("Dorset")[1:] == compare.named_neighbours(compare.resolve("Dorset")[0])["la_name"].tolist()
    )
    assert "Kent" in leaks.edition_names("Dorset")


def test_every_authority_edition_has_a_methods_glossary_and_dates_page():
    plan = plan_edition("Derby", DATA_DIR)
    assert plan.toc["parts"][-1]["chapters"] == [{"file": "book/methods"}]
    page = next(p.markdown for p in plan.pages if p.docname == "book/methods")
    for definition in indicators.definitions().values():
        assert definition.label in page and definition.definition in page
    assert compare.FUNNEL_METHOD in page and "Spiegelhalter 2005" in page
    assert survey_protection() in " ".join(page.split())  # how far survey figures may differ from the tool
    assert f"built on {provenance.build_date()}" in page
    assert f"roses release {releases.latest()['version']}" in page
    assert "## Glossary" in page and "Statistical neighbours" in page
    # The data releases: every national file with the years it holds, read from the file itself.
    assert "| DfE children looked after in England (numbers and rates) | 2021 to 2025 |" in page
    assert f"built on {provenance.build_date()}" in plan.pages[0].markdown  # the landing page says it too


def test_a_programme_edition_opens_on_a_landing_page_of_its_own(tmp_path):
    plan = plan_edition("C", None)
    landing = plan.pages[0]
    assert landing.docname == plan.toc["root"]
    text = landing.markdown
    group = tables.groups()["C"]
    assert text.startswith("# Edition for programme authority C")
    assert f"C is in **Group {group}**" in text and "What is anonymised, and why" in text
    assert "No local files were given" in text
    assert "Select a part of the loop" in text  # the book's own front page follows
    # With local exports: they are listed by label, this letter's only.
    local = tmp_path / "local"
    for letter in ("C", "D"):
        folder = local / "surveys" / "staff" / letter
        folder.mkdir(parents=True)
        (folder / "wave-1.csv").write_text("Respondent ID\nR1\n", encoding="utf-8")
    text = plan_edition("C", local).pages[0].markdown
    assert "- staff survey, authority C, wave 1" in text and "authority D" not in text


def test_change_since_the_authority_s_first_survey(tmp_path):
    """A staff survey dated 14 March 2024: each indicator's change runs from its last figure before that
    date (census year to 31 March 2023, workforce year to 30 September 2023) to its latest."""
    from editions_helpers import write_canary_exports

    local = write_canary_exports(tmp_path / "local", "Derby")
    (local / "surveys" / "waves.csv").write_text(
        "survey,authority,wave,date\nstaff,Derby,3,2024-03-14\n", encoding="utf-8"
    )
    params = params_for("Derby", local)
    frame = get(ex.LATEST).frame(params).set_index("indicator")
    every_year = compare.comparison("Derby").set_index(["indicator", "year"])["value"]
    for key, label, baseline in (
        ("cla_rate", "Children looked after at 31 March", 2023),
        ("turnover", "Social worker turnover rate", 2023),
    ):
        row = frame.loc[label]
        assert row["baseline_year"] == baseline
        assert row["since_baseline"] == pytest.approx(every_year[(key, 2025)] - every_year[(key, baseline)], abs=0.011)
    assert "first own survey (March 2024)" in get(ex.LATEST).summary(frame.reset_index(), params)
    # Without a dated survey there is no such column.
    assert "since_baseline" not in get(ex.LATEST).frame(params_for("Derby", None))


def test_an_edition_sees_only_its_own_rows_of_every_side_table(tmp_path):
    from roses.editions.build import own_surveys

    surveys = tmp_path / "surveys"
    for name in ("Derby", "Leeds"):
        (surveys / "staff" / name).mkdir(parents=True)
        (surveys / "staff" / name / "wave-1.csv").write_text("Respondent ID\nR1\n", encoding="utf-8")
    (surveys / "waves.csv").write_text(
        "survey,authority,wave,date\nstaff,Derby,1,2024-03-14\nstaff,Leeds,1,2024-05-01\n", encoding="utf-8"
    )
    (surveys / "invited.csv").write_text("survey,authority,wave,invited\nstaff,Leeds,1,300\n", encoding="utf-8")
    own_surveys(surveys, tmp_path / "own", ("831", "Derby"))
    assert (tmp_path / "own" / "waves.csv").read_text(encoding="utf-8").splitlines() == [
        "survey,authority,wave,date",
        "staff,Derby,1,2024-03-14",
    ]
    assert "Leeds" not in (tmp_path / "own" / "invited.csv").read_text(encoding="utf-8")
    assert [p.name for p in (tmp_path / "own" / "staff").iterdir()] == ["Derby"]
    found = editions_authority.local_evidence("Derby", tmp_path)
    assert "surveys/waves.csv" in found["used"]


def test_what_was_read_accounts_for_every_file_respondent_and_comment(tmp_path):
    from editions_helpers import CANARIES, write_canary_exports

    local = write_canary_exports(tmp_path / "local", "Derby")
    exhibit = get("exhibit-r4.6-what-was-read")
    params = params_for("Derby", local)
    frame = exhibit.frame(params)
    assert exhibit.origin_for(params) == Origin.LOCAL
    mine = frame[frame["authority"] == "Derby"].iloc[0]
    assert (mine["survey"], mine["authority"], mine["wave"], mine["files"]) == ("staff", "Derby", 3, "1 CSV")
    assert mine["respondents"] == 14 and mine["comments"] == 2  # two respondents wrote a comment
    assert mine["comments_used"] == "theme counts (Exhibit R4.2)"
    assert mine["date"] == "not known" and mine["rows_left_out"] == "none"
    text = frame.to_csv()
    assert not any(canary in text for canary in CANARIES.values())  # counts only, never what was written
    assert "Every export read" in exhibit.summary(frame, params)
