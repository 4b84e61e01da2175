"""The column dictionary: what a reader sees for each column of an exhibit's frame.

The frame keeps its code names (the CSV download and ``roses data ID`` are for machines and scripts);
the page's HTML table shows each column's human label with its unit and formats its numbers for
reading (thousands separators, a fixed number of decimals per column, a true minus sign, % signs).
One place: a column name here means the same everywhere, and ``EXHIBIT_COLUMNS`` overrides a label
where one exhibit's ``value`` means something else.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from roses.national import indicators
from roses.published.tables import factor_labels

MINUS = "\u2212"


@dataclass(frozen=True)
class Column:
    """``label``: the header (with its unit); ``kind``: how values read: ``text``, ``int`` (thousands
    separators), ``year`` (no separators), ``dec`` (``decimals`` fixed), ``pct`` (a percentage
    already 0-100, printed with %), ``share`` (a 0-1 share printed as a %), ``p`` (a p-value),
    ``flag`` (True shown as "yes", False as blank), ``code`` (a checksum or path: may break anywhere)."""

    label: str
    kind: str = "text"
    decimals: int = 1


COLUMNS: dict[str, Column] = {
    # who and when
    "authority": Column("Authority"),
    "group": Column("Progress group", "year"),
    "level": Column("Level"),
    "year": Column("Year", "year"),
    "wave": Column("Wave", "year"),
    "panel": Column("Chart panel", "year"),
    "period": Column("Period"),
    "based_on": Column("Authorities behind the value"),
    "authorities": Column("Authorities (number)", "int"),
    "origin": Column("Origin of the numbers"),
    "status": Column("Status (c suppressed, u low reliability)"),
    "symbol": Column("DfE symbol"),
    # Ofsted
    "overall": Column("Overall effectiveness"),
    "help_and_protection": Column("Help and protection"),
    "leadership": Column("Leadership"),
    # blind-rated scores (1-3 each)
    "score": Column("Score (1-3)", "int"),
    "total": Column("Total (out of 24)", "int"),
    "group_mean_total": Column("Group mean total", "dec", 1),
    # statistics
    "measure": Column("Measure"),
    "against": Column("Compared with"),
    "statistic": Column("Statistic"),
    "value": Column("Value", "dec", 2),
    "p_value": Column("Exact p-value (two-sided)", "p"),
    "p_one_sided": Column("Exact p-value (one-sided)", "p"),
    "n": Column("Authorities (n)", "int"),
    "left_out": Column("Factor left out"),
    "factor": Column("Factor"),
    "alpha": Column("Krippendorff's alpha (ordinal)", "dec", 2),
    "raters": Column("Raters", "int"),
    "authorities_with_disagreement": Column("Authorities where raters disagree", "int"),
    "median_matches_published": Column("Median rating equals the published score (authorities)", "int"),
    # surveys
    "respondents": Column("Respondents", "int"),
    "invited": Column("Staff invited", "int"),
    "response_rate": Column("Response rate (%)", "share"),
    "item": Column("Item code"),
    "statement": Column("Statement"),
    "pct_agree": Column("Agree (%)", "pct"),
    "pct_disagree": Column("Disagree (%)", "pct"),
    "mean": Column("Mean (1-5)", "dec", 2),
    "dimension": Column("Dimension code"),
    "dimension_name": Column("Dimension"),
    "scale_score": Column("Scale score (0-100)", "dec", 1),
    "percent_positive": Column("Positive (%)", "pct"),
    "method": Column("Method code"),
    "method_wording": Column("Method"),
    "theme": Column("Theme code"),
    "label": Column("Theme"),
    "polarity": Column("Positive or negative"),
    "count": Column("Comments (number)", "int"),
    "comments": Column("Comments in the group (number)", "int"),
    "pct_of_comments": Column("Share of the group's comments (%)", "pct"),
    "example (redacted)": Column("Example (redacted)"),
    "answers": Column("Answers", "int"),
    "nothing": Column("Would change nothing (number)", "int"),
    "pct_nothing": Column("Would change nothing (%)", "pct"),
    # national statistics
    "indicator": Column("Indicator"),
    "unit": Column("Unit"),
    "england": Column("England", "dec", 1),
    "index": Column("Difference from England (%)", "pct"),
    "before_break": Column("Before the series break", "flag"),
    "neighbour_median": Column("Median of statistical neighbours", "dec", 1),
    "neighbour_mean": Column("Statistical neighbours (mean, as LAIT)", "dec", 1),
    "region": Column("Region (DfE)", "dec", 1),
    "change_1y": Column("Change since last year", "dec", 1),
    "baseline_year": Column("Last year before its first survey", "year"),
    "since_baseline": Column("Change since then", "dec", 1),
    "ranked_of": Column("Of (authorities ranked)", "int"),
    "vs_england": Column("Against England"),
    "rank": Column("Rank (1 = best)", "int"),
    "quartile": Column("Quartile (1 = best quarter)", "int"),
    "note": Column("Note"),
    "parent": Column("Part of"),
    "change_pct": Column("Change (%)", "pct"),
    "value_start": Column("Value at the start", "int"),
    "value_end": Column("Value at the end", "int"),
    "source": Column("Source"),
    # descriptive tables
    "task": Column("Task"),
    "why": Column("Why"),
    "row": Column("Method"),
    "strand": Column("Strand"),
    "element": Column("Element"),
    "quantity": Column("Quantity"),
    "component_kind": Column("Kind of component"),
    "informs": Column("Informs"),
    "informs_kind": Column("Kind of what it informs"),
    "how": Column("How"),
    "report_section": Column("Report section"),
    "position": Column("Position", "int"),
    "role": Column("Role"),
    "slice": Column("Slice"),
    "stated_in": Column("Stated in"),
    # the book's own records (provenance, what changed, the catalogue)
    "exhibit": Column("Exhibit"),
    "title": Column("Title"),
    "chapter": Column("Chapter"),
    "file": Column("File", "code"),
    "path": Column("File", "code"),
    "sha256": Column("SHA-256", "code"),
    "bytes": Column("Size (bytes)", "int"),
    "package": Column("Package"),
    "locked": Column("Locked version"),
    "installed": Column("Installed version"),
    "matches": Column("Matches the lock"),
    "change": Column("Change"),  # What changed: changed, reworded, new, removed (a data file: added...)
    "old_headline": Column("Headline before"),
    "new_headline": Column("Headline now"),
}

# Where one exhibit's column means something the shared name does not say.
EXHIBIT_COLUMNS: dict[str, dict[str, Column]] = {
    # Before "exhibit-r7.1", which its id starts with; short headers keep the indicator column readable.
    "exhibit-r7.11": {
        "value": Column("Value", "dec", 1),
        "region": Column("Region", "dec", 1),
        "neighbour_mean": Column("Neighbours (mean)", "dec", 1),
        "change_1y": Column("Change on last year", "dec", 1),
        "baseline_year": Column("Base year", "year"),
        "since_baseline": Column("Change since base year", "dec", 1),
        "rank": Column("Rank", "int"),
        "ranked_of": Column("Of", "int"),
        "quartile": Column("Quartile", "int"),
    },
    "exhibit-r7.1": {"value": Column("Coefficient", "dec", 3), "measure": Column("Score")},
    "exhibit-r7.2": {"value": Column("Coefficient", "dec", 3)},
    "figure-7.": {
        "value": Column("Value (illustrative; unit as in the caption)", "dec", 1),
        "england": Column("England (real)", "dec", 1),
    },
    "indicators": {"value": Column("Value", "dec", 2), "england": Column("England", "dec", 2)},
    "section-4.6-core-data-set-national": {
        "value": Column("Value", "dec", 2),
        "england": Column("England", "dec", 2),
        "item": Column("Item"),
        "status": Column("Where the figure comes from"),
    },
    "section-4.6-core-data-set": {"item": Column("Item")},
    "exhibit-r4.6": {
        "survey": Column("Survey"),
        "wave": Column("Wave or round", "int"),
        "date": Column("Date (from)"),
        "files": Column("Files read"),
        "invited": Column("Invited", "int"),
        "comments": Column("Comments", "int"),
        "comments_used": Column("Comments used as"),
        "columns_not_read": Column("Columns not read", "int"),
        "rows_left_out": Column("Rows left out"),
    },
    "section-1.3.2": {"measure": Column("Figure")},
    "table-7.1": {"group": Column("Progress group", "year")},
}

# Code values a reader should not have to decode.
VALUES: dict[str, dict[str, str]] = {
    "against": {"progress": "Progress group", "ofsted": "Latest Ofsted judgment"},
    "statistic": {"spearman": "Spearman's rho", "kendall": "Kendall's tau-b"},
    "measure": {"total": "Total of eight factors"},  # and the factors' labels (_factor_labels)
    "level": {"group": "Group", "all": "All authorities", "authority": "Authority", "all rounds": "All rounds"},
}


FACTOR_COLUMNS = ("measure", "left_out", "factor")  # columns whose values may be a rated factor's code


def _factor_labels() -> dict[str, str]:
    """The rated factors' labels (rating_criteria.csv, the repository's copy, cached on the file)."""
    return factor_labels()


def _indicator_labels() -> dict[str, str]:
    """National indicators by their reader's name (``data/dfe`` definitions), e.g. referral_rate ->
    "Referral rate"; the CSV keeps the code. (``definitions`` caches, on the file.)"""
    try:
        return {name: d.label for name, d in indicators.definitions().items()}
    except Exception:  # noqa: BLE001 - a label is a nicety; a table never fails for want of one
        return {}


def column(name: str, exhibit_id: str | None = None) -> Column:
    """The reader's label and format for column ``name`` (of exhibit ``exhibit_id``)."""
    for prefix, overrides in EXHIBIT_COLUMNS.items():
        if exhibit_id and exhibit_id.startswith(prefix) and name in overrides:
            return overrides[name]
    if name in COLUMNS:
        return COLUMNS[name]
    labels = _factor_labels()
    if name in labels:
        return Column(f"{labels[name]} (1-3)", "int")
    text = re.sub(r"_+", " ", str(name)).strip()
    return Column(text[:1].upper() + text[1:])


def _number(value: float, decimals: int) -> str:
    text = f"{abs(value):,.{decimals}f}"
    return (MINUS if value < 0 and float(text.replace(",", "")) != 0 else "") + text


def is_empty(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def cell_text(value: object, spec: Column, name: str = "") -> str:
    """``value`` as a reader sees it under ``spec`` (plain text, not yet escaped)."""
    if is_empty(value):
        return ""
    if isinstance(value, str):
        if name == "indicator":
            return _indicator_labels().get(value, value)
        if name in FACTOR_COLUMNS:
            return _factor_labels().get(value, VALUES.get(name, {}).get(value, value))
        return VALUES.get(name, {}).get(value, value)
    if isinstance(value, bool) or spec.kind == "flag":
        return "yes" if bool(value) else ""
    if not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        return str(value)
    number = float(value)
    if spec.kind == "year":
        return str(int(number)) if number.is_integer() else f"{number:g}"
    if spec.kind == "int":
        return _number(number, 0) if number.is_integer() else _number(number, 1)
    if spec.kind == "pct":
        return _number(number, spec.decimals) + "%"
    if spec.kind == "share":
        return _number(100 * number, spec.decimals) + "%"
    if spec.kind == "p":
        return "< 0.0001" if 0 < number < 0.00005 else f"{number:.4f}"
    if spec.kind == "dec":
        return _number(number, spec.decimals)
    if number.is_integer():
        return _number(number, 0)
    return _number(number, 2).rstrip("0").rstrip(".")


def numeric(spec: Column, values: pd.Series) -> bool:
    """True when a column reads as numbers (right-aligned, kept on one line)."""
    if spec.kind in ("int", "year", "dec", "pct", "share", "p"):
        return (
            pd.api.types.is_numeric_dtype(values)
            or values.map(lambda v: is_empty(v) or isinstance(v, (int, float))).all()
        )
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
