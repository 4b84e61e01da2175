"""The illustrative data are calibrated against the report's findings file, not against notes.

Every directional finding about an illustrative exhibit carries a ``check`` rule
(``filter; column; comparison``, see data/published/findings/ and docs/findings.md); this test scores the
illustrative respondents through the exhibit and checks the rule holds. Each case is named by its key.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from roses.core.origin import Origin
from roses.exhibits.registry import get
from roses.published.findings import findings

FINDINGS = findings()
CHECKED = FINDINGS[FINDINGS["check"].fillna("").str.strip() != ""]
FLAT = 3.0  # "flat": within three points (percentage points or scale points)


def _select(frame: pd.DataFrame, filters: str) -> pd.DataFrame:
    for pair in filter(None, (p.strip() for p in filters.split(","))):
        column, _, value = pair.partition("=")
        values = frame[column.strip()]
        number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
        if pd.notna(number) and pd.api.types.is_numeric_dtype(pd.to_numeric(values, errors="coerce")):
            frame = frame[pd.to_numeric(values, errors="coerce") == number]
        else:
            frame = frame[values.astype(str) == value.strip()]
    return frame


def _at(rows: pd.DataFrame, column: str, **match) -> float:
    for key, value in match.items():
        rows = rows[pd.to_numeric(rows[key]) == value]
    assert len(rows), f"no rows for {match}"
    return float(rows[column].mean())


def holds(frame: pd.DataFrame, rules: str) -> tuple[bool, str]:
    """Whether every ``|``-separated rule holds on ``frame``, and the numbers they compared."""
    results = [_holds(frame, rule) for rule in rules.split("|")]
    return all(ok for ok, _ in results), " | ".join(seen for _, seen in results)


def _holds(frame: pd.DataFrame, rule: str) -> tuple[bool, str]:
    filters, column, comparisons = (part.strip() for part in rule.split(";"))
    rows = _select(frame, filters)
    assert len(rows), f"the filter {filters!r} selects no rows"
    results, seen = [], []
    for comparison in (c.strip() for c in comparisons.split(",")):
        if m := re.fullmatch(r"(wave|year)(\d+)([<>~])(wave|year)(\d+)", comparison):
            a, b = _at(rows, column, **{m[1]: int(m[2])}), _at(rows, column, **{m[4]: int(m[5])})
            results.append({">": a > b, "<": a < b, "~": abs(a - b) <= FLAT}[m[3]])
            seen.append(f"{m[1]} {m[2]} {a:.1f}, {m[4]} {m[5]} {b:.1f}")
        elif m := re.fullmatch(r"(wave|year)(\d+)([<>])(-?[\d.]+)", comparison):
            a = _at(rows, column, **{m[1]: int(m[2])})
            results.append(a > float(m[4]) if m[3] == ">" else a < float(m[4]))
            seen.append(f"{m[1]} {m[2]} {a:.1f}")
        elif m := re.fullmatch(r"all(>=|<=)([\d.]+)", comparison):
            values = rows[column].astype(float)
            limit = float(m[2])
            results.append(bool((values >= limit).all() if m[1] == ">=" else (values <= limit).all()))
            seen.append(f"{values.min():.1f} to {values.max():.1f}")
        elif m := re.fullmatch(r"group(\d)([<>])group(\d)@wave(\d+)", comparison):
            a = _at(rows, column, group=int(m[1]), wave=int(m[4]))
            b = _at(rows, column, group=int(m[3]), wave=int(m[4]))
            results.append(a > b if m[2] == ">" else a < b)
            seen.append(f"group {m[1]} {a:.1f}, group {m[3]} {b:.1f}")
        elif m := re.fullmatch(r"max@wave(\d+)", comparison):
            by_wave = rows.groupby("wave")[column].mean()
            results.append(int(by_wave.idxmax()) == int(m[1]))
            seen.append(f"peak at wave {by_wave.idxmax()}")
        else:
            raise AssertionError(f"unknown comparison {comparison!r}")
    return all(results), "; ".join(seen)


def test_every_directional_finding_about_an_illustrative_exhibit_has_a_check():
    subjects = FINDINGS[FINDINGS["subject"].fillna("") != ""]
    illustrative = subjects[subjects["subject"].map(lambda s: get(s).origin == Origin.ILLUSTRATIVE)]
    directional = illustrative[illustrative["direction"].isin(["rises", "falls", "flat", "higher", "lower"])]
    unchecked = directional[directional["check"].fillna("").str.strip() == ""]
    assert len(CHECKED) >= 40
    assert len(unchecked) <= len(directional) // 4, f"findings without a check: {list(unchecked['key'])}"


@pytest.mark.parametrize("key", list(CHECKED["key"]))
def test_illustrative_data_agree_with_the_reports_finding(key):
    finding = CHECKED.set_index("key").loc[key]
    ex = get(finding["subject"])
    assert ex.origin == Origin.ILLUSTRATIVE, f"{key}: checks are for illustrative exhibits only"
    ok, numbers = holds(ex.frame(), finding["check"])
    assert ok, (
        f"{key} (report section {finding['section']}): {finding['statement']} -- illustrative data give {numbers}"
    )


def test_a_rule_that_contradicts_the_data_fails():
    frame = pd.DataFrame({"level": "group", "group": [1, 1], "wave": [3, 4], "score": [60.0, 70.0]})
    assert holds(frame, "level=group,group=1; score; wave4>wave3")[0]
    assert not holds(frame, "level=group,group=1; score; wave4<wave3")[0]
    assert not holds(frame, "level=group; score; all>=65")[0]
    assert not holds(frame, "level=group,group=1; score; wave4>wave3 | level=group,group=1; score; wave3>65")[0]
