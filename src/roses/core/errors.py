"""Errors a user sees: each names the file, row and column, what was found and what was expected."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

LONGEST_FOUND = 80  # a 100 kB cell pasted into an answer column must not flood the terminal


class RosesError(Exception):
    """An error with a message meant for the user; the CLI prints it and exits with code 2."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file. ``row`` is the line number in the file (header = 1)."""

    row: int | None
    column: str | None
    found: object
    expected: str

    def describe(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        place = ", ".join(where) or "whole file"
        return f"{place}: found {_shorten(self.found)}, expected {self.expected}"


def _shorten(found: object) -> str:
    """``repr(found)``, cut to its start and length when it is very long."""
    text = repr(found)
    if len(text) <= LONGEST_FOUND:
        return text
    return f"{text[: LONGEST_FOUND - 20]}... ({len(str(found))} characters)"


SHOWN_AS = "ROSES_SHOW_PATHS_AS"  # "FROM<tab>TO" lines: a working copy's paths shown as the user's own


def shown(path: str | Path) -> str:
    """``path`` as the user knows it: a folder roses works in (an edition's temporary copy of the
    data folder, named in $ROSES_SHOW_PATHS_AS) is replaced by the folder the user gave."""
    text = str(path)
    for line in os.environ.get(SHOWN_AS, "").splitlines():
        source, _, target = line.partition("\t")
        if source and target and (text == source or text.startswith(source.rstrip("/") + "/")):
            return target + text[len(source) :]
    return text


class DataError(RosesError):
    """One or more problems in one data file."""

    def __init__(self, path: str | Path, problems: list[Problem]):
        self.path = Path(path)
        self.problems = list(problems)
        lines = [f"{shown(self.path)}: {len(self.problems)} problem(s)"]
        lines += [f"  {self.path.name}, {p.describe()}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        super().__init__("\n".join(lines))

    @classmethod
    def one(
        cls, path: str | Path, found: object, expected: str, row: int | None = None, column: str | None = None
    ) -> DataError:
        """The error for a file with a single problem: what was ``found`` where ``expected`` was wanted,
        at ``row`` and ``column`` when they are known (the one way to build it)."""
        return cls(path, [Problem(row, column, found, expected)])


class DataWarning(UserWarning):
    """A repair roses made to a data file on reading it; the result is still correct, but say so.

    ``roses validate`` lists these beside the problems; elsewhere they show as Python warnings.
    """


def warn_repair(path: str | Path, what: str) -> None:
    """Tell the user that ``path`` was read after a repair (for example a semicolon-separated CSV)."""
    warnings.warn(DataWarning(f"{shown(Path(path))}: {what}"), stacklevel=3)
