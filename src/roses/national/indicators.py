"""Indicators from the national files, defined as data in ``data/dfe/indicators.yml``.

An indicator's value for an area and year is read straight from a DfE column, or divided by the
ONS population aged 0-17 of mid-(Y-1) (per 10,000) or by another column. Suppressed inputs give a
missing value with the suppression symbol kept, never a zero.

The England-relative index, the measure the report's figures plot, is
``index = (value - England) / England x 100``: the percentage by which an area is above (positive)
or below (negative) the England figure of the same year, so England itself is the zero line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from roses.core.cache import BoundedCache, cached_on_file, computed_from_folder
from roses.core.errors import DataError, Problem, RosesError
from roses.national import readers

POLARITIES = ("high", "low", "neutral")
INTERVALS = ("wilson", "poisson")
AREA_COLUMNS = ["year", "level", "old_la_code", "la_name"]
LEVELS = ("National", "Regional", "Local authority")  # England, DfE's own regional figures, authorities


@dataclass(frozen=True)
class Indicator:
    name: str
    label: str
    unit: str
    polarity: str  # high: higher is better; low: lower is better; neutral: neither
    figure: str | None
    core_item: str | None
    core_note: str | None
    series_break: int | None
    sources: tuple[dict, ...]
    definition: str = ""  # what is counted, in DfE's terms
    interval: str | None = None  # "wilson" or "poisson": an interval from the source's own counts
    size: str | None = None  # what the rate divides by, in words (the funnel's x axis)

    @property
    def years(self) -> tuple[int, int]:
        return (min(s["years"][0] for s in self.sources), max(s["years"][1] for s in self.sources))

    @property
    def files(self) -> list[str]:
        names = [s["file"] for s in self.sources]
        names += [s["per"]["file"] for s in self.sources if isinstance(s.get("per"), dict)]
        if any(s.get("per") == "population" for s in self.sources):
            names.append(readers.POPULATION)
        return list(dict.fromkeys(names))


def definitions(data_dir: str | Path | None = None) -> dict[str, Indicator]:
    """Every indicator of ``indicators.yml``, by name, in file order."""
    return _definitions(readers.dfe_file("indicators.yml", data_dir))


@cached_on_file(maxsize=8)
def _definitions(path: Path) -> dict[str, Indicator]:
    if not path.is_file():
        raise DataError.one(
            path,
            "no such file",
            "the indicator definitions (copy indicators.yml "
            "from the repository's data/dfe, or remove dfe/ to use the repository's)",
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))["indicators"]
        items = list(raw.items())
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, AttributeError) as error:
        raise DataError.one(
            path,
            f"{type(error).__name__}: {str(error).splitlines()[0][:100]}",
            "a YAML file with an `indicators:` mapping",
        ) from None
    found = {}
    for name, spec in items:
        if isinstance(spec, dict) and spec.get("interval") not in (None, *INTERVALS):
            raise RosesError(
                f"{path}: indicator '{name}', field 'interval': found {spec.get('interval')!r}, "
                f"expected one of {', '.join(INTERVALS)} (or no field)"
            )
        if not isinstance(spec, dict) or spec.get("polarity") not in POLARITIES:
            raise RosesError(
                f"{path}: indicator '{name}', field 'polarity': found "
                f"{spec.get('polarity') if isinstance(spec, dict) else spec!r}, "
                f"expected one of {', '.join(POLARITIES)}"
            )
        missing = [key for key in ("label", "unit", "sources") if key not in spec]
        if missing:
            raise DataError(
                path,
                [
                    Problem(None, f"{name}.{key}", "no such field", "every indicator's label, unit and sources")
                    for key in missing
                ],
            )
        sources = [dict(source) for source in spec["sources"]]
        # The newest source reads on past its last declared year: a newer DfE release's new years are shown.
        latest = max(range(len(sources)), key=lambda i: sources[i]["years"][1])
        sources[latest]["open_end"] = True
        found[name] = Indicator(
            name=name,
            label=spec["label"],
            unit=spec["unit"],
            polarity=spec["polarity"],
            figure=spec.get("figure"),
            core_item=spec.get("core_item"),
            core_note=spec.get("core_note"),
            series_break=spec.get("series_break"),
            sources=tuple(sources),
            definition=spec.get("definition", ""),
            interval=spec.get("interval"),
            size=spec.get("size"),
        )
    return found


def problems(data_dir: str | Path | None = None) -> list[RosesError]:
    """Everything ``indicators.yml`` needs that the national files lack: files, and measures (columns).

    ``roses validate`` lists these, so a renamed DfE measure column or a missing file is found
    before a build, not part-way through one.
    """
    try:
        found = definitions(data_dir)
    except RosesError as error:
        return [error]
    wanted: dict[str, dict[str, list[str]]] = {}
    for name, indicator in found.items():
        for source in indicator.sources:
            wanted.setdefault(source["file"], {}).setdefault(source["measure"], []).append(name)
            if isinstance(source.get("per"), dict):
                wanted.setdefault(source["per"]["file"], {}).setdefault(source["per"]["measure"], []).append(name)
            elif source.get("per") == "population":
                wanted.setdefault(readers.POPULATION, {}).setdefault("population_estimate", []).append(name)
    errors: list[RosesError] = []
    for file, measures in wanted.items():
        path = readers.dfe_file(file, data_dir)
        if not path.is_file():
            errors.append(
                DataError.one(
                    path,
                    "no such file",
                    f"the file indicators.yml names for {', '.join(sorted({n for v in measures.values() for n in v}))}",
                )
            )
            continue
        try:
            present = set(readers.tidy(file, data_dir)["measure"].unique())
        except RosesError:
            continue  # the file's own problems are reported where it is read
        missing = [
            Problem(
                1,
                measure,
                "no such column" if file != readers.LAIT else "no such Short Desc",
                f"the measure indicators.yml names for {', '.join(names)} (was it renamed in a newer "
                f"release? then change `measure:` in indicators.yml)",
            )
            for measure, names in measures.items()
            if measure not in present
        ]
        if missing:
            errors.append(DataError(path, missing))
    for indicator in found.values():  # a breakdown (`where:`) that names no rows of its file
        for source in indicator.sources:
            parts = [source] + ([source["per"]] if isinstance(source.get("per"), dict) else [])
            for part in (p for p in parts if p.get("where") and readers.dfe_file(p["file"], data_dir).is_file()):
                try:
                    _rows(part["file"], part["measure"], part["where"], data_dir)
                except DataError as error:
                    if not any(str(error) == str(seen) for seen in errors):
                        errors.append(error)
                except RosesError:
                    continue  # the file's own problems are reported where it is read
    return errors


def get(name: str, data_dir: str | Path | None = None) -> Indicator:
    found = definitions(data_dir)
    if name not in found:
        raise RosesError(f"unknown indicator '{name}'; known: {', '.join(found)}")
    return found[name]


def _rows(file: str, measure: str, where: dict | None, data_dir) -> pd.DataFrame:
    """The rows of one measure of a national file, cut to a breakdown by its label columns (``where``)."""
    frame = readers.tidy(file, data_dir)
    path = readers.dfe_file(file, data_dir)
    if not (frame["measure"] == measure).any():
        raise DataError.one(
            path,
            "no such column",
            "the measure indicators.yml names (renamed in a newer release? change `measure:` in indicators.yml)",
            row=1,
            column=measure,
        )
    keep = frame["measure"] == measure
    for column, wanted in (where or {}).items():
        if column not in frame:
            raise DataError.one(
                path, "no such column", "the label column indicators.yml names in `where:`", row=1, column=column
            )
        if not (frame[column] == wanted).any():
            found = ", ".join(sorted(frame[column].dropna().unique())[:6])
            raise DataError.one(
                path,
                f"no row '{wanted}' (it holds {found})",
                "the breakdown indicators.yml names in `where:`",
                column=column,
            )
        keep &= frame[column] == wanted
    return frame[keep]


def _measure(file: str, measure: str, years: list[int], data_dir, open_end: bool = False, where=None) -> pd.DataFrame:
    frame = _rows(file, measure, where, data_dir)
    in_years = frame["year"] >= years[0] if open_end else frame["year"].between(*years)
    keep = in_years & frame["level"].isin(LEVELS)
    return frame.loc[keep, AREA_COLUMNS + ["value", "symbol"]]


def _denominator(source: dict, data_dir) -> pd.DataFrame:
    """The divisor of a rate, keyed by area and the year the rate belongs to."""
    if source["per"] == "population":
        pop = readers.population(data_dir)
        pop = pop[pop["level"].isin(LEVELS)]
        # A rate for year Y (to 31 March Y) uses the population of mid-(Y-1).
        return pop.assign(year=pop["year"] + 1)[["year", "level", "old_la_code", "la_name", "value", "symbol"]]
    per = source["per"]
    return _measure(
        per["file"], per["measure"], source["years"], data_dir, source.get("open_end", False), per.get("where")
    )


def _from_source(source: dict, data_dir) -> pd.DataFrame:
    frame = _measure(
        source["file"], source["measure"], source["years"], data_dir, source.get("open_end", False), source.get("where")
    )
    if "per" not in source:
        return frame
    divisor = _denominator(source, data_dir)
    # Regions have no code: they are matched by name (DfE's files and ONS write them alike).
    keys = ["year", "level", "old_la_code"]
    frame = frame.assign(region_key=frame["la_name"].where(frame["level"] == "Regional"))
    divisor = divisor.assign(region_key=divisor["la_name"].where(divisor["level"] == "Regional")).drop(
        columns="la_name"
    )
    keys = keys + ["region_key"]
    merged = frame.merge(divisor, on=keys, how="left", suffixes=("", "_per"))
    merged["value"] = merged["value"] / merged["value_per"].replace(0, np.nan) * source.get("scale", 1)
    # A suppressed numerator or divisor makes the rate missing; keep the first reason found.
    merged["symbol"] = merged["symbol"].fillna(merged["symbol_per"])
    return merged[AREA_COLUMNS + ["value", "symbol"]]


def values(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """One indicator for England and every authority: ``year, level, old_la_code, la_name, value, symbol``."""
    return all_values(data_dir).query("indicator == @name").drop(columns="indicator")


def all_values(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every indicator for England and every authority, long: ``indicator`` plus the columns of :func:`values`."""
    folder = readers.dfe_dir(data_dir)
    return computed_from_folder(_ALL_VALUES, "all values", folder, lambda: _all_values(data_dir))


_ALL_VALUES = BoundedCache(4)


def _all_values(data_dir: str | Path | None) -> pd.DataFrame:
    frames = []
    for name, indicator in definitions(data_dir).items():
        for source in indicator.sources:
            frames.append(_from_source(source, data_dir).assign(indicator=name))
    frame = pd.concat(frames, ignore_index=True)
    frame["value"] = frame["value"].round(6)  # remove float noise from the divisions, keep precision
    return frame[["indicator"] + AREA_COLUMNS + ["value", "symbol"]].sort_values(
        ["indicator", "level", "old_la_code", "year"], ignore_index=True
    )


def england(name: str, data_dir: str | Path | None = None) -> pd.Series:
    """The England figure of one indicator, by year (real: DfE/LAIT, never illustrative)."""
    frame = values(name, data_dir)
    return frame[frame["level"] == "National"].set_index("year")["value"].rename("england")


def england_index(value, england_value):
    """The England-relative index: ``(value - England) / England x 100``.

    Positive: the area is that many per cent above England; negative: below; England is 0. Works
    on numbers, arrays and Series alike; missing in, missing out.
    """
    return (value - england_value) / england_value * 100


def quartile(rank: pd.Series, count: pd.Series) -> pd.Series:
    """Quartile of a rank among ``count`` values: 1 = the best quarter, 4 = the worst."""
    return np.ceil(rank.astype("Float64") * 4 / count).astype("Int64")


def neighbour_codes(code: str, data_dir: str | Path | None = None) -> list[str]:
    """An authority's ten DfE statistical neighbours (2025 model; the 2021 one for retired codes)."""
    for model in (2025, 2021):
        table = readers.neighbours(data_dir, model)
        found = table.loc[table["old_la_code"] == code, "neighbour_code"].tolist()
        if found:
            return found
    return []


def authority_table(authority: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every indicator and year for one authority beside England and its statistical neighbours.

    ``authority``: a name (any case) or three-digit ``old_la_code``. Columns: ``indicator, year,
    value, england, neighbour_median, rank, quartile, symbol``. ``rank`` is the authority's place
    among all authorities with a value that year, 1 = best by the indicator's polarity (empty for
    neutral indicators, where neither direction is better); ``quartile`` 1 = best quarter.
    ``symbol`` is DfE's reason when the value is suppressed.
    """
    code, _ = readers.resolve_authority(authority, data_dir)
    frame = all_values(data_dir)
    local = frame[frame["level"] == "Local authority"].copy()
    polarity = local["indicator"].map({name: d.polarity for name, d in definitions(data_dir).items()})
    by_year = local.groupby(["indicator", "year"])["value"]
    low_first = by_year.rank(method="min", ascending=True)
    high_first = by_year.rank(method="min", ascending=False)
    local["rank"] = low_first.where(polarity == "low", high_first).where(polarity != "neutral").astype("Int64")
    local["quartile"] = quartile(local["rank"], by_year.transform("count"))
    eng = frame[frame["level"] == "National"].set_index(["indicator", "year"])["value"].rename("england")
    peers = local[local["old_la_code"].isin(neighbour_codes(code, data_dir))]
    median = peers.groupby(["indicator", "year"])["value"].median().rename("neighbour_median")
    mine = (
        local[local["old_la_code"] == code].join(eng, on=["indicator", "year"]).join(median, on=["indicator", "year"])
    )
    order = {name: i for i, name in enumerate(definitions(data_dir))}
    mine = mine.sort_values(["indicator", "year"], key=lambda s: s.map(order) if s.name == "indicator" else s)
    mine = mine[["indicator", "year", "value", "england", "neighbour_median", "rank", "quartile", "symbol"]]
    # Two decimals: DfE publishes rates to one; the ranks use the unrounded values.
    return mine.round({"value": 2, "england": 2, "neighbour_median": 2}).reset_index(drop=True)


def counts(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The counts behind an indicator whose definition has an ``interval``: ``year, level, old_la_code,
    k, n`` (numerator and the measure it is divided by; the population for a rate per 10,000).

    England and the authorities only. Its value is ``k / n x scale``, so value, interval and funnel rest on
    the same numbers.
    """
    definition = get(name, data_dir)
    keys = ["year", "level", "old_la_code"]
    frames = []
    for source in definition.sources:
        k = _measure(
            source["file"],
            source["measure"],
            source["years"],
            data_dir,
            source.get("open_end", False),
            source.get("where"),
        )
        n = _denominator(source, data_dir)
        both = (
            k[keys + ["value"]]
            .rename(columns={"value": "k"})
            .merge(n[keys + ["value"]].rename(columns={"value": "n"}), on=keys, how="inner")
        )
        frames.append(both[both["level"].isin(["National", "Local authority"])])
    return pd.concat(frames, ignore_index=True)
