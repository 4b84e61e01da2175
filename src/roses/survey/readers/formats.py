"""What a file is: export file names, formats roses does not read, and which survey tool wrote an export."""

import re
from pathlib import Path

from roses.survey.instruments import normalise

FILE_NAME = re.compile(r"^(?:wave|round)-?(\d+)\.(csv|xlsx)$", re.IGNORECASE)
FILE_NAMES = "wave-<N>.csv or wave-<N>.xlsx (round-<N> also accepted)"
# Files with an export's name but a format roses does not read: what they are and what to do.
OTHER_FORMATS = {
    ".xls": (
        "an old Excel .xls workbook",
        "a .csv or .xlsx file: open it in Excel or LibreOffice and save it as .xlsx (or as CSV UTF-8)",
    ),
    ".ods": (
        "an OpenDocument spreadsheet (LibreOffice Calc)",
        "a .csv or .xlsx file: File > Save As > Excel 2007-365 (.xlsx), or save it as CSV UTF-8",
    ),
    ".xlsm": ("a macro-enabled workbook", "a .csv or .xlsx file: save it as .xlsx (macros are never run)"),
    ".numbers": ("an Apple Numbers file", "a .csv or .xlsx file: export it as .xlsx or CSV"),
    ".txt": ("a text file", "a .csv or .xlsx file: if it is a CSV export, rename it .csv"),
    ".tsv": ("a tab-separated file", "a .csv or .xlsx file: rename it .csv (tabs are read, with a warning)"),
}

MAX_FILE_BYTES = 50 * 1024 * 1024  # a larger export is refused at once (split it by wave or authority)


def _not_a_file(path: Path) -> str | None:
    """What ``path`` is, if it is not a file that can be opened (None if it is one)."""
    if path.is_symlink() and not path.exists():
        return "a symbolic link to nothing (or to itself)"
    if path.is_dir():
        return "a folder"
    if not path.is_file():
        return "not a regular file"
    return None


def _tool(columns) -> str | None:
    """The survey tool whose export has these header names, if one is recognised."""
    columns = [c for c in columns if c is not None]
    names = {normalise(c) for c in columns}
    if "responseid" in names and ({"finished", "status", "startdate", "progress"} & names):
        return "Qualtrics"
    if "respondent id" in names and "collector id" in names:
        return "SurveyMonkey"
    if "start time" in names and "completion time" in names:
        return "Microsoft Forms"
    if "userid" in names and ({"started", "ended", "ip address"} & names):
        return "SmartSurvey"
    if columns and normalise(columns[0]) == "timestamp":
        return "Google Forms"
    return None


def _tool_header(records: list[list[str | None]], filled: list[int]) -> int | None:
    """The first row, if it is a survey tool's header (its metadata columns): its other header rows follow."""
    first = records[filled[0]]
    return filled[0] if _tool([c for c in first if c is not None]) else None
