"""Figure 4.1, the quality assurance system (report section 4.1): how the parts act together.

The report prints Figure 4.1 as a drawing. ``data/published/figure_4_1_qa_system.csv`` transcribes its
structure as data: nodes (the quality assurance methods, what they tell the organisation, and the
learning organisation they serve) and links, each link with the report section that states it. The
exhibit's frame has one row per link, so the data table under the chart is its text alternative.
Only scatter and bar traces are used (the traces of the plotly bundle the site ships).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import plotly.graph_objects as go

from roses.core.errors import DataError, Problem
from roses.core.paths import data_file
from roses.exhibits.charts import GROUP_COLOURS, HIGHLIGHT_COLOUR, base_layout
from roses.exhibits.registry import Params, exhibit
from roses.readers.csvfile import read_csv

FILE = "figure_4_1_qa_system.csv"
TIERS = {  # tier: (column on the chart, legend name, colour)
    "method": (0.0, "Quality assurance method", GROUP_COLOURS[2]),
    "measure": (1.0, "What it tells the organisation", GROUP_COLOURS[1]),
    "goal": (2.0, "What the system serves", HIGHLIGHT_COLOUR),
}
LINE_COLOUR = "#757575"  # 4.6:1 against white

SCHEMA = pa.DataFrameSchema(
    {
        "kind": pa.Column(str, pa.Check.isin(["node", "link"])),
        "id": pa.Column(str, nullable=True),
        "label": pa.Column(str, nullable=True),
        "tier": pa.Column(str, pa.Check.isin(list(TIERS)), nullable=True),
        "source": pa.Column(str, nullable=True),
        "target": pa.Column(str, nullable=True),
        "relation": pa.Column(str, nullable=True),
        "section": pa.Column(str, pa.Check.str_matches(r"^[0-9]+(\.[0-9]+)*$")),
    },
    strict=True,
)
FRAME_COLUMNS = ["component", "component_kind", "informs", "informs_kind", "how", "report_section"]


def qa_system(data_dir: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The nodes and links of Figure 4.1, checked: every node complete, every link between nodes."""
    path = data_file(data_dir, "published", FILE)
    raw = read_csv(path, SCHEMA)
    problems = []
    nodes = raw[raw["kind"] == "node"]
    links = raw[raw["kind"] == "link"]
    for line, row in nodes.iterrows():
        for column in ("id", "label", "tier"):
            if pd.isna(row[column]):
                problems.append(Problem(line + 2, column, "", f"a {column} for every node"))
    for line in nodes.index[nodes["id"].duplicated()]:
        problems.append(Problem(line + 2, "id", nodes.at[line, "id"], "an id not already used by a node"))
    known = set(nodes["id"].dropna())
    for line, row in links.iterrows():
        for column in ("source", "target"):
            if row[column] not in known:
                problems.append(
                    Problem(line + 2, column, row[column], f"the id of a node ({', '.join(sorted(known))})")
                )
        if pd.isna(row["relation"]):
            problems.append(Problem(line + 2, "relation", "", "what the link means, in words"))
    if problems:
        raise DataError(path, problems)
    return nodes.reset_index(drop=True), links.reset_index(drop=True)


def _frame(params: Params) -> pd.DataFrame:
    nodes, links = qa_system(params.data_dir)
    label = nodes.set_index("id")["label"]
    tier = nodes.set_index("id")["tier"]
    return pd.DataFrame(
        {
            "component": links["source"].map(label),
            "component_kind": links["source"].map(tier),
            "informs": links["target"].map(label),
            "informs_kind": links["target"].map(tier),
            "how": links["relation"],
            "report_section": links["section"],
        }
    )[FRAME_COLUMNS]


def _positions(frame: pd.DataFrame, params: Params) -> dict[str, tuple[float, float]]:
    """Each node's (x, y): its tier's column, spread evenly top to bottom in the data file's order."""
    nodes, _ = qa_system(params.data_dir)
    shown = set(frame["component"]) | set(frame["informs"])
    positions = {}
    for tier, (x, _, _) in TIERS.items():
        names = [name for name in nodes.loc[nodes["tier"] == tier, "label"] if name in shown]
        ys = np.linspace(1, 0, len(names)) if len(names) > 1 else [0.5]
        positions.update({name: (x, float(y)) for name, y in zip(names, ys)})
    return positions


def _wrap(text: str, width: int = 24) -> str:
    return "<br>".join(textwrap.wrap(text, width))


def _link_points(start: tuple[float, float], end: tuple[float, float]) -> tuple[list[float], list[float]]:
    """A straight line between columns; an arc bulging right between two nodes of one column."""
    if start[0] != end[0]:
        return [start[0], end[0]], [start[1], end[1]]
    t = np.linspace(0, 1, 21)
    bulge = 0.18 + 0.12 * abs(start[1] - end[1])
    control = (start[0] + bulge * 2, (start[1] + end[1]) / 2)
    xs = (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0]
    ys = (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1]
    return xs.tolist(), ys.tolist()


def chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    positions = _positions(frame, params)
    fig = go.Figure()
    line_x: list[float | None] = []
    line_y: list[float | None] = []
    mid_x, mid_y, mid_text = [], [], []
    for _, row in frame.iterrows():
        xs, ys = _link_points(positions[row["component"]], positions[row["informs"]])
        line_x += xs + [None]
        line_y += ys + [None]
        middle = len(xs) // 2
        if len(xs) == 2:
            mid_x.append((xs[0] + xs[1]) / 2)
            mid_y.append((ys[0] + ys[1]) / 2)
        else:
            mid_x.append(xs[middle])
            mid_y.append(ys[middle])
        mid_text.append(
            f"{row['component']} → {row['informs']}<br>{_wrap(row['how'], 40)}"
            f"<br>(report section {row['report_section']})"
        )
    fig.add_trace(
        go.Scatter(
            x=line_x,
            y=line_y,
            mode="lines",
            line=dict(color=LINE_COLOUR, width=1.5),
            hoverinfo="skip",
            showlegend=False,
            name="links",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=mid_x,
            y=mid_y,
            mode="markers",
            marker=dict(size=7, color=LINE_COLOUR),
            hovertext=mid_text,
            hoverinfo="text",
            name="How a part informs another",
        )
    )
    text_side = {"method": "middle left"}
    for tier, (_, name, colour) in TIERS.items():
        names = [n for n, (x, _) in positions.items() if x == TIERS[tier][0]]
        middle = tier not in text_side  # labels right of the methods sit on a white box above the node
        fig.add_trace(
            go.Scatter(
                x=[positions[n][0] for n in names],
                y=[positions[n][1] for n in names],
                mode="markers" if middle else "markers+text",
                text=[_wrap(n) for n in names],
                textposition=text_side.get(tier),
                hovertext=names,
                hoverinfo="text",
                name=name,
                marker=dict(size=18, color=colour, line=dict(color="#ffffff", width=2)),
            )
        )
        if middle:
            for n in names:
                fig.add_annotation(
                    x=positions[n][0],
                    y=positions[n][1],
                    text=_wrap(n, 30),
                    showarrow=False,
                    yanchor="bottom",
                    yshift=11,
                    bgcolor="rgba(255,255,255,0.92)",
                    font=dict(size=13),
                )
    base_layout(fig, height=600)
    fig.update_xaxes(visible=False, range=[-1.2, 2.45], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-0.08, 1.2], fixedrange=True)
    # A diagram, not a plot: on a screen narrower than this it keeps its size and scrolls sideways
    # inside its card (roses-charts.js), rather than squeezing its labels over each other.
    fig.update_layout(hovermode="closest", meta={"roses_min_width": 700})
    return fig


def _summary(frame: pd.DataFrame, params: Params) -> str:
    methods = frame.loc[frame["component_kind"] == "method", "component"].nunique()
    measures = pd.concat(
        [
            frame.loc[frame["informs_kind"] == "measure", "informs"],
            frame.loc[frame["component_kind"] == "measure", "component"],
        ]
    ).nunique()
    goal = frame.loc[frame["informs_kind"] == "goal", "informs"].iloc[0].lower()
    return (
        f"{methods} quality assurance methods tell the organisation about {measures} kinds of evidence, "
        f"which together serve {goal}; "
        f"{len(frame)} links, each with the report section that states it."
    )


@exhibit(
    "figure-4.1",
    "Quality assurance system",
    "meaningful-measures",
    "reconstructed",
    "Report Figure 4.1 (structure transcribed from sections 4.1-4.7)",
    chart=chart,
    summary=_summary,
)
def figure_4_1(params: Params) -> pd.DataFrame:
    return _frame(params)
