"""Render an exhibit for a book page: numbered caption, summary, origin badge, chart, data table, CSV.

The HTML is deterministic (fixed element ids, no timestamps) so re-executed notebooks and two
builds of the book are byte-identical. Charts need plotly.js (the basic bundle, ``roses.plotlyjs``)
and ``roses-charts.js``, which the Sphinx extension ``roses.sphinx_ext`` serves once from the site's own
``_static`` folder; nothing loads from a CDN.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from pathlib import Path

import pandas as pd
import plotly.io as pio
from IPython.display import display
from plotly.io.json import to_json_plotly

from roses.core.errors import RosesError
from roses.core.origin import Origin
from roses.exhibits.audit import audit
from roses.exhibits.local import params_for
from roses.exhibits.registry import Exhibit, Params, frame_csv, get
from roses.pages import columns, plotlyjs
from roses.survey import disclosure

ILLUSTRATIVE_LEAD = "Illustrative data showing the shape of the report's chart, not its results:"
# An exhibit of this book's own (an R number) draws no chart of the report's, so it cannot show its shape.
ILLUSTRATIVE_OWN_LEAD = "Illustrative data, not results (this book's own exhibit; the report has no such chart):"


def illustrative_lead(ex: Exhibit) -> str:
    """What an illustrative exhibit's caption starts with: the report's chart's shape, or this book's own."""
    return ILLUSTRATIVE_OWN_LEAD if ex.kind == "exhibit" else ILLUSTRATIVE_LEAD


FIRST_ROWS = 12  # a condensed table's rows before "Show all N rows"
FOLD_AT_LEAST = 4  # ...and only when that folds away at least this many more


PLOTLY_MIME = "application/vnd.plotly.v1+json"  # plotly's own mime type, drawn by JupyterLab's plotly renderer
LIVE_ENV = "ROSES_WIDGETS"  # "live" in a kernel started by `make lab`


def in_jupyterlab() -> bool:
    """A notebook kernel of `make lab`'s JupyterLab (JPY_SESSION_NAME: set for notebook kernels only, so
    a `roses build` started from a JupyterLab terminal still writes the book's static pages)."""
    return os.environ.get(LIVE_ENV) == "live" and "JPY_SESSION_NAME" in os.environ


class HTML:
    """HTML that Jupyter and the book display as it is: every block a page shows is one of these.

    In `make lab`'s JupyterLab a block with charts gives two kinds of output: the HTML and, after it,
    each chart as plotly's own mime bundle, which JupyterLab draws with its plotly renderer, menus and
    all, where ``roses-charts.js`` never loads (docs/jupyterlab.md). Everywhere else (the book, nbval,
    papermill) the HTML is the only output, so a plotly output in a book page is still an error.
    """

    def __init__(self, text: str):
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def plotly_figures(self) -> list[dict]:
        """The charts in this HTML as plotly figures (the same data and layout the site draws), with
        plotly's own menus shown: in JupyterLab they are the only menus."""
        figures, decoder, start = [], json.JSONDecoder(), 0
        while (found := self.text.find(plotlyjs.CHART_MARK, start)) >= 0:
            spec, end = decoder.raw_decode(self.text, found + len(plotlyjs.CHART_MARK))
            layout = dict(spec["layout"])
            layout["updatemenus"] = [{**menu, "visible": True} for menu in layout.get("updatemenus") or []]
            figures.append({"data": spec["data"], "layout": layout})
            start = end
        return figures

    def _ipython_display_(self) -> None:
        display({"text/html": self.text}, raw=True)
        for figure in self.plotly_figures() if in_jupyterlab() else []:
            display({PLOTLY_MIME: figure}, raw=True)


def _cell(value: object) -> str:
    """A value as plain, escaped text (no column dictionary: for callers outside ``data_table``)."""
    return html.escape(columns.cell_text(value, columns.Column("")))


# A survey's code column and the column that words it: the page's table shows the words only (a
# reader cannot use "q07" or "ts_climate"); the CSV keeps both, for joining with other files.
CODE_LABELS = {"item": "statement", "dimension": "dimension_name", "method": "method_wording", "theme": "label"}


def _long_text(values: pd.Series) -> bool:
    lengths = values.map(lambda v: len(str(v)) if isinstance(v, str) else 0)
    return bool(len(lengths)) and lengths.max() > 40


def data_table(
    frame: pd.DataFrame,
    caption: str,
    authority: str | None = None,
    *,
    exhibit_id: str | None = None,
    caption_hidden: bool = False,
    condensed: bool = False,
) -> str:
    """An accessible HTML table (caption, column headers with scope); the chosen authority marked.

    Headers and numbers come from the column dictionary (``roses.pages.columns``): human labels with
    units, thousands separators, fixed decimals per column. A column with no value in any row is left
    out of the page (the CSV keeps it) and named under the table, as is a survey code whose wording is
    shown beside it (``CODE_LABELS``). ``caption_hidden``: the exhibit's
    own caption already shows the title, so the table's caption is kept for screen readers only.
    ``condensed``: a long table shows its first ``FIRST_ROWS`` rows (and the authority's own) until the
    reader asks for all of them (roses-tables.js; print shows all): 64 rows ran to eight phone screens.
    """
    specs = {c: columns.column(c, exhibit_id) for c in frame.columns}
    texts = {c: [columns.cell_text(v, specs[c], c) for v in frame[c]] for c in frame.columns}
    empty = [c for c in frame.columns if len(frame) and not any(texts[c])]
    coded = [c for c in frame.columns if CODE_LABELS.get(c) in frame.columns and c not in empty]
    shown = [c for c in frame.columns if c not in empty and c not in coded]
    kinds = {}
    for c in shown:
        spec = specs[c]
        cls = []
        if columns.numeric(spec, frame[c]):
            cls.append("roses-num")
        elif spec.kind == "code":
            cls.append("roses-code")
        elif _long_text(frame[c]):
            cls.append("roses-long")
        kinds[c] = f' class="{" ".join(cls)}"' if cls else ""
    head = "".join(f'<th scope="col"{kinds[c]}>{html.escape(specs[c].label)}</th>' for c in shown)
    condensed = condensed and len(frame) > FIRST_ROWS + FOLD_AT_LEAST
    rows = []
    for i, record in enumerate(frame.itertuples(index=False)):
        values = dict(zip(frame.columns, record))
        mine = authority is not None and values.get("authority") == authority
        row_cls = "roses-you" if mine else "roses-more" if condensed and i >= FIRST_ROWS else ""
        cells = "".join(f"<td{kinds[c]}>{html.escape(texts[c][i])}</td>" for c in shown)
        rows.append(f'<tr class="{row_cls}">{cells}</tr>' if row_cls else f"<tr>{cells}</tr>")
    caption_cls = ' class="roses-visually-hidden"' if caption_hidden else ""
    notes = []
    if empty:
        notes.append(f"Not shown, no value in any row: {', '.join(specs[c].label for c in empty)} (kept in the CSV).")
    if coded:
        notes.append(
            f"Codes not shown beside their wording: {', '.join(specs[c].label for c in coded)} (kept in the CSV)."
        )
    note = "".join(f'<p class="roses-table-note">{html.escape(n)}</p>' for n in notes)
    table_cls = "roses-table roses-condensed" if condensed else "roses-table"
    toggle = (
        f'<button type="button" class="roses-rows-toggle" aria-expanded="false" data-rows="{len(frame)}">'
        f"Show all {len(frame):,} rows</button>"
        if condensed
        else ""
    )
    return (
        f'<div class="roses-table-wrap" tabindex="0" role="region" aria-label="{html.escape(caption)}">'
        f'<table class="{table_cls}"><caption{caption_cls}>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{toggle}{note}"
    )


def badge(origin: Origin, source: str) -> str:
    slug = origin.value.replace(" ", "-")
    return (
        f'<span class="roses-badge roses-badge-{slug}" title="{html.escape(origin.meaning)}">'
        f'{html.escape(origin.label)}</span> <span class="roses-source">Source: {html.escape(source)}</span>'
    )


def _who(params: Params) -> str | None:
    """The authority a page is for (in element ids and file names), if any."""
    return params.highlight or params.authority


def csv_preamble(ex: Exhibit, origin: Origin, protection: str = "") -> str:
    """The lines a downloaded CSV starts with, so a file shared on its own still says what it is: the
    exhibit, the origin badge's words, the source and (for survey figures) how far they may be from the
    survey tool's, each line starting with ``#`` (read with
    ``pandas.read_csv(path, comment="#")``, ``read.csv(path, comment.char = "#")`` in R; a spreadsheet
    shows them above the header). The rows below are exactly ``roses data ID`` (docs/decisions.md)."""
    title = ex.title if ex.number == ex.title else f"{ex.number}: {ex.title}"
    lines = [title, f"Origin: {origin.label} ({origin.meaning})", f"Source: {ex.source}"]
    if origin == Origin.ILLUSTRATIVE:
        shape = "show the shape of the report's chart only" if ex.kind != "exhibit" else "are not results"
        lines.append(f"Illustrative: these values are synthetic and {shape}")
    if protection:
        lines.append(protection)
    return "".join(f"# {' '.join(line.split())}\n" for line in lines)


def _download(frame: pd.DataFrame, ex: Exhibit, params: Params, origin: Origin) -> str:
    text = csv_preamble(ex, origin, protection_text(ex, frame)) + frame_csv(frame)
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    name = ex.id + (f"-{_who(params)}" if _who(params) else "") + ".csv"
    return (
        f'<a class="roses-download" download="{name}" href="data:text/csv;charset=utf-8;base64,{payload}">'
        f"Download the data (CSV, {len(frame)} rows)</a>"
    )


def _plotly_spec(fig) -> tuple[list, dict]:
    """The figure's data and a responsive layout (no fixed width; a named template resolved)."""

    spec = fig.to_plotly_json()
    layout = dict(spec.get("layout") or {})
    layout.pop("width", None)  # the chart follows its container, down to phone width
    layout["autosize"] = True
    # The page shows each menu as a labelled <select> above the chart (``_menu_controls``); plotly's
    # own SVG menu, which a keyboard cannot reach, is kept in the layout (its buttons hold what each
    # choice does) but not drawn.
    layout["updatemenus"] = [{**menu, "visible": False} for menu in layout.get("updatemenus") or []]
    if isinstance(layout.get("template"), str):  # left as a name when a figure skips validation
        layout["template"] = pio.templates[layout["template"]].to_plotly_json()
    data = spec.get("data") or []
    types = {trace.get("type", "scatter") for trace in data}
    if types - plotlyjs.TRACES:
        raise RosesError(
            f"chart traces of type {sorted(types - plotlyjs.TRACES)} cannot be drawn by the site's "
            f"plotly.js basic bundle (it has {sorted(plotlyjs.TRACES)}); see roses/plotlyjs.py"
        )
    if isinstance(layout.get("template"), dict):
        # The template styles every trace type plotly knows (about 9 kB per chart); keep the used ones.
        template = layout["template"]
        layout["template"] = {**template, "data": {t: v for t, v in (template.get("data") or {}).items() if t in types}}
    return data, layout


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element."""

    return to_json_plotly(value).replace("</", "<\\/")


def _menu_controls(div_id: str, layout: dict) -> str:
    """A labelled <select> per chart menu: a keyboard, a screen reader and a phone's own picker can use
    it. Disabled until ``roses-charts.js`` has drawn the chart and connected it to the menu's buttons."""
    controls = []
    for index, menu in enumerate(layout.get("updatemenus") or []):
        control_id = f"{div_id}-menu-{index}"
        active = menu.get("active", 0)
        options = "".join(
            f'<option value="{i}"{" selected" if i == active else ""}>'
            f"{html.escape(str(button.get('label', i + 1)))}</option>"
            for i, button in enumerate(menu.get("buttons") or [])
        )
        controls.append(
            f'<span><label for="{control_id}">{html.escape(menu.get("name") or "View")}</label>'
            f'<select id="{control_id}" data-roses-menu="{index}" disabled>{options}</select></span>'
        )
    return f'<div class="roses-chart-controls">{"".join(controls)}</div>' if controls else ""


def _chart(ex: Exhibit, frame: pd.DataFrame, params: Params) -> str:
    """The chart's menus, its <div> and a script that queues the chart (id, data, layout) for
    ``roses-charts.js``, which draws it (plotly config and phone layout live there). The drawer loads
    deferred, so a chart met first is queued in a plain array, which the drawer takes over.

    The element id is fixed (exhibit anchor and authority), so two builds give the same HTML.
    """
    if ex.chart is None:
        raise ValueError(f"{ex.id} has no chart")
    data, layout = _plotly_spec(ex.chart(frame, params))
    who = _who(params)
    div_id = f"chart-{ex.anchor}" + (f"-{who.lower()}" if who else "")
    layout["height"] = height = layout.get("height") or 420
    spec = f'{{"id": "{div_id}", "data": {_script_json(data)}, "layout": {_script_json(layout)}}}'
    return (
        f'<div class="roses-chart">{_menu_controls(div_id, layout)}<div id="{div_id}" class="plotly-graph-div" '
        f'style="height:{height}px; width:100%;"></div>'
        f"<script>window.rosesCharts = window.rosesCharts || [];{plotlyjs.CHART_MARK}{spec});</script></div>"
    )


def _until_opened(table: str) -> str:
    """A chart's data table kept in a <template> until its <details> is opened (``roses-charts.js``
    moves it into the page then): a long chapter's thousands of table cells are not laid out, or
    counted by the browser, unless a reader asks. JupyterLab shows the table itself (no drawer runs)."""
    if in_jupyterlab():
        return table
    return (
        f'<template class="roses-table-template">{table}</template>'
        "<noscript><p>The table needs JavaScript; the CSV download below has the same rows.</p></noscript>"
    )


def _nothing_here(ex: Exhibit, title: str, summary: str) -> str:
    """One line in place of an exhibit with nothing to draw on this page: no badge, no empty table or
    chart, but its numbered title (so the search index and a reader looking for it find it) and where
    it is drawn (its summary)."""
    return (
        f'<figure class="roses-exhibit roses-empty" id="{ex.anchor}-exhibit"><figcaption>'
        f'<strong class="roses-number">{html.escape(title)}</strong> '
        f"is not drawn on this page, which has nothing for it. {html.escape(summary)}</figcaption></figure>"
    )


def protection_text(ex: Exhibit, frame: pd.DataFrame) -> str:
    """How a survey exhibit's figures are protected and how far they may differ ("" for any other
    exhibit; docs/disclosure.md)."""
    return disclosure.protection_note(frame) if ex.build.__module__ == "roses.exhibits.survey" else ""


def _protection(ex: Exhibit, frame: pd.DataFrame) -> str:
    note = protection_text(ex, frame)
    return f'<p class="roses-note roses-protection">{html.escape(note)}</p>' if note else ""


def lead_and_rest(summary: str) -> tuple[str, str]:
    """A summary's first sentence, and the sentences after it ("" if none)."""
    lead, *rest = re.split(r"(?<=\.)\s+(?=[A-Z])", summary, maxsplit=1)
    return lead, "".join(rest)


def _notes(rest: str, protection: str) -> str:
    """What follows a summary's first sentence (which authorities are behind each line, what is
    suppressed, how the figures are protected), folded under the caption: on a phone a whole caption
    ran to most of a screen before its chart. Opened for print (roses-tables.js)."""
    if not rest and not protection:
        return ""
    text = f'<p class="roses-note">{html.escape(rest)}</p>' if rest else ""
    return f'<details class="roses-notes"><summary>About these figures</summary>{text}{protection}</details>'


def render(ex: Exhibit, params: Params | None = None, frame: pd.DataFrame | None = None) -> str:
    """The whole HTML block for one exhibit (``frame``: the exhibit's frame, if already computed)."""
    params = params or Params()
    title = ex.title if ex.number == ex.title else f"{ex.number}: {ex.title}"
    frame = ex.frame(params) if frame is None else frame
    # The table, CSV and chart all come from this frame, read with the page's others: nothing hidden recoverable.
    audit(ex.id, frame, page=(ex.chapter, params))
    origin = ex.origin_for(params)
    summary = ex.summary(frame, params) if ex.summary else ""
    if origin == Origin.ILLUSTRATIVE and summary:  # a synthetic value never reads as a result
        summary = f"{illustrative_lead(ex)} {summary}"
    if not ex.shows_anything(frame):  # nothing for this page (an authority's exhibit in the programme book)
        return _nothing_here(ex, title, summary)
    lead, rest = lead_and_rest(summary)
    parts = [
        f'<figure class="roses-exhibit roses-{ex.kind}" id="{ex.anchor}-exhibit">',
        f'<figcaption><strong class="roses-number">{html.escape(title)}</strong> '
        f'<p class="roses-summary">{html.escape(lead)}</p>'
        f'<p class="roses-provenance">{badge(origin, ex.source)}</p>{_notes(rest, _protection(ex, frame))}'
        "</figcaption>",
    ]
    if ex.chart is not None:
        parts.append(_chart(ex, frame, params))
        table = data_table(frame, title, params.highlight, exhibit_id=ex.id, caption_hidden=True)
        parts.append(
            f'<details class="roses-data-details"><summary>Data table for {html.escape(ex.number)}</summary>'
            f"{_until_opened(table)}</details>"
        )
    else:
        parts.append(data_table(frame, title, params.highlight, exhibit_id=ex.id, caption_hidden=True, condensed=True))
    parts.append(_download(frame, ex, params, origin))
    parts.append("</figure>")
    return "".join(parts)


def exhibit_html(id: str, authority: str | None = None, data_dir: str | Path | None = None) -> str:
    """Exhibit ``id`` rendered for a page's ``authority`` (a programme letter, or none)."""

    return render(get(id), params_for(authority, data_dir))
