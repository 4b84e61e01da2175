"""Coding free-text comments with the rule-based theme codebook (``data/instruments/comment_themes.yml``).

A comment gets every theme one of whose patterns matches it; a comment matching none is "uncoded"
(counted, so a reader can judge the codebook's reach). Counts are per theme, group and wave, with
disclosure control on small counts; example comments are shown only after redaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from roses.core.cache import cached_on_file
from roses.core.paths import data_file
from roses.survey import cellkey, disclosure
from roses.survey.redact import redact

UNCODED = "uncoded"


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    polarity: str
    patterns: tuple[re.Pattern, ...]

    def matches(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)


def codebook(survey: str, data_dir: Path | None = None) -> list[Theme]:
    return list(_codebook(str(data_file(data_dir, "instruments", "comment_themes.yml")), survey))


@cached_on_file(maxsize=8)
def _codebook(path: str, survey: str) -> tuple[Theme, ...]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return tuple(
        Theme(t["id"], t["label"], t["polarity"], tuple(re.compile(p, re.IGNORECASE) for p in t["patterns"]))
        for t in raw[survey]
    )


def code(texts: pd.Series, themes: list[Theme]) -> pd.DataFrame:
    """One row per (comment, theme) match: index of the comment and theme id ("uncoded" if none)."""
    rows = []
    for index, text in texts.items():
        matched = [t.id for t in themes if t.matches(str(text))] or [UNCODED]
        rows += [(index, theme) for theme in matched]
    return pd.DataFrame(rows, columns=["comment", "theme"])


def usable_only(comments: pd.DataFrame, status: pd.DataFrame | None) -> pd.DataFrame:
    """Only the comments of authority-waves whose survey results are published and used in group results
    (``status`` "" in :func:`roses.survey.scoring.reliability`): none from a suppressed or unreliable wave."""
    if status is None:
        return comments
    usable = status.loc[status["status"] == "", ["authority", "wave"]].astype({"authority": str, "wave": int})
    keys = comments[["authority", "wave"]].astype({"authority": str, "wave": int})
    keep = pd.MultiIndex.from_frame(keys).isin(pd.MultiIndex.from_frame(usable))
    return comments[keep]


def theme_counts(
    comments: pd.DataFrame, themes: list[Theme], groups: dict[str, int], status: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Comments per theme, group and wave, with small counts suppressed (secondary within group-wave).

    ``status``: each authority-wave's reliability (``roses.survey.scoring.reliability``); comments of
    authority-waves that are suppressed or unreliable are left out, as they are of every group result.
    The published frame says only ``c`` for a suppressed count, never whether it is a small count or
    a secondary one (that would bound it: a pair summing to 6 with one known to be 1-4 and the other
    5 or more is 1 and 5).
    """
    comments = usable_only(comments, status)
    comments = comments[comments["authority"].map(groups).notna()]
    unique = comments.drop_duplicates("text")["text"]
    coded = code(unique, themes).assign(text=lambda f: unique.loc[f["comment"]].values)
    joined = comments.merge(coded[["text", "theme"]], on="text")
    joined["group"] = joined["authority"].map(groups)
    counts = joined.groupby(["group", "wave", "theme"]).size().rename("count")
    grouped = comments.assign(group=comments["authority"].map(groups))
    totals = grouped.groupby(["group", "wave"]).size()
    # Every theme has a row in every group-wave, zeros too: a row appearing would name a new comment's theme.
    every = [(g, w, t) for g, w in totals.index for t in [th.id for th in themes] + [UNCODED]]
    counts = counts.reindex(pd.MultiIndex.from_tuples(every, names=counts.index.names), fill_value=0).reset_index()
    counts["comments"] = [totals[(g, w)] for g, w in zip(counts["group"], counts["wave"])]
    # Cell-key perturbation (docs/disclosure.md, rule 3): the key of a group-wave comes from all its
    # comments, so one comment more or fewer redraws every theme's count, not only its own theme's.
    keys = cellkey.cell_keys(grouped, ["group", "wave"], kind="comments")
    key = keys.reindex(pd.MultiIndex.from_frame(counts[["group", "wave"]])).to_numpy()
    label = "theme|" + counts["theme"].astype(str)
    counts["count"] = cellkey.perturb(counts["count"], key, label, cellkey.COUNT_NOISE, 0, counts["comments"]).astype(
        int
    )
    counts["pct_of_comments"] = (100 * counts["count"] / counts["comments"]).round(1)
    labels = {t.id: t.label for t in themes} | {UNCODED: "No theme matched"}
    polarity = {t.id: t.polarity for t in themes} | {UNCODED: ""}
    counts.insert(2, "polarity", counts["theme"].map(polarity))
    counts.insert(4, "label", counts["theme"].map(labels))
    counts = disclosure.suppress_counts(counts, margins=[["group", "wave"]])
    # Fewer than 10 comments in a group-wave: nothing of it is published (rule 1, minimum base).
    few = counts["comments"] < disclosure.MIN_RESPONDENTS
    counts.loc[few, "count"] = disclosure.SUPPRESSED
    counts.loc[(counts["suppression"] != "") | few, "pct_of_comments"] = float("nan")
    # A group-wave whose total would give a hidden count back publishes no total either.
    withheld = (counts.pop("total_status") != "") | few
    counts["comments"] = counts["comments"].astype("float64").where(~withheld)
    return counts.drop(columns="suppression")


def examples(comments: pd.DataFrame, themes: list[Theme], per_theme: int = 1) -> pd.DataFrame:
    """Redacted example comments, ``per_theme`` for each theme (first in a stable order)."""
    unique = comments.drop_duplicates("text").sort_values("text")["text"]
    coded = code(unique, themes)
    coded = coded[coded["theme"] != UNCODED]
    # Prefer comments the redactor changes, so readers see what redaction does.
    coded["changed"] = [redact(unique.loc[i]) != unique.loc[i] for i in coded["comment"]]
    picks = coded.sort_values(["changed", "comment"], ascending=[False, True]).groupby("theme").head(per_theme)
    picks = picks.sort_values("theme")
    labels = {t.id: t.label for t in themes}
    return pd.DataFrame(
        {
            "theme": picks["theme"].values,
            "label": picks["theme"].map(labels).values,
            "example (redacted)": [redact(unique.loc[i]) for i in picks["comment"]],
        }
    )
