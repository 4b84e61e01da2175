"""Figure 4.1, the quality assurance system: its transcribed structure, its chart and text alternative."""

from __future__ import annotations

import shutil

import pytest

from roses.core.errors import DataError
from roses.core.origin import Origin
from roses.core.paths import REPO_ROOT
from roses.exhibits import figure_4_1
from roses.exhibits.registry import Params, get
from roses.pages import plotlyjs
from roses.pages.render import render

METHODS = {"Collaborative case audit", "Case management dashboard", "Staff survey", "Parent survey", "Core data set"}


@pytest.fixture
def published_copy(tmp_path):
    """A data folder holding only a copy of the figure's file."""
    (tmp_path / "published").mkdir()
    shutil.copy(REPO_ROOT / "data" / "published" / figure_4_1.FILE, tmp_path / "published")
    return tmp_path


def _frame(data_dir=None):
    return get("figure-4.1").frame(Params(data_dir=data_dir))


def test_registered_as_the_reports_figure_in_its_chapter():
    ex = get("figure-4.1")
    assert (ex.number, ex.title, ex.chapter, ex.origin) == (
        "Figure 4.1",
        "Quality assurance system",
        "meaningful-measures",
        Origin.RECONSTRUCTED,
    )


def test_the_five_methods_of_section_4_1_feed_the_system():
    frame = _frame()
    assert set(frame.loc[frame["component_kind"] == "method", "component"]) == METHODS
    assert (frame.loc[frame["informs_kind"] == "goal", "informs"] == "A learning organisation").all()


def test_links_a_reader_would_check():
    frame = _frame()
    pairs = set(zip(frame["component"], frame["informs"]))
    assert ("Case management dashboard", "Breadth: how much Signs of Safety practice is happening") in pairs
    assert ("Collaborative case audit", "Depth: the quality of that practice") in pairs
    assert ("Staff survey", "Organisational culture") in pairs
    assert ("Core data set", "Impact on children's safety and well-being") in pairs
    # The dashboard alone cannot judge quality (section 4.3).
    assert ("Case management dashboard", "Depth: the quality of that practice") not in pairs
    # Breadth and depth are what let the impact figures be read (section 4.1).
    assert {
        ("Breadth: how much Signs of Safety practice is happening", "Impact on children's safety and well-being"),
        ("Depth: the quality of that practice", "Impact on children's safety and well-being"),
    } <= pairs


def test_every_link_names_a_section_of_the_report():
    frame = _frame()
    assert frame["how"].str.len().gt(0).all()
    assert frame["report_section"].str.match(r"^(4\.[1-7]|6\.3)$").all()


def test_every_measure_reaches_the_learning_organisation():
    frame = _frame()
    measures = set(frame.loc[frame["informs_kind"] == "measure", "informs"])
    to_goal = set(frame.loc[frame["informs_kind"] == "goal", "component"])
    assert measures <= to_goal


def test_chart_uses_the_bundles_traces_and_labels_every_node():
    frame = _frame()
    fig = get("figure-4.1").chart(frame, Params())
    assert {trace.type for trace in fig.data} <= plotlyjs.TRACES
    labels = " ".join(" ".join(t.text) for t in fig.data if t.text is not None).replace("<br>", " ")
    for name in set(frame["component"]) | set(frame["informs"]):
        assert name in labels


def test_text_alternative_lists_every_link():
    frame = _frame()
    html = render(get("figure-4.1"))
    assert "Data table for Figure 4.1" in html
    for how in frame["how"]:
        assert how.replace("'", "&#x27;") in html


def test_a_link_to_an_unknown_node_names_row_and_column(published_copy):
    path = published_copy / "published" / figure_4_1.FILE
    lines = path.read_text().splitlines()
    lines.append("link,,,,dashboard,nowhere,a link to a node that does not exist,4.3")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as error:
        figure_4_1.qa_system(published_copy)
    assert f"row {len(lines)}" in str(error.value) and "target" in str(error.value)
    assert "nowhere" in str(error.value)


def test_a_node_without_a_tier_is_refused(published_copy):
    path = published_copy / "published" / figure_4_1.FILE
    text = path.read_text().replace("node,cca,Collaborative case audit,method,", "node,cca,Collaborative case audit,,")
    path.write_text(text)
    with pytest.raises(DataError, match="tier"):
        figure_4_1.qa_system(published_copy)
