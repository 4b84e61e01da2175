"""Staff and parent survey exhibits: Figures 2.1-2.2, 6.1-6.8, 7.1-7.7 and Exhibits R4.1-R4.5.

Every frame is scored from respondent-level answers (illustrative, or an authority's local exports,
see ``roses.survey.data``) and holds only disclosure-controlled summaries (docs/disclosure.md): one
row per group, all authorities together, or authority, and wave. ``status`` carries the DfE symbol
of a row (``c`` suppressed, ``u`` low reliability, ``x`` not available); ``origin`` says where its
numbers come from; group rows name the authorities behind them (``based_on``), and charts break a
group's line where those change. Summaries describe the chart; they state no result as a finding.
Every frame passes the suppression audit (``roses.exhibits.audit``) when it is rendered.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from roses.core.origin import Origin
from roses.exhibits.charts import GROUP_COLOURS, HIGHLIGHT_COLOUR, base_layout, dropdown
from roses.exhibits.registry import Params, exhibit
from roses.survey import cellkey, comments, data, disclosure, instruments, scoring

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


def _finish(frame: pd.DataFrame, origin: str) -> tuple[pd.DataFrame, Origin]:
    """The frame with where its numbers come from (local exports, else illustrative)."""
    return frame, Origin(origin)


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
    scores = scoring.with_status(
        scores[scores["dimension"].isin(dimensions)], status, ["scale_score", "percent_positive"]
    )
    scores = _jointly_suppressed(scores, responses.answers, inst, status)
    frame = scoring.summarise(scores, data.groups(params.data_dir), ["dimension"], ["scale_score", "percent_positive"])
    frame.insert(frame.columns.get_loc("dimension") + 1, "dimension_name", frame["dimension"].map(inst.dimensions))
    return _finish(frame, responses.origin)


# Dimensions whose statements are published on the same page as their score (Figure 7.5 beside 7.4).
ITEMS_SHOWN = ("job_satisfaction",)


def _jointly_suppressed(scores: pd.DataFrame, answers: pd.DataFrame, inst, status: pd.DataFrame) -> pd.DataFrame:
    """Suppression decided jointly with the page (docs/disclosure.md, rule 2): a dimension's score is
    hidden wherever one of its published statements is, so the score minus the statements shown
    cannot give a hidden one back."""
    ids = [i.id for d in ITEMS_SHOWN for i in inst.items_in("saq", d)]
    items = scoring.with_status(scoring.item_shares(answers, ids), status, AGREE)
    hidden = items[items["status"] == disclosure.SUPPRESSED]
    if hidden.empty:
        return scores
    keys = set(
        zip(hidden["authority"].astype(str), hidden["wave"], hidden["item"].map(lambda i: inst.item(i).dimension))
    )
    mark = [(a, w, d) in keys for a, w, d in zip(scores["authority"].astype(str), scores["wave"], scores["dimension"])]
    scores = scores.copy()
    scores.loc[mark, "status"] = disclosure.SUPPRESSED
    return disclosure.apply_status(scores, ["scale_score", "percent_positive"])


def methods_frame(params: Params, measure: str) -> pd.DataFrame:
    """Mean use or confidence (1-5) per method, by group, all authorities and authority, per wave."""
    responses, inst, status = _survey(params)
    means = scoring.method_means(responses.answers, inst)
    means = scoring.with_status(means[means["measure"] == measure], status, ["mean"])
    frame = scoring.summarise(
        means.drop(columns="measure"), data.groups(params.data_dir), ["method"], ["mean"], digits=2
    )
    frame.insert(frame.columns.get_loc("method") + 1, "method_wording", frame["method"].map(inst.methods))
    return _finish(frame, responses.origin)


# --- Charts --------------------------------------------------------------------------------------


def wave_dates(params: Params, survey: str) -> dict[int, str] | None:
    """A real authority's own waves by the dates its exports give ('Mar 2024'; '' where no date is known),
    or None for the programme's letters, whose waves keep the report's years (issue 32)."""
    if not params.authority or params.highlight is None:
        return None
    waves = data.responses(survey, params.data_dir).waves
    mine = waves[(waves["origin"] == "local") & (waves["authority"] == params.highlight)]
    dates = mine["date"] if "date" in mine else pd.Series(pd.NaT, index=mine.index)
    return {int(w): (f"{d:%b %Y}" if pd.notna(d) else "") for w, d in zip(mine["wave"], dates)}


def _wave_axis(fig: go.Figure, inst: instruments.Instrument, waves, params: Params) -> None:
    waves = sorted(set(int(w) for w in waves))
    word = "Round" if inst.survey == "parent" else "Wave"
    dates = wave_dates(params, inst.survey)
    when = {w: inst.waves[w]["year"] for w in waves} if dates is None else {w: dates.get(w, "") for w in waves}
    fig.update_xaxes(
        tickvals=waves,
        ticktext=[f"{word} {w}<br>{when[w]}" if when[w] else f"{word} {w}" for w in waves],
        range=[min(waves) - 0.25, max(waves) + 0.25],
        title=None,
        tickangle=0,
    )


GENERATOR_CHOICE = (
    "which authorities these are, and how many each group has wherever the report does not say, is the "
    "illustrative generator's choice"
)


def _own(frame: pd.DataFrame) -> set[str]:
    """The authorities a caption may name: those whose rows come from their own (local) files. In
    illustrative data which authority is missing or flagged is the generator's choice
    (survey/synth.py), a fact the report never states, so captions count them instead (issue 31)."""
    if "origin" not in frame or "authority" not in frame:
        return set()
    return set(frame.loc[frame["origin"] == "local", "authority"].dropna())


def _all_named(frame: pd.DataFrame) -> bool:
    """Whether every authority in the frame is named in captions (all rows from local files)."""
    authorities = set(frame["authority"].dropna()) if "authority" in frame else {None}
    return authorities <= _own(frame)


def _where(picked: pd.DataFrame, word: str, own: set[str]) -> str:
    """'E wave 4' for an authority's own files; '2 in wave 1' for illustrative ones."""
    mine = picked[picked["authority"].isin(own)]
    others = picked[~picked["authority"].isin(own)]
    named = [f"{a} {word} {w}" for a, w in zip(mine["authority"], mine["wave"])]
    counted = [f"{n} in {word} {w}" for w, n in others.groupby("wave").size().items()]
    return ", ".join(named + counted)


def _not_shown(frame: pd.DataFrame, choice: str | None, word: str = "wave") -> list[str]:
    """Reader-facing notes for authority rows that are suppressed or unreliable (``word``: wave or round)."""
    rows = frame[(frame["level"] == "authority") & (frame["status"] != "")]
    notes = []
    for symbol, label in (
        (disclosure.SUPPRESSED, "suppressed (fewer than 10 respondents, or a count of 1-4 could be worked out)"),
        (disclosure.LOW_RELIABILITY, "low reliability, response rate below 20%, not in group lines"),
    ):
        picked = rows[rows["status"] == symbol].drop_duplicates(["authority", "wave"])
        if len(picked):
            notes.append(f"{symbol} = {label}: {_where(picked, word, _own(frame))}")
    return notes


def _layout(fig: go.Figure, height: int) -> go.Figure:
    """The shared layout; with validation off, the template must be given as an object, not a name."""
    base_layout(fig, height=height)
    fig.layout.template = pio.templates["plotly_white"]
    return fig


def _note(fig: go.Figure, notes: list[str], named: bool = True) -> None:
    """The chart's own notes; ``named`` False (illustrative authorities in the frame) adds that
    which authorities they count is the generator's choice."""
    if notes and not named:
        notes = [*notes, GENERATOR_CHOICE[:1].upper() + GENERATOR_CHOICE[1:] + "."]
    if notes:
        # Below the axis, in the figure's bottom margin, so the reader sees what is missing and why.
        fig.add_annotation(
            text="<br>".join(_wrap(n, 95) for n in notes),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-55,
            showarrow=False,
            xanchor="left",
            yanchor="top",
            align="left",
            font=dict(size=12),
        )
        lines = sum(len(_wrap(n, 95).split("<br>")) for n in notes)
        fig.update_layout(margin=dict(b=70 + 18 * lines), height=(fig.layout.height or 480) + 18 * lines)


def line_chart(
    frame: pd.DataFrame,
    params: Params,
    *,
    values: list[tuple[str, str]],
    choice: str | None,
    choice_label: str = "",
    y_title: str,
    y_range: tuple[float, float],
    survey: str = "staff",
) -> go.Figure:
    """Lines by wave, one per group (solid first value, dashed second), a dropdown for ``choice``.

    All authorities together is a grey line; each authority's own line is in the legend, hidden until
    clicked (the chosen ``params.highlight`` is drawn in magenta). Unreliable points have open markers.
    """
    inst = instruments.load(survey, params.data_dir)
    word = "round" if survey == "parent" else "wave"
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
                x, y, symbols, custom = _points(part, column)
                traces.append(
                    dict(
                        type="scatter",
                        x=x,
                        y=y,
                        mode="lines+markers",
                        name=name,
                        legendgroup=name,
                        line=dict(color=colour, width=width, dash=dash),
                        marker=dict(symbol=symbols, size=8),
                        connectgaps=False,
                        customdata=custom,
                        hovertemplate=f"{name}, {word} %{{x}}: %{{y}} (n=%{{customdata[0]}}; %{{customdata[2]}}) "
                        f"%{{customdata[1]}}<extra></extra>",
                        visible=(shown if c == choices[0] else False),
                    )
                )
                owners.append((c, shown))
    # Traces are plain dicts and skip plotly's per-property validation, which costs seconds for
    # a few hundred traces; tests re-validate every chart (tests/test_survey_exhibits.py).
    fig = go.Figure(data=traces, _validate=False)
    if choice and len(choices) > 1:
        labels = _choice_labels(frame, choice)
        buttons = [
            dict(
                label=_short(labels.get(c, str(c))),
                method="update",
                args=[{"visible": [shown if owner == c else False for owner, shown in owners]}],
            )
            for c in choices
        ]
        fig.update_layout(updatemenus=[dropdown(buttons, label=choice_label or choice)])
    _wave_axis(fig, inst, frame["wave"], params)
    fig.update_yaxes(title=y_title, range=list(y_range))
    _layout(fig, 480)
    fig.update_layout(legend=dict(orientation="v", y=1, x=1.02, yanchor="top"), margin=dict(t=20))
    _note(fig, _not_shown(frame, choice, word) + _set_notes(frame, word), _all_named(frame))
    return fig


def _points(part: pd.DataFrame, column: str):
    """x, y, marker symbols and hover data of one line, broken (a gap) wherever the authorities
    behind a group or all-authority value differ from the wave before, so the line never draws a
    change between different sets of authorities (docs/disclosure.md, rule 6). Unreliable points are
    open circles; a group value resting on one authority is an open diamond."""
    x: list[int | None] = []
    y: list[float | None] = []
    symbols: list[str] = []
    custom: list[list[str]] = []
    previous = None
    columns = list(part.columns)
    for values in part.itertuples(index=False, name=None):  # plain tuples: no namedtuple class per call
        row = dict(zip(columns, values))
        based_on = str(row.get("based_on") or "")
        if previous is not None and row["level"] != "authority" and based_on != previous:
            x.append(None)  # a gap in the line
            y.append(None)
            symbols.append("circle")
            custom.append(["", "", ""])
        previous = based_on
        value = row[column]
        x.append(int(row["wave"]))
        y.append(None if pd.isna(value) else float(value))
        single = row["level"] != "authority" and row.get("authorities") == 1
        symbols.append(
            "diamond-open" if single else "circle-open" if row["status"] == disclosure.LOW_RELIABILITY else "circle"
        )
        who = f"authorities: {based_on}" if row["level"] != "authority" else "own result"
        respondents = "" if pd.isna(row["respondents"]) else str(int(row["respondents"]))
        custom.append([respondents, str(row["status"] or ""), who])
    return x, y, symbols, custom


def _set_notes(frame: pd.DataFrame, word: str = "wave") -> list[str]:
    """Where the authorities behind a group's values change from wave to wave (like with like)."""
    changes = _set_changes(frame, word)
    if not changes:
        return []
    return [
        "Lines break where the authorities behind a group change (compare like with like): "
        + "; ".join(changes)
        + ". An open diamond rests on one authority."
    ]


def _set_changes(frame: pd.DataFrame, word: str = "wave") -> list[str]:
    """'Group 3 wave 4: 1 authority, was 3', with the letters ('(H)') only when all are the frame's own."""
    rows = frame[frame["level"] == "group"] if "based_on" in frame else frame.iloc[0:0]
    own, out = _own(frame), []
    for group, part in rows.groupby("group"):
        sets = part.drop_duplicates("wave").sort_values("wave")
        previous = None
        for wave, based_on in zip(sets["wave"], sets["based_on"].fillna("")):
            if previous is not None and based_on != previous:
                now = based_on.split()
                out.append(
                    f"Group {group} {word} {wave}: {len(now)} authorit{'y' if len(now) == 1 else 'ies'}"
                    + (f" ({', '.join(now)})" if now and set(now) <= own else "")
                    + f", was {len(previous.split())}"
                )
            previous = based_on
    return out


def _series(rows: pd.DataFrame):
    keyed = rows.assign(_g=rows["group"].fillna(0).astype(int))
    order = {"group": 0, "all": 1, "authority": 2}
    for key, part in sorted(
        keyed.groupby(["level", "_g", "authority"]), key=lambda kv: (order[kv[0][0]], kv[0][1], kv[0][2])
    ):
        yield key, part.sort_values("wave")


def _style(level: str, group: int, authority: str, params: Params):
    if level == "group":
        return GROUP_COLOURS.get(group, ALL_COLOUR), 3, True
    if level == "all":
        return ALL_COLOUR, 2, "legendonly"
    if authority == params.highlight:
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
    return "<br>".join(textwrap.wrap(text, width))


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _likert_chart(frame: pd.DataFrame, params: Params, survey: str = "staff") -> go.Figure:
    choice = "item" if frame["item"].nunique() > 1 else None
    return line_chart(
        frame,
        params,
        values=[("pct_agree", "agree"), ("pct_disagree", "disagree")],
        choice=choice,
        choice_label="Statement",
        y_title="% of respondents (neutral left out)",
        y_range=(0, 100),
        survey=survey,
    )


def _saq_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    choice = "dimension" if frame["dimension"].nunique() > 1 else None
    return line_chart(
        frame,
        params,
        values=[("scale_score", "")],
        choice=choice,
        choice_label="Dimension",
        y_title="Scale score (0-100)",
        y_range=(0, 100),
    )


# --- Summaries (computed from the frame) -----------------------------------------------------------
#
# A summary is the caption of a chart of illustrative (or local) data: it says what the chart shows,
# which authorities are behind each group's line and what is suppressed, never a result as a finding.


def _waves_phrase(frame: pd.DataFrame, word: str = "wave") -> str:
    waves = sorted(int(w) for w in frame["wave"].dropna().unique())
    return f"{word}s {waves[0]}-{waves[-1]}" if len(waves) > 1 else f"{word} {waves[0]}" if waves else f"no {word}s"


def _lines_summary(frame: pd.DataFrame, what: str, word: str = "wave") -> str:
    text = (
        f"Lines show {what} for each group over {_waves_phrase(frame, word)}. A group's line is the mean of "
        "its authorities with a usable result, each counted once; the legend adds all authorities together "
        "and each authority alone."
    )
    return text + _sets_phrase(frame, word) + _suppression_phrase(frame, word)


def _sets_phrase(frame: pd.DataFrame, word: str = "wave") -> str:
    changes = _set_changes(frame, word)
    if not changes:
        return f" Every group rests on the same authorities in every {word}."
    return (
        " A group's line breaks where the authorities behind it change, so no change between different "
        "sets of authorities is drawn: " + "; ".join(changes) + ("." if _all_named(frame) else f"; {GENERATOR_CHOICE}.")
    )


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _suppression_phrase(frame: pd.DataFrame, word: str = "wave") -> str:
    rows = frame[(frame["level"] == "authority") & (frame["status"] != "")].drop_duplicates(["authority", "wave"])
    if rows.empty:
        return ""
    hidden = (rows["status"] == disclosure.SUPPRESSED).sum()
    low = (rows["status"] == disclosure.LOW_RELIABILITY).sum()
    parts = []
    if hidden:
        parts.append(
            f"{_plural(int(hidden), f'authority-{word} result', f'authority-{word} results')} suppressed "
            "(c: fewer than 10 respondents, or a count of 1-4 could be worked out)"
        )
    if low:
        parts.append(f"{low} shown as unreliable (u) and left out of group lines")
    text = "; ".join(parts)
    return " " + text[:1].upper() + text[1:] + "."


def _likert_summary(frame: pd.DataFrame, params: Params) -> str:
    return _lines_summary(frame, "the share agreeing (solid) and disagreeing (dashed)")


def _saq_summary(frame: pd.DataFrame, params: Params) -> str:
    return _lines_summary(frame, "the mean scale score (0-100)")


# --- Registration --------------------------------------------------------------------------------


def _likert_exhibit(id: str, title: str, chapter: str, item_ids: list[str]) -> None:
    exhibit(
        id,
        title,
        chapter,
        "illustrative",
        SURVEY_SOURCE,
        chart=_likert_chart,
        summary=_likert_summary,
        notes=("% agree = agree + strongly agree; % disagree = disagree + strongly disagree; neutral left out.",),
    )(lambda params: likert_frame(params, item_ids))


def _saq_exhibit(id: str, title: str, chapter: str, dimension: str) -> None:
    exhibit(id, title, chapter, "illustrative", SAQ_SOURCE, chart=_saq_chart, summary=_saq_summary)(
        lambda params: saq_frame(params, [dimension])
    )


for _id, _item in (
    ("figure-2.2", "mistake_incompetent"),
    ("figure-6.4", "direct_work_time"),
    ("figure-6.5", "targets_precedence"),
    ("figure-6.6", "critical_reflection"),
    ("figure-6.7", "shared_risk_culture"),
    ("figure-6.8", "manager_shared_risk"),
):
    _wording = instruments.load("staff").item(_item).wording
    _likert_exhibit(_id, _wording, "leadership" if _id == "figure-2.2" else "practice", [_item])

_saq_exhibit("figure-2.1", "Safety climate", "leadership", "safety_climate")
for _id, _title, _dimension in (
    ("figure-7.1", "Team climate", "teamwork_climate"),
    ("figure-7.2", "Safety climate", "safety_climate"),
    ("figure-7.3", "Perceptions of management", "perceptions_of_management"),
    ("figure-7.4", "Job satisfaction", "job_satisfaction"),
    ("figure-7.6", "Working conditions", "working_conditions"),
    ("figure-7.7", "Stress recognition", "stress_recognition"),
):
    _saq_exhibit(_id, _title, "findings", _dimension)


def _job_items_summary(frame: pd.DataFrame, params: Params) -> str:
    return _lines_summary(
        frame,
        f"the share agreeing and disagreeing with each of {frame['item'].nunique()} "
        "job satisfaction statements (chosen in the menu)",
    )


@exhibit(
    "figure-7.5",
    "Contributors to high or low job satisfaction",
    "findings",
    "illustrative",
    SAQ_SOURCE,
    chart=lambda f, p: _likert_chart(f, p),
    summary=_job_items_summary,
)
def job_satisfaction_items(params: Params) -> pd.DataFrame:
    inst = instruments.load("staff", params.data_dir)
    return likert_frame(params, [i.id for i in inst.items_in("saq", "job_satisfaction")])


# --- Section 1: use of and confidence in methods ------------------------------------------------------


def _methods_chart(frame: pd.DataFrame, params: Params, y_title: str) -> go.Figure:
    """One line per method; a dropdown picks all authorities or one group."""
    inst = instruments.load("staff", params.data_dir)
    views = [("all", None, "All authorities")] + [
        ("group", g, f"Group {g}") for g in sorted(frame["group"].dropna().unique())
    ]
    if not frame["level"].isin(["all", "group"]).any():  # an authority's own edition: its own lines
        views = [("authority", a, str(a)) for a in frame.loc[frame["level"] == "authority", "authority"].unique()]
    traces, owner = [], []
    for v, (level, key, _) in enumerate(views):
        rows = frame[frame["level"] == level]
        if key is not None:
            rows = rows[rows["group" if level == "group" else "authority"] == key]
        for m, (method, part) in enumerate(rows.groupby("method", sort=False)):
            x, y, symbols, custom = _points(part.sort_values("wave"), "mean")
            traces.append(
                dict(
                    type="scatter",
                    x=x,
                    y=y,
                    mode="lines+markers",
                    connectgaps=False,
                    name=_short(inst.methods[method], 45),
                    marker=dict(symbol=symbols, size=7),
                    line=dict(color=METHOD_COLOURS[m % len(METHOD_COLOURS)], width=2.5),
                    customdata=custom,
                    hovertemplate=f"{inst.methods[method]}, wave %{{x}}: %{{y:.2f}} "
                    f"(%{{customdata[2]}})<extra></extra>",
                    visible=v == 0,
                )
            )
            owner.append(v)
    fig = go.Figure(data=traces, _validate=False)
    buttons = [
        dict(label=label, method="update", args=[{"visible": [o == v for o in owner]}])
        for v, (_, _, label) in enumerate(views)
    ]
    fig.update_layout(updatemenus=[dropdown(buttons, label="Who")])
    _wave_axis(fig, inst, frame["wave"], params)
    fig.update_yaxes(title=y_title, range=[1, 5])
    fig.add_hline(
        y=3,
        line=dict(color="#777", dash="dot"),
        annotation_text="3 = sometimes / moderately",
        annotation_position="bottom right",
    )
    _layout(fig, 500)
    fig.update_layout(legend=dict(orientation="v", y=1, x=1.02, yanchor="top"), margin=dict(t=20))
    _note(fig, _not_shown(frame, None) + _set_notes(frame), _all_named(frame))
    return fig


def _methods_summary(frame: pd.DataFrame, measure: str) -> str:
    return (
        f"One line per method ({frame['method'].nunique()} methods) shows the mean {measure} (1-5) over "
        f"{_waves_phrase(frame)}, for all authorities or one group (menu)."
        + _sets_phrase(frame)
        + _suppression_phrase(frame)
    )


@exhibit(
    "figure-6.1",
    "Use of methods",
    "practice",
    "illustrative",
    SURVEY_SOURCE,
    chart=lambda f, p: _methods_chart(f, p, "Mean use (1 never - 5 always)"),
    summary=lambda f, p: _methods_summary(f, "use"),
)
def use_of_methods(params: Params) -> pd.DataFrame:
    return methods_frame(params, "use")


@exhibit(
    "figure-6.2",
    "Confidence in methods",
    "practice",
    "illustrative",
    SURVEY_SOURCE,
    chart=lambda f, p: _methods_chart(f, p, "Mean confidence (1 not at all - 5 extremely)"),
    summary=lambda f, p: _methods_summary(f, "confidence") + " The dotted line marks 3, moderately confident.",
)
def confidence_in_methods(params: Params) -> pd.DataFrame:
    return methods_frame(params, "confidence")


def _confidence_groups_summary(frame: pd.DataFrame, params: Params) -> str:
    return _lines_summary(frame, "the mean confidence (1-5) in the method chosen in the menu")


@exhibit(
    "figure-6.3",
    "Confidence in using individual methods",
    "practice",
    "illustrative",
    SURVEY_SOURCE,
    chart=lambda f, p: line_chart(
        f,
        p,
        values=[("mean", "")],
        choice="method",
        choice_label="Method",
        y_title="Mean confidence (1-5)",
        y_range=(1, 5),
    ),
    summary=_confidence_groups_summary,
)
def confidence_by_group(params: Params) -> pd.DataFrame:
    return methods_frame(params, "confidence")


# --- Response rates --------------------------------------------------------------------------------


def _rates_summary(frame: pd.DataFrame, params: Params) -> str:
    unreliable = frame[frame["status"] != ""]
    mine = unreliable["authority"].isin(_own(frame))
    named = [f"{a} wave {w} ({s})" for a, w, s in unreliable.loc[mine, ["authority", "wave", "status"]].values]
    counts = unreliable[~mine].groupby(["wave", "status"]).size()
    counted = [f"{n} in wave {w} ({s})" for (w, s), n in counts.items()]
    listed = ", ".join(named + counted) + (f"; {GENERATOR_CHOICE}" if counted else "") or "none"
    if frame["response_rate"].isna().all():
        return (
            f"Respondents per wave for {len(frame)} authority-waves. No invitation counts were given "
            "(surveys/invited.csv), so no response rate can be worked out or checked against the threshold."
        )
    return (
        f"One line per authority shows the share of invited staff who answered, for {len(frame)} "
        f"authority-waves; the dotted line is the reliability threshold. Shown as unreliable (u) or "
        f"suppressed (c): {listed}."
    )


def _respondents_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    """Without invitation counts there is no rate: respondents per wave, so the chart still shows the data."""
    fig = go.Figure()
    for authority, rows in frame.groupby("authority", sort=True):
        fig.add_trace(
            go.Bar(
                x=rows["wave"],
                y=rows["respondents"],
                name=str(authority),
                marker=dict(color=HIGHLIGHT_COLOUR if authority == params.highlight else ALL_COLOUR),
                hovertemplate=f"{authority}, wave %{{x}}: %{{y}} respondents<extra></extra>",
            )
        )
    _wave_axis(fig, instruments.load("staff", params.data_dir), frame["wave"], params)
    fig.update_yaxes(title="Respondents (no invitation counts: no rate)", rangemode="tozero")
    base_layout(fig, height=400)
    return fig


def _rates_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    if frame["response_rate"].isna().all():
        return _respondents_chart(frame, params)
    fig = go.Figure()
    for authority, rows in frame.groupby("authority", sort=True):
        group = rows["group"].iloc[0]
        mine = authority == params.highlight
        fig.add_trace(
            go.Scatter(
                x=rows["wave"],
                y=rows["response_rate"] * 100,
                mode="lines+markers",
                name=f"{authority} (G{group})",
                line=dict(
                    color=HIGHLIGHT_COLOUR if mine else GROUP_COLOURS.get(group, ALL_COLOUR), width=4 if mine else 1.5
                ),
                marker=dict(symbol=["circle-open" if s else "circle" for s in rows["status"]], size=9),
                hovertemplate=f"{authority}, wave %{{x}}: %{{y:.0f}}%<extra></extra>",
            )
        )
    fig.add_hline(
        y=scoring.MIN_RESPONSE_RATE * 100,
        line=dict(color="#b00020", dash="dot"),
        annotation_text="reliability threshold (20%)",
        annotation_position="bottom right",
    )
    _wave_axis(fig, instruments.load("staff", params.data_dir), frame["wave"], params)
    fig.update_yaxes(title="Response rate (%)", range=[0, 100])
    base_layout(fig, height=440)
    fig.update_layout(legend=dict(orientation="v", y=1, x=1.02, yanchor="top"))
    return fig


@exhibit(
    "exhibit-r4.1-response-rates",
    "Staff survey response rates",
    "meaningful-measures",
    "illustrative",
    SURVEY_SOURCE,
    chart=_rates_chart,
    summary=_rates_summary,
    notes=(
        "Threshold: a wave under 20% response is shown as unreliable (u) and left out of group results; "
        "fewer than 10 respondents is suppressed (c).",
    ),
)
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
            traces.append(
                dict(
                    type="bar",
                    y=[
                        _wrap(f"{lab} ({pol})" if pol else lab, 34) for lab, pol in zip(rows["label"], rows["polarity"])
                    ],
                    x=rows["pct_of_comments"].tolist(),
                    orientation="h",
                    name=f"Group {g}",
                    marker=dict(color=GROUP_COLOURS.get(int(g), ALL_COLOUR)),
                    visible=bool(w == waves[-1]),
                    text=rows["count"].where(rows["count"] == disclosure.SUPPRESSED, "").tolist(),
                    textposition="outside",
                    hovertemplate="%{y}: %{x}% of comments<extra></extra>",
                )
            )
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
    hidden = int((frame["count"] == disclosure.SUPPRESSED).sum())
    return (
        f"Bars show the share of each group's comments that match each of {frame['theme'].nunique()} themes "
        "(the menu picks the wave). Comments from authority-waves whose survey results are suppressed or "
        "unreliable are not counted."
        + (
            f" {_plural(hidden, 'count', 'counts')} suppressed (c), with enough others that none can be worked out."
            if hidden
            else ""
        )
    )


@exhibit(
    "exhibit-r4.2-comment-themes",
    "Themes in staff survey comments",
    "meaningful-measures",
    "illustrative",
    "Open questions of the staff survey, coded with data/instruments/comment_themes.yml",
    chart=_themes_chart,
    summary=_themes_summary,
)
def comment_themes(params: Params) -> pd.DataFrame:
    responses, _, status = _survey(params)
    frame = comments.theme_counts(
        responses.comments, comments.codebook("staff", params.data_dir), data.groups(params.data_dir), status=status
    )
    return _finish(frame, responses.origin)


@exhibit(
    "exhibit-r4.3-comment-examples",
    "Example staff comments per theme (synthetic, redacted)",
    "meaningful-measures",
    "illustrative",
    "Synthetic comments written for roses, redacted by roses.survey.redact",
    summary=lambda f, p: f"One example per theme, {len(f)} in all, after names, numbers and links were removed.",
)
def comment_examples(params: Params) -> pd.DataFrame:
    responses = data.responses("staff", params.data_dir)
    if responses.origin == "local":  # never show an authority's own comments, even redacted
        responses = data.responses("staff", None)
    return comments.examples(responses.comments, comments.codebook("staff", params.data_dir))


# --- Parent survey ----------------------------------------------------------------------------------


def _parent_summary(frame: pd.DataFrame, params: Params) -> str:
    return _lines_summary(
        frame,
        f"the share of parents agreeing (solid) and disagreeing (dashed) with each of "
        f"{frame['item'].nunique()} statements (menu)",
        word="round",
    )


@exhibit(
    "exhibit-r4.4-parent-survey",
    "Parent survey results",
    "meaningful-measures",
    "illustrative",
    PARENT_SOURCE,
    chart=lambda f, p: _likert_chart(f, p, survey="parent"),
    summary=_parent_summary,
)
def parent_survey(params: Params) -> pd.DataFrame:
    inst = instruments.load("parent", params.data_dir)
    return likert_frame(params, [i.id for i in inst.items], survey="parent")


def _change_summary(frame: pd.DataFrame, params: Params) -> str:
    hidden = int((frame["status"] == disclosure.SUPPRESSED).sum())
    return (
        "Lines show, for each group and round, the share of parents answering the open question who said "
        "they would change nothing about how their worker works with them; the dotted line is all the "
        "rounds shown together. The all-rounds row adds up only the cells that are shown."
        + _sets_phrase(frame, "round")
        + (
            f" {_plural(hidden, 'group-round cell', 'group-round cells')} suppressed (c: fewer than 10 answers, "
            "or a count of 1-4)."
            if hidden
            else ""
        )
    )


@exhibit(
    "exhibit-r4.5-change-one-thing",
    "Parents who would change nothing about their worker",
    "meaningful-measures",
    "illustrative",
    PARENT_SOURCE,
    chart=lambda f, p: _change_chart(f, p),
    summary=_change_summary,
    notes=(
        "The all-rounds row is the sum of the group-round cells shown, so a suppressed cell cannot be "
        "worked out by subtraction; answers from authority-rounds whose survey results are suppressed "
        "or unreliable are not counted.",
    ),
)
def change_one_thing(params: Params) -> pd.DataFrame:
    responses, _, status = _survey(params, "parent")
    answers = responses.comments[responses.comments["question"] == "change_one_thing"]
    answers = comments.usable_only(answers, status)
    coded = comments.code(answers["text"], comments.codebook("parent", params.data_dir))
    nothing = answers.index.isin(coded.loc[coded["theme"] == "nothing_to_change", "comment"])
    table = answers.assign(nothing=nothing, group=answers["authority"].map(data.groups(params.data_dir)))
    table = table[table["group"].notna()]
    rows = (
        table.groupby(["group", "wave"])
        .agg(
            answers=("nothing", "size"),
            nothing=("nothing", "sum"),
            based_on=("authority", lambda a: " ".join(sorted(set(map(str, a))))),
        )
        .reset_index()
    )
    # Cell-key perturbation (docs/disclosure.md, rule 3): one answer more or fewer redraws the noise.
    keys = cellkey.cell_keys(table, ["group", "wave"], kind="comments")
    key = keys.reindex(pd.MultiIndex.from_frame(rows[["group", "wave"]])).to_numpy()
    rows["nothing"] = cellkey.perturb(rows["nothing"], key, "nothing", cellkey.COUNT_NOISE, 0, rows["answers"])
    # A group-round whose authorities all ran the survey but none has usable results is shown as c.
    ran = status.assign(group=status["authority"].map(data.groups(params.data_dir)))
    ran = ran[ran["group"].notna()]
    have = set(zip(rows["group"], rows["wave"]))
    empty = sorted({(int(g), int(w)) for g, w in zip(ran["group"], ran["wave"])} - have)
    rows = (
        pd.concat(
            [
                rows,
                pd.DataFrame([{"group": g, "wave": w, "answers": 0, "nothing": 0, "based_on": ""} for g, w in empty]),
            ],
            ignore_index=True,
        )
        if empty
        else rows
    )
    rows["level"] = "group"
    rows["status"] = ""
    rows["pct_nothing"] = (100 * rows["nothing"] / rows["answers"]).round(1)
    rows["pct_nothing"] = rows["pct_nothing"].astype(float)
    small = (
        (rows["answers"] < disclosure.MIN_RESPONDENTS)
        | disclosure.small(rows["nothing"], rows["nothing"])
        | disclosure.small(rows["answers"] - rows["nothing"], rows["answers"] - rows["nothing"])
    )
    rows.loc[small, "status"] = disclosure.SUPPRESSED
    rows = disclosure.apply_status(rows, ["nothing", "pct_nothing"])
    shown = rows[rows["status"] == ""]
    total = pd.DataFrame(
        [
            {
                "level": "all rounds",
                "group": pd.NA,
                "wave": pd.NA,
                "answers": int(shown["answers"].sum()),
                "nothing": float(shown["nothing"].sum()),
                "status": "",
                "based_on": " ".join(sorted(set(" ".join(shown["based_on"]).split()))),
            }
        ]
    )
    total["pct_nothing"] = (100 * total["nothing"] / total["answers"]).round(1)
    frame = pd.concat([total, rows.sort_values(["group", "wave"])], ignore_index=True)
    frame["group"] = frame["group"].astype("Int64")
    frame["wave"] = frame["wave"].astype("Int64")
    columns = ["level", "group", "wave", "answers", "nothing", "pct_nothing", "based_on", "status"]
    return _finish(frame[columns], responses.origin)


def _change_chart(frame: pd.DataFrame, params: Params) -> go.Figure:
    inst = instruments.load("parent", params.data_dir)
    rows = frame[frame["level"] == "group"].assign(
        authorities=lambda f: f["based_on"].str.split().str.len(), respondents=lambda f: f["answers"]
    )
    traces = []
    for g, part in rows.groupby("group"):
        x, y, symbols, custom = _points(part.sort_values("wave"), "pct_nothing")
        traces.append(
            dict(
                type="scatter",
                x=x,
                y=y,
                mode="lines+markers",
                name=f"Group {g}",
                connectgaps=False,
                marker=dict(symbol=symbols, size=8),
                customdata=custom,
                line=dict(color=GROUP_COLOURS.get(int(g), ALL_COLOUR), width=3),
                hovertemplate=f"Group {g}, round %{{x}}: %{{y}}% (answers %{{customdata[0]}}; "
                f"%{{customdata[2]}}) %{{customdata[1]}}<extra></extra>",
            )
        )
    fig = go.Figure(data=traces, _validate=False)
    overall = frame.loc[frame["level"] == "all rounds", "pct_nothing"].iloc[0]
    if pd.notna(overall):
        fig.add_hline(
            y=overall, line=dict(color=ALL_COLOUR, dash="dot"), annotation_text=f"all rounds shown: {overall:.0f}%"
        )
    _wave_axis(fig, inst, rows["wave"].dropna(), params)
    fig.update_yaxes(title="% who would change nothing", range=[0, 100])
    _layout(fig, 400)
    _note(fig, _set_notes(rows, "round"), _all_named(frame))
    return fig
