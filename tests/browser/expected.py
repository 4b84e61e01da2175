"""What each chapter page must show, computed from the book's source (its notebooks' ``page.show``
calls and the exhibit registry), never from the built page.

The browser tests ask here which pages carry charts, menus, legends, exhibits, explorers and the data
note. Asked of the built page instead, a page that lost all its charts would simply drop out of the
chart tests and everything would stay green; asked here, that page is still tested, and fails.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import nbformat

from roses.core.paths import REPO_ROOT

SHOW = re.compile(r"""page\.show\(\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class Expected:
    exhibits: int = 0  # exhibits with something to draw (one with nothing for the book shows a note instead)
    charts: int = 0
    menus: int = 0  # charts with a menu (plotly updatemenus, drawn as a <select> by roses-charts.js)
    legends: int = 0  # charts whose legend shows (two or more traces, legend not switched off)
    numeric_tables: int = 0  # exhibits whose table has a numeric column
    explorers: int = 0
    data_used: bool = False


def _legend_shows(figure) -> bool:
    if figure.layout.showlegend is not None:
        return bool(figure.layout.showlegend) and any(t.showlegend is not False for t in figure.data)
    return sum(t.showlegend is not False for t in figure.data) >= 2


@functools.cache
def expected() -> dict[str, Expected]:
    """``{"book/<chapter>.html": Expected}`` for every notebook chapter of the main book."""
    from roses.exhibits.local import params_for
    from roses.exhibits.registry import get

    params = params_for(None, None)
    pages = {}
    for notebook in sorted((REPO_ROOT / "book").glob("*.ipynb")):
        code = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code")
        built = [(ex, ex.frame(params)) for ex in map(get, SHOW.findall(code))]
        built = [(ex, frame) for ex, frame in built if ex.shows_anything(frame)]
        charts = [ex.chart(frame, params) for ex, frame in built if ex.chart is not None]
        pages[f"book/{notebook.stem}.html"] = Expected(
            exhibits=len(built),
            charts=len(charts),
            menus=sum(bool(figure.layout.updatemenus) for figure in charts),
            legends=sum(_legend_shows(figure) for figure in charts),
            numeric_tables=sum(any(frame[c].dtype.kind in "iuf" for c in frame.columns) for _, frame in built),
            explorers=code.count("page.explorer("),
            data_used="page.data_used(" in code,
        )
    return pages


def for_page(path: str) -> Expected:
    """What page ``path`` must show (a page with no notebook, such as the bibliography: nothing)."""
    return expected().get(path, Expected())


def pages_with(what: str) -> list[str]:
    """The chapter pages whose source shows at least one ``what`` (a field of ``Expected``)."""
    return [path for path, shows in expected().items() if getattr(shows, what)]
