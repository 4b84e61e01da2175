"""Exhibits that test the organisational theory of change (Findings, section 7.2).

- ``exhibit-r7.1-association``: Spearman and Kendall rank correlations, with exact permutation
  p-values, of the blind-rated total and of each factor against progress group and Ofsted judgment.
- ``exhibit-r7.2-sensitivity``: the total's correlation with each factor left out in turn.
- ``exhibit-r7.3-agreement``: inter-rater agreement (Krippendorff's alpha, ordinal). The report
  publishes one agreed score per factor, so unless the data hold several raters per factor this
  exhibit runs on an illustrative multi-rater set and is badged so.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from roses.core.origin import Origin
from roses.exhibits.charts import base_layout
from roses.exhibits.registry import Params, exhibit
from roses.published import stats
from roses.published import tables as published

AGAINST_LABELS = {"progress": "Progress group", "ofsted": "Latest Ofsted judgment"}
SOURCE = "Computed by roses from report Tables 1.1, 2.2-2.4, 3.1, 4.1 and 5.1-5.3"


def _label(measure: str, data_dir=None) -> str:
    return "Total of eight factors" if measure == "total" else published.factor_labels(data_dir).get(measure, measure)


def _wrapped(text: str, width: int = 20) -> str:
    """A row label in lines of about ``width`` characters, so a phone's plot keeps its width."""
    return "<br>".join(textwrap.wrap(text, width))


def _association_summary(frame, params: Params) -> str:
    row = stats.headline(frame)
    return (
        f"The blind-rated total and progress group have Spearman's rho {row['value']:.2f} "
        f"(exact p = {row['p_value']:.4f}, two-sided) across {row['n']} authorities."
    )


def _association_chart(frame, params: Params) -> go.Figure:
    """Spearman's rho per measure, one marker set per comparison; hover shows the exact p-value."""
    return _rho_chart(frame, "measure", _label)


def _rho_chart(frame, label_column: str, label) -> go.Figure:
    """A dot plot of Spearman's rho, one row per ``label_column`` value, progress and Ofsted side by side."""
    rows = frame[frame["statistic"] == "spearman"]
    fig = go.Figure()
    symbols = {"progress": "circle", "ofsted": "diamond"}
    colours = {"progress": "#1565c0", "ofsted": "#6a1b9a"}
    for against, part in rows.groupby("against", sort=False):
        fig.add_trace(
            go.Scatter(
                x=part["value"],
                y=[_wrapped(label(m)) for m in part[label_column]],
                mode="markers",
                marker=dict(symbol=symbols[against], size=12, color=colours[against]),
                name=AGAINST_LABELS[against],
                customdata=part["p_value"],
                hovertemplate="%{y}: rho %{x:.2f}, exact p %{customdata:.4f}<extra>"
                + AGAINST_LABELS[against]
                + "</extra>",
            )
        )
    fig.add_vline(x=0, line_color="#555555", line_width=1)
    fig.update_xaxes(range=[-1.05, 1.05], title="Spearman's rho", dtick=0.5, tickformat=".1f")
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont=dict(size=12))
    return base_layout(fig, height=460)


@exhibit(
    "exhibit-r7.1-association",
    "Rank association of blind-rated scores with progress",
    "findings",
    Origin.ANALYSIS,
    SOURCE,
    chart=_association_chart,
    summary=_association_summary,
    notes=(
        "p-values are exact: every distinct re-ordering of the progress groups (or judgments) "
        "across the authorities is enumerated; see roses.stats.",
    ),
)
def association(params: Params):
    return stats.association_table(params.data_dir)


def _sensitivity_summary(frame, params: Params) -> str:
    rows = frame[(frame["statistic"] == "spearman") & (frame["against"] == "progress")]
    weakest = rows.loc[rows["value"].idxmin()]
    return (
        f"Leaving out any one factor, Spearman's rho between the total and progress group stays "
        f"between {rows['value'].min():.2f} and {rows['value'].max():.2f}; the largest exact p-value "
        f"is {rows['p_value'].max():.4f} (weakest without {_label(weakest['left_out'], params.data_dir).lower()})."
    )


def _sensitivity_chart(frame, params: Params) -> go.Figure:
    return _rho_chart(frame, "left_out", lambda factor: f"Without {_label(factor, params.data_dir).lower()}")


@exhibit(
    "exhibit-r7.2-sensitivity",
    "Leave-one-factor-out sensitivity of the rank association",
    "findings",
    Origin.ANALYSIS,
    SOURCE,
    chart=_sensitivity_chart,
    summary=_sensitivity_summary,
)
def sensitivity(params: Params):
    return stats.leave_one_factor_out(params.data_dir).drop(columns="measure")


def _agreement_summary(frame, params: Params) -> str:
    alphas = frame["alpha"].dropna()
    text = (
        f"Krippendorff's alpha (ordinal) ranges from {alphas.min():.2f} to {alphas.max():.2f} "
        f"across the {len(frame)} factors, with {frame['raters'].max()} raters per factor."
    )
    if "median_matches_published" in frame:
        text += (
            f" The median over raters gives back the published score for "
            f"{frame['median_matches_published'].sum()} of {frame['authorities'].sum()} ratings."
        )
    return text


@exhibit(
    "exhibit-r7.3-agreement",
    "Inter-rater agreement on the blind-rated factors",
    "findings",
    "illustrative",
    "Synthetic raters made by roses around the published scores (Tables 2.2-5.3), or the data's own raters where several are given",
    summary=_agreement_summary,
)
def agreement(params: Params):
    ratings = published.blind_ratings(params.data_dir)
    if stats.has_several_raters(ratings):
        return stats.agreement_table(ratings), Origin.LOCAL
    return stats.agreement_table(stats.illustrative_raters(ratings), reference=ratings)
