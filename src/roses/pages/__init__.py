"""Pages: what a chapter notebook shows (exhibits rendered, prose facts glued, footers)."""

__all__ = ["Chapter"]


def __getattr__(name: str):
    # ``from roses.pages import Chapter`` loads every exhibit (pandas, scipy, plotly: about 1.5 s). Only a
    # notebook needs that; the Sphinx extension, which wants roses.pages.plotlyjs, does not (PEP 562).
    if name == "Chapter":
        from roses.pages.chapter import Chapter  # noqa: PLC0415

        return Chapter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
