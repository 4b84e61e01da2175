"""HTML blocks a page shows besides exhibits: the edition banner, the data footer, the catalogue of
exhibits, and the Provenance and What changed tables."""

from __future__ import annotations

import html

import pandas as pd

from roses.exhibits.registry import Params, all_exhibits
from roses.pages.render import HTML, data_table
from roses.published.tables import AUTHORITIES
from roses.records import provenance, releases
from roses.survey.readers import local_authorities


def banner(params: Params) -> HTML | None:
    """In an edition, say whose edition it is and how the others are shown."""
    if params.authority:
        name = html.escape(params.authority)
        return HTML(
            f'<div class="roses-edition" role="note"><strong>Edition for {name}.</strong> '
            f"{name} is shown against England, its region and its ten DfE statistical neighbours, "
            f"who are named; no other authority is named, and none of the programme's illustrative "
            f"data appear.</div>"
        )
    if params.highlight:
        return HTML(
            f'<div class="roses-edition" role="note"><strong>Edition for authority {html.escape(params.highlight)}.'
            f"</strong> Your authority is highlighted in every table and chart; other authorities appear only "
            f"under their anonymised letters or as group summaries.{local_survey_note(params.data_dir)}</div>"
        )
    if params.data_dir:
        return HTML(f'<div class="roses-edition" role="note">{local_survey_note(params.data_dir)}</div>')
    return None


def local_survey_note(data_dir) -> str:
    """For a page built with ``--data``: which programme authorities' survey figures come from the
    folder's own exports and which are illustrative (issue 29: never one shown for the other)."""
    if not data_dir:
        return ""
    parts = []
    for survey in ("staff", "parent"):
        found = local_authorities(data_dir, survey)
        local = [a for a in AUTHORITIES if found.get(a) == "local"]
        rest = [a for a in AUTHORITIES if a not in local]
        if not local:
            parts.append(f"{survey} survey: illustrative for every authority")
        else:
            parts.append(
                f"{survey} survey: local data for {', '.join(local)}"
                + (f"; illustrative for {', '.join(rest)}" if rest else "")
            )
    return " <strong>Survey data in this build</strong>: " + html.escape("; ".join(parts)) + "."


def data_used(data_dir) -> HTML:
    """A chapter's closing note: the data files it read, with short checksums."""
    used = provenance.data_used(data_dir)
    if used.empty:
        body = "<p>This chapter read no data files.</p>"
    else:
        body = data_table(used, "Data files read by this chapter (sha256, first 12 characters)")
    return HTML(
        f'<footer class="roses-data-used"><details><summary>Data used by this chapter '
        f"({len(used)} files)</summary>{body}<p>Full checksums and package versions: "
        f'<a href="provenance.html">Provenance</a>.</p></details></footer>'
    )


def catalogue() -> HTML:
    """A table of every registered exhibit: number, title, chapter and origin."""
    rows = [
        {"exhibit": ex.number, "title": ex.title, "chapter": ex.chapter, "origin": ex.origin.label}
        for ex in all_exhibits()
    ]
    return HTML(data_table(pd.DataFrame(rows), "Exhibits in this book"))


def data_files(data_dir) -> HTML:
    return HTML(data_table(provenance.data_files(data_dir), "Data files read by this build, with SHA-256 checksums"))


def packages() -> HTML:
    """Direct dependencies as a table, the full lock in a collapsed table below it."""
    direct = data_table(provenance.packages(direct_only=True), "Direct dependencies: locked and installed versions")
    full = data_table(provenance.packages(), "Every package in requirements.lock: locked and installed versions")
    return HTML(f"{direct}<details><summary>Every pinned package</summary>{full}</details>")


CHANGES = {
    "exhibits": ("Exhibits changed since release {}", "No exhibit has changed since release {}."),
    "data": ("Data files changed since release {}", "No data file has changed since release {}."),
}


def changes(kind: str, data_dir) -> HTML:
    """The exhibits or data files changed since the release this book is compared with (releases.changes),
    or a sentence when none did."""
    facts, exhibits, data = releases.changes(data_dir)
    frame = (exhibits if kind == "exhibits" else data).rename(columns={"status": "change"})  # not a survey status
    caption, nothing = (text.format(facts["wc_release"]) for text in CHANGES[kind])
    return HTML(data_table(frame, caption, condensed=True) if len(frame) else f"<p>{nothing}</p>")
