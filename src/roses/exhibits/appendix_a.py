"""Appendix A, Figures 1.1-1.4: the report's INUS pie charts (reconstructed from the appendix text).

An INUS pie pictures one sufficient condition for an outcome as a whole pie whose slices are each an
insufficient but necessary part of it (Mackie's INUS conditions). The report draws four. Their
slices are transcribed in ``data/published/appendix_a_inus.csv``: one row per slice, with the section
of Appendix A whose text names it. The report gives no slice sizes (it says they are not precise
calculations), so every slice is drawn the same width.

Each pie is drawn as one horizontal bar divided into equal bands, one per slice (top to bottom),
coloured by the slice's causal role: equal wedges would say no more, and a band keeps its label
inside it at a phone's width. The slices are listed in the summary and in the data table as the
text alternative.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import plotly.graph_objects as go

from roses.core.paths import data_file
from roses.exhibits.charts import base_layout
from roses.exhibits.registry import Params, exhibit
from roses.readers.csvfile import read_csv

FILE = "appendix_a_inus.csv"
MIN_HEIGHT = 300  # the site gives every chart at least this height (book/_static/roses.css)
FIGURES = {  # figure number -> the report's title of the figure (exhibit titles are quotable data)
    "1.1": "INUS Pie Chart Group A (abused as children)",
    "1.2": "INUS Pie Chart Group B (not abused as children)",
    "1.3": "INUS Pie Chart Example 1 (good outcome for the child)",
    "1.4": "INUS Pie Chart Example 2 (poor outcome for the child)",
}
ROLES = {  # causal role of a slice -> colour (white text keeps at least 4.5:1 contrast on each)
    "insufficient but necessary part": "#6a1b9a",
    "unknown factors": "#616161",
    "support factor": "#2e7d32",
    "necessary condition": "#1565c0",
    "practice": "#00695c",
    "derailer": "#c62828",
    "detractor": "#b45309",
    "other factors": "#455a64",
}
ROLES_DARK = {
    role: shade
    for role, shade in zip(
        ROLES, ("#4a148c", "#424242", "#1b5e20", "#0d47a1", "#004d40", "#8e0000", "#7c2d12", "#263238")
    )
}
SCHEMA = pa.DataFrameSchema(
    {
        "figure": pa.Column(str, pa.Check.isin(list(FIGURES))),
        "title": pa.Column(str, pa.Check.isin(list(FIGURES.values()))),
        "position": pa.Column(int, pa.Check.ge(1)),
        "slice": pa.Column(str),
        "role": pa.Column(str, pa.Check.isin(list(ROLES))),
        "stated_in": pa.Column(str, pa.Check.str_matches(r"^A\.[1-6]$")),
    },
    strict=True,
)


def path(data_dir: str | Path | None = None) -> Path:
    return data_file(data_dir, "published", FILE)


def slices(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every slice of the four figures, in figure and position order."""
    frame = read_csv(path(data_dir), SCHEMA)
    return frame.sort_values(["figure", "position"], kind="stable").reset_index(drop=True)


def number(figure: str) -> str:
    """'1.1' -> 'Appendix A Figure 1.1' (the report numbers these inside its appendix)."""
    return f"Appendix A Figure {figure}"


def _frame(figure: str, params: Params) -> pd.DataFrame:
    rows = slices(params.data_dir)
    rows = rows[rows["figure"] == figure]
    return rows[["position", "slice", "role", "stated_in"]].reset_index(drop=True)


def _summary(frame: pd.DataFrame, params: Params) -> str:
    listed = "; ".join(f"{row.slice} ({row.role})" for row in frame.itertuples())
    return (
        f"{len(frame)} slices, this book's choice from the factors the appendix text names (the report's "
        f"own pie labels did not survive extraction): {listed}. Each is drawn the same width, since the "
        "report gives no sizes; only all of them together bring the outcome about."
    )


def _colours(frame: pd.DataFrame) -> list[str]:
    """Each slice's role colour; a slice with the same role as the one before it gets the darker
    shade, so neighbouring slices stay distinguishable."""
    colours, previous = [], None
    for role in frame["role"]:
        dark = role == previous and colours and colours[-1] == ROLES[role]
        colours.append(ROLES_DARK[role] if dark else ROLES[role])
        previous = role
    return colours


def _chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    """One bar divided into equal bands, one per slice, stacked top to bottom and labelled inside, so
    every label has the full width of the page even on a phone. No legend: the bands are labelled,
    and the summary and data table list the slices."""
    fig = go.Figure()
    share = 100 / len(frame)
    for row, colour in zip(frame.itertuples(), _colours(frame)):
        named = row.slice if row.slice.lower() == row.role else f"{row.slice} ({row.role})"
        label = "<br>".join(textwrap.wrap(named, 38))
        fig.add_trace(
            go.Bar(
                x=[""],
                y=[share],
                orientation="v",
                name=row.slice,
                text=[label],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont=dict(color="#ffffff", size=13),
                marker=dict(color=colour, line=dict(color="#ffffff", width=3)),
                hovertemplate=f"{row.slice}<br>{row.role}<extra></extra>",
            )
        )
    fig = base_layout(fig, height=max(MIN_HEIGHT, 80 * len(frame) + 20))
    fig.update_layout(barmode="stack", bargap=0, showlegend=False, margin=dict(l=0, r=0, t=10, b=10))
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(visible=False, range=[100, 0], fixedrange=True)
    return fig


def _register(figure: str) -> None:
    @exhibit(
        f"figure-a{figure}",
        f"{number(figure)}: {FIGURES[figure]}",
        "appendix-a",
        "reconstructed",
        f"Report Appendix A, Figure {figure}; slices as the appendix text names them",
        chart=_chart,
        summary=_summary,
        notes=(
            "Drawn as a divided bar, not a pie: each band keeps its label inside it, even on a phone. "
            "Equal widths: the report says its slice sizes are not precise.",
        ),
    )
    def build(params: Params, figure: str = figure) -> pd.DataFrame:
        return _frame(figure, params)


for _figure in FIGURES:
    _register(_figure)
