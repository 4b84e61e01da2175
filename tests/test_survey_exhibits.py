"""The survey exhibits render as interactive, badged figures that publish only summaries."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from roses.exhibits.registry import Params, all_exhibits, get
from roses.pages.render import lead_and_rest, render

SURVEY = sorted(ex.id for ex in all_exhibits() if ex.build.__module__ == "roses.exhibits.survey")


def test_every_survey_figure_of_the_report_is_built():
    wanted = (
        {"figure-2.1", "figure-2.2", "exhibit-r4.4-parent-survey"}
        | {f"figure-6.{i}" for i in range(1, 9)}
        | {f"figure-7.{i}" for i in range(1, 8)}
    )
    assert wanted <= set(SURVEY)


@pytest.mark.parametrize("exhibit_id", SURVEY)
def test_renders_with_badge_summary_and_valid_chart(exhibit_id):
    ex = get(exhibit_id)
    params = Params(authority="E")
    frame = ex.frame(params)
    html = render(ex, params, frame)
    # The summary's first sentence under the caption, the rest in its notes ("About these figures").
    lead, rest = lead_and_rest(ex.summary(frame, params))
    text = html.replace("&#x27;", "'")
    assert "Illustrative" in html and f"{lead}</p>" in text and rest in text
    assert "respondent" not in [c.lower() for c in frame.columns]  # summaries only, never respondent rows
    if ex.chart is not None:
        figure = ex.chart(frame, params)
        go.Figure(figure.to_dict())  # plotly's full validation (the charts skip it while building)
        assert figure.layout.updatemenus or len(figure.data) >= 2  # a choice for the reader, or several lines


def test_figure_7_2_columns():
    frame = get("figure-7.2").frame()
    assert {"group", "wave", "dimension", "scale_score", "percent_positive", "status", "origin"} <= set(frame.columns)


def test_highlighted_authority_is_drawn_in_magenta():
    ex = get("figure-6.4")
    figure = ex.chart(ex.frame(Params(highlight="E")), Params(highlight="E"))
    mine = [t for t in figure.data if t.name.startswith("E (G2)")]
    assert mine and all(t.visible is True and t.line.color == "#c2185b" for t in mine)
