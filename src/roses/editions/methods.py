"""The methods, glossary and dates page of an authority edition, and the dates every edition states.

What an analyst needs before trusting a table (issue 32, scope 9): how each figure is made (every
indicator's definition, polarity, interval and source), which comparators are used and why, how the
funnel's limits are set, how survey figures are protected, which data releases the edition rests on,
when it was built and from which roses release. Every number on the page is computed from the data
files and the package, never typed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from roses.core.errors import RosesError
from roses.national import compare, indicators, readers
from roses.records import provenance, releases
from roses.survey import disclosure

BETTER = {"low": "lower", "high": "higher", "neutral": "neither (not ranked)"}
INTERVALS = {"wilson": "Wilson (proportion)", "poisson": "exact Poisson (rate)"}
# What each national file is, in a reader's words, by file name.
FILES = {
    readers.C1: "DfE children in need census, table C1 (referrals, re-referrals)",
    readers.C4: "DfE children in need census, table C4 (section 47 enquiries, conferences)",
    readers.D3: "DfE children in need census, table D3 (child protection plans started)",
    readers.D5: "DfE children in need census, table D5 (plans open at 31 March by duration)",
    readers.B1: "DfE children in need census, table B1 (children in need)",
    readers.CSWW: "DfE children's social work workforce (year to 30 September)",
    readers.CLA: "DfE children looked after in England (numbers and rates)",
    readers.PLACEMENTS: "DfE children looked after in England (placement stability)",
    readers.CARE_LEAVERS_ACTIVITY: "DfE children looked after in England (care leavers' activity)",
    readers.CARE_LEAVERS_ACCOMMODATION: "DfE children looked after in England (care leavers' accommodation)",
    readers.POPULATION: "ONS mid-year population estimates, children aged 0-17",
    readers.LAIT: "DfE Local Authority Interactive Tool (Cafcass care applications; 2016 workforce)",
}
SHORT = {  # the same files, named briefly for the indicator table (the dates table gives the file names)
    readers.C1: "CIN census C1",
    readers.C4: "CIN census C4",
    readers.D3: "CIN census D3",
    readers.D5: "CIN census D5",
    readers.B1: "CIN census B1",
    readers.CSWW: "DfE workforce",
    readers.CLA: "DfE looked after",
    readers.PLACEMENTS: "DfE looked after (placements)",
    readers.CARE_LEAVERS_ACTIVITY: "DfE care leavers (activity)",
    readers.CARE_LEAVERS_ACCOMMODATION: "DfE care leavers (accommodation)",
    readers.POPULATION: "ONS population",
    readers.LAIT: "LAIT",
}
GLOSSARY = {
    "CIN": "child in need: a child assessed by children's social care as needing services (Children Act 1989, s17)",
    "CLA": "child looked after: in the care of the authority or accommodated by it",
    "CPP": "child protection plan, agreed at a child protection conference",
    "ICPC": "initial child protection conference",
    "Section 47 enquiry": "an enquiry into whether a child is suffering, or likely to suffer, significant harm",
    "EET": "in education, employment or training",
    "FTE": "full-time equivalent",
    "LAIT": "DfE's Local Authority Interactive Tool, which sets each authority beside England, its region and "
    "its statistical neighbours",
    "Statistical neighbours": "the ten authorities DfE's model finds most like this one in their population "
    "and circumstances",
    "Interval (95%)": "the range within which the authority's underlying figure probably lies, given the "
    "numbers it rests on",
    "Funnel plot": "every authority's figure against its size, with limits showing how far from England an "
    "authority of that size usually lies",
    "Overdispersion": "authorities differ more than chance alone would make them; the funnel's limits allow for it",
    "Quartile": "a quarter of the ranked authorities; 1 is the best quarter",
    "c, x, z, u, k": "DfE's symbols: " + "; ".join(f"{s} {m}" for s, m in readers.SYMBOLS.items() if s != "low"),
}


def survey_protection() -> str:
    """How published survey figures are protected and how far they may differ from the survey tool: the
    disclosure module's own note, as a clause (the method is decided there, docs/disclosure.md)."""
    note = disclosure.PROTECTION_NOTE.removeprefix("Protected figures: ")
    return note.split(" Data and methods")[0].rstrip(".")


def release_line() -> str:
    """'built on 2026-12-07 from roses release 0.2.0 (commit abc1234)': the edition's build and release."""
    latest = releases.latest()
    version = latest.get("version", "none recorded") if latest else "none recorded"
    commit = provenance.git_commit()
    short = commit[:7] + (" with uncommitted changes" if "uncommitted" in commit else "")
    return f"built on {provenance.build_date()} from roses release {version} (commit {short})"


def data_releases(data_dir: Path | None = None) -> pd.DataFrame:
    """Each national file the edition reads: what it is and the years it holds (``file, what, years``)."""
    rows = []
    for name, what in FILES.items():
        try:
            years = readers.tidy(name, data_dir)["year"]
        except RosesError:
            continue  # a missing or broken file is reported by the pages that read it
        rows.append({"file": _file(name), "what": what, "years": f"{years.min()} to {years.max()}"})
    try:
        inspections = readers.ofsted(data_dir)["inspection_date"]
        rows.append(
            {
                "file": _file(readers.OFSTED_CSV),
                "what": "Ofsted inspections of local authority children's services (ILACS)",
                "years": f"{inspections.min():%Y} to {inspections.max():%d %B %Y}",
            }
        )
    except RosesError:
        pass
    rows.append(
        {
            "file": _file(readers.NEIGHBOURS_2025),
            "what": "DfE statistical neighbours (April 2021 groupings for authorities the model does not list)",
            "years": "2025 model",
        }
    )
    return pd.DataFrame(rows)


def _cell(text: object) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def _file(name: str) -> str:
    """A file name that may break after its underscores in a narrow column (printed pages), copied whole."""
    return name.replace("_", "_<wbr>")


def _table(frame: pd.DataFrame, headers: dict[str, str]) -> str:
    lines = ["| " + " | ".join(headers.values()) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(row[c]) for c in headers) + " |" for _, row in frame.iterrows()]
    return "\n".join(lines)


def indicator_table(data_dir: Path | None = None) -> pd.DataFrame:
    """Every indicator as the methods page lists it: name, definition, unit, better, interval, source."""
    rows = []
    for name, d in indicators.definitions(data_dir).items():
        kind = (
            compare.interval_kind(name, data_dir)[0]
            if name in compare.COUNTS or name == compare.S47_TO_CPP[0] or d.interval
            else None
        )
        first, last = d.years
        rows.append(
            {
                "indicator": d.label,
                "definition": d.definition or d.unit,
                "unit": d.unit,
                "better": BETTER[d.polarity],
                "interval": INTERVALS.get(kind or "", "none (counts not published)"),
                "source": ", ".join(SHORT.get(f, f) for f in d.files) + f" ({first} onwards)",
            }
        )
    return pd.DataFrame(rows)


def methods_markdown(name: str, data_dir: Path | None = None) -> str:
    """The page: dates, how each figure is made, comparators, funnel, survey protection, glossary."""
    table = indicator_table(data_dir)
    ranked = (table["better"] != BETTER["neutral"]).sum()
    glossary = _table(
        pd.DataFrame({"term": list(GLOSSARY), "meaning": list(GLOSSARY.values())}),
        {"term": "Term", "meaning": "Meaning"},
    )
    return f"""# Methods, glossary and dates

## Dates

This edition for {name} was {release_line()}. Every figure from the national files is the latest DfE,
Ofsted and ONS publish in the files below, as copied into roses (`data/dfe`, with their provenance);
the authority's own survey results are dated by the exports it supplied.

{_table(data_releases(data_dir), {"what": "Data", "years": "Years it holds", "file": "File"})}

## How each figure is made

{len(table)} indicators, each defined in `data/dfe/indicators.yml`. A figure is ranked among English
authorities only where better has a direction ({ranked} of them); a rate of referrals, enquiries, plans
or children in care can mean need or good finding, so it is never ranked.

{_table(table, {"indicator": "Indicator", "definition": "What is counted", "better": "Better when", "interval": "Interval", "source": "Source"})}

- **Comparators.** England and the region are DfE's own published figures (the national and regional
  rows of its files), not medians of authorities. The neighbours' figure is the mean of the ten
  statistical neighbours' published values, as LAIT shows it; their median is given beside it.
- **Change.** Change since last year is the figure minus the year before's, in the indicator's unit;
  a change across a series break (the workforce collection's new definitions in 2017) is not comparable.
- **Intervals.** Wilson score intervals for proportions and exact Poisson intervals for rates, from the
  counts DfE publishes; "above" or "below England" means England's figure lies outside the interval.
- **Funnel plot.** The limits are {compare.FUNNEL_METHOD}. Limits for chance alone would put most English
  authorities "outside" on referral and enquiry rates, because authorities differ for reasons chance
  does not cover; with these limits only a handful lie outside on any indicator.
- **Data-quality flags.** A value DfE's own figures contradict (an FTE count of zero beside a headcount
  that is not), or a suppressed value, is shown with its flag and never ranked.
- **Survey results.** Only scored, disclosure-controlled results are published: results from fewer than
  {disclosure.MIN_RESPONDENTS} respondents are suppressed (`c`); {survey_protection()}. Comments are
  counted by theme, never quoted.

## Glossary

{glossary}
"""
