"""Staff and parent survey exhibits: Figures 2.1-2.2, 4.4-4.5 (comments, response rates, parents), 6.1-6.8, 7.1-7.7.

Every frame is scored from respondent-level answers (illustrative, or an authority's local exports,
see ``roses.survey.data``) and holds only disclosure-controlled summaries: one row per group, all
authorities together, or authority, and wave. ``status`` carries the DfE symbol of a row (``c``
suppressed, ``u`` low reliability); ``origin`` says where its numbers come from.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ..charts import GROUP_COLOURS, HIGHLIGHT_COLOUR, base_layout, dropdown
from ..registry import Params, exhibit
from ..survey import comments, data, disclosure, instruments, scoring

ALL_COLOUR = "#333333"
METHOD_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d", "#666666"]
SURVEY_SOURCE = "Staff survey, waves 1-4 (illustrative respondents unless local exports are given)"
SAQ_SOURCE = "Safety Attitudes Questionnaire in staff survey waves 3-4 (illustrative unless local exports are given)"
PARENT_SOURCE = "Parent survey, rounds 1-3 (illustrative unless local exports are given)"
AGREE = ["pct_agree", "pct_disagree", "mean"]


# --- Frames --------------------------------------------------------------------------------------

def _survey(params: Params, survey: str = "staff"):
    responses = data.responses(survey, params.data_dir)
    return responses, instruments.load(survey, params.data_dir), scoring.reliability(responses.waves)


def _finish(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    frame.attrs["origin"] = origin
    return frame


def likert_frame(params: Params, item_ids: list[str], survey: str = "staff") -> pd.DataFrame:
    """% agree and % disagree per statement, by group, all authorities and authority, per wave."""
    responses, inst, status = _survey(params, survey)
    shares = scoring.with_status(scoring.item_shares(responses.answers, item_ids), status, AGREE)
    frame = scoring.summarise(shares, data.groups(params.data_dir), ["item"], AGREE)
    frame.insert(frame.columns.get_loc("item") + 1, "statement", frame["item"].map(lambda i: inst.item(i).wording))
    return _finish(frame, responses.origin)


def saq_frame(params: Params, dimensions: list[str]) -> pd.DataFrame:
    """SAQ scale score (0-100) and percent positive per dimension, by group and authority, waves 3-4."""
    responses, inst, status = _survey(params)
    scores = scoring.saq_scores(responses.answers, inst)
    scores = scoring.with_status(scores[scores["dimension"].isin(dimensions)], status,
                                 ["scale_score", "percent_positive"])
    frame = scoring.summarise(scores, data.groups(params.data_dir), ["dimension"], ["scale_score", "percent_positive"])
    frame.insert(frame.columns.get_loc("dimension") + 1, "dimension_name", frame["dimension"].map(inst.dimensions))
    return _finish(frame, responses.origin)


def methods_frame(params: Params, measure: str) -> pd.DataFrame:
    """Mean use or confidence (1-5) per method, by group, all authorities and authority, per wave."""
    responses, inst, status = _survey(params)
    means = scoring.method_means(responses.answers, inst)
    means = scoring.with_status(means[means["measure"] == measure], status, ["mean"])
    frame = scoring.summarise(means.drop(columns="measure"), data.groups(params.data_dir), ["method"], ["mean"], digits=2)
    frame.insert(frame.columns.get_loc("method") + 1, "method_wording", frame["method"].map(inst.methods))
    return _finish(frame, responses.origin)


# --- Charts --------------------------------------------------------------------------------------

def _wave_axis(fig: go.Figure, inst: instruments.Instrument, waves) -> None:
    waves = sorted(set(int(w) for w in waves))
    word = "Round" if inst.survey == "parent" else "Wave"
    fig.update_xaxes(tickvals=waves, ticktext=[f"{word} {w}<br>{inst.waves[w]['year']}" for w in waves],
                     range=[min(waves) - 0.25, max(waves) + 0.25], title=None, tickangle=0)


def _not_shown(frame: pd.DataFrame, choice: str | None) -> list[str]:
    """Reader-facing notes for authority rows that are suppressed or unreliable."""
    rows = frame[(frame["level"] == "authority") & (frame["status"] != "")]
    notes = []
    for symbol, label in ((disclosure.SUPPRESSED, "suppressed, fewer than 10 respondents"),
                          (disclosure.LOW_RELIABILITY, "low reliability, response rate below 20%, not in group lines")):
        picked = rows[rows["status"] == symbol].drop_duplicates(["authority", "wave"])
        if len(picked):
            where = ", ".join(f"{a} wave {w}" for a, w in zip(picked["authority"], picked["wave"]))
            notes.append(f"{symbol} = {label}: {where}")
    return notes


def _layout(fig: go.Figure, height: int) -> go.Figure:
    """The shared layout; with validation off, the template must be given as an object, not a name."""
    base_layout(fig, height=height)
    fig.layout.template = pio.templates["plotly_white"]
    return fig


def _note(fig: go.Figure, notes: list[str]) -> None:
    if notes:
        # Below the axis, in the figure's bottom margin, so the reader sees what is missing and why.
        fig.add_annotation(text="<br>".join(_wrap(n, 95) for n in notes), xref="paper", yref="paper", x=0, y=0,
                           yshift=-55, showarrow=False, xanchor="left", yanchor="top", align="left",
                           font=dict(size=12))
        lines = sum(len(_wrap(n, 95).split("<br>")) for n in notes)
        fig.update_layout(margin=dict(b=70 + 18 * lines), height=(fig.layout.height or 480) + 18 * lines)


def line_chart(frame: pd.DataFrame, params: Params, *, values: list[tuple[str, str]], choice: str | None,
               choice_label: str = "", y_title: str, y_range: tuple[float, float], survey: str = "staff") -> go.Figure:
    """Lines by wave, one per group (solid first value, dashed second), a dropdown for ``choice``.

    All authorities together is a grey line; each authority's own line is in the legend, hidden until
    clicked (the chosen ``params.authority`` is drawn in magenta). Unreliable points have open markers.
    """
    inst = instruments.load(survey, params.data_dir)
    choices = list(dict.fromkeys(frame[choice])) if choice else [None]
    traces, owners = [], []
    for c in choices:
        rows = frame if c is None else frame[frame[choice] == c]
        for column, dash_label in values:
            dash = "solid" if column == values[0][0] else "dash"
            for key, part in _series(rows):
                level, group, authority = key
                colour, width, shown = _style(level, group, authority, params)
                name = _name(level, group, authority) + (f" {dash_label}" if len(values) > 1 else "")
                symbols = ["circle-open" if s == disclosure.LOW_RELIABILITY else "circle" for s in part["status"]]
                traces.append(dict(
                    type="scatter", x=part["wave"].tolist(), y=part[column].tolist(), mode="lines+markers",
                    name=name, legendgroup=name, line=dict(color=colour, width=width, dash=dash),
                    marker=dict(symbol=symbols, size=8), connectgaps=False,
                    customdata=part[["respondents", "status"]].fillna("").astype(str).values.tolist(),
                    hovertemplate=f"{name}, wave %{{x}}: %{{y}} (n=%{{customdata[0]}}) %{{customdata[1]}}<extra></extra>",
                    visible=(shown if c == choices[0] else False)))
                owners.append((c, shown))
    # Traces are plain dicts and skip plotly's per-property validation, which costs seconds for
    # a few hundred traces; tests re-validate every chart (tests/test_survey_exhibits.py).
    fig = go.Figure(data=traces, _validate=False)
    if choice and len(choices) > 1:
        labels = _choice_labels(frame, choice)
        buttons = [dict(label=_short(labels.get(c, str(c))), method="update",
                        args=[{"visible": [shown if owner == c else False for owner, shown in owners]}])
                   for c in choices]
        fig.update_layout(updatemenus=[dropdown(buttons, label=choice_label or choice)])
    _wave_axis(fig, inst, frame["wave"])
    fig.update_yaxes(title=y_title, range=list(y_range))
    _layout(fig, 480)
    fig.update_layout(legend=dict(orientation="v", y=1, x=1.02, yanchor="top"), margin=dict(t=20))
    _note(fig, _not_shown(frame, choice))
    return fig


def _series(rows: pd.DataFrame):
    keyed = rows.assign(_g=rows["group"].fillna(0).astype(int))
    order = {"group": 0, "all": 1, "authority": 2}
    for key, part in sorted(keyed.groupby(["level", "_g", "authority"]), key=lambda kv: (order[kv[0][0]], kv[0][1], kv[0][2])):
        yield key, part.sort_values("wave")


def _style(level: str, group: int, authority: str, params: Params):
    if level == "group":
        return GROUP_COLOURS.get(group, ALL_COLOUR), 3, True
    if level == "all":
        return ALL_COLOUR, 2, "legendonly"
    if authority == params.authority:
        return HIGHLIGHT_COLOUR, 4, True
    return GROUP_COLOURS.get(group, ALL_COLOUR), 1, "legendonly"


def _name(level: str, group: int, authority: str) -> str:
    if level == "group":
        return f"Group {group}"
    if level == "all":
        return "All authorities"
    return f"{authority} (G{group})" if group else authority


def _choice_labels(frame: pd.DataFrame, choice: str) -> dict:
    for label_column in ("statement", "dimension_name", "method_wording"):
        if label_column in frame:
            return dict(zip(frame[choice], frame[label_column]))
    return {}


def _wrap(text: str, width: int) -> str:
    """Break text into lines of at most ``width`` characters, joined with <br> for plotly."""
    import textwrap

    return "<br>".join(textwrap.wrap(text, width))


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _likert_chart(frame: pd.DataFrame, params: Params, survey: str = "staff") -> go.Figure:
    choice = "item" if frame["item"].nunique() > 1 else None
    return line_chart(frame, params, values=[("pct_agree", "agree"), ("pct_disagree", "disagree")], choice=choice,
                      choice_label="Statement", y_title="% of respondents (neutral left out)", y_range=(0, 100),
                      survey=survey)


def _saq_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    choice = "dimension" if frame["dimension"].nunique() > 1 else None
    return line_chart(frame, params, values=[("scale_score", "")], choice=choice, choice_label="Dimension",
                      y_title="Scale score (0-100)", y_range=(0, 100))


# --- Summaries (computed from the frame) -----------------------------------------------------------

def _value(frame: pd.DataFrame, column: str, level: str, wave: int, group: int | None = None, **match) -> float:
    rows = frame[(frame["level"] == level) & (frame["wave"] == wave)]
    if group is not None:
        rows = rows[rows["group"] == group]
    for key, value in match.items():
        rows = rows[rows[key] == value]
    return float(rows[column].iloc[0]) if len(rows) else float("nan")


def _direction(change: float, flat: float) -> str:
    if abs(change) < flat:
        return "stays about the same"
    return "rises" if change > 0 else "falls"


def _group_changes(frame: pd.DataFrame, column: str, flat: float, unit: str, **match) -> str:
    waves = sorted(frame.loc[frame["level"] == "group", "wave"].unique())
    first, last = waves[0], waves[-1]
    parts = []
    for g in sorted(frame.loc[frame["level"] == "group", "group"].dropna().unique()):
        start, end = (_value(frame, column, "group", w, g, **match) for w in (first, last))
        if pd.notna(start) and pd.notna(end):
            parts.append(f"Group {g} {_direction(end - start, flat)} ({start:.0f}{unit} to {end:.0f}{unit})")
    return f"From wave {first} to wave {last}: " + "; ".join(parts) + "." + _suppression_phrase(frame)


def _suppression_phrase(frame: pd.DataFrame) -> str:
    rows = frame[(frame["level"] == "authority") & (frame["status"] != "")].drop_duplicates(["authority", "wave"])
    if rows.empty:
        return ""
    hidden = (rows["status"] == disclosure.SUPPRESSED).sum()
    low = (rows["status"] == disclosure.LOW_RELIABILITY).sum()
    parts = []
    if hidden:
        parts.append(f"{hidden} authority-wave result(s) suppressed (c, fewer than 10 respondents)")
    if low:
        parts.append(f"{low} shown as unreliable (u) and left out of group lines")
    return " " + "; ".join(parts).capitalize() + "."


def _likert_summary(frame: pd.DataFrame, params: Params) -> str:
    item = frame["item"].iloc[0]
    return "Agreement: " + _group_changes(frame, "pct_agree", 3, "%", item=item)


def _saq_summary(frame: pd.DataFrame, params: Params) -> str:
    dimension = frame["dimension"].iloc[0]
    return "Scale score (0-100). " + _group_changes(frame, "scale_score", 1.5, "", dimension=dimension)


# --- Registration --------------------------------------------------------------------------------

def _likert_exhibit(id: str, title: str, chapter: str, item_ids: list[str]) -> None:
    exhibit(id, title, chapter, "illustrative", SURVEY_SOURCE, chart=_likert_chart, summary=_likert_summary,
            notes=("% agree = agree + strongly agree; % disagree = disagree + strongly disagree; neutral left out.",))(
        lambda params: likert_frame(params, item_ids))


def _saq_exhibit(id: str, title: str, chapter: str, dimension: str) -> None:
    exhibit(id, title, chapter, "illustrative", SAQ_SOURCE, chart=_saq_chart, summary=_saq_summary)(
        lambda params: saq_frame(params, [dimension]))


for _id, _item in (("figure-2.2", "mistake_incompetent"), ("figure-6.4", "direct_work_time"),
                   ("figure-6.5", "targets_precedence"), ("figure-6.6", "critical_reflection"),
                   ("figure-6.7", "shared_risk_culture"), ("figure-6.8", "manager_shared_risk")):
    _wording = instruments.load("staff").item(_item).wording
    _likert_exhibit(_id, _wording, "leadership" if _id == "figure-2.2" else "practice", [_item])

_saq_exhibit("figure-2.1", "Safety climate", "leadership", "safety_climate")
for _id, _title, _dimension in (("figure-7.1", "Team climate", "teamwork_climate"),
                                ("figure-7.2", "Safety climate", "safety_climate"),
                                ("figure-7.3", "Perceptions of management", "perceptions_of_management"),
                                ("figure-7.4", "Job satisfaction", "job_satisfaction"),
                                ("figure-7.6", "Working conditions", "working_conditions"),
                                ("figure-7.7", "Stress recognition", "stress_recognition")):
    _saq_exhibit(_id, _title, "findings", _dimension)


def _job_items_summary(frame: pd.DataFrame, params: Params) -> str:
    waves = sorted(frame["wave"].unique())
    like = [_value(frame, "pct_agree", "all", w, item="saq_js_like_job") for w in waves]
    morale = [_value(frame, "mean", "all", w, item="saq_js_morale") for w in waves]
    return (f"Across all authorities {min(like):.0f}-{max(like):.0f}% agree that they like their job, while the "
            f"mean answer on team morale is {min(morale):.1f}-{max(morale):.1f} on a scale where 3 is neutral."
            + _suppression_phrase(frame))


@exhibit("figure-7.5", "Contributors to high or low job satisfaction", "findings", "illustrative", SAQ_SOURCE,
         chart=lambda f, p: _likert_chart(f, p), summary=_job_items_summary)
def job_satisfaction_items(params: Params) -> pd.DataFrame:
    inst = instruments.load("staff", params.data_dir)
    return likert_frame(params, [i.id for i in inst.items_in("saq", "job_satisfaction")])


# --- Section 1: use of and confidence in methods ------------------------------------------------------

def _methods_chart(frame: pd.DataFrame, params: Params, y_title: str) -> go.Figure:
    """One line per method; a dropdown picks all authorities or one group."""
    inst = instruments.load("staff", params.data_dir)
    views = [("all", None, "All authorities")] + [("group", g, f"Group {g}") for g in sorted(frame["group"].dropna().unique())]
    traces, owner = [], []
    for v, (level, group, _) in enumerate(views):
        rows = frame[(frame["level"] == level) & ((frame["group"] == group) if group else True)]
        for m, (method, part) in enumerate(rows.groupby("method", sort=False)):
            part = part.sort_values("wave")
            traces.append(dict(type="scatter", x=part["wave"].tolist(), y=part["mean"].tolist(), mode="lines+markers",
                               name=_short(inst.methods[method], 45),
                               line=dict(color=METHOD_COLOURS[m % len(METHOD_COLOURS)], width=2.5),
                               hovertemplate=f"{inst.methods[method]}, wave %{{x}}: %{{y:.2f}}<extra></extra>",
                               visible=v == 0))
            owner.append(v)
    fig = go.Figure(data=traces, _validate=False)
    buttons = [dict(label=label, method="update", args=[{"visible": [o == v for o in owner]}])
               for v, (_, _, label) in enumerate(views)]
    fig.update_layout(updatemenus=[dropdown(buttons, label="Who")])
    _wave_axis(fig, inst, frame["wave"])
    fig.update_yaxes(title=y_title, range=[1, 5])
    fig.add_hline(y=3, line=dict(color="#777", dash="dot"), annotation_text="3 = sometimes / moderately",
                  annotation_position="bottom right")
    _layout(fig, 500)
    fig.update_layout(legend=dict(orientation="v", y=1, x=1.02, yanchor="top"), margin=dict(t=20))
    _note(fig, _not_shown(frame, None))
    return fig


def _methods_summary(frame: pd.DataFrame, measure: str) -> str:
    every = frame[frame["level"] == "all"].groupby("wave")["mean"].mean()
    peak = int(every.idxmax())
    return (f"Mean {measure} over all methods and authorities goes "
            + ", ".join(f"{v:.2f}" for v in every.values) + f" across waves {', '.join(map(str, every.index))}; "
            f"it is highest in wave {peak}." + _suppression_phrase(frame))


@exhibit("figure-6.1", "Use of methods", "practice", "illustrative", SURVEY_SOURCE,
         chart=lambda f, p: _methods_chart(f, p, "Mean use (1 never - 5 always)"),
         summary=lambda f, p: _methods_summary(f, "use"))
def use_of_methods(params: Params) -> pd.DataFrame:
    return methods_frame(params, "use")


@exhibit("figure-6.2", "Confidence in methods", "practice", "illustrative", SURVEY_SOURCE,
         chart=lambda f, p: _methods_chart(f, p, "Mean confidence (1 not at all - 5 extremely)"),
         summary=lambda f, p: _methods_summary(f, "confidence") + " Above 3 (moderately confident) in the last wave: "
         + (", ".join(f.loc[(f["level"] == "all") & (f["wave"] == f["wave"].max()) & (f["mean"] > 3), "method_wording"]) or "none") + ".")
def confidence_in_methods(params: Params) -> pd.DataFrame:
    return methods_frame(params, "confidence")


def _confidence_groups_summary(frame: pd.DataFrame, params: Params) -> str:
    means = frame[frame["level"] == "group"].groupby(["group", "wave"])["mean"].mean().unstack()
    first, last = means.columns.min(), means.columns.max()
    return (f"Averaged over methods, Group {means[first].idxmin()} starts lowest ({means[first].min():.2f}) and "
            f"Group {means[last].idxmax()} ends highest ({means[last].max():.2f})." + _suppression_phrase(frame))


@exhibit("figure-6.3", "Confidence in using individual methods", "practice", "illustrative", SURVEY_SOURCE,
         chart=lambda f, p: line_chart(f, p, values=[("mean", "")], choice="method", choice_label="Method",
                                       y_title="Mean confidence (1-5)", y_range=(1, 5)),
         summary=_confidence_groups_summary)
def confidence_by_group(params: Params) -> pd.DataFrame:
    return methods_frame(params, "confidence")


# --- Response rates --------------------------------------------------------------------------------

def _rates_summary(frame: pd.DataFrame, params: Params) -> str:
    rates = frame["response_rate"].dropna() * 100
    unreliable = frame[frame["status"] != ""]
    listed = ", ".join(f"{a} wave {w}" for a, w in zip(unreliable["authority"], unreliable["wave"])) or "none"
    return (f"Mean response rate {rates.mean():.0f}% (range {rates.min():.0f}-{rates.max():.0f}%) over "
            f"{len(frame)} authority-waves; shown as unreliable or suppressed: {listed}.")


def _rates_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    fig = go.Figure()
    for authority, rows in frame.groupby("authority", sort=True):
        group = rows["group"].iloc[0]
        mine = authority == params.authority
        fig.add_trace(go.Scatter(
            x=rows["wave"], y=rows["response_rate"] * 100, mode="lines+markers", name=f"{authority} (G{group})",
            line=dict(color=HIGHLIGHT_COLOUR if mine else GROUP_COLOURS.get(group, ALL_COLOUR), width=4 if mine else 1.5),
            marker=dict(symbol=["circle-open" if s else "circle" for s in rows["status"]], size=9),
            hovertemplate=f"{authority}, wave %{{x}}: %{{y:.0f}}%<extra></extra>"))
    fig.add_hline(y=scoring.MIN_RESPONSE_RATE * 100, line=dict(color="#b00020", dash="dot"),
                  annotation_text="reliability threshold (20%)", annotation_position="bottom right")
    _wave_axis(fig, instruments.load("staff", params.data_dir), frame["wave"])
    fig.update_yaxes(title="Response rate (%)", range=[0, 100])
    base_layout(fig, height=440)
    fig.update_layout(legend=dict(orientation="v", y=1, x=1.02, yanchor="top"))
    return fig


@exhibit("figure-4.4-response-rates", "Staff survey response rates", "meaningful-measures", "illustrative",
         SURVEY_SOURCE, chart=_rates_chart, summary=_rates_summary,
         notes=("Threshold: a wave under 20% response is shown as unreliable (u) and left out of group results; "
                "fewer than 10 respondents is suppressed (c).",))
def response_rates(params: Params) -> pd.DataFrame:
    responses, _, status = _survey(params)
    frame = status.assign(group=status["authority"].map(data.groups(params.data_dir)).astype("Int64"))
    frame = frame[["group", "authority", "wave", "respondents", "invited", "response_rate", "status", "origin"]]
    return _finish(frame.sort_values(["group", "authority", "wave"], ignore_index=True), responses.origin)


# --- Comments ---------------------------------------------------------------------------------------

def _themes_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    """Share of comments per theme, bars per group; a dropdown picks the wave (the last is shown)."""
    waves = sorted(frame["wave"].unique())
    frame = frame.sort_values(["polarity", "theme"], ascending=[False, True])
    traces, owner = [], []
    for w in waves:
        for g in sorted(frame["group"].unique()):
            rows = frame[(frame["wave"] == w) & (frame["group"] == g)]
            traces.append(dict(type="bar", y=[_wrap(f"{lab} ({pol})" if pol else lab, 34) for lab, pol in zip(rows["label"], rows["polarity"])],
                               x=rows["pct_of_comments"].tolist(), orientation="h", name=f"Group {g}",
                               marker=dict(color=GROUP_COLOURS.get(int(g), ALL_COLOUR)), visible=bool(w == waves[-1]),
                               text=rows["count"].where(rows["suppression"] != "", "").tolist(), textposition="outside",
                               hovertemplate="%{y}: %{x}% of comments<extra></extra>"))
            owner.append(w)
    fig = go.Figure(data=traces, _validate=False)
    buttons = [dict(label=f"Wave {w}", method="update", args=[{"visible": [o == w for o in owner]}]) for w in waves]
    menu = dropdown(buttons, label="Wave")
    menu["active"] = len(waves) - 1
    fig.update_layout(updatemenus=[menu], barmode="group")
    fig.update_xaxes(title="% of the group's comments (c = count suppressed)")
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont=dict(size=12))
    _layout(fig, 820)
    fig.update_layout(margin=dict(t=20, l=10))
    return fig


def _themes_summary(frame: pd.DataFrame, params: Params) -> str:
    known = frame[frame["suppression"] == ""].assign(n=lambda f: f["count"].astype(int))
    totals = known.groupby(["theme", "label", "polarity"])["n"].sum().reset_index()
    top = {p: totals[totals["polarity"] == p].sort_values("n").iloc[-1] for p in ("positive", "negative")}
    hidden = (frame["suppression"] != "").sum()
    return (f"The most frequent positive theme is '{top['positive']['label']}' ({top['positive']['n']} comments) and "
            f"the most frequent worry '{top['negative']['label']}' ({top['negative']['n']})."
            + (f" {hidden} small count(s) suppressed (c)." if hidden else ""))


@exhibit("figure-4.4-comment-themes", "Themes in staff survey comments", "meaningful-measures", "illustrative",
         "Open questions of the staff survey, coded with data/instruments/comment_themes.yml",
         chart=_themes_chart, summary=_themes_summary)
def comment_themes(params: Params) -> pd.DataFrame:
    responses = data.responses("staff", params.data_dir)
    frame = comments.theme_counts(responses.comments, comments.codebook("staff", params.data_dir),
                                  data.groups(params.data_dir))
    return _finish(frame, responses.origin)


@exhibit("table-4.4-comment-examples", "Example staff comments per theme (synthetic, redacted)", "meaningful-measures",
         "illustrative", "Synthetic comments written for roses, redacted by roses.survey.redact",
         summary=lambda f, p: f"One example per theme, {len(f)} in all, after names, numbers and links were removed.")
def comment_examples(params: Params) -> pd.DataFrame:
    responses = data.responses("staff", params.data_dir)
    if responses.origin == "local":  # never show an authority's own comments, even redacted
        responses = data.responses("staff", None)
    return comments.examples(responses.comments, comments.codebook("staff", params.data_dir))


# --- Parent survey ----------------------------------------------------------------------------------

def _parent_summary(frame: pd.DataFrame, params: Params) -> str:
    every = frame[frame["level"] == "all"].groupby(["item", "statement"])["pct_agree"].mean().sort_values()
    return (f"Averaged over rounds, agreement runs from {every.iloc[0]:.0f}% ('{every.index[0][1]}') to "
            f"{every.iloc[-1]:.0f}% ('{every.index[-1][1]}')." + _suppression_phrase(frame))


@exhibit("figure-4.5-parent-survey", "Parent survey results", "meaningful-measures", "illustrative", PARENT_SOURCE,
         chart=lambda f, p: _likert_chart(f, p, survey="parent"), summary=_parent_summary)
def parent_survey(params: Params) -> pd.DataFrame:
    inst = instruments.load("parent", params.data_dir)
    return likert_frame(params, [i.id for i in inst.items], survey="parent")


def _change_summary(frame: pd.DataFrame, params: Params) -> str:
    overall = frame[frame["level"] == "all rounds"].iloc[0]
    return (f"{overall['pct_nothing']:.0f}% of {overall['answers']} parents who answered would change nothing about "
            f"how their worker works with them.")


@exhibit("figure-4.5-change-one-thing", "Parents who would change nothing about their worker", "meaningful-measures",
         "illustrative", PARENT_SOURCE,
         chart=lambda f, p: _change_chart(f, p), summary=_change_summary)
def change_one_thing(params: Params) -> pd.DataFrame:
    responses = data.responses("parent", params.data_dir)
    answers = responses.comments[responses.comments["question"] == "change_one_thing"]
    coded = comments.code(answers["text"], comments.codebook("parent", params.data_dir))
    nothing = answers.index.isin(coded.loc[coded["theme"] == "nothing_to_change", "comment"])
    table = answers.assign(nothing=nothing, group=answers["authority"].map(data.groups(params.data_dir)))
    rows = table.groupby(["group", "wave"]).agg(answers=("nothing", "size"), nothing=("nothing", "sum")).reset_index()
    rows["level"] = "group"
    total = pd.DataFrame([{"level": "all rounds", "group": pd.NA, "wave": pd.NA,
                           "answers": len(table), "nothing": int(table["nothing"].sum())}])
    frame = pd.concat([total, rows], ignore_index=True)
    frame["pct_nothing"] = (100 * frame["nothing"] / frame["answers"]).round(1)
    frame = disclosure.suppress_small_bases(frame, ["pct_nothing", "nothing"], base="answers")
    return _finish(frame[["level", "group", "wave", "answers", "nothing", "pct_nothing", "status"]], responses.origin)


def _change_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    inst = instruments.load("parent", params.data_dir)
    fig = go.Figure()
    rows = frame[frame["level"] == "group"]
    for g, part in rows.groupby("group"):
        fig.add_trace(go.Scatter(x=part["wave"], y=part["pct_nothing"], mode="lines+markers", name=f"Group {g}",
                                 line=dict(color=GROUP_COLOURS.get(int(g), ALL_COLOUR), width=3)))
    overall = frame.loc[frame["level"] == "all rounds", "pct_nothing"].iloc[0]
    fig.add_hline(y=overall, line=dict(color=ALL_COLOUR, dash="dot"), annotation_text=f"all rounds: {overall:.0f}%")
    _wave_axis(fig, inst, rows["wave"])
    fig.update_yaxes(title="% who would change nothing", range=[0, 100])
    return base_layout(fig, height=400)
