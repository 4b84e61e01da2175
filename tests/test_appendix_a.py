"""Appendix A, Figures 1.1-1.4: the INUS pies, transcribed as slices and drawn without pie traces."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from roses.core.errors import DataError
from roses.core.origin import Origin
from roses.core.paths import DATA_DIR
from roses.exhibits import appendix_a
from roses.exhibits.registry import Params, get
from roses.pages.render import render
from roses.published import findings

IDS = [f"figure-a{figure}" for figure in appendix_a.FIGURES]


@pytest.mark.parametrize("figure", list(appendix_a.FIGURES))
def test_each_figure_is_a_reconstructed_appendix_exhibit_with_the_reports_number_and_title(figure):
    ex = get(f"figure-a{figure}")
    assert ex.chapter == "appendix-a"
    # Redrawn from the appendix text (the report gives no slice sizes): badged as a reconstruction,
    # never as the report's published drawing (issue 31).
    assert ex.origin == Origin.RECONSTRUCTED
    assert "Reconstruction" in render(ex, Params(), ex.frame()) and "roses-badge-published" not in render(
        ex, Params(), ex.frame()
    )
    assert ex.title == f"Appendix A Figure {figure}: {appendix_a.FIGURES[figure]}"
    assert ex.number.startswith(f"Appendix A Figure {figure}")  # never mistaken for a chapter figure


def test_the_data_file_holds_every_slice_once_in_order():
    slices = appendix_a.slices()
    assert set(slices["figure"]) == set(appendix_a.FIGURES)
    for figure, rows in slices.groupby("figure"):
        assert rows["position"].tolist() == list(range(1, len(rows) + 1)), figure
        assert rows["slice"].is_unique, figure
        assert len(rows) >= 2, figure  # a pie of one slice would say nothing
        assert (rows["title"] == appendix_a.FIGURES[figure]).all()


def test_the_slices_carry_the_roles_the_appendix_text_gives_them():
    slices = appendix_a.slices()
    roles = slices.groupby("figure")["role"].apply(set)
    assert "unknown factors" in roles["1.1"]  # the slice current knowledge cannot name
    assert {"support factor", "practice"} <= roles["1.3"]  # the good outcome
    assert {"derailer", "detractor"} <= roles["1.4"]  # the poor outcome
    assert "derailer" not in roles["1.3"] and "support factor" not in roles["1.4"]


def test_every_slice_cites_a_section_of_appendix_a_that_the_findings_file_has():
    sections = set(findings.findings().query("chapter == 'appendix-a'")["section"])
    assert set(appendix_a.slices()["stated_in"]) <= sections


@pytest.mark.parametrize("id", IDS)
def test_charts_are_divided_bars_with_one_equal_band_per_slice(id):
    ex = get(id)
    frame = ex.frame()
    fig = ex.chart(frame, Params())
    assert {trace.type for trace in fig.data} == {"bar"}
    assert [trace.name for trace in fig.data] == frame["slice"].tolist()
    widths = {round(float(trace.y[0]), 6) for trace in fig.data}
    assert len(widths) == 1  # the report gives no slice sizes, so none is drawn bigger
    assert sum(float(trace.y[0]) for trace in fig.data) == pytest.approx(100)
    assert fig.layout.barmode == "stack" and fig.layout.showlegend is False  # bands are labelled


@pytest.mark.parametrize("id", IDS)
def test_the_text_alternative_names_every_slice(id):
    ex = get(id)
    frame = ex.frame()
    summary = ex.summary(frame, Params())
    for row in frame.itertuples():
        assert row.slice in summary and row.role in summary
    html = render(ex)
    assert "Data table for" in html and "Reconstruction" in html
    for name in frame["slice"]:
        assert name.replace("'", "&#x27;") in html or name in html


def test_a_slice_with_an_unknown_role_is_reported_by_file_row_and_column(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "published", data / "published")
    path = data / "published" / appendix_a.FILE
    frame = pd.read_csv(path, dtype=str)
    frame.loc[0, "role"] = "cause"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as error:
        appendix_a.slices(data)
    message = str(error.value)
    assert appendix_a.FILE in message and "role" in message and "cause" in message


def test_the_appendix_page_shows_every_figure(repo_root):
    import nbformat

    notebook = nbformat.read(repo_root / "book" / "appendix-a.ipynb", as_version=4)
    shown = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    for id in IDS:
        assert f'page.show("{id}")' in shown
        assert f"({id.replace('.', '-')})=" in text  # a cross-reference target before each figure


def test_a_pie_s_caption_says_its_slices_are_this_book_s_reading_of_the_text():
    """The report's pie labels did not survive extraction: the slices of Figures 1.3 and 1.4 are the
    appendix's examples of support factors, derailers and detractors, chosen by this book."""
    for figure in ("figure-a1.3", "figure-a1.4"):
        ex = get(figure)
        summary = ex.summary(ex.frame(), Params())
        assert "this book's choice from the factors the appendix text names" in summary, summary
