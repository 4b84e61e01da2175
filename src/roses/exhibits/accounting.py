"""What was read, and what became of it: one row per survey, authority and wave (issue 32, scope 5).

An analyst who supplies exports must be able to see that every file, respondent and comment is
accounted for: how many export files were read, the wave's date and where it came from, respondents
and invitations, how many comments were received and how they were used (counted by theme, never
quoted; not counted at all for a wave whose results are suppressed or unreliable), columns the
codebook does not know, and rows the reader left out (previews, tests, unfinished responses).
Numbers of respondents and comments are published, as response rates are: the disclosure rules protect
what respondents answered, not that they took part (docs/disclosure.md, threat model).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from roses.core.origin import Origin
from roses.exhibits.registry import Params, exhibit
from roses.survey import data, disclosure, scoring
from roses.survey.readers import find_exports

ID = "exhibit-r4.6-what-was-read"
COMMENT_EXHIBIT = {"staff": "Exhibit R4.2", "parent": "Exhibit R4.5"}
COLUMNS = ["survey", "authority", "wave", "date", "files", "respondents", "invited"]
COLUMNS += ["comments", "comments_used", "columns_not_read", "rows_left_out"]
DATE_FROM = {"export": "export", "waves.csv": "waves.csv"}  # where a wave's date comes from
ILLUSTRATIVE = "none (illustrative)"


def _comments_used(status: str, survey: str) -> str:
    if status == disclosure.SUPPRESSED:
        return f"not counted (under {disclosure.MIN_RESPONDENTS} respondents)"
    if status == disclosure.LOW_RELIABILITY:
        return f"not counted (response under {scoring.MIN_RESPONSE_RATE:.0%})"
    return f"theme counts ({COMMENT_EXHIBIT[survey]})"


def _files(data_dir: Path | None, survey: str) -> tuple[dict, dict]:
    """Export files per (authority, wave), and the wave of each file's path."""
    files: dict[tuple[str, int], list[str]] = {}
    where: dict[str, tuple[str, int]] = {}
    for authority, wave, path in find_exports(data_dir, survey) if data_dir else []:
        files.setdefault((authority, int(wave)), []).append(Path(path).suffix.lstrip(".").upper())
        where[str(path)] = (authority, int(wave))
    return files, where


def _survey_rows(survey: str, data_dir: Path | None) -> pd.DataFrame:
    responses = data.responses(survey, data_dir)
    waves = scoring.reliability(responses.waves)
    files, where = _files(data_dir, survey)
    ignored: dict[tuple[str, int], int] = {}
    for path, columns in responses.problems.get("ignored_columns", {}).items():
        key = where.get(str(path))
        if key:
            ignored[key] = ignored.get(key, 0) + len(columns)
    comments = responses.comments
    said = comments[comments["text"].fillna("").astype(str).str.strip() != ""]
    received = said.groupby([said["authority"].astype(str), said["wave"].astype(int)]).size()
    rows = []
    for wave in waves.itertuples(index=False):
        key = (str(wave.authority), int(wave.wave))
        local = wave.origin == "local"
        kinds = files.get(key, [])
        date = getattr(wave, "date", pd.NaT)
        source = DATE_FROM.get(getattr(wave, "date_source", "") or "", "")
        rows.append(
            {
                "survey": survey,
                "authority": wave.authority,
                "wave": int(wave.wave),
                "date": (f"{date:%Y-%m-%d} ({source})" if pd.notna(date) else "not known") if local else "",
                "files": f"{len(kinds)} {'/'.join(sorted(set(kinds)))}" if kinds else ILLUSTRATIVE,
                "respondents": int(wave.respondents),
                "invited": wave.invited,
                "comments": int(received.get(key, 0)),
                "comments_used": _comments_used(wave.status, survey),
                "columns_not_read": ignored.get(key, 0),
                "rows_left_out": (getattr(wave, "left_out", "") or "none") if local else "",
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def _summary(frame: pd.DataFrame, params: Params) -> str:
    local = frame[frame["files"] != ILLUSTRATIVE]
    if local.empty:
        return (
            f"The survey results of this page come from illustrative respondents made by roses, "
            f"{len(frame)} authority-waves; no export file was read. With an authority's own exports "
            "this table accounts for every file, respondent and comment."
        )
    dated = int((local["date"] != "not known").sum())
    used = int(local["comments_used"].str.startswith("theme").sum())
    return (
        f"Every export read: {len(local)} survey waves from {int(local['files'].str.split(' ').str[0].astype(int).sum())} "
        f"files, {int(local['respondents'].sum())} respondents; {dated} of the waves are dated. Comments are "
        f"counted by theme and never quoted, in {used} of the waves; a wave whose results are suppressed or "
        "unreliable contributes no comment counts. Columns the codebook does not know are not read, and "
        "rows a survey tool marks as previews, tests or unfinished are left out."
    )


@exhibit(
    ID,
    "What was read, and what became of it",
    "meaningful-measures",
    "illustrative",
    "The survey exports in the data folder (local), or roses' illustrative respondents",
    summary=_summary,
    notes=(
        "date: the wave's date and where it comes from (the export's response times, or surveys/waves.csv)",
        "files: export files read for the wave, by format",
        "comments: answers to open questions received; comments_used: what became of them (comments are "
        "counted by theme, never quoted; none from a suppressed or unreliable wave)",
        "columns_not_read: columns whose heading matches no item of the codebook; rows_left_out: rows the "
        "reader did not count, and why",
    ),
)
def what_was_read(params: Params) -> tuple[pd.DataFrame, Origin]:
    frame = pd.concat([_survey_rows(s, params.data_dir) for s in ("staff", "parent")], ignore_index=True)
    frame["invited"] = frame["invited"].astype("Int64")
    # Local only where a wave is the authority's own: a folder roses synth marked stays illustrative.
    own = any((data.responses(s, params.data_dir).waves["origin"] == "local").any() for s in ("staff", "parent"))
    origin = Origin.LOCAL if own else Origin.ILLUSTRATIVE
    return frame, origin
