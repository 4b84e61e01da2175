"""National statistics exhibits: Figures 7.8-7.15 and 7.18, one authority's indicators, its core data set.

The figures plot each programme authority against England as the England-relative index
``(value - England) / England x 100`` (England = the black zero line). The England figures are
real (DfE, LAIT); the per-letter series are illustrative (see ``roses.national.illustrative``),
because real values beside the letters would identify the authorities.
"""

from __future__ import annotations

from typing import TypeGuard

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from roses.exhibits.charts import (
    ENGLAND_COLOUR,
    GROUP_COLOURS,
    HIGHLIGHT_COLOUR,
    base_layout,
    dropdown,
    end_label,
    spread,
)
from roses.exhibits.registry import Params, exhibit
from roses.national import illustrative, indicators, readers
from roses.published import tables as published

FIGURES = {  # figure id -> indicator (titles as the report's)
    "figure-7.8": ("caseload", "Average caseload per SW"),
    "figure-7.9": ("turnover", "Turnover rate"),
    "figure-7.10": ("agency", "Agency rates"),
    "figure-7.11": ("absence", "Absence rates"),
    "figure-7.12": ("referral_rate", "Referral rates"),
    "figure-7.13": ("rereferral_percent", "Re-referrals"),
    "figure-7.14": ("s47_rate", "Section 47 (child protection investigations)"),
    "figure-7.15": ("s47_to_cpp", "Number of Section 47 who progressed to a child protection plan"),
    "figure-7.18": ("care_applications", "Care order applications"),
}
INDEX_NOTE = "England-relative index = (value - England) / England x 100; England is 0."
LETTERS_PER_PANEL = 5
PANEL_PX = 240  # about how tall one panel is drawn (for moving end labels apart)


# --- Figures 7.8-7.15 and 7.18 ----------------------------------------------------------------


def relative_frame(indicator: str, data_dir=None) -> pd.DataFrame:
    """The frame behind one figure: illustrative letters plus the real England row for each year.

    Columns: ``authority, group, panel, year, value, england, index, before_break``.
    ``before_break`` marks years measured under an older definition (the workforce series
    changed in 2017), which the chart separates with a dashed line.
    """
    definition = indicators.get(indicator, data_dir)
    letters = illustrative.letter_series(indicator, data_dir)
    order = sorted(letters["authority"].unique())
    letters["panel"] = letters["authority"].map(lambda a: 1 + order.index(a) // LETTERS_PER_PANEL)
    eng = letters.drop_duplicates("year")[["year", "england"]]
    england_rows = eng.assign(authority="England", group=pd.NA, panel=pd.NA, value=eng["england"], index=0.0)
    frame = pd.concat([england_rows, letters], ignore_index=True)
    frame["group"] = frame["group"].astype("Int64")
    frame["panel"] = frame["panel"].astype("Int64")
    frame["before_break"] = frame["year"] < definition.series_break if definition.series_break else False
    return frame[["authority", "group", "panel", "year", "value", "england", "index", "before_break"]]


def _highlight_buttons(traces: list[tuple[str, int | None]]) -> list[dict]:
    """Dropdown entries that thicken one authority's or one group's lines and fade the rest."""

    def styles(chosen) -> dict:
        widths, opacity = [], []
        for letter, group in traces:
            on = chosen is None or letter == "England" or chosen in (letter, group)
            widths.append(4 if (chosen is not None and on and letter != "England") else 2)
            opacity.append(1.0 if on else 0.2)
        return {"line.width": widths, "opacity": opacity}

    letters = sorted({letter for letter, _ in traces if letter != "England"})
    choices: list[tuple[str, str | int | None]] = [("All authorities", None)]
    choices += [(f"Authority {a}", a) for a in letters]
    choices += [(f"Group {g}", g) for g in published.GROUPS]
    return [dict(label=label, method="restyle", args=[styles(chosen)]) for label, chosen in choices]


def relative_chart(frame: pd.DataFrame, params: Params, indicator: str) -> go.Figure:
    """Two panels of five authorities, England as the black zero line, coloured by progress group."""
    definition = indicators.get(indicator, params.data_dir)
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=("Authorities A to E", "Authorities F to K"),
    )
    traces: list[tuple[str, int | None]] = []
    england = frame[frame["authority"] == "England"]
    letters = frame[frame["authority"] != "England"]
    shown_groups: set[int] = set()
    ends: list[tuple] = []  # (panel, year, index, letter, colour) of each line's last point
    for panel in (1, 2):
        fig.add_trace(
            go.Scatter(
                x=england["year"],
                y=england["index"],
                mode="lines",
                name="England (real figure, = 0)",
                line=dict(color=ENGLAND_COLOUR, width=2),
                legendgroup="england",
                showlegend=panel == 1,
                customdata=england["england"],
                hovertemplate=f"England %{{x}}: %{{customdata:.1f}} ({definition.unit}), real<extra></extra>",
            ),
            row=panel,
            col=1,
        )
        traces.append(("England", None))
        for letter, rows in letters[letters["panel"] == panel].groupby("authority"):
            group = int(rows["group"].iloc[0])
            mine = letter == params.highlight
            colour = HIGHLIGHT_COLOUR if mine else GROUP_COLOURS[group]
            fig.add_trace(
                go.Scatter(
                    x=rows["year"],
                    y=rows["index"],
                    mode="lines+markers",
                    name=f"Group {group}",
                    line=dict(color=colour, width=4 if mine else 2),
                    legendgroup=f"g{group}",
                    showlegend=group not in shown_groups,
                    customdata=rows[["value", "england"]].to_numpy(),
                    hovertemplate=(
                        f"{letter} (Group {group}), %{{x}}: %{{y:+.1f}}% vs England<br>"
                        "illustrative value %{customdata[0]:.1f}, England %{customdata[1]:.1f} (real)"
                        "<extra></extra>"
                    ),
                ),
                row=panel,
                col=1,
            )
            shown_groups.add(group)
            traces.append((letter, group))
            last = rows.dropna(subset=["index"]).iloc[-1]
            ends.append((panel, int(last["year"]), float(last["index"]), letter, colour))
    # Each panel's y range is fixed, so its letters can be moved apart by a known number of pixels.
    for panel in (1, 2):
        values = letters.loc[letters["panel"] == panel, "index"].dropna().tolist() + [0.0]
        lo, hi = min(values), max(values)
        pad = max(0.08 * (hi - lo), 1.0)
        lo, hi = lo - pad, hi + pad
        fig.update_yaxes(range=[lo, hi], row=panel, col=1)
        gap = 16 * (hi - lo) / PANEL_PX
        at = [e for e in ends if e[0] == panel]
        labels = []
        for year in sorted({e[1] for e in at}):
            here = [e for e in at if e[1] == year]
            for (_, x, _, letter, colour), y in zip(
                here, spread([e[2] for e in here], gap, lo + gap / 2, hi - gap / 2)
            ):
                suffix = "" if panel == 1 else "2"
                labels.append(end_label(x=x, y=y, text=letter, colour=colour, xref=f"x{suffix}", yref=f"y{suffix}"))
        fig.layout.annotations += tuple(labels)
    if definition.series_break and frame["before_break"].any():
        for panel in (1, 2):
            fig.add_vline(
                x=definition.series_break - 0.5, line=dict(color="#555", dash="dash", width=1), row=panel, col=1
            )
        # Under the lower panel's axis title: clear of the data, the legend and the panel titles.
        fig.add_annotation(
            x=0,
            y=0,
            xref="paper",
            yref="paper",
            yshift=-62,
            xanchor="left",
            yanchor="top",
            text=f"Series break (dashed line): new definitions from {definition.series_break}",
            showarrow=False,
            align="left",
            font=dict(size=12, color="#333"),
        )
        note = True
    else:
        note = False
    years = letters.dropna(subset=["index"])["year"]  # the axis starts where the data start
    fig.update_xaxes(range=[int(years.min()) - 0.35, int(years.max()) + 0.6], dtick=1)
    fig.update_xaxes(title="Year", row=2, col=1)
    fig.update_yaxes(title="% vs England", ticksuffix="%", zeroline=False)
    fig.update_layout(updatemenus=[dropdown(_highlight_buttons(traces), label="Highlight authority", y=1.12)])
    base_layout(fig, height=680 if note else 660)
    # The legend in its own row at the top, above the first panel's title.
    fig.update_layout(
        legend=dict(orientation="h", yref="container", y=1, yanchor="top", x=0, xanchor="left"),
        margin=dict(t=64, b=84 if note else 60),
    )
    return fig


def _relative_summary(frame: pd.DataFrame, params: Params, indicator: str) -> str:
    definition = indicators.get(indicator, params.data_dir)
    eng = frame[frame["authority"] == "England"].set_index("year")["england"]
    last = eng.index.max()
    # Nothing is counted off the illustrative lines: how many sit below England is the generator's
    # doing, not a finding (issue 31); the text cites what the report found.
    return (
        "The lettered authorities' lines are illustrative, drawn to follow what the report says of this chart. "
        f"England's real {definition.label.lower()} went from {eng.iloc[0]:.1f} in {eng.index.min()} "
        f"to {eng.iloc[-1]:.1f} in {last} ({definition.unit})."
    )


def _register_figure(figure_id: str, indicator: str, title: str) -> None:
    files = ", ".join(indicators.get(indicator).files)

    def build(params: Params) -> pd.DataFrame:
        return relative_frame(indicator, params.data_dir)

    exhibit(
        figure_id,
        title,
        "findings",
        "illustrative",
        f"Illustrative per-authority series made by roses around the real England figure "
        f"({files}; DfE, Open Government Licence v3.0)",
        chart=lambda frame, params: relative_chart(frame, params, indicator),
        summary=lambda frame, params: _relative_summary(frame, params, indicator),
        notes=(INDEX_NOTE, f"indicator: {indicator}"),
    )(build)


for _id, (_indicator, _title) in FIGURES.items():
    _register_figure(_id, _indicator, _title)


# --- One authority against England and its statistical neighbours ----------------------------


def _england_table(data_dir) -> pd.DataFrame:
    """England's own figures in the shape of an authority's table (no neighbours, no ranks)."""
    frame = indicators.all_values(data_dir)
    eng = frame[frame["level"] == "National"].copy()
    order = {name: i for i, name in enumerate(indicators.definitions(data_dir))}
    eng = eng.sort_values(["indicator", "year"], key=lambda s: s.map(order) if s.name == "indicator" else s)
    return pd.DataFrame(
        {
            "indicator": eng["indicator"],
            "year": eng["year"],
            "value": eng["value"].round(2),
            "england": eng["value"].round(2),
            "neighbour_median": float("nan"),
            "rank": pd.array([pd.NA] * len(eng), dtype="Int64"),
            "quartile": pd.array([pd.NA] * len(eng), dtype="Int64"),
            "symbol": eng["symbol"],
        }
    ).reset_index(drop=True)


def _is_real(authority: str | None) -> TypeGuard[str]:
    """A real authority's name or code, not nothing and not an anonymised programme letter."""
    return bool(authority and authority.strip().upper() not in published.AUTHORITIES)


def _indicators_summary(frame: pd.DataFrame, params: Params) -> str:
    if not _is_real(params.authority):
        return (
            f"England's real figures for {frame['indicator'].nunique()} indicators. The command roses data "
            f"indicators --authority NAME compares any English authority with England and its neighbours."
        )
    _, name = readers.resolve_authority(params.authority, params.data_dir)
    ranked = frame.dropna(subset=["quartile"])
    latest = ranked[ranked["year"] == ranked.groupby("indicator")["year"].transform("max")]
    top = int((latest["quartile"] == 1).sum())
    return (
        f"{name}: {frame['indicator'].nunique()} indicators beside England and its ten statistical "
        f"neighbours; in the latest year it is in the best quarter of authorities on {top} of "
        f"{len(latest)} ranked indicators."
    )


def _indicators_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    """One indicator at a time (dropdown): England, and the authority with its neighbours' median."""
    definitions = indicators.definitions(params.data_dir)
    real = _is_real(params.authority)
    name = readers.resolve_authority(params.authority, params.data_dir)[1] if _is_real(params.authority) else ""

    lines = [("england", "England", ENGLAND_COLOUR, "solid")]
    if real:
        lines += [
            ("value", name, HIGHLIGHT_COLOUR, "solid"),
            ("neighbour_median", "Median of its 10 statistical neighbours", "#555555", "dash"),
        ]
    fig = go.Figure()
    names = list(frame["indicator"].unique())
    for i, indicator in enumerate(names):
        rows = frame[frame["indicator"] == indicator]
        for column, label, colour, dash in lines:
            fig.add_trace(
                go.Scatter(
                    x=rows["year"],
                    y=rows[column],
                    mode="lines+markers",
                    name=label,
                    visible=i == 0,
                    line=dict(color=colour, dash=dash, width=3 if column == "value" else 2),
                    hovertemplate=f"{label}, %{{x}}: %{{y:.1f}}<extra></extra>",
                )
            )
    buttons = []
    for i, indicator in enumerate(names):
        visible = [j // len(lines) == i for j in range(len(names) * len(lines))]
        unit = definitions[indicator].unit
        buttons.append(
            dict(
                label=definitions[indicator].label,
                method="update",
                args=[{"visible": visible}, {"yaxis.title.text": unit}],
            )
        )
    fig.update_layout(updatemenus=[dropdown(buttons, label="Indicator")])
    # From zero, as Exhibits R7.4 and R7.6 draw the same series: one indicator, one axis convention.
    fig.update_yaxes(title=definitions[names[0]].unit, rangemode="tozero")
    fig.update_xaxes(title="Year", dtick=1)
    return base_layout(fig, height=460)


@exhibit(
    "indicators",
    "National indicators for one authority",
    "findings",
    "real national",
    "DfE children in need census (C1, C4, D3, B1), children's social work workforce, LAIT (Cafcass), "
    "ONS mid-year population, DfE statistical neighbours; Open Government Licence v3.0",
    summary=_indicators_summary,
    chart=_indicators_chart,
    r_number="R7.10",
    notes=(
        "rank: 1 = best by polarity, among authorities with a value that year; empty for neutral indicators",
        "quartile: 1 = best quarter",
        "symbol: DfE's reason for a suppressed value",
    ),
)
def authority_indicators(params: Params) -> pd.DataFrame:
    """``roses data indicators --authority Derby`` (or 831): every indicator and year.

    Without an authority, or for a programme letter (whose real figures are never shown), England's.
    """
    if not _is_real(params.authority):
        return _england_table(params.data_dir)
    return indicators.authority_table(params.authority, params.data_dir)


# --- The core data set of section 4.6 for one authority --------------------------------------


# Core data set items DfE publishes in releases whose files are not in data/dfe (yet): where to find them.
DFE_ELSEWHERE = {
    "Children reunified with parents": "children ceasing to be looked after by reason (returned home)",
    "kinship care": "children looked after at 31 March by placement (placed with relatives or friends)",
    "foster care": "children looked after at 31 March by placement (foster placements)",
    "special guardianship": "children ceasing to be looked after by reason (special guardianship orders)",
    "Children adopted (as relevant to jurisdictions)": "children ceasing to be looked after by reason (adopted)",
}
NATIONAL, DFE_RELEASE, LOCAL_RECORDS = (
    "national statistics",
    "DfE publishes it (release not in data/dfe)",
    "needs the authority's own records",
)


def core_data_set_frame(authority: str | None, data_dir=None) -> pd.DataFrame:
    """Each core data set item with the latest national figure that serves it, or where it can be had.

    ``status``: national statistics (the figure is here), DfE publishes it (in its children looked after
    release, whose tables are not in ``data/dfe``: ``note`` names the table), or it needs the authority's
    own records (DfE publishes nothing on it, as early help). For a real authority: its value, England
    and its neighbours' median. Without one (or for a programme letter, whose real figures are never
    shown) only England's figures.
    """
    table = authority_indicators(Params(data_dir=data_dir, authority=authority))
    serves = {d.core_item: d for d in indicators.definitions(data_dir).values() if d.core_item}
    rows = []
    for item in published.core_data_set(data_dir).itertuples(index=False):
        label = item.item if pd.isna(item.parent) else f"{item.parent}: {item.item}"
        definition = serves.get(item.item)
        if definition is None:
            elsewhere = DFE_ELSEWHERE.get(item.item)
            rows.append(
                dict(
                    item=label,
                    indicator=pd.NA,
                    unit=pd.NA,
                    year=pd.NA,
                    value=float("nan"),
                    england=float("nan"),
                    neighbour_median=float("nan"),
                    status=DFE_RELEASE if elsewhere else LOCAL_RECORDS,
                    note=f"DfE, Children looked after in England: {elsewhere}"
                    if elsewhere
                    else "not in DfE's published statistics",
                )
            )
            continue
        known = table[(table["indicator"] == definition.name) & table["england"].notna()]
        latest = known[known["year"] == known["year"].max()].iloc[0]
        rows.append(
            dict(
                item=label,
                indicator=definition.name,
                unit=definition.unit,
                year=int(latest["year"]),
                value=latest["value"],
                england=latest["england"],
                neighbour_median=latest["neighbour_median"],
                status=NATIONAL,
                note=definition.core_note or "",
            )
        )
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _core_summary(frame: pd.DataFrame, params: Params) -> str:
    national = int((frame["status"] == NATIONAL).sum())
    elsewhere = int((frame["status"] == DFE_RELEASE).sum())
    local = len(frame) - national - elsewhere
    return (
        f"The national files in this book supply {national} of the {len(frame)} core data set items; DfE "
        f"publishes {elsewhere} more in tables of its children looked after release not held here; "
        f"{local} {'needs' if local == 1 else 'need'} the authority's own records."
    )


@exhibit(
    "section-4.6-core-data-set-national",
    "Core data set from national statistics",
    "findings",
    "real national",
    "DfE children in need census, children looked after, children's social work workforce, LAIT (Cafcass), ONS; "
    "Open Government Licence v3.0",
    summary=_core_summary,
    r_number="R7.9",
)
def core_data_set(params: Params) -> pd.DataFrame:
    return core_data_set_frame(params.authority, params.data_dir)
