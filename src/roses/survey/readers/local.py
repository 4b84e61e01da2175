"""Every export of a survey in a data folder, with the numbers invited, the declared codings and the waves' dates."""

from pathlib import Path

import pandas as pd

from roses.core.errors import DataError, Problem
from roses.readers.csvfile import read_csv_text
from roses.survey.instruments import CODINGS, Instrument, normalise
from roses.survey.model import Responses, empty_answers, tidy_answers
from roses.survey.readers.dates import WAVES_FILE, one_date, wave_date
from roses.survey.readers.folder import CODINGS_FILE, SYNTHETIC_MARK, find_exports
from roses.survey.readers.rows import read_export

# --- The numbers invited, the codings, and every export of a survey -----------------------------------

SURVEY_NAMES = ("staff", "parent")


def _whole(text, allow_zero: bool = True) -> int | None:
    try:
        number = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    if not number.is_integer() or number < (0 if allow_zero else 1):
        return None
    return int(number)


def _side_table(data_dir: Path, name: str, needed: list[str]) -> tuple[Path, pd.DataFrame | None]:
    path = Path(data_dir) / "surveys" / name
    if not path.exists() and not path.is_symlink():
        return path, None
    table = read_csv_text(path)
    table.columns = [normalise(c) for c in table.columns]
    missing = [
        Problem(1, column, "no such column", "a column with this name in the header")
        for column in needed
        if column not in table
    ]
    if missing:
        raise DataError(path, missing)
    return path, table


def _per_authority_wave(path: Path, table: pd.DataFrame, survey: str, column: str, parse, expected: str) -> dict:
    """``column`` of a side table (survey,authority,wave,<column>) per (authority, wave) of ``survey``.

    Every row is checked, whatever its survey: a survey that is not staff or parent, an empty authority,
    a wave that is not a whole number, a value ``parse`` cannot read (None), or one authority-wave given
    twice is an error naming its row and column."""
    problems, result, seen = [], {}, {}
    for i, row in table.iterrows():
        line = int(i) + 2
        name = normalise(row["survey"]) if isinstance(row["survey"], str) else ""
        wave, value = _whole(row["wave"], allow_zero=False), parse(row[column])
        if name not in SURVEY_NAMES:
            problems.append(Problem(line, "survey", row["survey"], "staff or parent"))
        if not isinstance(row["authority"], str):
            problems.append(Problem(line, "authority", "an empty cell", "the authority's folder name"))
        if wave is None:
            problems.append(Problem(line, "wave", row["wave"], "a wave number (a whole number such as 4)"))
        if value is None:
            problems.append(Problem(line, column, row[column], expected))
        if name not in SURVEY_NAMES or wave is None or value is None or not isinstance(row["authority"], str):
            continue
        key = (name, row["authority"].strip(), wave)
        if key in seen:
            problems.append(
                Problem(line, "wave", row["wave"], f"one row per survey, authority and wave (also row {seen[key]})")
            )
            continue
        seen[key] = line
        if name == survey:
            result[(key[1], wave)] = value
    if problems:
        raise DataError(path, problems)
    return result


def read_invited(data_dir: Path, survey: str) -> dict[tuple[str, int], int]:
    """Numbers invited per (authority, wave) from ``surveys/invited.csv``, if the file exists.

    Every row is checked (whatever its survey): a survey that is not staff or parent, a wave or
    number that is not a whole number, or one authority-wave given twice is an error naming its
    row and column.
    """
    path, table = _side_table(data_dir, "invited.csv", ["survey", "authority", "wave", "invited"])
    if table is None:
        return {}
    return _per_authority_wave(path, table, survey, "invited", _whole, "a whole number of people invited")


def invited_problems(data_dir: Path, survey: str, respondents: dict[tuple[str, int], int]) -> list[Problem]:
    """Rows of ``invited.csv`` for ``survey`` that do not fit the exports: ``respondents`` is the
    number read per (authority folder, wave). Each row must match an export, and invite at least
    as many people as responded."""
    path, table = _side_table(data_dir, "invited.csv", ["survey", "authority", "wave", "invited"])
    if table is None:
        return []
    folders = {a for a, _ in respondents}
    problems = []
    for i, row in table.iterrows():
        if normalise(row["survey"]) != survey or not isinstance(row["authority"], str):
            continue
        authority, wave, invited = row["authority"].strip(), _whole(row["wave"]), _whole(row["invited"])
        if wave is None or invited is None:
            continue
        line = int(i) + 2
        if authority not in folders:
            problems.append(
                Problem(
                    line,
                    "authority",
                    authority,
                    f"the name of a folder in surveys/{survey}/ "
                    f"({', '.join(sorted(folders)) or 'there is none'}): a row that matches no "
                    "folder is never used",
                )
            )
        elif (authority, wave) not in respondents:
            waves = sorted(w for a, w in respondents if a == authority)
            problems.append(
                Problem(
                    line,
                    "wave",
                    row["wave"],
                    f"a wave with an export in surveys/{survey}/{authority}/ (waves {', '.join(map(str, waves))})",
                )
            )
        elif invited < respondents[(authority, wave)]:
            problems.append(
                Problem(
                    line,
                    "invited",
                    row["invited"],
                    f"at least the {respondents[(authority, wave)]} "
                    f"respondents read from surveys/{survey}/{authority}/ wave {wave}",
                )
            )
    return problems


def read_codings(data_dir: Path | None, survey: str) -> dict[tuple[str, int], str]:
    """Numeric codings declared per file in ``surveys/codings.csv`` (survey,authority,wave,coding)."""
    if data_dir is None:
        return {}
    path, table = _side_table(data_dir, CODINGS_FILE, ["survey", "authority", "wave", "coding"])
    if table is None:
        return {}
    problems, result = [], {}
    for i, row in table.iterrows():
        line = int(i) + 2
        name = normalise(row["survey"]) if isinstance(row["survey"], str) else ""
        wave = _whole(row["wave"], allow_zero=False)
        coding = str(row["coding"]).strip() if isinstance(row["coding"], str) else ""
        if name not in SURVEY_NAMES:
            problems.append(Problem(line, "survey", row["survey"], "staff or parent"))
        if wave is None:
            problems.append(Problem(line, "wave", row["wave"], "a wave number (a whole number such as 4)"))
        if coding not in CODINGS:
            problems.append(
                Problem(
                    line,
                    "coding",
                    row["coding"],
                    f"one of {', '.join(CODINGS)} (1-5: 1 = "
                    "Strongly disagree ... 5 = Strongly agree; 5-1: 1 = Strongly agree; "
                    "0-4: 0 = Strongly disagree)",
                )
            )
        if name == survey and wave is not None and coding in CODINGS and isinstance(row["authority"], str):
            result[(row["authority"].strip(), wave)] = coding
    if problems:
        raise DataError(path, problems)
    return result


def read_wave_dates(data_dir: Path | None, survey: str) -> dict[tuple[str, int], pd.Timestamp]:
    """Dates declared per (authority, wave) in ``surveys/waves.csv`` (survey,authority,wave,date).

    A date is YYYY-MM-DD (or DD/MM/YYYY); each bad cell is an error naming its row and column.
    """
    if data_dir is None:
        return {}
    path, table = _side_table(data_dir, WAVES_FILE, ["survey", "authority", "wave", "date"])
    if table is None:
        return {}
    return _per_authority_wave(path, table, survey, "date", one_date, "a date such as 2024-03-15 (or 15/03/2024)")


def read_local(data_dir: Path | None, instrument: Instrument) -> Responses | None:
    """All local exports of one survey, or None if there are none."""
    exports = find_exports(data_dir, instrument.survey)
    if not exports or data_dir is None:  # no folder has no exports
        return None
    invited = read_invited(data_dir, instrument.survey)
    codings = read_codings(data_dir, instrument.survey)
    declared = read_wave_dates(data_dir, instrument.survey)
    answers, comments, waves, ignored, counts = [], [], [], {}, {}
    for authority, wave, path in exports:
        if wave not in instrument.waves:
            raise DataError.one(path, f"wave {wave}", f"one of waves {sorted(instrument.waves)}")
        a, c, skipped = read_export(path, instrument, authority, wave, codings.get((authority, wave)))
        answers.append(a)
        comments.append(c)
        n = int(a["respondent"].max()) if len(a) else 0
        counts[(authority, wave)] = n
        origin = "illustrative" if (path.parent / SYNTHETIC_MARK).is_file() else "local"
        date, source = wave_date(path, a.attrs.get("date"), declared.get((authority, wave)))
        waves.append((authority, wave, n, invited.get((authority, wave)), origin, date, source, a.attrs["left_out"]))
        if skipped:
            ignored[str(path)] = skipped
    problems = invited_problems(data_dir, instrument.survey, counts)
    if problems:
        raise DataError(Path(data_dir) / "surveys" / "invited.csv", problems)
    frame = (
        pd.concat(same_categories(answers, ["authority", "item"]), ignore_index=True) if answers else empty_answers()
    )
    responses = Responses(
        instrument.survey,
        tidy_answers(frame),
        pd.DataFrame(
            waves,
            columns=["authority", "wave", "respondents", "invited", "origin", "date", "date_source", "left_out"],
        ).astype({"date": "datetime64[ns]"}),
        pd.concat(comments, ignore_index=True),
    )
    responses.problems = {"ignored_columns": ignored}
    return responses


def local_authorities(data_dir: Path | None, survey: str) -> dict[str, str]:
    """The authorities whose data come from ``data_dir``'s own exports: folder name -> origin
    ("local", or "illustrative" for a folder ``roses synth`` wrote). Raises DataError as
    :func:`find_exports` does, so a page never says "illustrative" of a folder it could not read."""
    found = {}
    for authority, _, path in find_exports(data_dir, survey):
        found[authority] = "illustrative" if (path.parent / SYNTHETIC_MARK).is_file() else "local"
    return found


def same_categories(frames: list[pd.DataFrame], columns: list[str]) -> list[pd.DataFrame]:
    """The frames with ``columns`` as categoricals of one set of categories, so that concatenating them
    keeps the compact codes (different categories would turn millions of codes into strings)."""
    frames = [f.astype({c: "category" for c in columns}) for f in frames]
    for column in columns:
        union = pd.api.types.union_categoricals([f[column] for f in frames]).categories
        frames = [f.assign(**{column: f[column].cat.set_categories(union)}) for f in frames]
    return frames
