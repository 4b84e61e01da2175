"""One real authority against England, its region and its named statistical neighbours.

What an analyst needs to trust a comparison, from the national files only (DfE, Ofsted, ONS; OGL v3.0):

- **where it sits**: its region (DfE's statistical-neighbour file) and its ten statistical neighbours,
  *named*, in DfE's order with DfE's closeness (:func:`named_neighbours`);
- **rank and quartile only where better has a direction**: indicators whose polarity in
  ``indicators.yml`` is ``low`` or ``high`` (:func:`ranked_indicators`: caseload, turnover, agency,
  absence, vacancy, re-referrals, repeat child protection plans); neutral ones (referral, section 47,
  conference, plan, children in need and care application rates) are never ranked;
- **confidence intervals** where the files hold the counts behind a figure: Wilson score intervals for
  proportions (re-referrals, repeat plans, turnover and agency on headcount) and exact Poisson
  (Garwood) intervals for rates per 10,000 children or per 100 enquiries (:data:`COUNTS`); a figure is
  *above* or *below* England only when England's figure lies outside the authority's 95% interval;
- **a funnel** of every authority's figure against England's, with 95% and 99.8% control limits
  for the size of each authority (:func:`funnel`); authorities other than the edition's own and its
  neighbours stay unnamed;
- **data-quality flags** where DfE's own figures disagree (:func:`quality_flags`): an FTE count of
  zero beside a headcount that is not (Derby's 2017 leavers: FTE 0, headcount 13, so a turnover of 0%),
  FTE above headcount, suppressed values, values revised between DfE releases and the 2017 series
  break. A value with a contradiction is shown with its flag and never ranked (nor counted in the
  ranking of others).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import special

from roses.core.cache import BoundedCache, cached_on_file, computed_from_folder
from roses.national import indicators, readers

CONFIDENCE = 0.95
FUNNEL_LEVELS = (0.95, 0.998)  # about two and three standard deviations, as in public-health funnel plots
CONTRADICTION = "FTE and headcount disagree"
SUPPRESSED = "suppressed"
REVISED = "revised"
SERIES_BREAK = "series break"
UNRANKED_FLAGS = (CONTRADICTION, SUPPRESSED)
# The edition's own authority in the role/kind columns. Not "authority": next to a number ("authority 822.7")
# that would read as an authority code to the leak scan, and to a reader.
SELECTED = "selected"  # a value with one of these is never ranked


_RESULTS = BoundedCache(maxsize=16)


def _once(name: str, data_dir, compute):
    """The all-authority tables (counts, flags, ranks) once per state of the national files, then copied."""
    return computed_from_folder(_RESULTS, name, readers.dfe_dir(data_dir), compute)


# --- Confidence intervals ----------------------------------------------------------------------------


# The quantile functions scipy.stats itself uses (scipy.stats.norm.ppf and chi2.ppf for valid
# arguments), from scipy.special: importing scipy.stats costs every kernel 0.4 s.
def _normal_quantile(q):
    return special.ndtri(q)


def _chi2_quantile(q, df):
    return 2 * special.gammaincinv(np.asarray(df, dtype=float) / 2, q)


def wilson(k, n, confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion ``k / n`` (as fractions); missing where ``n`` is 0 or missing."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    z = _normal_quantile(1 - (1 - confidence) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        ok = n > 0
        lower = np.clip(centre - half, 0, 1)  # clip float noise: k = 0 gives exactly 0
        return np.where(ok, lower, np.nan), np.where(ok, np.clip(centre + half, 0, 1), np.nan)


def garwood(k, confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson interval for a count ``k``: ``chi2(a/2, 2k)/2`` to ``chi2(1-a/2, 2k+2)/2``."""
    k = np.asarray(k, dtype=float)
    alpha = 1 - confidence
    with np.errstate(invalid="ignore"):
        lower = np.where(k > 0, _chi2_quantile(alpha / 2, 2 * k) / 2, 0.0)
        upper = _chi2_quantile(1 - alpha / 2, 2 * k + 2) / 2
    missing = np.isnan(k)
    return np.where(missing, np.nan, lower), np.where(missing, np.nan, upper)


@dataclass(frozen=True)
class Counts:
    """The counts behind an indicator: numerator and denominator measures and the kind of interval."""

    method: str  # "wilson" (a proportion) or "poisson" (a rate)
    file: str
    numerator: str
    denominator: tuple[str, ...] | str  # measures of ``file`` (summed), or "population" (ONS, aged 0-17)
    scale: float
    basis: str  # what the interval is computed on, for the reader


COUNTS = {
    # Workforce: DfE's headline rates are on FTE, so the interval is too, treating FTE as a count of
    # people (approximate: part-time staff make the FTE smaller than the number of people).
    "turnover": Counts(
        "wilson",
        readers.CSWW,
        "leavers_fte",
        ("inpost_fte",),
        100,
        "FTE leavers of FTE social workers in post (FTE taken as a count)",
    ),
    "agency": Counts(
        "wilson",
        readers.CSWW,
        "agency_fte",
        ("inpost_fte", "agency_fte"),
        100,
        "FTE agency workers of all FTE social workers (FTE taken as a count)",
    ),
    "vacancy": Counts(
        "wilson",
        readers.CSWW,
        "vacancy_fte",
        ("inpost_fte", "vacancy_fte"),
        100,
        "FTE vacancies of FTE posts (FTE taken as a count)",
    ),
    "rereferral_percent": Counts(
        "wilson", readers.C1, "rereferral_count", ("referral_count",), 100, "re-referrals of referrals"
    ),
    "cpp_subsequent_percent": Counts(
        "wilson", readers.D3, "CPP_subsequent", ("CPP_start",), 100, "second or later plans of plans started"
    ),
    "referral_rate": Counts(
        "poisson", readers.C1, "referral_count", "population", 10_000, "referrals per 10,000 children aged 0-17"
    ),
    "s47_rate": Counts(
        "poisson", readers.C4, "Section47", "population", 10_000, "section 47 enquiries per 10,000 children aged 0-17"
    ),
    "icpc_rate": Counts(
        "poisson", readers.C4, "ICPC", "population", 10_000, "conferences per 10,000 children aged 0-17"
    ),
    "cpp_start_rate": Counts(
        "poisson", readers.D3, "CPP_start", "population", 10_000, "plans started per 10,000 children aged 0-17"
    ),
    "cin_rate": Counts(
        "poisson", readers.B1, "At31_episodes", "population", 10_000, "children in need per 10,000 children aged 0-17"
    ),
}
# Plans per 100 section 47 enquiries: CPP_start (D3) over Section47 (C4), two files.
S47_TO_CPP = ("s47_to_cpp", readers.D3, "CPP_start", readers.C4, "Section47", 100)


def interval_kind(indicator: str, data_dir: str | Path | None = None) -> tuple[str, float]:
    """("wilson" or "poisson", scale) of an indicator with an interval."""
    if indicator == S47_TO_CPP[0]:
        return "poisson", float(S47_TO_CPP[5])
    if indicator in COUNTS:
        return COUNTS[indicator].method, float(COUNTS[indicator].scale)
    definition = indicators.get(indicator, data_dir)
    return str(definition.interval), float(definition.sources[-1].get("scale", 1))


def _measure(file: str, measure: str, data_dir) -> pd.DataFrame:
    frame = readers.tidy(file, data_dir)
    frame = frame[(frame["measure"] == measure) & frame["level"].isin(["National", "Local authority"])]
    return frame[["year", "level", "old_la_code", "value"]]


def counts(data_dir: str | Path | None = None) -> pd.DataFrame:
    return _once("counts", data_dir, lambda: _counts(data_dir))


def _counts(data_dir) -> pd.DataFrame:
    """The counts behind every indicator with an interval, for England and every authority.

    Columns: ``indicator, year, level, old_la_code, k, n, estimate, method, scale, basis`` (``estimate``
    = k / n x scale, DfE's published figure recomputed from its counts).
    """
    keys = ["year", "level", "old_la_code"]
    frames = []
    pop = readers.population(data_dir)
    pop = pop[pop["level"].isin(["National", "Local authority"])].assign(year=lambda f: f["year"] + 1)
    pop = pop[keys + ["value"]].rename(columns={"value": "n"})
    for name, spec in COUNTS.items():
        k = _measure(spec.file, spec.numerator, data_dir).rename(columns={"value": "k"})
        if spec.denominator == "population":
            n = pop
        else:
            parts = [_measure(spec.file, m, data_dir).set_index(keys)["value"] for m in spec.denominator]
            n = sum(parts[1:], parts[0]).rename("n").reset_index()
        frames.append(
            k.merge(n, on=keys, how="inner").assign(
                indicator=name, method=spec.method, scale=spec.scale, basis=spec.basis
            )
        )
    for name, definition in indicators.definitions(data_dir).items():  # counts declared in indicators.yml
        if definition.interval and name not in COUNTS:
            frames.append(
                indicators.counts(name, data_dir).assign(
                    indicator=name,
                    method=definition.interval,
                    scale=float(definition.sources[-1].get("scale", 1)),
                    basis=definition.label[:1].lower() + definition.label[1:],
                )
            )
    name, file_k, measure_k, file_n, measure_n, scale = S47_TO_CPP
    k = _measure(file_k, measure_k, data_dir).rename(columns={"value": "k"})
    n = _measure(file_n, measure_n, data_dir).rename(columns={"value": "n"})
    frames.append(
        k.merge(n, on=keys, how="inner").assign(
            indicator=name, method="poisson", scale=scale, basis="plans started per 100 section 47 enquiries"
        )
    )
    frame = pd.concat(frames, ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["estimate"] = frame["k"] / frame["n"].where(frame["n"] > 0) * frame["scale"]
    return frame[["indicator", "year", "level", "old_la_code", "k", "n", "estimate", "method", "scale", "basis"]]


def intervals(frame: pd.DataFrame, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """``ci_low`` and ``ci_high`` (in the indicator's unit) for rows of :func:`counts`."""
    frame = frame.copy()
    lower = np.full(len(frame), np.nan)
    upper = np.full(len(frame), np.nan)
    prop = (frame["method"] == "wilson").to_numpy()
    lo, hi = wilson(frame["k"], frame["n"], confidence)
    lower[prop], upper[prop] = lo[prop] * frame["scale"].to_numpy()[prop], hi[prop] * frame["scale"].to_numpy()[prop]
    lo, hi = garwood(frame["k"], confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        per = frame["scale"].to_numpy() / frame["n"].where(frame["n"] > 0).to_numpy()
    lower[~prop], upper[~prop] = (lo * per)[~prop], (hi * per)[~prop]
    frame["ci_low"], frame["ci_high"] = lower, upper
    return frame


# --- Where an authority sits --------------------------------------------------------------------------


@cached_on_file(maxsize=4)
def _regions(path: Path) -> pd.DataFrame:
    # Only the code and region columns are read (the April 2021 file repeats its closeness header "SNP").
    raw = pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
        usecols=lambda c: c in ("old_la_code", "LA num", "region_name", "GOReg"),
    )
    code = next(c for c in ("old_la_code", "LA num") if c in raw)
    region = next(c for c in ("region_name", "GOReg") if c in raw)
    return pd.DataFrame(
        {
            "old_la_code": raw[code].astype(str).str.strip().str.replace(r"\.0$", "", regex=True),
            "region": raw[region].astype(str).str.strip(),
        }
    )


def regions(data_dir: str | Path | None = None) -> pd.Series:
    """Each authority's region (DfE's 2025 statistical-neighbour model; the April 2021 file for retired codes)."""
    found = _regions(readers.dfe_file(readers.NEIGHBOURS_2025, data_dir))
    path_2021 = readers.dfe_file(readers.NEIGHBOURS_2021, data_dir)
    older = _regions(path_2021) if path_2021.is_file() else found
    older = older.assign(region=older["region"].str.replace(r"\s*\((Inner|Outer)\)$", "", regex=True))
    table = pd.concat([found, older[~older["old_la_code"].isin(found["old_la_code"])]])
    return table.drop_duplicates("old_la_code").set_index("old_la_code")["region"]


def period_end(indicator: str, year: int, data_dir: str | Path | None = None) -> pd.Timestamp:
    """When an indicator's year ends: 30 September for the workforce collection, else 31 March."""
    workforce = readers.CSWW in indicators.get(indicator, data_dir).files
    return pd.Timestamp(year=int(year), month=9 if workforce else 3, day=30 if workforce else 31)


def change_since(frame: pd.DataFrame, when: pd.Timestamp, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Each indicator's change from its last figure before ``when`` (a survey's date) to its latest.

    ``frame`` is :func:`comparison`'s. Returns ``indicator, baseline_year, since_baseline``; an indicator
    with no figure before ``when``, or none after it, is left out.
    """
    rows = []
    for indicator, part in frame[frame["value"].notna()].groupby("indicator", sort=False):
        ends = pd.Series([period_end(indicator, y, data_dir) for y in part["year"]], index=part.index)
        before = part[ends <= when]
        if before.empty or part["year"].max() <= before["year"].max():
            continue
        base = before.loc[before["year"].idxmax()]
        latest = part.loc[part["year"].idxmax()]
        rows.append(
            {
                "indicator": indicator,
                "baseline_year": int(base["year"]),
                "since_baseline": latest["value"] - base["value"],
            }
        )
    return pd.DataFrame(rows, columns=["indicator", "baseline_year", "since_baseline"])


def regional_figures(code: str, data_dir: str | Path | None = None) -> pd.Series:
    """DfE's own published figure for the authority's region, every indicator and year (``region``).

    The regional rows of DfE's files (LAIT's for its measures), matched on the region's name whatever
    its letter case ("Yorkshire and The Humber", "Yorkshire and the Humber"); not a median of the
    region's authorities, which is not what DfE or LAIT publish.
    """
    region = region_of(code, data_dir)
    values = indicators.all_values(data_dir)
    rows = values[(values["level"] == "Regional") & (values["la_name"].str.casefold() == str(region).casefold())]
    return rows.set_index(["indicator", "year"])["value"].rename("region")


def region_of(code: str, data_dir: str | Path | None = None) -> str | None:
    table = regions(data_dir)
    return table.get(code)


def names(data_dir: str | Path | None = None) -> pd.Series:
    """Authority names by old code (as DfE writes them, the latest year's)."""
    return _once("names", data_dir, lambda: readers.authorities(data_dir).set_index("old_la_code")["la_name"])


def resolve(authority: str, data_dir: str | Path | None = None) -> tuple[str, str]:
    """``readers.resolve_authority``, once per name and state of the national files: (code, name)."""
    return _once(f"resolve:{authority}", data_dir, lambda: readers.resolve_authority(authority, data_dir))


MODELS = {2025: "2025 model", 2021: "April 2021 groupings"}


def named_neighbours(authority: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The authority's ten DfE statistical neighbours, named, in DfE's order.

    Columns: ``neighbour_rank`` (1 = closest), ``old_la_code``, ``la_name``, ``region``, ``closeness``
    (DfE's words), ``model`` ("2025 model", or "April 2021 groupings" for an authority the 2025
    model does not list).
    """
    code, _ = resolve(authority, data_dir)
    by_code = names(data_dir)
    region = regions(data_dir)
    for model in (2025, 2021):
        table = readers.neighbours(data_dir, model)
        mine = table[table["old_la_code"] == code]
        if len(mine):
            return pd.DataFrame(
                {
                    "neighbour_rank": mine["neighbour_rank"].to_numpy(),
                    "old_la_code": mine["neighbour_code"].to_numpy(),
                    "la_name": mine["neighbour_code"].map(by_code).to_numpy(),
                    "region": mine["neighbour_code"].map(region).to_numpy(),
                    "closeness": mine["closeness"].str.strip().to_numpy(),
                    "model": MODELS[model],
                }
            )
    return pd.DataFrame(columns=["neighbour_rank", "old_la_code", "la_name", "region", "closeness", "model"])


def ranked_indicators(data_dir: str | Path | None = None) -> list[str]:
    """Indicators with a clear direction of better (polarity low or high): the only ones ranked."""
    return [n for n, d in indicators.definitions(data_dir).items() if d.polarity in ("low", "high")]


# --- Data quality -------------------------------------------------------------------------------------

# Workforce counts published both as FTE and headcount, and the indicators each one feeds.
FTE_PAIRS = {
    "leavers": ("turnover",),
    "inpost": ("turnover", "agency", "vacancy"),
    "agency": ("agency",),
    "starters": (),
}
# The older DfE workforce release (2017-2022) against the current one: a changed figure is a revision.
REVISIONS = {
    "turnover": "turnover_rate_fte_%",
    "agency": "agency_worker_rate_fte_%",
    "vacancy": "vacancy_rate_fte_%",
    "absence": "absence_rate_fte_%",
    "caseload": "caseload_fte",
}
OLDER_CSWW = "csww_headline_measures_2017_to_2022.csv"
CURRENT = {
    "turnover": "turnover_rate_fte",
    "agency": "agency_rate_fte",
    "vacancy": "vacancy_rate_fte",
    "absence": "absence_rate_fte",
    "caseload": "caseload_fte",
}


def _contradictions(data_dir) -> list[dict]:
    frame = readers.tidy(readers.CSWW, data_dir)
    frame = frame[frame["level"] == "Local authority"]
    wide = frame.pivot_table(index=["year", "old_la_code"], columns="measure", values="value", aggfunc="first")
    rows = []
    for count, feeds in FTE_PAIRS.items():
        fte, head = f"{count}_fte", f"{count}_headcount"
        if fte not in wide or head not in wide:
            continue
        f, h = wide[fte], wide[head]
        zero = ((f == 0) & (h > 0)) | ((h == 0) & (f > 0))
        above = f > h + 1  # an FTE above the headcount is impossible (rounding aside)
        for (year, code), bad in (zero | above).items():
            if not bad:
                continue
            why = (
                f"{count} FTE {f[(year, code)]:g} but headcount {h[(year, code)]:g}"
                if zero[(year, code)]
                else f"{count} FTE {f[(year, code)]:g} above headcount {h[(year, code)]:g}"
            )
            for indicator in feeds:
                rows.append(
                    dict(
                        indicator=indicator,
                        year=int(year),
                        old_la_code=code,
                        flag=CONTRADICTION,
                        detail=f"{CONTRADICTION}: {why} (DfE workforce release)",
                    )
                )
    return rows


def _revisions(data_dir) -> list[dict]:
    path = readers.dfe_file(OLDER_CSWW, data_dir)
    if not path.is_file():
        return []
    older = readers.read_tidy(path)
    current = readers.tidy(readers.CSWW, data_dir)
    keys = ["year", "old_la_code"]
    rows = []
    for indicator, old_measure in REVISIONS.items():
        a = older[(older["measure"] == old_measure) & (older["level"] == "Local authority")]
        b = current[(current["measure"] == CURRENT[indicator]) & (current["level"] == "Local authority")]
        both = a[keys + ["value"]].merge(b[keys + ["value"]], on=keys, suffixes=("_old", "_new")).dropna()
        changed = both[(both["value_old"] - both["value_new"]).abs() > 0.05 + 1e-9]
        for r in changed.itertuples(index=False):
            rows.append(
                dict(
                    indicator=indicator,
                    year=int(r.year),
                    old_la_code=r.old_la_code,
                    flag=REVISED,
                    detail=f"revised: the {OLDER_CSWW[:-4].replace('_', ' ')} release gave {r.value_old:g}",
                )
            )
    return rows


def quality_flags(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every data-quality flag, for every authority: ``indicator, year, old_la_code, flag, detail``."""
    return _once("flags", data_dir, lambda: _quality_flags(data_dir))


def _quality_flags(data_dir) -> pd.DataFrame:
    rows = _contradictions(data_dir) + _revisions(data_dir)
    values = indicators.all_values(data_dir)
    local = values[values["level"] == "Local authority"]
    hidden = local[local["symbol"].notna()]
    rows += [
        dict(
            indicator=r.indicator,
            year=int(r.year),
            old_la_code=r.old_la_code,
            flag=SUPPRESSED,
            detail=f"{r.symbol}: {readers.SYMBOLS.get(r.symbol, 'not published')}",
        )
        for r in hidden.itertuples(index=False)
    ]
    for name, definition in indicators.definitions(data_dir).items():
        if definition.series_break:
            before = local[(local["indicator"] == name) & (local["year"] < definition.series_break)]
            rows += [
                dict(
                    indicator=name,
                    year=int(y),
                    old_la_code=c,
                    flag=SERIES_BREAK,
                    detail=f"series break: definitions changed in {definition.series_break}, "
                    "not comparable with later years",
                )
                for y, c in zip(before["year"], before["old_la_code"])
            ]
    columns = ["indicator", "year", "old_la_code", "flag", "detail"]
    return pd.DataFrame(rows, columns=columns).drop_duplicates(["indicator", "year", "old_la_code", "flag"])


# --- The comparison ------------------------------------------------------------------------------------


def _joined_flags(flags: pd.DataFrame) -> pd.DataFrame:
    keys = ["indicator", "year", "old_la_code"]
    return flags.groupby(keys, as_index=False).agg(
        quality=("detail", lambda d: "; ".join(d)), unranked=("flag", lambda f: bool(set(f) & set(UNRANKED_FLAGS)))
    )


def ranks(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Rank (1 = best) and quartile of every authority on every ranked indicator and year.

    Values flagged as contradictory or suppressed take no part: they are not ranked and do not push
    others down. Columns: ``indicator, year, old_la_code, rank, ranked_of, quartile``.
    """
    return _once("ranks", data_dir, lambda: _ranks(data_dir))


def _ranks(data_dir) -> pd.DataFrame:
    values = indicators.all_values(data_dir)
    local = values[(values["level"] == "Local authority") & values["indicator"].isin(ranked_indicators(data_dir))]
    flags = _joined_flags(quality_flags(data_dir))
    local = local.merge(
        flags[["indicator", "year", "old_la_code", "unranked"]], how="left", on=["indicator", "year", "old_la_code"]
    )
    local = local[local["value"].notna() & ~local["unranked"].fillna(False).astype(bool)].copy()
    polarity = local["indicator"].map({n: d.polarity for n, d in indicators.definitions(data_dir).items()})
    by = local.groupby(["indicator", "year"])["value"]
    local["rank"] = (
        by.rank(method="min", ascending=True)
        .where(polarity == "low", by.rank(method="min", ascending=False))
        .astype("Int64")
    )
    local["ranked_of"] = by.transform("count").astype("Int64")
    local["quartile"] = indicators.quartile(local["rank"], local["ranked_of"])
    return local[["indicator", "year", "old_la_code", "rank", "ranked_of", "quartile"]]


COMPARISON_COLUMNS = [
    "indicator",
    "label",
    "unit",
    "year",
    "value",
    "ci_low",
    "ci_high",
    "interval_on",
    "england",
    "vs_england",
    "region",
    "neighbour_mean",
    "neighbour_median",
    "change_1y",
    "rank",
    "ranked_of",
    "quartile",
    "quality",
]


def _number(x: float) -> str:
    """A count as DfE prints it: 1,859 or 10.2 (FTE), never 10.200000001."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def _vs_england(rows: pd.DataFrame) -> pd.Series:
    out = pd.Series("no interval (counts not published)", index=rows.index, dtype=object)
    has = rows["ci_low"].notna() & rows["england_estimate"].notna()
    out[has] = "not different"
    out[has & (rows["england_estimate"] < rows["ci_low"])] = "above England"
    out[has & (rows["england_estimate"] > rows["ci_high"])] = "below England"
    return out


def comparison(authority: str | None, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every indicator and year for an authority (or England alone when ``authority`` is None).

    Columns :data:`COMPARISON_COLUMNS`: the published value; its 95% interval where the files hold the
    counts (``interval_on`` says on what); England; whether England lies outside the interval; DfE's
    own figure for the authority's region; the mean of its ten neighbours' values (LAIT's comparator) and
    their median; the change since the year before; rank, number ranked and quartile on ranked
    indicators only; and every data-quality flag of the value.
    """
    definitions = indicators.definitions(data_dir)
    values = indicators.all_values(data_dir)
    eng = values[values["level"] == "National"].set_index(["indicator", "year"])["value"].rename("england")
    ci = intervals(counts(data_dir))
    eng_ci = ci[ci["level"] == "National"].set_index(["indicator", "year"])["estimate"].rename("england_estimate")
    keys = ["indicator", "year"]
    if authority is None:
        mine = values[values["level"] == "National"].copy()
        mine_ci = ci[ci["level"] == "National"]
        code = None
    else:
        code, _ = resolve(authority, data_dir)
        mine = values[(values["level"] == "Local authority") & (values["old_la_code"] == code)].copy()
        mine_ci = ci[(ci["level"] == "Local authority") & (ci["old_la_code"] == code)]
    mine = mine.merge(mine_ci[keys + ["estimate", "ci_low", "ci_high", "k", "n", "basis"]], on=keys, how="left")
    mine = mine.join(eng, on=keys).join(eng_ci, on=keys)
    mine["interval_on"] = [
        (f"{b}: {_number(k)} of {_number(n)}" if d.unit.startswith("%") else f"{b}: count {_number(k)}")
        if pd.notna(k) and pd.notna(n) and pd.notna(lo)
        else ""
        for b, k, n, lo, d in zip(
            mine["basis"], mine["k"], mine["n"], mine["ci_low"], mine["indicator"].map(definitions)
        )
    ]
    mine["vs_england"] = _vs_england(mine) if code else ""
    local = values[values["level"] == "Local authority"]
    previous = mine.set_index(keys)["value"].rename("last_year")
    mine = mine.join(previous.rename(index=lambda y: y + 1, level="year"), on=keys)
    mine["change_1y"] = mine["value"] - mine["last_year"]
    if code:
        mine = mine.join(regional_figures(code, data_dir), on=keys)
        peers = local[local["old_la_code"].isin(named_neighbours(code, data_dir)["old_la_code"])].groupby(keys)["value"]
        # LAIT's statistical-neighbour figure is the mean of the ten neighbours' published values.
        mine = mine.join(peers.mean().rename("neighbour_mean"), on=keys)
        mine = mine.join(peers.median().rename("neighbour_median"), on=keys)
        mine = mine.merge(ranks(data_dir), on=keys + ["old_la_code"], how="left")
        flags = _joined_flags(quality_flags(data_dir))
        mine = mine.merge(flags[flags["old_la_code"] == code][keys + ["quality", "unranked"]], on=keys, how="left")
        doubtful = mine["unranked"].fillna(False).astype(bool)
        mine.loc[doubtful, ["ci_low", "ci_high"]] = np.nan  # no interval, no test on figures DfE contradicts
        mine.loc[doubtful, "interval_on"] = ""
        mine.loc[doubtful, "vs_england"] = "not compared (see quality)"
    else:
        mine["region"] = mine["neighbour_mean"] = mine["neighbour_median"] = np.nan
        mine["rank"] = mine["ranked_of"] = mine["quartile"] = pd.NA
        mine["quality"] = ""
    mine["quality"] = mine["quality"].fillna("")
    mine["label"] = mine["indicator"].map(lambda n: definitions[n].label)
    mine["unit"] = mine["indicator"].map(lambda n: definitions[n].unit)
    order = {name: i for i, name in enumerate(definitions)}
    mine = mine.sort_values(keys, key=lambda s: s.map(order) if s.name == "indicator" else s)
    for column in ("rank", "ranked_of", "quartile"):
        mine[column] = mine[column].astype("Int64")
    out = mine[COMPARISON_COLUMNS].round(
        {
            c: 2
            for c in (
                "value",
                "ci_low",
                "ci_high",
                "england",
                "region",
                "neighbour_mean",
                "neighbour_median",
                "change_1y",
            )
        }
    )
    return out.reset_index(drop=True)


def neighbour_values(authority: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The authority, England and each named neighbour on every indicator and year (long).

    Columns: ``indicator, role`` (selected: the edition's authority / England / neighbour N), ``area,
    year, value, quality``.
    """
    code, name = resolve(authority, data_dir)
    peers = named_neighbours(code, data_dir)
    values = indicators.all_values(data_dir)
    flags = _joined_flags(quality_flags(data_dir))
    keys = ["indicator", "year", "old_la_code"]
    local = values[values["level"] == "Local authority"].merge(flags[keys + ["quality"]], on=keys, how="left")
    role = {code: SELECTED} | {c: f"neighbour {r}" for c, r in zip(peers["old_la_code"], peers["neighbour_rank"])}
    area = {code: name} | dict(zip(peers["old_la_code"], peers["la_name"]))
    chosen = local[local["old_la_code"].isin(role)].copy()
    chosen["area"] = chosen["old_la_code"].map(area)
    chosen["role"] = chosen["old_la_code"].map(role)
    england = values[values["level"] == "National"].assign(area="England", role="England", quality=pd.NA)
    frame = pd.concat([chosen, england], ignore_index=True)
    frame["quality"] = frame["quality"].fillna("")
    order = {n: i for i, n in enumerate(indicators.definitions(data_dir))}
    rank = {SELECTED: 0, "England": 1} | {f"neighbour {r}": 1 + r for r in range(1, 11)}
    frame = frame.sort_values(
        ["indicator", "role", "year"],
        key=lambda s: s.map(order) if s.name == "indicator" else (s.map(rank) if s.name == "role" else s),
    )
    return frame[["indicator", "role", "area", "year", "value", "quality"]].round({"value": 2}).reset_index(drop=True)


# --- The funnel ---------------------------------------------------------------------------------------


WINSORISE = 0.10  # z-scores beyond the 10th and 90th percentiles are pulled in to them (Spiegelhalter 2005)
FUNNEL_METHOD = (
    "additive random-effects limits (Spiegelhalter 2005): the variation between authorities beyond chance "
    "is estimated from their z-scores winsorised at 10% and added to the chance variation for each size "
    "(proportions on their own scale, rates on the log scale)"
)


def _chance_variance(target: float, n, method: str, scale: float) -> np.ndarray:
    """Variance of an authority's figure by chance alone, on the scale the limits are built on.

    Proportions on their own scale: ``p0 (1 - p0) / n``. Rates on the log scale, where authorities'
    differences are ratios and a Poisson count's variance is ``Var(log(k / n)) = 1 / (n theta0)``, one over
    the expected count (Spiegelhalter 2005 transforms rates the same way; on the square-root scale the
    skewed spread of rates left up to 7% of authorities outside the 99.8% limits, on the log scale at most 4%).
    """
    n = np.asarray(n, dtype=float)
    p0 = target / scale
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "wilson":
            return p0 * (1 - p0) / n
        return 1 / (n * p0)


def _transform(value, method: str, scale: float) -> np.ndarray:
    value = np.asarray(value, dtype=float) / scale
    if method == "wilson":
        return value
    with np.errstate(divide="ignore"):
        return np.log(np.clip(value, 0, None))  # a count of 0 is -inf: below every lower limit


def overdispersion(target: float, k, n, method: str, scale: float) -> tuple[float, float]:
    """(phi, tau2): Spiegelhalter's (2005) overdispersion of authorities' figures around ``target``.

    ``phi`` is the mean square of the z-scores after winsorising them at 10% (so a few extreme authorities
    do not set the limits); ``tau2`` the additive between-authority variance, on the limits' scale, by the
    DerSimonian-Laird moment estimator ``(I phi - (I - 1)) / (sum w - sum w^2 / sum w)``, ``w = 1 / s^2``;
    0 when the figures vary no more than chance allows.
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    ok = (n > 0) & np.isfinite(k)
    k, n = k[ok], n[ok]
    if len(n) < 3:
        return 1.0, 0.0
    variance = _chance_variance(target, n, method, scale)
    centre = _transform(target, method, scale)
    with np.errstate(invalid="ignore"):
        z = (_transform(k / n * scale, method, scale) - centre) / np.sqrt(variance)
    low, high = np.quantile(z, [WINSORISE, 1 - WINSORISE])
    z = np.clip(z, low, high)
    count = len(z)
    phi = float(np.mean(z**2))
    weights = 1 / variance
    tau2 = (count * phi - (count - 1)) / (weights.sum() - (weights**2).sum() / weights.sum())
    return phi, float(max(tau2, 0.0))


def control_limits(
    target: float, n, method: str, scale: float, level: float, tau2: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """The range of figures consistent with England's ``target`` for a denominator ``n``.

    ``target +/- z sqrt(s^2(n) + tau2)``: ``s^2`` the chance variance for that size
    (:func:`_chance_variance`), ``tau2`` the between-authority variance (:func:`overdispersion`; 0 gives
    the plain chance limits). Proportions on their own scale; rates on the log scale, turned back;
    both in the indicator's unit.
    """
    n = np.asarray(n, dtype=float)
    z = _normal_quantile(1 - (1 - level) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        half = z * np.sqrt(_chance_variance(target, n, method, scale) + tau2)
        centre = _transform(target, method, scale)
        lower, upper = centre - half, centre + half
        if method == "wilson":
            return np.clip(lower, 0, None) * scale, np.clip(upper, None, 1) * scale
        return np.exp(lower) * scale, np.exp(upper) * scale


def funnel_grid(n: pd.Series) -> np.ndarray:
    """Sizes at which the funnel's lines are drawn: from a little below the smallest to above the largest."""
    return np.unique(np.geomspace(max(float(n.min()) * 0.8, 1), float(n.max()) * 1.1, 40).round(1))


FUNNEL_COLUMNS = [
    "indicator",
    "year",
    "kind",
    "area",
    "n",
    "value",
    "england",
    "lower_95",
    "upper_95",
    "lower_998",
    "upper_998",
    "phi",
    "tau2",
    "position",
]


def funnel(authority: str | None, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Each interval indicator's latest year: every authority's figure against England's with control limits.

    ``kind`` is ``selected`` (the edition's own authority, named), ``neighbour`` (named), ``other`` (unnamed:
    ``area`` empty) or, without an authority, ``limits`` (England's funnel lines at a grid of sizes
    ``n``: only these rows carry the limit columns; with an authority they follow from ``england``,
    ``n``, ``tau2`` and :func:`control_limits`, and are left out to keep the page small). The limits
    allow for overdispersion (:data:`FUNNEL_METHOD`): ``phi`` and ``tau2`` are :func:`overdispersion`'s,
    over every authority plotted. ``position``: within, or above/below the 95% or 99.8% limits.
    """
    definitions = indicators.definitions(data_dir)
    table = counts(data_dir)
    code = resolve(authority, data_dir)[0] if authority else None
    peers = named_neighbours(code, data_dir) if code else pd.DataFrame(columns=["old_la_code", "la_name"])
    by_code = names(data_dir)
    flags = _joined_flags(quality_flags(data_dir))
    frames = []
    for indicator in definitions:
        rows = table[table["indicator"] == indicator]
        if rows.empty:
            continue
        have = rows[(rows["level"] == "Local authority") & rows["estimate"].notna()]
        if code is not None:
            have_mine = have[have["old_la_code"] == code]
            if have_mine.empty:
                continue
            year = int(have_mine["year"].max())
        else:
            year = int(have["year"].max())
        eng = rows[(rows["level"] == "National") & (rows["year"] == year)]["estimate"]
        if eng.empty or pd.isna(eng.iloc[0]):
            continue
        target = float(eng.iloc[0])
        method, scale = rows["method"].iloc[0], float(rows["scale"].iloc[0])
        points = have[have["year"] == year].copy()
        bad = flags[(flags["indicator"] == indicator) & (flags["year"] == year) & flags["unranked"]]["old_la_code"]
        points = points[~points["old_la_code"].isin(bad)]
        phi, tau2 = overdispersion(target, points["k"], points["n"], method, scale)
        grid = funnel_grid(points["n"])
        limits = {"n": grid}
        for level, tag in zip(FUNNEL_LEVELS, ("95", "998")):
            limits[f"lower_{tag}"], limits[f"upper_{tag}"] = control_limits(target, grid, method, scale, level, tau2)
        if code is None:  # England's funnel alone: its lines (with an authority the chart draws them)
            frames.append(
                pd.DataFrame(limits).assign(
                    indicator=indicator,
                    year=year,
                    kind="limits",
                    area="",
                    value=np.nan,
                    england=target,
                    phi=phi,
                    tau2=tau2,
                    position="",
                )
            )
            continue
        bounds = {}
        for level, tag in zip(FUNNEL_LEVELS, ("95", "998")):
            bounds[f"lower_{tag}"], bounds[f"upper_{tag}"] = control_limits(
                target, points["n"], method, scale, level, tau2
            )
        points["phi"], points["tau2"] = phi, tau2
        kind = np.where(
            points["old_la_code"] == code,
            SELECTED,
            np.where(points["old_la_code"].isin(peers["old_la_code"]), "neighbour", "other"),
        )
        points["kind"] = kind
        points["area"] = np.where(kind == "other", "", points["old_la_code"].map(by_code))
        points["value"] = points["estimate"]
        points["england"] = target
        points = points.drop(columns=[c for c in points if c.startswith(("lower_", "upper_"))], errors="ignore")
        position = np.full(len(points), "within 95% limits", dtype=object)
        value = points["value"].to_numpy()
        position[value > bounds["upper_95"]] = "above 95% limit"
        position[value < bounds["lower_95"]] = "below 95% limit"
        position[value > bounds["upper_998"]] = "above 99.8% limit"
        position[value < bounds["lower_998"]] = "below 99.8% limit"
        points["position"] = position
        frames.append(points)
    if not frames:
        return pd.DataFrame(columns=FUNNEL_COLUMNS)
    frame = pd.concat(frames, ignore_index=True).reindex(columns=FUNNEL_COLUMNS)
    order = {"limits": 0, "other": 1, "neighbour": 2, SELECTED: 3}
    frame = frame.sort_values(
        ["indicator", "kind", "n"], key=lambda s: s.map(order) if s.name == "kind" else s, kind="stable"
    )
    if code is not None:
        frame = frame.drop(columns=[c for c in frame if c.startswith(("lower_", "upper_"))])
    frame = frame.round(
        {
            "n": 1,
            "value": 2,
            "england": 2,
            "lower_95": 2,
            "upper_95": 2,
            "lower_998": 2,
            "upper_998": 2,
            "phi": 3,
            "tau2": 8,
        }
    )
    ind_order = {name: i for i, name in enumerate(definitions)}
    return frame.sort_values("indicator", key=lambda s: s.map(ind_order), kind="stable").reset_index(drop=True)


# --- Ofsted -------------------------------------------------------------------------------------------

OFSTED_COLUMNS = [
    "inspection_date",
    "publication_date",
    "inspection_type",
    "overall",
    "leadership",
    "help_and_protection",
    "children_in_care",
    "care_leavers",
]


def ofsted_history(authority: str | None, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The authority's ILACS inspections, oldest first (Ofsted's file covers 2018 onwards).

    Without an authority: England's latest overall judgments, how many authorities hold each.
    """
    frame = readers.ofsted(data_dir)
    if authority is None:
        latest = frame.sort_values("inspection_date").groupby("new_la_code").last()
        order = ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]
        count = latest["overall"].value_counts()
        return pd.DataFrame({"overall": order, "authorities": [int(count.get(o, 0)) for o in order]})
    code, _ = resolve(authority, data_dir)
    mine = frame[frame["old_la_code"] == code].sort_values("inspection_date")
    out = mine[OFSTED_COLUMNS].copy()
    for column in ("inspection_date", "publication_date"):
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out.fillna("").reset_index(drop=True)
