"""Sphinx extension: serve plotly.js from the site itself, and only on pages that draw charts.

plotly.min.js is copied from the installed plotly package (so its version always matches the
figures' JSON) into ``_static/`` of the built site, once; nothing is fetched from a CDN.
"""

from __future__ import annotations

import shutil
from pathlib import Path

PLOTLY_JS = "plotly.min.js"


def plotly_js_source() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / PLOTLY_JS


def _page_context(app, pagename, templatename, context, doctree) -> None:
    if "Plotly.newPlot" in context.get("body", ""):
        app.add_js_file(PLOTLY_JS, priority=300)


def _copy_plotly(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        target = Path(app.outdir) / "_static" / PLOTLY_JS
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(plotly_js_source(), target)


def setup(app):
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _copy_plotly)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
