"""Check a local data folder (``roses validate DIR``) and list every problem at once.

Checks whichever of ``published/``, ``instruments/``, ``surveys/`` and ``dfe/`` the folder holds,
through the same readers the book uses, so a folder that passes here reads cleanly in a build.
Every file is read even after an earlier one failed. Exit 2 if anything is wrong, else 0 with a
short summary. Repairs the readers made (a semicolon-separated file, blank rows) are listed as
warnings: the result is still right, but the user should know.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roses.core.errors import DataError, RosesError
from roses.national import indicators
from roses.national import readers as national
from roses.published import tables as published
from roses.survey import instruments, readers

# The files each loader of data/published reads (published.py reads them by these names).
PUBLISHED = {
    "table_1_1_ofsted.csv": "ofsted",
    "blind_ratings.csv": "blind_ratings",
    "rating_criteria.csv": "rating_criteria",
    "table_4_2_methods.csv": "methods",
    "core_data_set.csv": "core_data_set",
    "eip2_training_offer.csv": "training_offer",
    "national_context.csv": "national_context",
}
SURVEYS = ("staff", "parent")


@dataclass
class Report:
    """What a check found: ``errors`` (one per file that failed), ``warnings`` (repairs), files read."""

    errors: list[RosesError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def problem(self, path: Path, found: object, expected: str) -> None:
        self.errors.append(DataError.one(path, found, expected))

    def read(self, area: str | None, path: Path, reader, *args) -> Any:
        """Run ``reader(*args)`` for ``path``; record its error or warnings instead of stopping.

        ``area`` counts the file in the summary (None for a second check of a file already counted).
        """
        if area:
            self.checked[area] = self.checked.get(area, 0) + 1
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return reader(*args)
            except RosesError as error:
                self.errors.append(error)
            except Exception as error:  # a reader bug must still be listed, not end the check
                self.problem(path, f"{type(error).__name__}: {error}", "a file roses can read (please report this)")
            finally:
                self.warnings += [str(w.message) for w in caught]
        return None


def check(folder: str | Path) -> Report:
    """Check every data file under ``folder``; never raises for a bad file."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RosesError(f"{folder}: not a folder (give the data folder, e.g. `roses validate data`)")
    areas = [a for a in ("published", "instruments", "surveys", "dfe") if (folder / a).exists()]
    if not areas:
        raise RosesError(
            f"{folder}: nothing to check; expected any of published/, surveys/, dfe/ (see README.md, 'Your own data')"
        )
    report = Report()
    for area in areas:
        if not (folder / area).is_dir():
            report.problem(folder / area, "a file", "a folder")
            continue
        {"published": _published, "instruments": _instruments, "surveys": _surveys, "dfe": _dfe}[area](folder, report)
    return report


def _published(folder: Path, report: Report) -> None:

    for name, loader in PUBLISHED.items():
        path = folder / "published" / name
        if path.exists() or path.is_symlink():  # a table the folder lacks is the repository's (core.paths.data_file)
            report.read("published", path, getattr(published, loader), folder)


def _instruments(folder: Path, report: Report) -> None:

    for survey in SURVEYS:
        path = folder / "instruments" / f"{survey}_survey.yml"
        if path.exists():
            report.read("instruments", path, instruments.load, survey, folder)


def _surveys(folder: Path, report: Report) -> None:
    """The survey folders through the build's own checks (``readers.survey_files``: the same names,
    authorities and waves accepted), then every export's cells, then invited.csv and codings.csv."""

    root = folder / "surveys"
    try:
        listed = sorted(root.iterdir())
    except OSError as error:
        report.problem(root, error.strerror or type(error).__name__, "a folder roses can read")
        return
    for entry in listed:
        side_files = ("invited.csv", readers.CODINGS_FILE, readers.WAVES_FILE)
        if entry.name not in (*SURVEYS, *side_files) and not entry.name.startswith(readers.NOT_READ):
            report.problem(entry, "an entry roses does not read", f"staff/, parent/, {', '.join(side_files)}")
    invited = root / "invited.csv"
    has_invited = invited.exists() or invited.is_symlink()
    if has_invited:
        report.read("surveys", invited, readers.read_invited, folder, "staff")
    for survey in SURVEYS:
        if not (root / survey).is_dir():
            if (root / survey).exists():
                report.problem(root / survey, "a file", "a folder of authority folders")
            continue
        instrument = report.read("instruments", root / survey, instruments.load, survey, folder)
        if instrument is None:
            continue
        codings = report.read(None, root / readers.CODINGS_FILE, readers.read_codings, folder, survey) or {}
        report.read(None, root / readers.WAVES_FILE, readers.read_wave_dates, folder, survey)
        exports, problems = readers.survey_files(folder, survey)
        report.errors += problems
        counts = {}
        for authority, wave, export in exports:
            if wave not in instrument.waves:
                report.checked["surveys"] = report.checked.get("surveys", 0) + 1
                report.problem(
                    export,
                    f"wave {wave}",
                    f"one of the {instrument.survey} survey's waves {', '.join(map(str, sorted(instrument.waves)))}",
                )
                continue
            result = report.read(
                "surveys",
                export,
                readers.read_export,
                export,
                instrument,
                authority,
                wave,
                codings.get((authority, wave)),
            )
            counts[(authority, wave)] = 0  # a file that failed is still an export an invited row may name
            if result:
                counts[(authority, wave)] = int(result[0]["respondent"].max()) if len(result[0]) else 0
            if result and result[2]:  # columns the codebook does not know are skipped: say which
                report.warnings.append(
                    f"{export}: ignored {len(result[2])} column(s) not in the {instrument.survey} "
                    f"codebook: {', '.join(map(repr, result[2][:10]))}"
                )
        if has_invited and not any(isinstance(e, DataError) and e.path == invited for e in report.errors):
            found = readers.invited_problems(folder, survey, counts)
            if found:
                report.errors.append(DataError(invited, found))


def _dfe(folder: Path, report: Report) -> None:

    tidy_files = list(national.TIDY_FILES)
    for name in tidy_files + [national.NEIGHBOURS_2025, national.NEIGHBOURS_2021, national.OFSTED_CSV]:
        path = folder / "dfe" / name
        if not path.exists() and not path.is_symlink():
            continue  # the repository's file is read instead (national.dfe_file): file by file, as builds do
        if name in tidy_files:
            report.read("dfe", path, national.tidy, name, folder)
        elif name == national.OFSTED_CSV:
            report.read("dfe", path, national.ofsted, folder)
        else:
            report.read("dfe", path, national.neighbours, folder, 2025 if name == national.NEIGHBOURS_2025 else 2021)
    if (folder / "dfe" / "indicators.yml").exists():
        report.checked["dfe"] = report.checked.get("dfe", 0) + 1
    # The definitions (the folder's or the repository's) against the files they will read.
    report.errors += [e for e in indicators.problems(folder) if not any(str(e) == str(seen) for seen in report.errors)]
