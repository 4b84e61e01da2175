"""The plotly.js the site serves: plotly's "basic" bundle, vendored in ``roses/assets``.

Why not the full ``plotly.min.js`` that ships with the plotly package: it is 4.8 MB, and compiling
it costs Chromium about 2 s before the first chart of a page can draw (bench/run). The basic bundle
(npm ``plotly.js-basic-dist-min``, MIT) is 1.2 MB, with plotly's whole core (axes, legends,
annotations, shapes, menus, image export) and the scatter, bar and pie traces: the book draws only
scatter and bar. It replaced the 1.5 MB cartesian bundle, whose extra traces (box, heatmap,
histogram...) the book never used, because a first visit compiles every byte: 0.2 s sooner to the
first chart. It must be the same plotly.js version as the plotly package that writes the figures'
JSON; a test checks this, and ``make plotly-js`` fetches the matching bundle after an upgrade.
"""

from __future__ import annotations

import re
from pathlib import Path

from plotly.offline import get_plotlyjs_version

PACKAGE = "plotly.js-basic-dist-min"
FILENAME = "plotly-basic.min.js"
BUNDLE = Path(__file__).parents[1] / "assets" / FILENAME
LICENSE = BUNDLE.with_name("plotly-basic.LICENSE")
DRAWER = BUNDLE.with_name("roses-charts.js")  # draws a page's charts one at a time (see the file)
CHART_MARK = "window.rosesCharts.push("  # in a page's HTML once per chart (roses.display)
# The trace modules in the bundle (its README); a chart of any other type would not draw.
TRACES = frozenset({"bar", "pie", "scatter"})


def bundle_version(path: Path = BUNDLE) -> str:
    """The version in the bundle's licence header ('plotly.js (basic - minified) v4.1.1')."""
    with open(path, encoding="utf-8") as handle:
        header = handle.read(300)
    found = re.search(r"plotly\.js \(basic - minified\) v(\S+)", header)
    if not found:
        raise ValueError(f"{path}: no plotly.js basic version in its header")
    return found.group(1)


def expected_version() -> str:
    """The plotly.js version the installed plotly package writes figures for."""

    return get_plotlyjs_version()
