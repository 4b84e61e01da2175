"""The report's findings stated in words, as data (``data/published/findings/<chapter>.csv``).

Each row is one finding: the report's section and page, what it is about, the direction and any number
the report gives, and a one-sentence statement in this book's words. Prose cites these (glued as
``report_<key>``), and the illustrative generator is tested against the directional ones (``check``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from roses.core.errors import DataError
from roses.core.paths import data_dir as resolve_data_dir
from roses.core.paths import data_file, data_files_in
from roses.readers.csvfile import read_csv

DIRECTIONS = [
    "rises",
    "falls",
    "flat",
    "highest",
    "lowest",
    "above",
    "below",
    "converges",
    "most",
    "least",
    "higher",
    "lower",
    "mixed",
    "value",
    "range",
    "none",
]
COLUMNS = [
    "key",
    "section",
    "page",
    "subject",
    "about",
    "measure",
    "period",
    "direction",
    "value",
    "value_high",
    "unit",
    "statement",
    "check",
]

SCHEMA = pa.DataFrameSchema(
    {
        "key": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$")),
        "section": pa.Column(str, pa.Check.str_matches(r"^([0-9]+|A)(\.[0-9]+)*$")),
        "page": pa.Column(int, pa.Check.in_range(1, 120)),
        "subject": pa.Column(str, nullable=True),
        "about": pa.Column(str, nullable=True),
        "measure": pa.Column(str),
        "period": pa.Column(str, nullable=True),
        "direction": pa.Column(str, pa.Check.isin(DIRECTIONS)),
        "value": pa.Column(float, nullable=True),
        "value_high": pa.Column(float, nullable=True),
        "unit": pa.Column(str, nullable=True),
        "statement": pa.Column(str),
        "check": pa.Column(str, nullable=True),
    },
    strict=True,
)


def folder(data_dir: str | Path | None = None) -> Path:
    return resolve_data_dir(data_dir) / "published" / "findings"


def findings(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every finding of every chapter file, with the file's chapter; keys unique across files."""
    frames = []
    for path in data_files_in(data_dir, "published", "findings", pattern="*.csv"):  # each file replaces its own
        frames.append(read_csv(path, SCHEMA).assign(chapter=path.stem))
    if not frames:
        return pd.DataFrame(columns=[*COLUMNS, "chapter"])
    frame = pd.concat(frames, ignore_index=True)
    repeated = frame[frame["key"].duplicated(keep="first")]
    if len(repeated):
        row = repeated.iloc[0]
        first = frame[frame["key"] == row["key"]].iloc[0]
        raise DataError.one(
            data_file(data_dir, "published", "findings", f"{row['chapter']}.csv"),
            row["key"],
            f"a key not already used in {first['chapter']}.csv",
            column="key",
        )
    return frame


def number(value: float) -> str:
    """A report number as the report prints it: whole numbers without decimals, thousands separated
    from 10,000 up (so a year stays 2016)."""
    separator = "," if abs(value) >= 10_000 else ""
    return f"{value:{separator}.0f}" if float(value).is_integer() else f"{value:{separator}.1f}"


def with_unit(value: float, unit: str | None) -> str:
    if not unit or pd.isna(unit):
        return number(value)
    return f"{number(value)}%" if unit == "%" else f"{number(value)} {unit}"
