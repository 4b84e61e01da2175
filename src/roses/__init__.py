"""roses: the 'You Can't Grow Roses in Concrete, Part 2' report as executable evidence.

The package turns validated data files into *exhibits*: the report's numbered tables and figures,
each one function from data (and parameters such as ``authority``) to a tidy DataFrame, plus a
chart or table built over that frame. Notebooks, the CLI, CSV downloads and glued prose numbers
all read the same frame, so they cannot disagree. docs/architecture.md shows the layers.
"""

__version__ = "0.3.1"
