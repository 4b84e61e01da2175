"""What the site serves to draw charts, checked without building the book."""

from __future__ import annotations

import dataclasses
import json
import re

import plotly.graph_objects as go
import pytest

from roses.core.errors import RosesError
from roses.exhibits.registry import Params, get
from roses.pages import plotlyjs
from roses.pages.render import render


def test_vendored_plotly_js_matches_the_plotly_package_that_writes_the_figures():
    assert plotlyjs.bundle_version() == plotlyjs.expected_version(), (
        "plotly was upgraded: run `make plotly-js` and commit src/roses/assets/plotly-basic.*"
    )


def _json_after(html: str, marker: str):
    return json.JSONDecoder().raw_decode(html, html.index(marker) + len(marker))[0]


def test_a_chart_is_queued_for_the_drawer_with_only_the_template_styles_it_uses():
    ex = get("figure-6.4")
    html = render(ex, Params())
    chart = _json_after(html, plotlyjs.CHART_MARK)
    assert chart["id"] == "chart-figure-6-4" and f'<div id="{chart["id"]}"' in html
    used = {trace["type"] for trace in chart["data"]}
    assert set(chart["layout"]["template"]["data"]) == used != set()


def test_a_trace_type_missing_from_the_bundle_is_a_clear_error():
    ex = dataclasses.replace(
        get("figure-6.4"), chart=lambda frame, params: go.Figure(go.Scatter3d(x=[1], y=[1], z=[1]))
    )
    with pytest.raises(RosesError, match=r"scatter3d.*basic bundle"):
        render(ex, Params())


def test_compiled_templates_are_shared_between_builds_but_never_stale():
    from jinja2 import DictLoader, Environment

    from roses.site.sphinx_ext import MemoryBytecodeCache

    cache = MemoryBytecodeCache()
    first = Environment(loader=DictLoader({"page.html": "Hello {{ name }}"}), bytecode_cache=cache)
    assert first.get_template("page.html").render(name="A") == "Hello A"
    assert len(cache._store) == 1  # compiled once, kept for the next build's environment
    edited = Environment(loader=DictLoader({"page.html": "Bye {{ name }}"}), bytecode_cache=cache)
    assert edited.get_template("page.html").render(name="A") == "Bye A"


def test_chart_menus_become_labelled_selects_and_plotly_draws_none():
    html = render(get("exhibit-r4.2-comment-themes"), Params())
    layout = _json_after(html, plotlyjs.CHART_MARK)["layout"]
    menu = layout["updatemenus"][0]
    assert menu["visible"] is False  # plotly's SVG menu (no keyboard access) is not drawn
    select = re.search(
        r'<label for="([\w.-]+)">Wave</label><select id="\1" data-roses-menu="0" disabled>(.*?)</select>', html
    )
    assert select, "no labelled select for the Wave menu"
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]*)</option>', select.group(2))
    assert [label for _, _, label in options] == [b["label"] for b in menu["buttons"]]
    assert [int(v) for v, chosen, _ in options if chosen] == [menu["active"]]  # opens on the latest wave
