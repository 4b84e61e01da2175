"""Where a number comes from. Every exhibit and every glued prose fact carries one of these."""

from __future__ import annotations

from enum import StrEnum


class Origin(StrEnum):
    PUBLISHED = "published"  # transcribed from the report
    RECONSTRUCTED = "reconstructed"  # the report's figure redrawn from what its text says; not its drawing
    ANALYSIS = "analysis"  # this book's own analysis of published data
    ILLUSTRATIVE = "illustrative"  # synthetic data made by roses; never a result
    NATIONAL = "real national"  # DfE, Ofsted, ONS, Cafcass (Open Government Licence)
    LOCAL = "local"  # an authority's own files

    @property
    def label(self) -> str:
        return BADGES[self][0]

    @property
    def meaning(self) -> str:
        return BADGES[self][1]


BADGES = {
    Origin.PUBLISHED: ("Published", "Transcribed from the report"),
    Origin.RECONSTRUCTED: (
        "Reconstruction",
        "The report's figure redrawn by this book from what the report's text says; its layout and sizes "
        "are this book's, not the report's drawing",
    ),
    Origin.ANALYSIS: (
        "This book's analysis",
        "Computed by this book from the report's published tables; not a result the report states",
    ),
    Origin.ILLUSTRATIVE: (
        "Illustrative",
        "Synthetic data made by roses to match what the report says in words; not real results",
    ),
    Origin.NATIONAL: (
        "Real national statistics",
        "DfE, Ofsted, ONS or Cafcass statistics, Open Government Licence v3.0",
    ),
    Origin.LOCAL: ("Local data", "This authority's own files"),
}
