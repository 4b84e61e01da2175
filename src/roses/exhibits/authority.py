"""Exhibits for one real English authority: where it stands, who its neighbours are, its Ofsted history,
its self-assessment.

Computed by ``roses.national.compare`` (national files, OGL v3.0) and ``roses.published.self_assessment``.
Each one is meant for an authority edition (``roses edition NAME``). Without a real authority (the
book, a programme edition for a letter) they show England only, or nothing but what to run: no real
figure of any single authority ever stands beside the programme's letters.

``AUTHORITY_ONLY`` names the exhibits that are empty without an authority; the book shows them with a
one-line pointer to the authority editions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from roses.core.origin import Origin
from roses.exhibits.charts import ENGLAND_COLOUR, HIGHLIGHT_COLOUR, base_layout, dropdown
from roses.exhibits.registry import Params, exhibit
from roses.national import compare, indicators
from roses.published import self_assessment
from roses.published.tables import AUTHORITIES
from roses.survey import data

COMPARISON = "exhibit-r7.4-authority-comparison"
NEIGHBOURS = "exhibit-r7.5-statistical-neighbours"
NEIGHBOUR_TRENDS = "exhibit-r7.6-neighbour-trends"
FUNNEL = "exhibit-r7.7-funnel"
SELF_ASSESSMENT = "exhibit-r7.8-self-assessment"
OFSTED = "exhibit-r2.1-ofsted-history"
LATEST = "exhibit-r7.11-latest-year"
ALL = (COMPARISON, LATEST, NEIGHBOURS, NEIGHBOUR_TRENDS, FUNNEL, SELF_ASSESSMENT, OFSTED)
AUTHORITY_ONLY = (NEIGHBOURS, NEIGHBOUR_TRENDS)  # empty without an authority
EDITION_NOTE = "An authority's own edition (roses edition NAME) shows this for that authority."
SOURCE = (
    "DfE children in need census (C1, C4, D3, B1), children's social work workforce, LAIT (Cafcass), "
    "ONS mid-year population, DfE statistical neighbours (2025 model); Open Government Licence v3.0"
)
REGION_COLOUR = "#6a1b9a"
NEIGHBOUR_COLOUR = "#1565c0"
OTHER_COLOUR = "#9e9e9e"


def real(params: Params) -> bool:
    """A real authority's page (not the book, not a programme letter)."""
    return bool(params.authority and params.authority.strip().upper() not in AUTHORITIES)


def _name(params: Params) -> tuple[str, str]:
    if not params.authority:
        raise ValueError("an authority's exhibit needs an authority")
    return compare.resolve(params.authority, params.data_dir)


def _lower(label: str) -> str:
    """A label inside a sentence: 'Children in need at 31 March' -> 'children in need at 31 March'."""
    return label[:1].lower() + label[1:]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else "none"


def _plain(value):
    """A trace attribute as plain JSON-ready values (lists, None for missing)."""
    if isinstance(value, (pd.Series, pd.Index, np.ndarray)):
        return [
            None
            if (isinstance(v, float) and np.isnan(v)) or v is pd.NA
            else (v.item() if isinstance(v, np.generic) else v)
            for v in np.asarray(value, dtype=object)
        ]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _scatter(**attributes) -> dict:
    return {"type": "scatter", **{k: _plain(v) for k, v in attributes.items() if v is not None}}


def _figure(traces: list[dict]) -> go.Figure:
    """A figure of ready-made traces, not validated one by one (hundreds of traces: plotly's checks
    were most of an edition's time); the layout is still set through plotly."""
    return go.Figure(data=traces, _validate=False)


def _empty_figure(text: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=text, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font=dict(size=14))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, height=160)


# --- Where the authority stands --------------------------------------------------------------------


def _comparison_summary(frame: pd.DataFrame, params: Params) -> str:
    ranked = [_lower(indicators.get(n, params.data_dir).label) for n in compare.ranked_indicators(params.data_dir)]
    if not real(params):
        return (
            f"England's figures on {frame['indicator'].nunique()} indicators, {frame['year'].min()} to "
            f"{frame['year'].max()}, with 95% intervals where DfE publishes the counts. {EDITION_NOTE} "
            f"Ranks are given only where better has a direction: {_list(ranked)}."
        )
    code, name = _name(params)
    region = compare.region_of(code, params.data_dir) or "its region"
    latest = frame[frame["year"] == frame.groupby("indicator")["year"].transform("max")]
    above = latest.loc[latest["vs_england"] == "above England", "label"].map(_lower).tolist()
    below = latest.loc[latest["vs_england"] == "below England", "label"].map(_lower).tolist()
    best = latest.loc[latest["quartile"] == 1, "label"].map(_lower).tolist()
    worst = latest.loc[latest["quartile"] == 4, "label"].map(_lower).tolist()
    rankable = latest["rank"].notna().sum()
    flagged = frame[frame["quality"].str.contains(compare.CONTRADICTION, regex=False)]
    flags = "; ".join(f"{_lower(r.label)} {r.year} ({r.quality.split(' (')[0]})" for r in flagged.itertuples())
    return (
        f"{name} ({region}) on {frame['indicator'].nunique()} indicators, {frame['year'].min()} to "
        f"{frame['year'].max()}. In each indicator's latest year its 95% interval lies above England on "
        f"{_list(above)}, and below on {_list(below)}. Ranked only where better has a direction "
        f"({len(ranked)} indicators): best quarter of authorities on {len(best)} of {rankable} ({_list(best)}), "
        f"worst quarter on {len(worst)} ({_list(worst)})."
        + (f" Not ranked because DfE's own figures disagree: {flags}." if flags else "")
    )


def _marked(quality: str) -> bool:
    return any(part and not part.startswith("series break") for part in quality.split("; "))


def _comparison_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    """One indicator at a time: the authority with its 95% interval, England, region and neighbour medians;
    flagged values marked."""
    own = real(params)
    name = _name(params)[1] if own else ""
    lines = [("england", "England", ENGLAND_COLOUR, "solid")]
    if own:
        lines = (
            [("value", name, HIGHLIGHT_COLOUR, "solid")]
            + lines
            + [
                ("region", "Its region (DfE's figure)", REGION_COLOUR, "dot"),
                ("neighbour_mean", "Mean of its 10 statistical neighbours (as LAIT)", NEIGHBOUR_COLOUR, "dash"),
            ]
        )
    traces = []
    names = list(frame["indicator"].unique())
    per = len(lines) + 1
    for i, indicator in enumerate(names):
        rows = frame[frame["indicator"] == indicator]
        for column, label, colour, dash in lines:
            main = column == ("value" if own else "england")
            error = None
            if main:
                error = dict(
                    type="data",
                    symmetric=False,
                    array=(rows["ci_high"] - rows[column]).clip(lower=0),
                    arrayminus=(rows[column] - rows["ci_low"]).clip(lower=0),
                    color=colour,
                    thickness=1,
                )
            interval = [
                f" (95% interval {lo:.1f} to {hi:.1f})" if main and pd.notna(lo) else ""
                for lo, hi in zip(rows["ci_low"], rows["ci_high"])
            ]
            traces.append(
                _scatter(
                    x=rows["year"],
                    y=rows[column],
                    mode="lines+markers",
                    name=label,
                    visible=i == 0,
                    line=dict(color=colour, dash=dash, width=3 if main else 2),
                    error_y=error,
                    text=interval,
                    hovertemplate=f"{label}, %{{x}}: %{{y:.1f}}%{{text}}<extra></extra>",
                )
            )
        # Marked: values DfE's figures contradict, suppressed or revised (every pre-2017 workforce value has a
        # series-break note, which the data table and CSV carry; marking them all would hide the others).
        flagged = rows[rows["quality"].map(_marked).astype(bool)]
        value = "value" if own else "england"
        traces.append(
            _scatter(
                x=flagged["year"],
                y=flagged[value],
                mode="markers",
                name="Data-quality flag",
                visible=i == 0,
                marker=dict(symbol="x-open", size=13, color="#d32f2f", line=dict(width=2)),
                customdata=flagged["quality"],
                hovertemplate="%{x}: %{customdata}<extra>flag</extra>",
            )
        )
    return _indicator_menu_chart(traces, names, per, params, height=480)


def _indicator_menu_chart(traces: list, names: list[str], per: int, params: Params, height: int) -> go.Figure:
    """One indicator at a time (``per`` traces each, in ``names``' order), chosen in an "Indicator"
    menu that also sets the y axis to the indicator's unit."""
    buttons = []
    for i, indicator in enumerate(names):
        visible = [j // per == i for j in range(len(names) * per)]
        definition = indicators.get(indicator, params.data_dir)
        buttons.append(
            dict(
                label=definition.label,
                method="update",
                args=[{"visible": visible}, {"yaxis.title.text": definition.unit}],
            )
        )
    fig = _figure(traces)
    fig.update_layout(updatemenus=[dropdown(buttons, label="Indicator")])
    fig.update_yaxes(title=indicators.get(names[0], params.data_dir).unit, rangemode="tozero")
    fig.update_xaxes(title="Year", dtick=1)
    return base_layout(fig, height=height)


@exhibit(
    COMPARISON,
    "An authority against England, its region and its statistical neighbours",
    "findings",
    "real national",
    SOURCE,
    summary=_comparison_summary,
    chart=_comparison_chart,
    notes=(
        "ci_low, ci_high: 95% interval (Wilson for proportions; exact Poisson for rates); "
        "interval_on: the counts it rests on",
        "vs_england: above or below when England's figure lies outside the interval",
        "region: DfE's own published figure for the authority's region",
        "neighbour_mean: the mean of the ten neighbours' published values (LAIT's statistical-neighbour "
        "figure); neighbour_median: their median",
        "change_1y: change since the year before, in the indicator's unit",
        "rank: 1 = best, only where better has a direction; ranked_of: authorities with a value",
        "quality: DfE's figures disagree (never ranked), suppressed, revised, or before a series break",
    ),
)
def authority_comparison(params: Params) -> pd.DataFrame:
    return compare.comparison(_name(params)[0] if real(params) else None, params.data_dir)


# --- The latest year at a glance -------------------------------------------------------------------

LATEST_COLUMNS = ["indicator", "year", "value", "england", "region", "neighbour_mean", "change_1y"]
LATEST_COLUMNS += ["rank", "ranked_of", "quartile"]  # above or below England: Exhibit R7.4, with the interval


def _latest_summary(frame: pd.DataFrame, params: Params) -> str:
    if not real(params):
        return (
            f"England's latest figure on each of {len(frame)} indicators and its change since the year before. "
            f"{EDITION_NOTE}"
        )
    _, name = _name(params)
    ranked = frame.dropna(subset=["quartile"])
    best = ranked.loc[ranked["quartile"] == 1, "indicator"].map(_lower).tolist()
    worst = ranked.loc[ranked["quartile"] == 4, "indicator"].map(_lower).tolist()
    first = first_survey(params)
    since = (
        f" Change since its first own survey ({first:%B %Y}) runs from each indicator's last figure before "
        "that date (baseline_year)."
        if first is not None
        else ""
    )
    return (
        f"{name}'s latest figure on each of {len(frame)} indicators beside England, its region (DfE's figure) "
        f"and the mean of its ten statistical neighbours, with the change since the year before. Of the "
        f"{len(ranked)} ranked indicators it is in the best quarter of English authorities on {len(best)} "
        f"({_list(best)}) and in the worst quarter on {len(worst)} ({_list(worst)})." + since
    )


@exhibit(
    LATEST,
    "Where the authority stands in the latest year",
    "findings",
    "real national",
    SOURCE,
    summary=_latest_summary,
    notes=(
        "year: the latest year with a figure for the authority, which differs between collections",
        "region: DfE's own figure for the region; neighbour_mean: the mean of the ten statistical neighbours "
        "(as LAIT shows it); change_1y: since the year before, in the indicator's unit",
        "rank of ranked_of and quartile (1 = best) only where better has a direction; Exhibit R7.4 has every "
        "year, the intervals and the data-quality flags",
    ),
)
def latest_year(params: Params) -> pd.DataFrame:
    frame = compare.comparison(_name(params)[0] if real(params) else None, params.data_dir)
    known = frame[frame["value"].notna()]
    latest = known[known["year"] == known.groupby("indicator")["year"].transform("max")].copy()
    columns = LATEST_COLUMNS if real(params) else ["indicator", "year", "value", "change_1y"]
    first = first_survey(params)
    if first is not None:  # the authority's own calendar: change since the year before its first survey
        since = compare.change_since(frame, first, params.data_dir)
        latest = latest.merge(since, on="indicator", how="left")
        latest["baseline_year"] = latest["baseline_year"].astype("Int64")
        columns = columns[:7] + ["baseline_year", "since_baseline"] + columns[7:]
    latest["indicator"] = latest["label"]
    return latest[columns].round({"since_baseline": 2}).reset_index(drop=True)


def first_survey(params: Params) -> pd.Timestamp | None:
    """The date of a real authority's first own survey wave (staff or parent) whose export or
    surveys/waves.csv gives a date; None without one."""
    if not real(params) or params.highlight is None:
        return None
    dates = []
    for survey in ("staff", "parent"):
        waves = data.responses(survey, params.data_dir).waves
        if "date" not in waves:  # no local waves of this survey
            continue
        mine = waves[(waves["origin"] == "local") & (waves["authority"] == params.highlight)]
        dates += [d for d in mine["date"] if pd.notna(d)]
    return min(dates) if dates else None


# --- The statistical neighbours, named ---------------------------------------------------------------


def _neighbours_summary(frame: pd.DataFrame, params: Params) -> str:
    if not real(params):
        return f"DfE's ten statistical neighbours of an authority, named, with their closeness. {EDITION_NOTE}"
    _, name = _name(params)
    closest = frame.loc[frame["closest_first"] == frame["closest_first"].min(), "neighbour"]
    regions = frame["region"].nunique()
    return (
        f"{name}'s {len(frame)} statistical neighbours in DfE's {frame['model'].iloc[0]}, closest first "
        f"({closest.iloc[0] if len(closest) else 'none'}); they come from {_plural(regions, 'region')}."
    )


@exhibit(
    NEIGHBOURS,
    "Statistical neighbours, named",
    "findings",
    "real national",
    "DfE statistical neighbour model (sn_model_2025_wide.csv; April 2021 groupings for retired codes); "
    "Open Government Licence v3.0",
    summary=_neighbours_summary,
    notes=(
        "closest_first: DfE's order, 1 = the closest",
        "code: DfE's three-digit authority code",
        "closeness: DfE's own words",
    ),
)
def statistical_neighbours(params: Params) -> pd.DataFrame:
    columns = {
        "neighbour_rank": "closest_first",
        "la_name": "neighbour",
        "old_la_code": "code",
        "region": "region",
        "closeness": "closeness",
        "model": "model",
    }
    if not real(params):
        return pd.DataFrame(columns=list(columns.values()))
    return compare.named_neighbours(_name(params)[0], params.data_dir)[list(columns)].rename(columns=columns)


def _trends_summary(frame: pd.DataFrame, params: Params) -> str:
    if frame.empty:
        return f"Each indicator for an authority, England and each named neighbour, every year. {EDITION_NOTE}"
    _, name = _name(params)
    return (
        f"{name}, England and each of its {frame.loc[frame['role'].str.startswith('neighbour'), 'area'].nunique()} "
        f"named neighbours on {frame['indicator'].nunique()} indicators, every year the files hold."
    )


def _trends_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    if frame.empty:
        return _empty_figure(EDITION_NOTE)
    names = list(frame["indicator"].unique())
    areas = list(dict.fromkeys(frame["area"]))
    traces = []
    for i, indicator in enumerate(names):
        rows = frame[frame["indicator"] == indicator]
        for area in areas:
            mine = rows[rows["area"] == area]
            role = mine["role"].iloc[0] if len(mine) else ""
            colour = (
                HIGHLIGHT_COLOUR if role == compare.SELECTED else ENGLAND_COLOUR if role == "England" else OTHER_COLOUR
            )
            traces.append(
                _scatter(
                    x=mine["year"],
                    y=mine["value"],
                    mode="lines+markers",
                    name=area,
                    visible=i == 0,
                    line=dict(color=colour, width=3 if role in (compare.SELECTED, "England") else 1.2),
                    marker=dict(size=5),
                    hovertemplate=f"{area}, %{{x}}: %{{y:.1f}}<extra></extra>",
                )
            )
    return _indicator_menu_chart(traces, names, len(areas), params, height=520)


@exhibit(
    NEIGHBOUR_TRENDS,
    "An authority and each named neighbour over time",
    "findings",
    "real national",
    SOURCE,
    summary=_trends_summary,
    chart=_trends_chart,
    notes=(
        "role: selected (this edition's authority), England, or neighbour N in DfE's order",
        "quality: as in Exhibit R7.4",
    ),
)
def neighbour_trends(params: Params) -> pd.DataFrame:
    if not real(params):
        return pd.DataFrame(columns=["indicator", "year", "area", "role", "value", "quality"])
    return compare.neighbour_values(_name(params)[0], params.data_dir)


# --- The funnel --------------------------------------------------------------------------------------


def _funnel_summary(frame: pd.DataFrame, params: Params) -> str:
    if not real(params):
        return (
            "The range of figures an authority of each size would show if it differed from England only as "
            f"much as English authorities usually do, at 95% and 99.8%, for {frame['indicator'].nunique()} "
            f"indicators with published counts. The limits are {compare.FUNNEL_METHOD}. {EDITION_NOTE}"
        )
    _, name = _name(params)
    mine = frame[frame["kind"] == compare.SELECTED]
    outside = mine[mine["position"].str.contains("99.8")]
    labels = [_lower(indicators.get(n, params.data_dir).label) for n in outside["indicator"]]
    points = frame[frame["kind"] != "limits"]
    beyond = points.groupby("indicator")["position"].apply(lambda p: p.str.contains("99.8").mean())
    return (
        f"{name} against every English authority on {len(mine)} indicators (latest year each): outside the "
        f"99.8% limits on {len(outside)} ({_list(labels)}). The limits are {compare.FUNNEL_METHOD}, so "
        f"'outside' means more unusual than authorities' usual spread: at most {beyond.max():.0%} of "
        f"authorities lie outside them on any indicator. Other authorities than {name} and its neighbours "
        "are not named."
    )


SIZES = {  # the funnel's x axis: what the indicator divides by (log scale)
    "turnover": "FTE social workers in post",
    "agency": "FTE social workers (in post and agency)",
    "vacancy": "FTE posts (filled and vacant)",
    "rereferral_percent": "referrals",
    "cpp_subsequent_percent": "child protection plans started",
    "s47_to_cpp": "section 47 enquiries",
} | {
    name: "children aged 0-17 (ONS mid-year estimate)"
    for name in ("referral_rate", "s47_rate", "icpc_rate", "cpp_start_rate", "cin_rate")
}


def _size(indicator: str, params: Params) -> str:
    return SIZES.get(indicator) or indicators.get(indicator, params.data_dir).size or "size"


def _limits(rows: pd.DataFrame, params: Params) -> pd.DataFrame:
    """The funnel's lines for one indicator: the frame's own (England alone) or computed for its points."""
    if (rows["kind"] == "limits").any():
        return rows[rows["kind"] == "limits"]
    method, scale = compare.interval_kind(rows["indicator"].iloc[0], params.data_dir)
    grid = compare.funnel_grid(rows["n"])
    lines = {"n": grid}
    for level, tag in zip(compare.FUNNEL_LEVELS, ("95", "998")):
        lines[f"lower_{tag}"], lines[f"upper_{tag}"] = compare.control_limits(
            float(rows["england"].iloc[0]), grid, method, scale, level, float(rows["tau2"].iloc[0])
        )
    return pd.DataFrame(lines)


def _funnel_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    names = list(frame["indicator"].unique())
    traces = []
    per = 8  # four limit lines, three kinds of authority, England
    for i, indicator in enumerate(names):
        rows = frame[frame["indicator"] == indicator]
        limits = _limits(rows, params)
        for column, label, dash in (
            ("upper_998", "99.8% limits", "dot"),
            ("lower_998", "99.8% limits", "dot"),
            ("upper_95", "95% limits", "dash"),
            ("lower_95", "95% limits", "dash"),
        ):
            traces.append(
                _scatter(
                    x=limits["n"],
                    y=limits[column],
                    mode="lines",
                    name=label,
                    visible=i == 0,
                    showlegend=column.startswith("upper"),
                    legendgroup=label,
                    line=dict(color="#555", dash=dash, width=1),
                    hoverinfo="skip",
                )
            )
        points = rows[rows["kind"] != "limits"]
        for kind, label, colour, size in (
            ("other", "Other authorities (unnamed)", OTHER_COLOUR, 6),
            ("neighbour", "Its statistical neighbours", NEIGHBOUR_COLOUR, 10),
            (compare.SELECTED, _name(params)[1] if real(params) else "", HIGHLIGHT_COLOUR, 15),
        ):
            mine = points[points["kind"] == kind]
            who = mine["area"].where(mine["area"] != "", "another authority")
            traces.append(
                _scatter(
                    x=mine["n"],
                    y=mine["value"],
                    mode="markers",
                    name=label,
                    visible=i == 0,
                    showlegend=bool(label),
                    marker=dict(color=colour, size=size, line=dict(width=0.5, color="white")),
                    customdata=np.stack([who, mine["position"]], axis=-1) if len(mine) else None,
                    hovertemplate="%{customdata[0]}: %{y:.1f} (size %{x:,.0f}), %{customdata[1]}<extra></extra>",
                )
            )
        england = rows["england"].iloc[0]
        traces.append(
            _scatter(
                x=[limits["n"].min(), limits["n"].max()],
                y=[england, england],
                mode="lines",
                name="England",
                visible=i == 0,
                line=dict(color=ENGLAND_COLOUR, width=2),
                hovertemplate=f"England: {england:.1f}<extra></extra>",
            )
        )
    buttons = []
    for i, indicator in enumerate(names):
        visible = [j // per == i for j in range(len(names) * per)]
        definition = indicators.get(indicator, params.data_dir)
        year = int(frame.loc[frame["indicator"] == indicator, "year"].iloc[0])
        buttons.append(
            dict(
                label=f"{definition.label} ({year})",
                method="update",
                args=[
                    {"visible": visible},
                    {"yaxis.title.text": definition.unit, "xaxis.title.text": _size(indicator, params)},
                ],
            )
        )
    fig = _figure(traces)
    fig.update_layout(updatemenus=[dropdown(buttons, label="Indicator")])
    fig.update_xaxes(title=_size(names[0], params) if names else "size", type="log", dtick=1)
    fig.update_yaxes(title=indicators.get(names[0], params.data_dir).unit if names else "")
    return base_layout(fig, height=500)


@exhibit(
    FUNNEL,
    "Funnel plot: an authority against every English authority",
    "findings",
    "real national",
    SOURCE,
    summary=_funnel_summary,
    chart=_funnel_chart,
    drawable=lambda frame: bool((frame["kind"] != "limits").any()),  # limits alone: no authority to place
    notes=(
        f"limits: England's figure +/- {compare.FUNNEL_METHOD}",
        "phi: overdispersion (1 = no more spread than chance); tau2: the variance added between authorities",
        "kind: selected (this edition's authority), a named neighbour, another (unnamed) authority, or a limit line",
        "values DfE contradicts are left out",
    ),
)
def funnel(params: Params) -> pd.DataFrame:
    return compare.funnel(_name(params)[0] if real(params) else None, params.data_dir)


# --- Ofsted ------------------------------------------------------------------------------------------


def _ofsted_summary(frame: pd.DataFrame, params: Params) -> str:
    if not real(params):
        total = int(frame["authorities"].sum())
        return (
            f"The latest ILACS judgment of each of {total} English authorities inspected since 2018: "
            + ", ".join(f"{r.overall.lower()} {r.authorities}" for r in frame.itertuples())
            + f". {EDITION_NOTE}"
        )
    _, name = _name(params)
    if frame.empty:
        return f"Ofsted's file holds no ILACS inspection of {name}."
    last = frame.iloc[-1]
    return (
        f"{name}: {_plural(len(frame), 'ILACS inspection')} in Ofsted's file; the latest ({last['inspection_date']}, "
        f"{last['inspection_type']}) judged overall effectiveness {last['overall'].lower()}."
    )


@exhibit(
    OFSTED,
    "Ofsted inspection history (ILACS)",
    "leadership",
    "real national",
    "Ofsted, Local authority children's services inspection outcomes as at 31 March 2025 (ILACS inspection "
    "history); Open Government Licence v3.0",
    summary=_ofsted_summary,
    notes=(
        "ILACS began in 2018; earlier inspection frameworks are not in the file",
        "an empty judgment: not judged in that kind of inspection (short inspections judge no care leavers)",
    ),
)
def ofsted_history(params: Params) -> pd.DataFrame:
    return compare.ofsted_history(_name(params)[0] if real(params) else None, params.data_dir)


# --- Self-assessment -----------------------------------------------------------------------------------


def _self_summary(frame: pd.DataFrame, params: Params) -> str:
    total = frame[frame["factor"] == "total"].iloc[0]
    groups = ", ".join(f"Group {g} {total[f'group_{g}_mean']:.1f}" for g in (1, 2, 3))
    if pd.isna(total["score"]):
        return (
            f"The programme's blind-rated totals (out of {3 * (len(frame) - 1)}) by group: {groups}. An authority "
            f"edition with a local self_assessment.csv (a score of 1 to 3 for each factor) places the "
            f"authority here."
        )
    who = _name(params)[1] if real(params) else "The authority"
    return (
        f"{who}'s self-assessed total is {total['score']} of {3 * (len(frame) - 1)}; the programme's group "
        f"means are {groups}, so it is closest to Group {total['closest_group']}, and "
        f"{total['programme_at_or_below']} of the programme's {len(AUTHORITIES)} authorities scored at or below it. A "
        f"self-assessment is not a blind rating: read it as a prompt, not a placement."
    )


@exhibit(
    SELF_ASSESSMENT,
    "Self-assessment against the blind-rated factors",
    "findings",
    "analysis",
    "The authority's self_assessment.csv (local), beside report Tables 2.2-5.3 summarised as Table 7.1",
    summary=_self_summary,
    notes=(
        "score: self-assessed, 1 to 3 (rating_criteria.csv says what each score means)",
        "programme_low, programme_high, programme_at_or_below: over the programme's ten authorities",
        "closest_group: the progress group whose mean is nearest",
    ),
)
def self_assessment_placement(params: Params):
    if not real(params):  # the book and programme editions never read a local self-assessment
        return self_assessment.placement(params.data_dir), Origin.ANALYSIS
    return self_assessment.for_folder(params.data_dir)
