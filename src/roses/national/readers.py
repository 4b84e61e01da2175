"""Readers for the real national files in ``data/dfe/`` (DfE, Ofsted, ONS, Cafcass via LAIT; OGL v3.0).

Every reader returns a tidy frame and reads each file once per process (parsed frames are cached
by path and modification time, because chapters and editions call the readers many times).
Callers must not modify the frames they get back; copy first.

Suppression symbols are never turned into zeros: a suppressed cell becomes a missing ``value`` and
its symbol is kept in the ``symbol`` column (see :data:`SYMBOLS`).
"""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from roses.core.cache import cached_on_file
from roses.core.errors import DataError, Problem, RosesError
from roses.core.paths import DATA_DIR, data_file
from roses.core.paths import data_dir as resolve_data_dir
from roses.published.tables import AUTHORITIES
from roses.readers.csvfile import read_csv_text

# DfE's symbols for values that are not published (DfE statistics standards).
SYMBOLS = {
    "c": "suppressed to protect confidentiality",
    "x": "not available",
    "z": "not applicable",
    "low": "rounds to zero but is not zero",
    "u": "low reliability",
    "k": "less than 0.5 (rounds to zero but is not zero)",
}
# The standard geography and time columns of DfE's tidy open-data format: never values.
TIDY_ID_COLUMNS = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
]
# Text labels some files add to say which breakdown a row is (not values): a definition picks its rows by
# them (``where:`` in indicators.yml), e.g. ``population_type: Children looked after on 31 March each year``.
LABEL_COLUMNS = (
    "category",
    "age_group",
    "population_type",
    "cla_group",
    "placement_stability",
    "care_leaver_age",
    "breakdown",
)
LEVELS = ("National", "Regional", "Local authority")

C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
C4 = "c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv"
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
B1 = "b1_children_in_need_2013_to_2025.csv"
CSWW = "csww_indicators_2017_to_2025.csv"
POPULATION = "ons_mid-year_population_estimates_2012_to_2024.csv"
LAIT = "lait_bds_long_csc_subset_2016_2025.csv"
OFSTED_CSV = "ofsted_ilacs_inspection_history_2018_2025.csv"
OFSTED_ODS = "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
CLA = "cla_number_and_rate_per_10k_children.csv"
PLACEMENTS = "la_cla_placement_stability.csv"
CARE_LEAVERS_ACTIVITY = "la_care_leavers_activity.csv"
CARE_LEAVERS_ACCOMMODATION = "la_care_leavers_accommodation_suitability.csv"
D5 = "d5_cpps_at31march_by_duration_2013_to_2025.csv"
# Every file in DfE's tidy format (read by read_tidy) and LAIT's sheet (read_lait): what validation reads.
TIDY_FILES = (
    C1,
    C4,
    D3,
    B1,
    CSWW,
    POPULATION,
    LAIT,
    CLA,
    PLACEMENTS,
    CARE_LEAVERS_ACTIVITY,
    CARE_LEAVERS_ACCOMMODATION,
    D5,
)
NEIGHBOURS_2025 = "sn_model_2025_wide.csv"
NEIGHBOURS_2021 = "New_Statistical_Neighbour_Groupings_April_2021.csv"
LAIT_ENGLAND_CODE = "970"  # LAIT files England under this number; regions use other 9xx numbers


def dfe_dir(data_dir: str | Path | None = None) -> Path:
    """The data folder's own ``dfe/`` if it has one, else the repository's: what results computed from the
    national files are cached by (each file itself is found by :func:`dfe_file`, file by file).
    """
    folder = resolve_data_dir(data_dir) / "dfe"
    return folder if folder.is_dir() else DATA_DIR / "dfe"


def dfe_file(name: str, data_dir: str | Path | None = None) -> Path:
    """One national file: the data folder's own ``dfe/<name>`` if it has that file, else the repository's.
    A file in ``--data DIR/dfe`` replaces only that file (``core.paths.data_file``)."""
    return data_file(data_dir, "dfe", name)


def _path(name: str, data_dir: str | Path | None) -> Path:
    path = dfe_file(name, data_dir)
    if not path.is_file():
        raise DataError.one(
            path,
            "no such file",
            "every national file roses reads (copy it from "
            "the repository's data/dfe, or remove dfe/ to use the repository's)",
        )
    return path


def _cached(reader):
    """Cache a ``reader(path)`` per process, keyed by path and modification time."""
    cached = cached_on_file(maxsize=64)(reader)

    @functools.wraps(reader)
    def read(path: Path) -> pd.DataFrame:
        return cached(Path(path).resolve())

    read.cache_clear = cached.cache_clear
    return read


def _code(text: pd.Series) -> pd.Series:
    """Authority codes as three-digit text ('831'), whether written '831' or '831.0'."""
    return text.str.strip().str.replace(r"\.0$", "", regex=True)


@_cached
def read_tidy(path: Path) -> pd.DataFrame:
    """A DfE tidy-format file as a long frame: one row per area, year and measure.

    Returns columns ``year`` (int, ``time_period``), ``level`` (National / Regional / Local
    authority), ``old_la_code``, ``new_la_code``, ``la_name`` (England for the national row, the
    region's name for a regional one), ``measure`` (the column name in the file), ``value`` (float,
    missing when suppressed) and ``symbol`` (the suppression symbol, or missing when the value is
    published), then the file's label columns (:data:`LABEL_COLUMNS`) if it has any. Text that is
    neither a number nor a DfE symbol is an error naming file, row and column.
    """
    raw = read_csv_text(path).fillna("")  # an empty, binary or ragged file is a DataError, not a crash
    missing = [c for c in ("time_period", "geographic_level", "old_la_code", "new_la_code", "la_name") if c not in raw]
    if missing:
        raise DataError(path, [Problem(1, c, "no such column", "DfE's tidy data format") for c in missing])
    years = raw["time_period"].str.strip()
    not_year = ~years.str.fullmatch(r"\d{4}(\d{2})?")
    if not_year.any():
        raise DataError(
            path,
            [
                Problem(int(i) + 2, "time_period", t, "a year such as 2019 or 201819")
                for i, t in years[not_year].items()
            ],
        )
    measures = [c for c in raw.columns if c not in TIDY_ID_COLUMNS and c not in LABEL_COLUMNS]
    labels = [c for c in LABEL_COLUMNS if c in raw.columns]
    if "region_name" not in raw:
        raw["region_name"] = ""
    long = raw.melt(
        id_vars=["time_period", "geographic_level", "old_la_code", "new_la_code", "la_name", "region_name", *labels],
        value_vars=measures,
        var_name="measure",
        value_name="text",
    )
    long["text"] = long["text"].str.strip()
    value = pd.to_numeric(long["text"], errors="coerce")
    is_symbol = long["text"].isin(SYMBOLS)
    bad = value.isna() & ~is_symbol
    if bad.any():
        rows = raw.index[long.index[bad] % len(raw)] + 2  # melt stacks columns; index + 2 = line
        raise DataError(
            path,
            [
                Problem(int(r), m, t, "a number or one of DfE's symbols " + ", ".join(SYMBOLS))
                for r, m, t in zip(rows, long.loc[bad, "measure"], long.loc[bad, "text"])
            ],
        )
    level = long["geographic_level"]
    name = long["la_name"].where(level != "Regional", long["region_name"].str.strip())
    return pd.DataFrame(
        {
            "year": long["time_period"].str[:4].astype(int),
            "level": level,
            "old_la_code": _code(long["old_la_code"]).replace("", pd.NA),
            "new_la_code": long["new_la_code"].replace("", pd.NA),
            "la_name": name.where(level != "National", "England"),
            "measure": long["measure"],
            "value": value.astype(float),
            "symbol": long["text"].where(is_symbol, pd.NA),
        }
        | {label: long[label].str.strip() for label in labels}
    )


@_cached
def read_lait(path: Path) -> pd.DataFrame:
    """LAIT's long data sheet in the same shape as :func:`read_tidy` (``measure`` = LAIT's short code).

    LAIT writes "-" for a value it does not have; it becomes a missing value with symbol ``x``.
    """
    raw = read_csv_text(path).fillna("")
    missing = [c for c in ("Values", "LA Number", "LA and Regions", "Region", "Years", "Short Desc") if c not in raw]
    if missing:
        raise DataError(path, [Problem(1, c, "no such column", "LAIT's long data format") for c in missing])
    text = raw["Values"].str.strip()
    value = pd.to_numeric(text, errors="coerce")
    bad = value.isna() & (text != "-")
    if bad.any():
        raise DataError(path, [Problem(int(i) + 2, "Values", t, 'a number or "-"') for i, t in text[bad].items()])
    code = _code(raw["LA Number"])
    name = raw["LA and Regions"]
    level = np.where(
        name == "England", "National", np.where(raw["Region"].isin(["NA", ""]), "Regional", "Local authority")
    )
    return pd.DataFrame(
        {
            "year": raw["Years"].str[:4].astype(int),
            "level": level,
            "old_la_code": code.where(level == "Local authority", pd.NA),
            "new_la_code": pd.NA,
            "la_name": name,
            "measure": raw["Short Desc"],
            "value": value.astype(float),
            "symbol": pd.Series("x", index=raw.index).where(text == "-", pd.NA),
        }
    )


def tidy(name: str, data_dir: str | Path | None = None) -> pd.DataFrame:
    """A national file by name (``read_lait`` for LAIT's sheet, ``read_tidy`` for the others)."""
    path = _path(name, data_dir)
    return read_lait(path) if name == LAIT else read_tidy(path)


def population(data_dir: str | Path | None = None) -> pd.DataFrame:
    """ONS mid-year population aged 0-17: ``year`` (the mid-year), ``level``, ``old_la_code``, ``la_name``, ``value``."""
    frame = tidy(POPULATION, data_dir)
    return frame[frame["measure"] == "population_estimate"].drop(columns="measure")


@_cached
def _read_ofsted_csv(path: Path) -> pd.DataFrame:
    frame = read_csv_text(path).fillna("")  # an empty, binary or ragged file is a DataError, not a crash
    missing = [c for c in OFSTED_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(
            path,
            [
                Problem(
                    1,
                    c,
                    "no such column",
                    "Ofsted's ILACS inspection history columns "
                    "(renamed in a newer release? roses reads the names of the 2025 file)",
                )
                for c in missing
            ],
        )
    bad = ~frame["Inspection date"].str[:10].str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    if bad.any():
        raise DataError(
            path,
            [
                Problem(int(i) + 2, "Inspection date", t, "a date such as 2019-06-30")
                for i, t in frame.loc[bad, "Inspection date"].items()
            ][:20],
        )
    return frame


@_cached
def _read_ofsted_ods(path: Path) -> pd.DataFrame:
    # The sheet opens with a title and a note; the table's header is on row 3 (cell A3).
    frame = pd.read_excel(path, sheet_name="ILACS_inspection_history", engine="odf", dtype=str, skiprows=2)
    return frame.fillna("")


OFSTED_COLUMNS = {
    "Local authority area code": "new_la_code",
    "Local authority name": "la_name",
    "Inspection date": "inspection_date",
    "Publication date": "publication_date",
    "Inspection type": "inspection_type",
    "Overall effectiveness": "overall",
    "The impact of leaders on social work practice with children and families": "leadership",
    "The experiences and progress of children who need help and protection": "help_and_protection",
    "The experiences and progress of children in care": "children_in_care",
    "The experiences and progress of care leavers": "care_leavers",
}


def ofsted(data_dir: str | Path | None = None, source: str = "csv") -> pd.DataFrame:
    """Ofsted ILACS judgments, 2018 onwards, one row per inspection, with ``old_la_code`` joined on.

    ``source="ods"`` reads Ofsted's own spreadsheet (slow: odfpy), ``"csv"`` the same sheet saved
    as CSV. Ofsted identifies authorities by the new (E06...) code; the old three-digit code comes
    from the DfE files, which carry both.
    """
    raw = (
        _read_ofsted_ods(_path(OFSTED_ODS, data_dir))
        if source == "ods"
        else _read_ofsted_csv(_path(OFSTED_CSV, data_dir))
    )
    frame = raw[list(OFSTED_COLUMNS)].rename(columns=OFSTED_COLUMNS)
    for column in ("inspection_date", "publication_date"):  # the ODS adds a time of day
        frame[column] = pd.to_datetime(frame[column].str[:10])
    frame["year"] = frame["inspection_date"].dt.year
    codes = authorities(data_dir).dropna(subset=["new_la_code"]).drop_duplicates("new_la_code")
    frame = frame.merge(codes[["new_la_code", "old_la_code"]], on="new_la_code", how="left")
    return frame.replace("", pd.NA)


@_cached
def _read_neighbours(path: Path) -> pd.DataFrame:
    """DfE's wide statistical-neighbour file: an authority code column, then SN_1..SN_10 each followed
    by its closeness. Another vintage of the file (other column names) is a DataError naming them."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", header=None)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as error:
        raise DataError.one(
            path, f"{type(error).__name__}: {str(error)[:120]}", "DfE's statistical-neighbour CSV file"
        ) from None
    header = [str(c).strip() for c in raw.iloc[0]] if len(raw) else []
    raw = raw.iloc[1:]
    code_col = next((c for c in ("old_la_code", "LA num", "LA number", "la_code") if c in header), None)
    problems = []
    if code_col is None:
        problems.append(
            Problem(
                1,
                "old_la_code",
                f"columns {', '.join(header[:6])}",
                "an authority code column named old_la_code (2025 model) or 'LA num' (April 2021)",
            )
        )
    positions = []
    for n in range(1, 11):
        name = next((c for c in (f"SN_{n}", f"SN{n}") if c in header), None)
        if name is None:
            problems.append(
                Problem(
                    1,
                    f"SN_{n}",
                    "no such column",
                    "ten neighbour columns SN_1..SN_10 (or SN1..SN10), each followed by its closeness",
                )
            )
        else:
            positions.append(header.index(name))
    if problems:
        raise DataError(
            path,
            problems
            + [
                Problem(
                    None,
                    None,
                    "another layout of the statistical-neighbour file",
                    "DfE's 2025 model (sn_model_2025_wide.csv) or the April 2021 "
                    "groupings, under the names roses reads",
                )
            ],
        )
    body = raw.to_numpy(dtype=object)
    rows = []
    for n, col in enumerate(positions, start=1):
        closeness = body[:, col + 1] if col + 1 < body.shape[1] else [""] * len(body)
        rows.append(
            pd.DataFrame(
                {
                    "old_la_code": _code(pd.Series(body[:, header.index(str(code_col))], dtype=str)),
                    "neighbour_rank": n,
                    "neighbour_code": _code(pd.Series(body[:, col], dtype=str)),
                    "closeness": pd.Series(closeness, dtype=str).str.strip(),
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    return frame[frame["neighbour_code"] != ""].sort_values(["old_la_code", "neighbour_rank"], ignore_index=True)


def neighbours(data_dir: str | Path | None = None, model: int = 2025) -> pd.DataFrame:
    """DfE statistical neighbours (ten per authority): ``old_la_code``, ``neighbour_rank``, ``neighbour_code``, ``closeness``.

    ``model``: 2025 (the current model) or 2021 (the April 2021 groupings, which still list the
    authorities that were reorganised later, such as Northamptonshire).
    """
    name = {2025: NEIGHBOURS_2025, 2021: NEIGHBOURS_2021}[model]
    return _read_neighbours(_path(name, data_dir))


def authorities(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every local authority in the DfE files: ``old_la_code``, ``new_la_code``, ``la_name``, ``last_year``."""
    frame = tidy(C1, data_dir)
    frame = frame[(frame["level"] == "Local authority") & (frame["measure"] == "referral_count")]
    frame = (
        frame.sort_values("year")
        .groupby("old_la_code", as_index=False)
        .agg(new_la_code=("new_la_code", "last"), la_name=("la_name", "last"), last_year=("year", "max"))
    )
    return frame


def _words(text: str) -> tuple[str, ...]:
    """A name as words to compare: lower case, '&' as 'and', punctuation as spaces."""
    text = str(text).lower().replace("&", " and ").replace("\u2019", "'").replace("'", "")
    return tuple(re.sub(r"[^a-z0-9]+", " ", text).split())


def resolve_authority(query: str, data_dir: str | Path | None = None) -> tuple[str, str]:
    """Find an authority by name or three-digit ``old_la_code``, as users type them: returns (code, name).

    Matched ignoring case, punctuation and spacing ("bristol city of", "Bristol-City-of" and
    "Bristol, City of" are one authority); a name whose words belong to exactly one authority's name
    is that authority ("Hull" is Kingston upon Hull, City of). Raises RosesError listing close matches
    when nothing (or more than one authority) matches, and refuses the anonymised letters A-K: real
    statistics are never shown for them.
    """

    text = str(query).strip()
    if text.upper() in AUTHORITIES and len(text) == 1:
        raise RosesError(
            f"'{text}' is an anonymised programme authority; real national statistics are "
            "never shown for the letters A-K. Give an English authority's name or code, "
            "e.g. Derby or 831."
        )
    table = authorities(data_dir)
    by_code = table.set_index("old_la_code")["la_name"]
    if text in by_code.index:
        return text, by_code[text]
    if re.fullmatch(r"\d{3}(\.0)?", text) and text[:3] in by_code.index:
        return text[:3], by_code[text[:3]]
    words = _words(text)
    by_words = {_words(name): code for code, name in by_code.items()}
    if words in by_words:
        code = by_words[words]
        return code, by_code[code]
    within = sorted({code for name, code in by_words.items() if words and set(words) <= set(name)})
    if len(within) == 1:
        return within[0], by_code[within[0]]
    names = {" ".join(name): code for name, code in by_words.items()}
    close = within or [names[c] for c in difflib.get_close_matches(" ".join(words), list(names), n=5, cutoff=0.6)]
    hint = (
        "Close matches: " + ", ".join(f"{by_code[c]} ({c})" for c in close[:8]) + "."
        if close
        else "Give a name as DfE writes it, or the three-digit old_la_code (Derby is 831)."
    )
    what = "matches more than one authority" if len(within) > 1 else "is not an English authority in the DfE files"
    raise RosesError(f"unknown authority '{text}': it {what}. {hint}")


def user_authority(text: str, data_dir: str | Path | None = None) -> str:
    """An authority as a user typed it on the command line, as the commands pass it on.

    A programme letter in any case is that letter ('c' is C); a single letter that is not one
    (I, Z) is refused; a name or code is matched by :func:`resolve_authority` ("Hull",
    "bristol, city of", "831") and given as DfE writes it. Raises RosesError with suggestions.
    """

    query = str(text).strip()
    if len(query) == 1 and query.isalpha():
        if query.upper() in AUTHORITIES:
            return query.upper()
        raise RosesError(
            f"there is no programme authority '{query}': the letters are "
            f"{', '.join(sorted(AUTHORITIES))} (the report has no I). For an English authority, "
            "give its name or DfE code (Derby, 831)."
        )
    if not query:
        raise RosesError("say which authority: a programme letter A-K, or an English authority's name or code")
    return resolve_authority(query, data_dir)[1]
