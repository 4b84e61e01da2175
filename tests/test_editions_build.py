"""Editions built for real (slow): canaries never survive, an interrupted build leaves the old edition,
batches report failures, Dask runs the same work."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from editions_helpers import all_text, canary_patterns, write_canary_exports

from roses.commands.cli import main as roses_main
from roses.core.errors import RosesError
from roses.core.paths import REPO_ROOT
from roses.editions.batch import build_many, summary
from roses.editions.build import build_edition

pytestmark = pytest.mark.slow


def test_derby_edition_with_canary_survey_files_publishes_none_of_them(tmp_path):
    local = write_canary_exports(tmp_path / "local", "Derby")
    result = build_edition("Derby", data_dir=local, out=tmp_path / "editions")
    html = tmp_path / "editions" / "Derby" / "html"
    assert result.html == html and (html / "index.html").is_file()
    texts = all_text(html)
    assert any("Derby" in t for t in texts.values())
    for kind, pattern in canary_patterns().items():
        leaked = [str(p.relative_to(html)) for p, t in texts.items() if pattern.search(t)]
        assert not leaked, f"{kind} canary found in {leaked}"
    # No local path, and nothing respondent-level, in the published notebooks.
    notebooks = [t for p, t in texts.items() if p.suffix == ".ipynb"]
    assert notebooks and not any(str(local) in t for t in notebooks)
    # An edition's own pages stay small (the theme's files are shared through _static): 3.5 MB since
    # the methods page, Exhibits R4.6 and R7.11 and the CSV files joined each edition.
    assert (html / "_static").is_symlink() and result.bytes <= 3_500_000


CHART_MARK = "window.rosesCharts.push("


def _points(values) -> int:
    """How many values a trace attribute holds (plotly writes numeric arrays as base64 'bdata')."""
    if values is None:
        return 0
    if isinstance(values, dict) and "bdata" in values:
        import numpy as np  # noqa: PLC0415

        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
        return int(np.isfinite(array.astype(float)).sum())
    return sum(1 for v in values if v is not None)


def chart_specs(html: Path):
    """Every chart of a built site, as the figure spec its page hands the drawer."""
    decoder = json.JSONDecoder()
    for page in sorted(html.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(re.escape(CHART_MARK), text):
            yield decoder.raw_decode(text[match.end() :])[0]


def charts(html: Path) -> dict[str, int]:
    """Every chart of a built site: its element id and how many data points its traces hold."""
    return {
        spec["id"]: sum(max(_points(t.get("x")), _points(t.get("y"))) for t in spec["data"])
        for spec in chart_specs(html)
    }


def as_microsoft_forms(path: Path, start: dt.datetime) -> None:
    """The export rewritten as Microsoft Forms writes a workbook: ID, Start time, Completion time (date
    cells), Email, Name, then one column per question."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="Respondent ID")
    begun = [start + dt.timedelta(hours=3 * i) for i in range(len(table))]
    tool = pd.DataFrame(
        {
            "ID": range(1, len(table) + 1),
            "Start time": begun,
            "Completion time": [b + dt.timedelta(minutes=20) for b in begun],
            "Email": "anonymous",
            "Name": "",
        }
    )
    pd.concat([tool, table], axis=1).to_excel(path.with_suffix(".xlsx"), index=False, sheet_name="Sheet1")
    path.unlink()


def as_google_forms(path: Path, year: int) -> None:
    """The export rewritten as Google Forms writes a CSV: a Timestamp (UK order, 13-22 March), then the
    questions, and no respondent id."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns="Respondent ID")
    stamps = [f"{13 + i % 10:02d}/03/{year} 10:21:07" for i in range(len(table))]
    pd.concat([pd.DataFrame({"Timestamp": stamps}), table], axis=1).to_csv(path, index=False)


@pytest.fixture(scope="module")
def derby_from_exports(tmp_path_factory) -> Path:
    """Derby's edition built from survey exports: one programme authority's synthetic respondents filed under
    Derby (not marked synthetic), staff waves 1-2 and parent rounds 1-2 as roses synth writes them, wave 3
    as a Microsoft Forms workbook, wave 4 as a Google Forms CSV; no invitation counts."""
    root = tmp_path_factory.mktemp("derby")
    assert roses_main(["synth", "--out", str(root / "synth")]) in (0, None)
    for survey in ("staff", "parent"):
        shutil.copytree(root / "synth" / "surveys" / survey / "C", root / "local" / "surveys" / survey / "Derby")
    staff = root / "local" / "surveys" / "staff" / "Derby"
    as_microsoft_forms(staff / "wave-3.csv", dt.datetime(2024, 3, 11, 9))
    as_google_forms(staff / "wave-4.csv", 2025)
    # Waves 1 and 2 dated by surveys/waves.csv (their exports carry no dates); the parent rounds undated.
    dates = "".join(f"staff,Derby,{w},{2021 + w}-03-14\n" for w in (1, 2))
    (root / "local" / "surveys" / "waves.csv").write_text("survey,authority,wave,date\n" + dates, encoding="utf-8")
    build_edition("Derby", data_dir=root / "local", out=root / "editions")
    return root / "editions" / "Derby" / "html"


def test_every_chart_of_an_edition_from_local_exports_draws_its_data(derby_from_exports):
    found = charts(derby_from_exports)
    assert {"chart-figure-6-1-derby", "chart-figure-6-2-derby", "chart-exhibit-r4-1-response-rates-derby"} <= set(found)
    empty = [chart for chart, points in found.items() if points == 0]
    assert not empty, f"charts with no data points: {empty}"


def tick_labels(html: Path) -> dict[str, list[str]]:
    """Every chart's x-axis tick labels, by chart id."""
    return {spec["id"]: list((spec["layout"].get("xaxis") or {}).get("ticktext") or []) for spec in chart_specs(html)}


def test_an_authority_s_waves_are_labelled_by_its_own_dates_never_the_programme_s_years(derby_from_exports):
    ticks = tick_labels(derby_from_exports)
    staff = ticks["chart-figure-6-1-derby"]
    # Waves 1-2 from waves.csv, 3 from Microsoft Forms' completion times, 4 from Google Forms' timestamps.
    assert staff == [f"Wave {w}<br>Mar {2021 + w}" for w in range(1, 5)]
    parent = ticks["chart-exhibit-r4-4-parent-survey-derby"]
    assert parent and all(re.fullmatch(r"Round \d", t) for t in parent)  # undated: no year at all
    programme_years = {"2014", "2015", "2016", "2017", "2018", "2019"}
    labelled = [t for labels in ticks.values() for t in labels if "Wave" in t or "Round" in t]
    assert labelled and not [t for t in labelled if set(re.findall(r"\d{4}", t)) & programme_years]


def test_the_printed_edition_keeps_every_indicator_and_the_rank_table(derby_from_exports, tmp_path):
    """The PDF of Derby's edition keeps every national indicator with its rank and quartile (Exhibit R7.11,
    a table the print keeps whole, where the long R7.4 table is only named), the accounting of what was
    read (R4.6) and the methods page."""
    from roses.national import indicators
    from roses.site.pdf import write_pdf

    pdf = write_pdf(derby_from_exports, tmp_path / "derby.pdf", subtitle="Edition for Derby")
    text = subprocess.run(["pdftotext", str(pdf.path), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(text.split())
    assert "Exhibit R7.11" in words and "Quartile" in words and "Methods, glossary and dates" in words

    # A label wrapped in a table cell is read line by line, between the row's numbers: its first line
    # (the first three words) is found whole.
    table = text[text.index("Exhibit R7.11: Where") : text.index("Exhibit R7.4: An authority")]
    assert "Quartile" in table and "Rank" in table
    lines = {" ".join(line.split()) for line in table.splitlines()}
    starts = [" ".join(d.label.split()[:3]) for d in indicators.definitions().values()]
    missing = [s for s in starts if not any(line.startswith(s) for line in lines)]
    assert not missing, f"indicators not in the printed edition: {missing}"
    assert "Exhibit R4.6" in words and "theme counts" in words


def _leeds(out: Path) -> list[str]:
    return [sys.executable, "-m", "roses.commands.cli", "edition", "Leeds", "--out", str(out)]


def test_a_killed_build_leaves_the_previous_edition_and_a_rerun_succeeds(tmp_path):
    out = tmp_path / "editions"
    build_edition("Leeds", out=out)
    index = out / "Leeds" / "html" / "index.html"
    before = index.read_bytes()
    index.write_bytes(before.replace(b"</body>", b"<!-- previous edition --></body>"))
    marked = index.read_bytes()

    run = subprocess.Popen(_leeds(out), start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    # Kill once the new build has executed a notebook: the middle of the work.
    while time.monotonic() < deadline and not list((out / "Leeds").glob(".building-*/source/book/*.ipynb")):
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    assert list((out / "Leeds").glob(".building-*")), "the build was killed before it started"
    assert index.read_bytes() == marked, "the previous edition changed"

    rerun = subprocess.run(_leeds(out), capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert b"previous edition" not in index.read_bytes()
    assert not list((out / "Leeds").glob(".building-*")) and not list((out / "Leeds").glob(".old-*"))


def test_dask_cluster_builds_editions_and_reports_failures(tmp_path):
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        results = build_many(["York", "Atlantis"], out=tmp_path / "editions", scheduler=client, progress=False)
    by_name = {r.authority: r for r in results}
    assert by_name["York"].ok and (tmp_path / "editions" / "York" / "html" / "index.html").is_file()
    assert not by_name["Atlantis"].ok and "unknown authority" in by_name["Atlantis"].error
    assert "1 of 2 editions built; 1 failed:\n  Atlantis: unknown authority" in summary(results)


def test_editions_command_with_workers_exits_1_and_lists_the_failure(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "roses.commands.cli",
            "editions",
            "Kent",
            "Nowhere",
            "--workers",
            "2",
            "--out",
            str(tmp_path / "editions"),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert "1 of 2 editions built; 1 failed:" in run.stderr and "Nowhere: unknown authority" in run.stderr
    assert (tmp_path / "editions" / "Kent" / "html" / "index.html").is_file()


def test_a_bad_national_file_that_only_a_chapter_reads_names_the_chapter_file_row_and_column(data_copy, tmp_path):
    """The plan does not read the workforce file (only the chapters' kernels do); its error still names
    where the bad cell is, and no edition is published."""
    dfe = data_copy / "dfe"
    dfe.unlink()
    shutil.copytree(REPO_ROOT / "data" / "dfe", dfe)
    path = dfe / "csww_indicators_2017_to_2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if ",Kent," in line)
    lines[index] = "twenty" + lines[index][lines[index].index(",") :]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RosesError) as error:
        build_edition("Kent", data_dir=data_copy, out=tmp_path / "editions")
    message = str(error.value)
    assert re.search(r"edition 'Kent': book/[a-z-]+ failed to execute", message), message
    assert f"{path.name}, row {index + 1}, column 'time_period': found 'twenty'" in message
    assert not (tmp_path / "editions" / "Kent" / "html").exists()
