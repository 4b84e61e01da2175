"""Exhibits from the report's published tables (origin: published)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import plotly.graph_objects as go

from roses.exhibits.charts import GROUP_COLOURS, HIGHLIGHT_COLOUR, base_layout, dropdown, end_label, spread
from roses.exhibits.registry import Params, exhibit
from roses.published import findings, scoring
from roses.published import tables as published
from roses.published.tables import rating_criteria as tables_criteria


def one_decimal(value: float) -> str:
    """A mean rounded as a reader rounds it by hand, half up: Group 2's 3, 2, 2 and 2 average 2.25,
    shown 2.3 (Python's format rounds half to even and showed 2.2, beside 1.75 shown 1.8)."""
    return str(Decimal(repr(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _group_phrase(frame, column: str) -> str:
    means = frame.groupby("group")[column].mean()
    parts = [f"Group {g} {one_decimal(means[g])}" for g in means.index]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# --- Table 1.1 and Table 2.1 ------------------------------------------------------------------


def _ofsted_summary(frame, params: Params) -> str:
    latest = scoring.latest_judgments(frame)
    outstanding = (latest["overall"] == "Outstanding").sum()
    inadequate = (latest["overall"] == "Inadequate").sum()
    return (
        f"At their latest inspection {outstanding} authorities were judged outstanding overall "
        f"and {inadequate} inadequate; the progress groups follow these trajectories."
    )


def _ofsted_chart(frame, params: Params) -> go.Figure:
    """Overall judgment at the earlier and the later inspection, one line per authority, its letter
    at the line's end (letters that would overprint are moved apart)."""
    fig = go.Figure()
    frame = frame.assign(rank=scoring.judgment_rank(frame["overall"]))
    ends = []
    for authority, rows in frame.groupby("authority", sort=False):
        group = int(rows["group"].iloc[0])
        mine = authority == params.highlight
        colour = HIGHLIGHT_COLOUR if mine else GROUP_COLOURS[group]
        y = rows["rank"] + (group - 2) * 0.06
        fig.add_trace(
            go.Scatter(
                x=rows["year"],
                y=y,
                mode="lines+markers",
                name=f"{authority} (Group {group})",
                legendgroup=f"g{group}",
                line=dict(color=colour, width=5 if mine else 2),
                hovertemplate=f"{authority}, %{{x}}: %{{customdata}}<extra></extra>",
                customdata=rows["overall"],
            )
        )
        ends.append((int(rows["year"].iloc[-1]), float(y.iloc[-1]), authority, colour, len(fig.data) - 1))
    label_groups, labels = [], []  # the group of each end label, in annotation order (the menu hides them too)
    for year in sorted({e[0] for e in ends}):
        at = [e for e in ends if e[0] == year]
        for (x, _, letter, colour, trace), y in zip(at, spread([e[1] for e in at], 0.22, 0.7, 4.3)):
            labels.append(end_label(x=x, y=y, text=letter, colour=colour))
            label_groups.append(int(fig.data[trace].legendgroup[1]))
    fig.layout.annotations += tuple(labels)
    ticks = [j.replace(" ", "<br>") if len(j) > 12 else j for j in published.JUDGMENTS]
    fig.update_yaxes(tickvals=[1, 2, 3, 4], ticktext=ticks, range=[0.6, 4.4], title="Overall judgment")
    fig.update_xaxes(
        title="Year of inspection", dtick=1, range=[int(frame["year"].min()) - 0.3, int(frame["year"].max()) + 0.45]
    )

    def shown_labels(chosen):
        return {f"annotations[{i}].visible": chosen is None or g == chosen for i, g in enumerate(label_groups)}

    buttons = [
        dict(label="All groups", method="update", args=[{"visible": [True] * len(fig.data)}, shown_labels(None)])
    ]
    groups = [int(tr.legendgroup[1]) for tr in fig.data]
    for g in published.GROUPS:
        buttons.append(
            dict(
                label=f"Group {g} only",
                method="update",
                args=[{"visible": [gg == g for gg in groups]}, shown_labels(g)],
            )
        )
    fig.update_layout(updatemenus=[dropdown(buttons, label="Group")])
    return base_layout(fig, height=460)


@exhibit(
    "table-1.1",
    "EIP2 Ofsted ratings",
    "introduction",
    "published",
    "Report Table 1.1",
    chart=_ofsted_chart,
    summary=_ofsted_summary,
    notes=(
        "OCR corrections: Cyrillic look-alike letters and misread group digits fixed; see data/published/README.md.",
    ),
)
def ofsted_ratings(params: Params):
    return published.ofsted(params.data_dir)[
        ["authority", "group", "year", "overall", "help_and_protection", "leadership"]
    ]


def _leadership_summary(frame, params: Params) -> str:
    counts = frame["leadership"].value_counts()
    return (
        f"Leadership was judged outstanding in {counts.get('Outstanding', 0)} authorities, good in "
        f"{counts.get('Good', 0)}, requiring improvement in {counts.get('Requires Improvement', 0)} "
        f"and inadequate in {counts.get('Inadequate', 0)} at the latest inspection."
    )


@exhibit(
    "table-2.1",
    "Ofsted judgments on leadership",
    "leadership",
    "published",
    "Derived from report Table 1.1 (latest inspection per authority)",
    summary=_leadership_summary,
)
def leadership_judgments(params: Params):
    latest = scoring.latest_judgments(published.ofsted(params.data_dir))
    return latest[["authority", "group", "year", "leadership"]]


# --- The eight blind-rated factors --------------------------------------------------------------


def rating_key(factor: str, data_dir=None) -> str:
    """What the raters scored and what a 3, 2 and 1 meant, as the report's criteria box prints them
    (``data/published/rating_criteria.csv``): shown with every blind-rated table."""
    criteria = tables_criteria(data_dir).set_index("factor").loc[factor]
    rated_on = "; ".join(part.strip() for part in str(criteria["criteria"]).split(";"))
    return (
        f"Rated on: {rated_on}. Scores: 3 = {criteria['score_3']}; 2 = {criteria['score_2']}; "
        f"1 = {criteria['score_1']}."
    )


def _factor_exhibit(factor: str, table: str, chapter: str, title: str) -> None:
    def build(params: Params):
        ratings = published.blind_ratings(params.data_dir)
        scores = scoring.factor_scores(ratings[ratings["factor"] == factor])
        return scores[["authority", "group", "score"]].sort_values(["group", "authority"], ignore_index=True)

    def summary(frame, params: Params) -> str:
        return (
            f"Mean blind-rated score by progress group: {_group_phrase(frame, 'score')}. "
            f"{rating_key(factor, params.data_dir)}"
        )

    exhibit(
        f"table-{table}",
        title,
        chapter,
        "published",
        f"Report Table {table}",
        summary=summary,
        notes=(f"factor: {factor}",),
    )(build)


def _register_factor_exhibits() -> None:
    """One exhibit per rated factor, numbered, placed and titled as rating_criteria.csv says (the
    repository's copy: the registry is the same for every data folder)."""
    for row in tables_criteria().itertuples():
        _factor_exhibit(row.factor, row.table, row.chapter, row.title)


_register_factor_exhibits()


# --- Table 7.1 ---------------------------------------------------------------------------------


def _summary_71(frame, params: Params) -> str:
    means = frame.groupby("group")["total"].mean()
    return (
        f"Mean total score (out of {published.TOP_SCORE * len(published.FACTORS)}) falls from {means[1]:.1f} in Group 1 "
        f"to {means[2]:.1f} in Group 2 and {means[3]:.1f} in Group 3." + _printed_totals_71(frame, params)
    )


def _printed_totals_71(frame, params: Params) -> str:
    """Where the text extracted from the printed table gives other totals (finding fd_table71_printed_jk)."""
    rows = findings.findings(params.data_dir).set_index("key")
    if "fd_table71_printed_jk" not in rows.index:
        return ""
    row = rows.loc["fd_table71_printed_jk"]
    totals = frame.set_index("authority")["total"]
    named = [a for a in str(row["about"]).split(";") if a in totals.index]
    ours = " and ".join(f"{a} {totals[a]}" for a in named)
    return (
        f" Totals here are sums of the factor scores ({ours}); the text extracted from the printed table "
        f"reads {findings.number(row['value'])} for {' and '.join(named)} (see the note on J and K in section 7.2)."
    )


def _chart_71(frame, params: Params) -> go.Figure:
    """Bars per authority coloured by group; a dropdown picks the total or one factor."""
    measures = ["total"] + published.FACTORS
    labels = published.factor_labels(params.data_dir)
    colours = [
        HIGHLIGHT_COLOUR if a == params.highlight else GROUP_COLOURS[g]
        for a, g in zip(frame["authority"], frame["group"])
    ]
    fig = go.Figure()
    for i, measure in enumerate(measures):
        fig.add_trace(
            go.Bar(
                x=frame["authority"],
                y=frame[measure],
                marker_color=colours,
                visible=(i == 0),
                name=labels.get(measure, "Total"),
                customdata=frame["group"],
                hovertemplate="Authority %{x} (Group %{customdata}): %{y}<extra></extra>",
            )
        )
    buttons = []
    for i, measure in enumerate(measures):
        label = labels.get(measure, "Total of eight factors")
        top = published.TOP_SCORE * len(published.FACTORS) if measure == "total" else published.TOP_SCORE
        buttons.append(
            dict(
                label=label,
                method="update",
                args=[
                    {"visible": [j == i for j in range(len(measures))]},
                    {"yaxis.range": [0, top + 0.5], "yaxis.title.text": f"{label} (max {top})"},
                ],
            )
        )
    fig.update_layout(updatemenus=[dropdown(buttons, label="Measure")], showlegend=False)
    fig.update_yaxes(
        range=[0, published.TOP_SCORE * len(published.FACTORS) + 0.5],
        title=f"Total of eight factors (max {published.TOP_SCORE * len(published.FACTORS)})",
    )
    fig.update_xaxes(title="Authority (colour = progress group:<br>green 1, blue 2, yellow 3)")
    base_layout(fig, height=460)
    fig.update_layout(margin=dict(b=84))
    return fig


@exhibit(
    "table-7.1",
    "Summary of blind-rated scores",
    "findings",
    "published",
    "Computed from report Tables 2.2, 2.3, 2.4, 3.1, 4.1, 5.1, 5.2 and 5.3 (never transcribed)",
    chart=_chart_71,
    summary=_summary_71,
)
def blind_rated_summary(params: Params):
    return scoring.summary_table(published.blind_ratings(params.data_dir))


# --- Descriptive tables -----------------------------------------------------------------------


@exhibit(
    "table-4.2",
    "Explanation of methods",
    "meaningful-measures",
    "published",
    "Report Table 4.2",
    summary=lambda f, p: f"{len(f)} tasks, each paired with the reason for it and the method that does it.",
)
def methods(params: Params):
    return published.methods(params.data_dir)


@exhibit(
    "section-4.6-core-data-set",
    "Core data set",
    "meaningful-measures",
    "published",
    "Report section 4.6",
    summary=lambda f, p: (
        f"{f['parent'].isna().sum()} headline items; out-of-home care is broken down "
        f"into {f['parent'].notna().sum()} kinds of placement."
    ),
)
def core_data_set(params: Params):
    return published.core_data_set(params.data_dir)


@exhibit(
    "section-5.2-training-offer",
    "EIP2 training offer",
    "learning",
    "published",
    "Report section 5.2",
    summary=lambda f, p: f"The offer had {f['strand'].nunique()} strands.",
)
def training_offer(params: Params):
    return published.training_offer(params.data_dir)


@exhibit(
    "section-1.3.2-national-context",
    "National context figures",
    "introduction",
    "published",
    "Report section 1.3.2 (figures the report cites from the House of Commons Library, DfE and DWP)",
    summary=lambda f, p: f"{len(f)} national figures on spending, demand and poverty during the programme.",
)
def national_context(params: Params):
    return published.national_context(params.data_dir)
