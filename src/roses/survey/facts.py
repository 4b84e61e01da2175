"""Named survey numbers for the chapters' prose, read from the exhibit frames (so prose, chart and
download agree). ``roses.facts`` merges these into each chapter's facts."""

from __future__ import annotations

from pathlib import Path

from ..display import frame
from . import disclosure, scoring


def count(n: int) -> str:
    """Small counts as words, as in running prose."""
    from ..facts import count as as_words

    return as_words(n)


def _group_value(exhibit: str, column: str, group: int, wave: int, data_dir, **match) -> float:
    f = frame(exhibit, data_dir=data_dir)
    rows = f[(f["level"] == "group") & (f["group"] == group) & (f["wave"] == wave)]
    for key, value in match.items():
        rows = rows[rows[key] == value]
    return float(rows[column].iloc[0])


def _all_value(exhibit: str, column: str, wave: int, data_dir, **match) -> float:
    f = frame(exhibit, data_dir=data_dir)
    rows = f[(f["level"] == "all") & (f["wave"] == wave)]
    for key, value in match.items():
        rows = rows[rows[key] == value]
    return float(rows[column].iloc[0])


def meaningful_measures(data_dir: Path | None = None) -> dict[str, str]:
    rates = frame("figure-4.4-response-rates", data_dir=data_dir)
    pct = rates["response_rate"] * 100
    themes = frame("figure-4.4-comment-themes", data_dir=data_dir)
    known = themes[themes["suppression"] == ""].assign(n=lambda f: f["count"].astype(int))
    totals = known.groupby(["label", "polarity"])["n"].sum().reset_index().sort_values("n")
    change = frame("figure-4.5-change-one-thing", data_dir=data_dir)
    parents = frame("figure-4.5-parent-survey", data_dir=data_dir)
    last_round = parents["wave"].max()
    adequate = parents[(parents["level"] == "authority") & (parents["wave"] == last_round) & (parents["status"] == "")]
    return {
        "survey_rate_mean": f"{pct.mean():.0f}%",
        "survey_rate_min": f"{pct.min():.0f}%",
        "survey_rate_max": f"{pct.max():.0f}%",
        "survey_rate_threshold": f"{scoring.MIN_RESPONSE_RATE:.0%}",
        "survey_min_respondents": str(disclosure.MIN_RESPONDENTS),
        "survey_n_unreliable": count((rates["status"] == disclosure.LOW_RELIABILITY).sum()),
        "survey_top_positive": totals[totals["polarity"] == "positive"]["label"].iloc[-1].lower(),
        "survey_top_negative": totals[totals["polarity"] == "negative"]["label"].iloc[-1].lower(),
        "parent_nothing_pct": f"{change.loc[change['level'] == 'all rounds', 'pct_nothing'].iloc[0]:.0f}%",
        "parent_last_round_adequate": count(adequate["authority"].nunique()),
    }


def leadership(data_dir: Path | None = None) -> dict[str, str]:
    facts = {}
    for g in (1, 2, 3):
        for w in (3, 4):
            facts[f"safety_climate_g{g}_w{w}"] = f"{_group_value('figure-2.1', 'scale_score', g, w, data_dir):.0f}"
    blame = frame("figure-2.2", data_dir=data_dir)
    facts["blame_agree_min"] = f"{blame.loc[blame['level'] == 'group', 'pct_agree'].min():.0f}%"
    return facts


def practice(data_dir: Path | None = None) -> dict[str, str]:
    use = frame("figure-6.1", data_dir=data_dir)
    every = use[use["level"] == "all"].groupby("wave")["mean"].mean()
    confidence = frame("figure-6.2", data_dir=data_dir)
    last = int(confidence["wave"].max())
    first = int(confidence["wave"].min())
    return {
        "use_peak_wave": str(int(every.idxmax())),
        "three_houses_confidence_last": f"{_all_value('figure-6.2', 'mean', last, data_dir, method='three_houses'):.1f}",
        "direct_work_agree_first": f"{_all_value('figure-6.4', 'pct_agree', first, data_dir):.0f}%",
        "direct_work_agree_last": f"{_all_value('figure-6.4', 'pct_agree', last, data_dir):.0f}%",
    }


def findings(data_dir: Path | None = None) -> dict[str, str]:
    items = frame("figure-7.5", data_dir=data_dir)
    every = items[items["level"] == "all"]
    like = every.loc[every["item"] == "saq_js_like_job", "pct_agree"]
    morale = every.loc[every["item"] == "saq_js_morale", "mean"]

    def change(exhibit: str, group: int) -> str:
        delta = _group_value(exhibit, "scale_score", group, 4, data_dir) - _group_value(exhibit, "scale_score", group, 3, data_dir)
        return f"{delta:+.0f}"

    return {
        "like_job_min": f"{like.min():.0f}%", "like_job_max": f"{like.max():.0f}%",
        "morale_mean": f"{morale.mean():.1f}",
        "management_change_g2": change("figure-7.3", 2), "management_change_g3": change("figure-7.3", 3),
        "stress_change_g3": change("figure-7.7", 3), "safety_change_g3": change("figure-7.2", 3),
    }
