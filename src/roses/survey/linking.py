"""Linking a letter to a real authority through a data folder (docs/disclosure.md, "Linking").

The letters A-K are pseudonyms the report itself lets anyone undo (its Table 1.1 of inspection years
and judgements, matched with Ofsted's published outcomes), so every rule treats a letter as a named
authority. A data folder that holds survey exports for a letter and for a real authority would tie the
two together in whatever is built from it: the same respondents published once under "C" and once
under "Derby" say that C is Derby. Such a folder is refused by every command that publishes, naming the
folders and saying whether their exports are the very same files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from roses.core.errors import RosesError
from roses.published.tables import AUTHORITIES

SURVEYS = ("staff", "parent")
NOT_READ = (".", "~$")  # as the survey readers: hidden folders and Excel's lock files are never read


def _exports(folder: Path) -> dict[str, str]:
    """SHA-256 of each export in an authority's folder, by file name."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(NOT_READ) and p.suffix.lower() in (".csv", ".xlsx")
    }


def linked_folders(data_dir: Path | None) -> list[str]:
    """For each survey with both letter folders and real authorities' folders: what ties them."""
    found = []
    for survey in SURVEYS:
        base = Path(data_dir) / "surveys" / survey if data_dir else None
        if base is None or not base.is_dir():
            continue
        folders = [p for p in sorted(base.iterdir()) if p.is_dir() and not p.name.startswith(NOT_READ)]
        letters = [p for p in folders if p.name in AUTHORITIES]
        real = [p for p in folders if p.name not in AUTHORITIES]
        if not (letters and real):
            continue
        same = []
        for r in real:
            mine = set(_exports(r).values())
            same += [f"{r.name} = {letter.name}" for letter in letters if mine & set(_exports(letter).values())]
        names = ", ".join(p.name for p in letters) + " and " + ", ".join(p.name for p in real)
        found.append(
            f"surveys/{survey}/ holds letter folders and real authorities' folders ({names})"
            + (f"; the same exports are filed under both ({'; '.join(same)})" if same else "")
        )
    return found


def refuse_linked(data_dir: Path | None, what: str) -> None:
    """Raise RosesError if ``data_dir`` would tie a programme letter to a real authority."""
    found = linked_folders(data_dir)
    if found:
        raise RosesError(
            f"{what} is refused: {'; '.join(found)}. A letter is a pseudonym for a real authority, so its "
            "exports and a named authority's must never be published from one folder: keep a letter's "
            "exports and the authority's own edition in separate data folders, and never the same "
            "respondents under both names"
        )
