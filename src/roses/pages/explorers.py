"""Explorers: what a reader changes and sees at once, live in a kernel and working on the static site.

- ``self-assessment``: eight sliders (1-3), one per blind-rated factor of the report's framework, with
  the score descriptions of ``data/published/rating_criteria.csv``; the total and profile are placed
  among the programme's authorities and group means in Table 7.1's terms (this book's analysis).
- ``indicators``: any English authority and indicator of the national files (``roses.national``),
  year by year beside England and its ten DfE statistical neighbours, named (public statistics).

One computation each (``assess``, ``compare``), used by both faces:

- with a notebook kernel started by ``make lab`` (``ROSES_WIDGETS=live`` and the server's
  ``JPY_SESSION_NAME`` in its environment): ipywidgets, recomputed in Python on every change;
- otherwise (the book's build, papermill, nbval): HTML with the precomputed data in a JSON script
  element; ``roses-explorers.js``, served by the site (``roses.site.sphinx_ext``), does the same
  computation in the browser. Its controls stay disabled until that script has connected them, so
  nothing looks alive and does nothing; the HTML names the command that opens the live version.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from roses.core.origin import Origin
from roses.national import indicators, readers
from roses.pages.render import badge, in_jupyterlab
from roses.published import scoring, self_assessment, tables

EXPLORERS = ("self-assessment", "indicators")
MARK = "data-roses-explorer"  # on every static explorer's element (sphinx_ext links the script)
DEFAULT_AUTHORITY = "Derby"


class StaticExplorer:
    """The static face: HTML that the book renders; ``roses-explorers.js`` connects its controls."""

    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:  # the text/plain beside the HTML: no memory address, builds stay identical
        return "An explorer: open the page in a browser, or the chapter with `make lab`."


def show(name: str, data_dir: str | Path | None = None):
    """The explorer ``name``: live widgets in a ``make lab`` kernel, else the static HTML."""
    if name not in EXPLORERS:
        raise ValueError(f"no explorer {name!r}; there are {', '.join(EXPLORERS)}")
    live = in_jupyterlab()
    if name == "self-assessment":
        return self_assessment_widget(data_dir) if live else StaticExplorer(self_assessment_html(data_dir))
    return indicator_widget(data_dir) if live else StaticExplorer(indicator_html(data_dir))


def _badge(origin: Origin, source: str) -> str:
    return f'<p class="roses-provenance">{badge(origin, source)}</p>'


# ---------------------------------------------------------------- self-assessment (Table 7.1 terms)

SELF_SOURCE = (
    "this book's analysis of Report Table 7.1 (blind ratings) and the rating criteria of "
    "Tables 2.2 to 5.3; the placement rules of roses.published.self_assessment"
)


def self_assessment_data(data_dir: str | Path | None = None) -> dict:
    """What both faces need: per factor (and the total) its title, score descriptions, the three group
    means and the programme's ten scores (letters left out, as in ``self_assessment.placement``)."""
    folder = self_assessment.tables_dir(data_dir)
    criteria = tables.rating_criteria(folder).set_index("factor")
    table = scoring.summary_table(tables.blind_ratings(folder))
    programme = self_assessment.placement(data_dir).set_index("factor")
    rows = []
    for factor in tables.FACTORS + ["total"]:
        row: dict[str, Any] = {
            "factor": factor,
            "title": str(programme.at[factor, "title"]),
            "group_means": [float(programme.at[factor, f"group_{g}_mean"]) for g in tables.GROUPS],
            "programme": sorted(int(v) for v in table[factor]),
        }
        if factor != "total":
            row["table"] = str(criteria.at[factor, "table"])
            row["scores"] = {str(s): str(criteria.at[factor, f"score_{s}"]) for s in (1, 2, 3)}
        rows.append(row)
    return {"factors": rows[:-1], "total": rows[-1], "groups": list(tables.GROUPS)}


def assess(scores: list[int], data_dir: str | Path | None = None) -> pd.DataFrame:
    """``self_assessment.placement`` of eight scores (1-3, in the order of ``tables.FACTORS``)."""
    if len(scores) != len(tables.FACTORS) or any(s not in (1, 2, 3) for s in scores):
        raise ValueError(f"eight scores of 1, 2 or 3 are needed, got {scores}")
    return self_assessment.placement(data_dir, pd.DataFrame({"factor": tables.FACTORS, "score": scores}))


def assessment_text(placed: pd.DataFrame) -> str:
    """The sentence both faces show (roses-explorers.js writes the same words)."""
    total = placed.set_index("factor").loc["total"]
    groups = str(total["closest_group"])
    which = f"Group {groups}'s" if " or " not in groups else f"Groups {groups}'"
    return (
        f"A total of {int(total['score'])} out of {3 * len(tables.FACTORS)}: {int(total['programme_at_or_below'])} "
        f"of the programme's ten authorities had a total at or below it (their totals ran from "
        f"{int(total['programme_low'])} to {int(total['programme_high'])}); the closest group mean total is "
        f"{which}."
    )


def _g(value) -> str:
    return f"{value:g}"


def _assessment_result_html(scores: list[int], data_dir: str | Path | None = None) -> str:
    placed = assess(scores, data_dir)
    head = "".join(f'<th scope="col">Group {g} mean</th>' for g in tables.GROUPS)
    rows = []
    for row in placed.itertuples():
        means = "".join(f"<td>{_g(getattr(row, f'group_{g}_mean'))}</td>" for g in tables.GROUPS)
        rows.append(
            f'<tr><th scope="row">{html.escape(row.title)}</th><td>{row.score}</td>{means}'
            f"<td>{row.programme_at_or_below}</td><td>{html.escape(row.closest_group)}</td></tr>"
        )
    return (
        f'<p class="roses-explorer-answer">{html.escape(assessment_text(placed))}</p>'
        '<table class="roses-table"><caption>Your profile beside the group means of Table 7.1</caption>'
        f'<thead><tr><th scope="col">Factor</th><th scope="col">Your score</th>{head}'
        '<th scope="col">Authorities at or below (of ten)</th><th scope="col">Closest group</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _needs(command: str) -> str:
    return (
        f'<p class="roses-explorer-note">This explorer runs in the page itself. With a kernel, '
        f"<code>{command}</code> opens the chapter in JupyterLab, where it is live (ipywidgets).</p>"
    )


def self_assessment_html(data_dir: str | Path | None = None) -> str:
    data = self_assessment_data(data_dir)
    start = [2] * len(data["factors"])
    controls = []
    for i, factor in enumerate(data["factors"]):
        cid = f"roses-self-{factor['factor']}"
        options = "".join(
            f'<option value="{s}"{" selected" if s == 2 else ""}>{s}: {html.escape(factor["scores"][str(s)])}</option>'
            for s in (3, 2, 1)
        )
        controls.append(
            f'<div class="roses-explorer-control"><label for="{cid}">{html.escape(factor["title"])} '
            f"(Table {html.escape(factor['table'])})</label>"
            f'<div><select id="{cid}" data-index="{i}" style="max-width:100%" disabled>{options}</select></div></div>'
        )
    payload = json.dumps(data, sort_keys=True).replace("</", "<\\/")
    return (
        f'<figure class="roses-explorer" {MARK}="self-assessment" id="explorer-self-assessment">'
        '<figcaption><strong class="roses-number">Explorer: score an authority on the eight factors</strong>'
        f"{_badge(Origin.ANALYSIS, SELF_SOURCE)}</figcaption>"
        f'<div class="roses-explorer-controls">{"".join(controls)}</div>'
        f'<div class="roses-explorer-result" aria-live="polite">{_assessment_result_html(start, data_dir)}</div>'
        f"{_needs('make lab')}"
        f'<script type="application/json" class="roses-explorer-data">{payload}</script></figure>'
    )


def self_assessment_widget(data_dir: str | Path | None = None) -> widgets.VBox:
    """Eight sliders and the result, recomputed on every change (``.children[-1]`` is the result)."""
    data = self_assessment_data(data_dir)
    result = widgets.HTML()
    sliders, notes = [], []
    for factor in data["factors"]:
        slider = widgets.IntSlider(
            value=2,
            min=1,
            max=3,
            step=1,
            description=factor["title"],
            style={"description_width": "18em"},
            layout={"width": "36em"},
        )
        sliders.append(slider)
        notes.append(widgets.HTML())

    def update(_change=None) -> None:
        scores = [s.value for s in sliders]
        for factor, slider, note in zip(data["factors"], sliders, notes):
            note.value = f"<small>{slider.value}: {html.escape(factor['scores'][str(slider.value)])}</small>"
        result.value = _assessment_result_html(scores, data_dir)

    for slider in sliders:
        slider.observe(update, names="value")
    update()
    rows = [widgets.VBox([s, n]) for s, n in zip(sliders, notes)]
    header = widgets.HTML(
        "<strong>Explorer: score an authority on the eight factors</strong>" + _badge(Origin.ANALYSIS, SELF_SOURCE)
    )
    box = widgets.VBox([header, *rows, result])
    box.sliders = sliders  # for tests and for a reader's own code
    return box


# ---------------------------------------------------------------- indicators (real national statistics)

INDICATOR_SOURCE = (
    "DfE, Ofsted and ONS statistics (data/dfe/, Open Government Licence v3.0); DfE statistical neighbours"
)


def indicator_data(data_dir: str | Path | None = None) -> dict:
    """Every authority's value of every indicator by year, England's, and each authority's neighbours."""
    values = indicators.all_values(data_dir)
    names = readers.authorities(data_dir).sort_values("la_name")
    years = sorted(int(y) for y in values["year"].unique())
    out: dict[str, Any] = {"years": years, "indicators": [], "authorities": [], "england": {}, "values": {}}
    for name, definition in indicators.definitions(data_dir).items():
        out["indicators"].append({"name": name, "label": definition.label, "unit": definition.unit})
        frame = values[values["indicator"] == name]
        national = frame[frame["level"] == "National"].set_index("year")["value"]
        out["england"][name] = [_number(national.get(y)) for y in years]
        local = frame[frame["level"] == "Local authority"].pivot_table(
            index="old_la_code", columns="year", values="value", aggfunc="first"
        )
        out["values"][name] = {code: [_number(row.get(y)) for y in years] for code, row in local.iterrows()}
    for row in names.itertuples():
        out["authorities"].append(
            {
                "code": row.old_la_code,
                "name": row.la_name,
                "neighbours": indicators.neighbour_codes(row.old_la_code, data_dir),
            }
        )
    return out


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 2)


def _mid(a: float, b: float) -> float:
    """The mean of two values of at most two decimals, to two decimals, a half rounded away from zero
    (in whole hundredths, so that roses-explorers.js's ``mid`` gives the same digits)."""
    total = round(a * 100) + round(b * 100)
    half = (abs(total) + 1) // 2 if total % 2 else abs(total) // 2
    return (half if total >= 0 else -half) / 100


def compare(code: str, indicator: str, data: dict) -> dict:
    """One authority and indicator: its values by year beside England's, its neighbours' median, and
    the neighbours' values in the latest year the authority has one (missing values stay missing)."""
    authority = next(a for a in data["authorities"] if a["code"] == code)
    names = {a["code"]: a["name"] for a in data["authorities"]}
    series = data["values"][indicator]
    mine = series.get(code, [None] * len(data["years"]))
    rows = []
    for i, year in enumerate(data["years"]):
        peers = sorted(
            v for v in (series.get(n, [None] * len(data["years"]))[i] for n in authority["neighbours"]) if v is not None
        )
        median = None
        if peers:
            middle = len(peers) // 2
            median = peers[middle] if len(peers) % 2 else _mid(peers[middle - 1], peers[middle])
        if mine[i] is not None or data["england"][indicator][i] is not None:
            rows.append(
                {"year": year, "value": mine[i], "england": data["england"][indicator][i], "neighbour_median": median}
            )
    latest = max((i for i, v in enumerate(mine) if v is not None), default=None)
    neighbours = (
        []
        if latest is None
        else [
            {"name": names.get(n, n), "value": series.get(n, [None] * len(data["years"]))[latest]}
            for n in authority["neighbours"]
        ]
    )
    return {
        "name": authority["name"],
        "rows": rows,
        "neighbours": neighbours,
        "latest_year": None if latest is None else data["years"][latest],
    }


def _cell(value) -> str:
    return "" if value is None else f"{value:g}"


def _comparison_html(code: str, indicator: str, data: dict) -> str:
    result = compare(code, indicator, data)
    label = next(i for i in data["indicators"] if i["name"] == indicator)
    rows = "".join(
        f'<tr><th scope="row">{r["year"]}</th><td>{_cell(r["value"])}</td><td>{_cell(r["england"])}</td>'
        f"<td>{_cell(r['neighbour_median'])}</td></tr>"
        for r in result["rows"]
    )
    name = html.escape(result["name"])
    series = (
        f'<table class="roses-table"><caption>{html.escape(label["label"])} ({html.escape(label["unit"])}): '
        f"{name}, England and the median of its ten statistical neighbours</caption>"
        f'<thead><tr><th scope="col">Year</th><th scope="col">{name}</th><th scope="col">England</th>'
        f'<th scope="col">Neighbours\' median</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    if result["latest_year"] is None:
        return series + f"<p>{name} has no value of this indicator in the national files.</p>"
    peers = "".join(
        f'<tr><th scope="row">{html.escape(n["name"])}</th><td>{_cell(n["value"])}</td></tr>'
        for n in result["neighbours"]
    )
    return series + (
        f'<table class="roses-table"><caption>{name}\'s statistical neighbours in {result["latest_year"]}'
        f'</caption><thead><tr><th scope="col">Neighbour</th><th scope="col">Value</th></tr></thead>'
        f"<tbody>{peers}</tbody></table>"
    )


def indicator_html(data_dir: str | Path | None = None) -> str:
    data = indicator_data(data_dir)
    code, _ = readers.resolve_authority(DEFAULT_AUTHORITY, data_dir)
    first = data["indicators"][0]["name"]
    authorities = "".join(
        f'<option value="{a["code"]}"{" selected" if a["code"] == code else ""}>{html.escape(a["name"])}</option>'
        for a in data["authorities"]
    )
    options = "".join(f'<option value="{i["name"]}">{html.escape(i["label"])}</option>' for i in data["indicators"])
    payload = json.dumps(data, sort_keys=True).replace("</", "<\\/")
    return (
        f'<figure class="roses-explorer" {MARK}="indicators" id="explorer-indicators">'
        '<figcaption><strong class="roses-number">Explorer: any English authority beside England and its '
        f"statistical neighbours</strong>{_badge(Origin.NATIONAL, INDICATOR_SOURCE)}</figcaption>"
        '<div class="roses-explorer-controls">'
        f'<div class="roses-explorer-control"><label for="roses-ind-authority">Authority</label>'
        f'<div><select id="roses-ind-authority" style="max-width:100%" disabled>{authorities}</select></div></div>'
        f'<div class="roses-explorer-control"><label for="roses-ind-indicator">Indicator</label>'
        f'<div><select id="roses-ind-indicator" style="max-width:100%" disabled>{options}</select></div></div></div>'
        f'<div class="roses-explorer-result" aria-live="polite">{_comparison_html(code, first, data)}</div>'
        f"{_needs('make lab')}"
        f'<script type="application/json" class="roses-explorer-data">{payload}</script></figure>'
    )


def indicator_widget(data_dir: str | Path | None = None) -> widgets.VBox:
    """Two dropdowns and the tables, recomputed on every change (``.children[-1]`` is the result)."""
    data = indicator_data(data_dir)
    code, _ = readers.resolve_authority(DEFAULT_AUTHORITY, data_dir)
    authority = widgets.Dropdown(
        options=[(a["name"], a["code"]) for a in data["authorities"]], value=code, description="Authority"
    )
    indicator = widgets.Dropdown(
        options=[(i["label"], i["name"]) for i in data["indicators"]],
        value=data["indicators"][0]["name"],
        description="Indicator",
    )
    result = widgets.HTML()

    def update(_change=None) -> None:
        result.value = _comparison_html(authority.value, indicator.value, data)

    authority.observe(update, names="value")
    indicator.observe(update, names="value")
    update()
    header = widgets.HTML(
        "<strong>Explorer: any English authority beside England and its statistical neighbours"
        "</strong>" + _badge(Origin.NATIONAL, INDICATOR_SOURCE)
    )
    box = widgets.VBox([header, widgets.HBox([authority, indicator]), result])
    box.authority, box.indicator = authority, indicator
    return box
