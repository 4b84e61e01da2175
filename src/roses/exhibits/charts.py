"""Plotly chart helpers shared by the exhibits: the report's group colours and a common layout."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# The report colours Group 1 green, Group 2 blue, Group 3 yellow. These shades keep at least 3:1
# contrast against white (WCAG non-text contrast) while reading as green, blue and yellow.
GROUP_COLOURS = {1: "#2e7d32", 2: "#1565c0", 3: "#b8860b"}
ENGLAND_COLOUR = "#000000"
HIGHLIGHT_COLOUR = "#c2185b"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# Every chart is drawn on plotly's white template, made the default when the exhibits load: naming it
# on each figure makes plotly copy and validate the whole template again (14 ms a chart; the same JSON).
pio.templates.default = "plotly_white"


def base_layout(fig: go.Figure, *, title: str | None = None, height: int = 420) -> go.Figure:
    """A plain, readable layout; no title inside the chart (the caption carries it)."""
    fig.update_layout(
        height=height,
        margin=dict(l=60, r=20, t=50 if title else 20, b=60),
        font=dict(family=FONT, size=14),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        title=title,
    )
    return fig


def dropdown(buttons: list[dict], *, label: str, x: float = 0.0, y: float = 1.18) -> dict:
    """A plotly dropdown menu. On the site it becomes a labelled <select> above the chart (``name`` is
    its label; roses.display), so figures leave no room for it inside the chart."""
    return dict(
        type="dropdown",
        buttons=buttons,
        direction="down",
        x=x,
        y=y,
        xanchor="left",
        yanchor="bottom",
        showactive=True,
        name=label,
        pad=dict(r=4, t=4),
    )


def spread(values: list[float], gap: float, lo: float | None = None, hi: float | None = None) -> list[float]:
    """Positions for labels at ``values`` (same order), moved apart so that no two are closer than
    ``gap`` and kept inside ``lo``-``hi``; each label moves as little as it can (end labels that
    would overprint, e.g. two lines ending on the same value)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [float(values[i]) for i in order]
    for _ in range(len(placed) + 1):  # push up, then pull clusters back to their centre
        for k in range(1, len(placed)):
            placed[k] = max(placed[k], placed[k - 1] + gap)
        if hi is not None and placed and placed[-1] > hi:
            shift = placed[-1] - hi
            placed = [p - shift for p in placed]
            for k in range(len(placed) - 2, -1, -1):
                placed[k] = min(placed[k], placed[k + 1] - gap)
        if lo is not None and placed and placed[0] < lo:
            shift = lo - placed[0]
            placed = [p + shift for p in placed]
    out = [0.0] * len(values)
    for k, i in enumerate(order):
        out[i] = placed[k]
    return out


def end_label(*, x, y: float, text: str, colour: str, xref: str = "x", yref: str = "y") -> go.layout.Annotation:
    """A line's label just right of its last point (``y`` already spread from its neighbours). Add a
    chart's labels in one go (``fig.layout.annotations += tuple(labels)``): each ``add_annotation``
    re-checks every annotation already there."""
    return go.layout.Annotation(
        x=x,
        y=y,
        xref=xref,
        yref=yref,
        text=text,
        showarrow=False,
        xanchor="left",
        yanchor="middle",
        xshift=7,
        font=dict(color=colour, size=13),
        name="end-label",
    )
