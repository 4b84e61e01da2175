"""The plotly.js the site serves: plotly's "cartesian" bundle, vendored in ``roses/assets``.

Why not the full ``plotly.min.js`` that ships with the plotly package: it is 4.8 MB, and compiling
it costs Chromium about 2 s before the first chart of a page can draw (bench/run). The cartesian
bundle (npm ``plotly.js-cartesian-dist-min``, MIT) is 1.5 MB and draws every trace type the book
uses. It must be the same plotly.js version as the plotly package that writes the figures' JSON;
a test checks this, and ``make plotly-js`` fetches the matching bundle after an upgrade.
"""

from __future__ import annotations

import re
from pathlib import Path

from plotly.offline import get_plotlyjs_version

PACKAGE = "plotly.js-cartesian-dist-min"
FILENAME = "plotly-cartesian.min.js"
BUNDLE = Path(__file__).parents[1] / "assets" / FILENAME
LICENSE = BUNDLE.with_name("plotly-cartesian.LICENSE")
DRAWER = BUNDLE.with_name("roses-charts.js")  # draws a page's charts one at a time (see the file)
CHART_MARK = "window.rosesCharts.push("  # in a page's HTML once per chart (roses.display)
# The trace modules in the bundle (its README); a chart of any other type would not draw.
TRACES = frozenset(
    {
        "bar",
        "box",
        "contour",
        "heatmap",
        "histogram",
        "histogram2d",
        "histogram2dcontour",
        "image",
        "pie",
        "scatter",
        "scatterternary",
        "violin",
    }
)


def bundle_version(path: Path = BUNDLE) -> str:
    """The version in the bundle's licence header ('plotly.js (cartesian - minified) v4.1.1')."""
    with open(path, encoding="utf-8") as handle:
        header = handle.read(300)
    found = re.search(r"plotly\.js \(cartesian - minified\) v(\S+)", header)
    if not found:
        raise ValueError(f"{path}: no plotly.js cartesian version in its header")
    return found.group(1)


def expected_version() -> str:
    """The plotly.js version the installed plotly package writes figures for."""

    return get_plotlyjs_version()
