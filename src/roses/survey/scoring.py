"""Scoring survey answers (DESIGN.md section 5) into per-authority and per-group results.

All functions take the long ``answers`` frame (authority, wave, respondent, item, value) and work
with grouped counts, so scoring a million answers takes well under a second.

- Likert statements: % agree (4-5) and % disagree (1-2); neutral is left out, so they need not sum to 100.
- SAQ dimensions: reverse the negatively worded items (6 - answer), a respondent's dimension score
  is ``(mean - 1) * 25`` on 0-100; "percent positive" is the share of respondents scoring 75 or more;
  a respondent needs at least half of a dimension's items answered to be scored on it.
- Methods: mean use (1 never ... 5 always) and mean confidence (1 not at all ... 5 extremely; 3 is
  "moderately") per method.
- Response rates and reliability: see :func:`reliability`.
- Group summaries: the mean over the group's authorities (each authority counts once, as the report's
  group averages do), using only authority-waves that are reliable and not suppressed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from roses.survey import cellkey, disclosure
from roses.survey.instruments import Instrument

# A wave is shown as unreliable (DfE symbol "u") and left out of group results when fewer than 20%
# of those invited responded; the report set aside two first-wave surveys for their low response.
MIN_RESPONSE_RATE = 0.20
KEYS = ["authority", "wave"]


def reliability(
    waves: pd.DataFrame, min_rate: float = MIN_RESPONSE_RATE, min_respondents: int = disclosure.MIN_RESPONDENTS
) -> pd.DataFrame:
    """Response rate and status of each authority-wave.

    ``status`` is "" (usable), ``u`` (response rate below ``min_rate``: low reliability, shown but not
    averaged in) or ``c`` (fewer than ``min_respondents``: suppressed). A missing ``invited`` gives
    no rate, and only the respondent rule applies.
    """
    frame = waves.copy()
    frame["response_rate"] = (frame["respondents"] / frame["invited"]).round(3)
    frame["status"] = ""
    frame.loc[frame["response_rate"] < min_rate, "status"] = disclosure.LOW_RELIABILITY
    frame.loc[frame["respondents"] < min_respondents, "status"] = disclosure.SUPPRESSED
    return frame


def _counts(answers: pd.DataFrame, key: str = "item") -> pd.DataFrame:
    """Answers counted per authority, wave, item and value: one row per key, columns 1-5."""
    counts = answers.groupby(KEYS + [key, "value"], observed=True).size().unstack("value", fill_value=0)
    return counts.reindex(columns=range(1, 6), fill_value=0)


def item_shares(answers: pd.DataFrame, items: list[str]) -> pd.DataFrame:
    """% agree, % disagree and the mean answer per authority, wave and statement (as worded)."""
    subset = answers[answers["item"].isin(items)]
    counts = _counts(subset)
    total = counts.sum(axis=1)
    # Every value is computed from cell-key perturbed counts and sums (docs/disclosure.md, rule 3):
    # the same respondents always give the same figures; one more or one fewer redraws them all.
    key = cellkey.cell_keys(subset, KEYS + ["item"]).reindex(counts.index).to_numpy()
    item = "|" + counts.index.get_level_values("item").astype(str)
    agree = cellkey.perturb(counts[4] + counts[5], key, "agree" + item, cellkey.COUNT_NOISE, 0, total)
    disagree = cellkey.perturb(counts[1] + counts[2], key, "disagree" + item, cellkey.COUNT_NOISE, 0, total - agree)
    answered = (counts * np.arange(1, 6)).sum(axis=1)
    answered = cellkey.perturb(answered, key, "sum" + item, cellkey.SUM_NOISE, total, 5 * total)
    frame = pd.DataFrame(
        {
            "respondents": total,
            "pct_agree": (100 * agree / total).round(1),
            "pct_disagree": (100 * disagree / total).round(1),
            "mean": (answered / total).round(2),
        }
    )
    return frame.reset_index()


# The last few (answers, instrument, scores) scored: the six SAQ figures each ask for the same scores.
# Matched by identity: the answer frames of roses.survey.data are cached, shared and never altered.
_SAQ_SCORED: list[tuple[pd.DataFrame, Instrument, pd.DataFrame]] = []


def saq_scores(answers: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Scale score (0-100) and percent positive per authority, wave and SAQ dimension."""
    for seen, inst, scores in _SAQ_SCORED:
        if seen is answers and inst is instrument:
            return scores.copy()
    scores = _saq_scores(answers, instrument)
    _SAQ_SCORED.append((answers, instrument, scores))
    del _SAQ_SCORED[:-4]  # holding the frames keeps their ids from being reused while cached
    return scores.copy()


def _saq_scores(answers: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    dims = {i.id: i.dimension for i in instrument.items if i.dimension and (i.section in ("saq", "constant"))}
    reverse = {i.id for i in instrument.items if i.reverse}
    subset = answers[answers["item"].isin(list(dims)) & (answers["wave"] >= 3)]
    subset = subset.assign(**{cellkey.KEY_COLUMN: cellkey.keys_of(subset).to_numpy()})
    item = subset["item"].astype(str)
    values = subset["value"].astype("float32")
    values = values.where(~item.isin(reverse), 6 - values)
    per_item = pd.DataFrame(
        {
            "authority": subset["authority"],
            "wave": subset["wave"],
            "respondent": subset["respondent"],
            "dimension": item.map(dims),
            "value": values,
            "key": subset[cellkey.KEY_COLUMN],
        }
    )
    n_items = pd.Series(dims).value_counts()
    person = per_item.groupby(KEYS + ["respondent", "dimension"], observed=True).agg(
        mean=("value", "mean"), size=("value", "size"), key=("key", "first")
    )
    person = person.reset_index()
    person = person[person["size"] >= np.ceil(person["dimension"].map(n_items) / 2)]
    person["score"] = (person["mean"] - 1) * 25
    person["positive"] = person["score"] >= 75
    scored = person.groupby(KEYS + ["dimension"], observed=True).agg(
        respondents=("score", "size"), total=("score", "sum"), positive=("positive", "sum"), key=("key", "sum")
    )
    # Cell-key perturbation (docs/disclosure.md, rule 3): the total of person scores moves in steps
    # of 25 (one answer point on a one-item scale), by up to one respondent's whole range.
    n, key = scored["respondents"], scored.pop("key").to_numpy(dtype=np.uint64)
    dimension = "|" + scored.index.get_level_values("dimension").astype(str)
    total = cellkey.perturb(
        scored.pop("total"), key, "score" + dimension, cellkey.SUM_NOISE, 0, 100 * n, step=cellkey.SCORE_STEP
    )
    positive = cellkey.perturb(scored.pop("positive"), key, "positive" + dimension, cellkey.COUNT_NOISE, 0, n)
    scored["scale_score"] = (total / n).round(1)
    scored["percent_positive"] = (100 * positive / n).round(1)
    return scored.reset_index()


def method_means(answers: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Mean use and mean confidence (1-5) per authority, wave and method."""
    kinds = {i.id: (i.scale, i.method) for i in instrument.items if i.section == "methods"}
    subset = answers[answers["item"].isin(list(kinds))]
    means = subset.groupby(KEYS + ["item"], observed=True)["value"].agg(["sum", "size"])
    # The mean comes from the cell-key perturbed sum of answers (docs/disclosure.md, rule 3).
    key = cellkey.cell_keys(subset, KEYS + ["item"]).reindex(means.index).to_numpy()
    label = "sum|" + means.index.get_level_values("item").astype(str)
    total = cellkey.perturb(means.pop("sum"), key, label, cellkey.SUM_NOISE, means["size"], 5 * means["size"])
    means["mean"] = total / means["size"]
    means = means.reset_index()
    item = means["item"].astype(str)
    means["measure"] = item.map(lambda i: kinds[i][0])
    means["method"] = item.map(lambda i: kinds[i][1])
    means = means.rename(columns={"size": "respondents"})
    means["mean"] = means["mean"].round(2)
    return means[KEYS + ["method", "measure", "respondents", "mean"]]


def with_status(scores: pd.DataFrame, status: pd.DataFrame, values: list[str]) -> pd.DataFrame:
    """Attach each authority-wave's reliability status; suppress values from fewer than 10 respondents."""
    frame = scores.merge(status[KEYS + ["response_rate", "status", "origin"]], on=KEYS, how="left")
    frame["status"] = frame["status"].fillna("")
    frame.loc[frame["respondents"] < disclosure.MIN_RESPONDENTS, "status"] = disclosure.SUPPRESSED
    frame = disclosure.apply_status(frame, values)
    # A row whose values, read together with its base, would still give back a count of 1-4 people
    # (a mean near the end of the scale, say) is suppressed too: docs/disclosure.md, rule 4.
    return disclosure.suppress_revealing_rows(frame, values)


def summarise(
    scores: pd.DataFrame, groups: dict[str, int], by: list[str], values: list[str], digits: int = 1
) -> pd.DataFrame:
    """Authority rows plus group and all-authority rows (means over usable authorities).

    Returns one frame with ``level`` ("authority", "group", "all"), ``group`` and ``authority``
    columns first; group and all rows have an empty authority, count the authorities used
    (``authorities``) and name them (``based_on``, letters), so a reader comparing waves can see
    whether a change compares the same authorities (docs/disclosure.md, rule 6).

    Only published authority rows (status "") enter a group or all-authority mean, so no margin
    carries a suppressed value. A group-wave whose authorities are all suppressed or unreliable gets
    a row of its own with no values and the symbol ``c`` (or ``x``), instead of no row.
    """
    frame = scores.copy()
    frame.insert(0, "group", frame["authority"].map(groups).astype("Int64"))
    frame.insert(0, "level", "authority")
    usable = frame[(frame["status"] == "") & frame["group"].notna()]
    keys = ["wave"] + by
    group_rows = _means(usable, ["group"] + keys, values, digits).assign(level="group", authority="")
    all_rows = _means(usable, keys, values, digits).assign(level="all", authority="", group=pd.NA)
    summary = pd.concat([group_rows, all_rows], ignore_index=True)
    summary["status"] = ""
    missing = _empty_groups(frame, usable, keys, values)
    frame["authorities"] = 1
    frame["based_on"] = frame["authority"].astype(str)
    columns = ["level", "group", "authority"] + keys + values + ["respondents", "authorities", "based_on"]
    parts = [x for x in (summary, missing, frame) if len(x)]
    if not parts:  # nothing scored (no one answered these items): no rows, the same columns
        return frame.reindex(columns=columns + [c for c in ("response_rate", "status", "origin") if c in frame])
    out = pd.concat(parts, ignore_index=True)
    out["group"] = out["group"].astype("Int64")
    out["level_order"] = out["level"].map({"group": 0, "all": 1, "authority": 2})
    out = out.sort_values(["level_order", "group", "authority"] + keys, ignore_index=True, na_position="last")
    extra = [c for c in ("response_rate", "status", "origin") if c in out]
    return out[columns + extra]


def _means(usable: pd.DataFrame, keys: list[str], values: list[str], digits: int) -> pd.DataFrame:
    grouped = usable.groupby(keys, observed=True)
    rows = grouped[values].mean().round(digits)
    rows["respondents"] = grouped["respondents"].sum()
    rows["authorities"] = grouped.size()
    rows["based_on"] = grouped["authority"].agg(lambda a: " ".join(sorted(map(str, a))))
    rows["origin"] = grouped["origin"].agg(_origins)
    return rows.reset_index()


def _empty_groups(frame: pd.DataFrame, usable: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    """A row per group-wave that has authority rows but none usable: ``c`` if one is suppressed, else ``x``."""
    present = frame[frame["group"].notna()]
    if present.empty:
        return pd.DataFrame()
    index = ["group"] + keys
    have = set(usable.set_index(index).index) if len(usable) else set()
    rows = []
    for key, part in present.groupby(index, observed=True):
        if key in have:
            continue
        symbol = disclosure.SUPPRESSED if (part["status"] == disclosure.SUPPRESSED).any() else disclosure.NOT_AVAILABLE
        rows.append(
            dict(zip(index, key))
            | {v: float("nan") for v in values}
            | {
                "level": "group",
                "authority": "",
                "respondents": float("nan"),
                "authorities": 0,
                "based_on": "",
                "status": symbol,
                "origin": _origins(part["origin"]),
            }
        )
    return pd.DataFrame(rows)


def _origins(origins: pd.Series) -> str:
    """A summary row's origin: "local", "illustrative", or both when it mixes them."""
    return " + ".join(sorted(set(origins)))
