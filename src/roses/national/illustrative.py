"""Illustrative per-letter series around the real England figures (Figures 7.8-7.15 and 7.18).

The report shows each programme authority's indicator as a percentage difference from England,
but gives no numbers. Real per-authority values cannot stand in (the authorities are publicly named
elsewhere, so exact values would identify them), so roses draws synthetic England-relative paths
that follow what the report says in words (DESIGN.md section 6) and turns them into values around
the real England figure: ``value = England x (1 + index / 100)``. Everything here is deterministic:
the same seed gives the same series on every machine.

Only years with a real England figure get a per-letter value: the national files hold workforce
figures from 2016 (LAIT) and 2017 (DfE's workforce release) and Cafcass care applications from
2016, so those figures start there rather than in 2013.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from roses.national.indicators import england, england_index
from roses.published import tables as published

WINDOW = (2013, 2019)  # the years the report's figures cover

# What the report says, as England-relative anchors {year: % difference}; linear in between,
# flat beyond the first and last anchor. Letters not named here follow BACKGROUND.
SHAPES: dict[str, dict[str, dict[int, float]]] = {
    # C, E and G start above England and come down towards it; H climbs.
    "caseload": {
        "C": {2016: 30, 2019: 8},
        "E": {2016: 24, 2019: 5},
        "G": {2016: 36, 2019: 10},
        "H": {2016: -4, 2019: 26},
    },
    # A and D fall most; H and J rise in the later years.
    "agency": {
        "A": {2016: 55, 2019: -45},
        "D": {2016: 48, 2019: -40},
        "H": {2016: -20, 2017: -25, 2018: 5, 2019: 45},
        "J": {2016: -30, 2017: -28, 2018: 0, 2019: 38},
    },
    # Most below England; D climbs over 2015-17 and falls back; H starts far above, falls, edges up.
    "referral_rate": {"D": {2013: -12, 2015: -6, 2017: 28, 2019: 6}, "H": {2013: 65, 2016: 12, 2017: 8, 2019: 20}},
    # Mostly below England; H starts high and falls a long way.
    "s47_rate": {"H": {2013: 75, 2019: 5}},
    # Below England except H.
    "s47_to_cpp": {"H": {2013: 25, 2019: 18}},
    # Below England except E and H.
    "care_applications": {"E": {2016: 22, 2019: 28}, "H": {2016: 40, 2019: 35}},
}
# For the other letters: where they start (a range of % differences), how far they drift by the
# end of the window (a range), and whether they must stay below England ("below").
BACKGROUND: dict[str, dict] = {
    "caseload": dict(start=(-15, 8), drift=(-4, 4)),
    "turnover": dict(start=(-40, 40), drift=(-20, 20)),  # the report says nothing specific
    "agency": dict(start=(-35, 30), drift=(-10, 10)),
    "absence": dict(start=(-35, 35), drift=(-25, 25)),  # "a very varied pattern"
    "referral_rate": dict(start=(-35, -8), drift=(-5, 5), below=True),
    "rereferral_percent": dict(start=(15, 35), converge=3),  # differ early, close to England by 2019
    "s47_rate": dict(start=(-40, -8), drift=(-6, 6), below=True),
    "s47_to_cpp": dict(start=(-30, -6), drift=(-5, 5), below=True),
    "care_applications": dict(start=(-45, -12), drift=(-6, 6), below=True),
}
NOISE = {"rereferral_percent": 1.0}  # year-to-year wobble (percentage points of the index)
DEFAULT_NOISE = 2.0


def _rng(indicator: str, letter: str, seed: int) -> np.random.Generator:
    # crc32, not hash(): Python salts str hashes per process, which would change the series.
    return np.random.default_rng(zlib.crc32(f"{seed}:{indicator}:{letter}".encode()))


def _background(spec: dict, years: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    t = (years - years[0]) / max(years[-1] - years[0], 1)
    if "converge" in spec:
        start = rng.uniform(*spec["start"]) * rng.choice([-1, 1])
        end = rng.uniform(-spec["converge"], spec["converge"])
        return start + (end - start) * t
    start = rng.uniform(*spec["start"])
    return start + rng.uniform(*spec["drift"]) * t


def index_path(indicator: str, letter: str, years: list[int], seed: int = 0) -> np.ndarray:
    """One letter's illustrative England-relative index for ``years`` (deterministic)."""
    at = np.asarray(years, dtype=float)
    rng = _rng(indicator, letter, seed)
    anchors = SHAPES.get(indicator, {}).get(letter)
    if anchors:
        path = np.interp(at, list(anchors), list(anchors.values()))
    else:
        path = _background(BACKGROUND[indicator], at, rng)
    path = path + rng.normal(0, NOISE.get(indicator, DEFAULT_NOISE), len(at))
    if BACKGROUND[indicator].get("below") and not anchors:
        path = np.minimum(path, -2.0)  # the report: below England; noise must not cross the line
    return path


def letter_series(indicator: str, data_dir: str | Path | None = None, seed: int = 0) -> pd.DataFrame:
    """Illustrative values for every programme letter: ``authority, group, year, value, england, index``.

    ``england`` is the real England figure; ``value`` is synthetic, rounded to one decimal like
    DfE's published rates; ``index`` is recomputed from the rounded value so the frame agrees
    with itself.
    """
    eng = england(indicator, data_dir).loc[WINDOW[0] : WINDOW[1]].dropna()
    years = list(eng.index)
    rows = []
    for letter, group in published.groups(data_dir).items():
        path = index_path(indicator, letter, years, seed)
        value = np.round(eng.to_numpy() * (1 + path / 100), 1)
        rows.append(
            pd.DataFrame(
                {"authority": letter, "group": int(group), "year": years, "value": value, "england": eng.to_numpy()}
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    frame["index"] = england_index(frame["value"], frame["england"]).round(1)
    return frame
