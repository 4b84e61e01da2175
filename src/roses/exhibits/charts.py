"""Plotly chart helpers shared by the exhibits: the report's group colours and a common layout."""

from __future__ import annotations

import plotly.graph_objects as go

# The report colours Group 1 green, Group 2 blue, Group 3 yellow. These shades keep at least 3:1
# contrast against white (WCAG non-text contrast) while reading as green, blue and yellow.
GROUP_COLOURS = {1: "#2e7d32", 2: "#1565c0", 3: "#b8860b"}
ENGLAND_COLOUR = "#000000"
HIGHLIGHT_COLOUR = "#c2185b"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def base_layout(fig: go.Figure, *, title: str | None = None, height: int = 420) -> go.Figure:
    """A plain, readable layout; no title inside the chart (the caption carries it)."""
    fig.update_layout(
        template="plotly_white",
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
        type="dropdown", buttons=buttons, direction="down", x=x, y=y, xanchor="left",
        yanchor="bottom", showactive=True, name=label, pad=dict(r=4, t=4),
    )
