"""Issue 14, statistical part: each attack reproduced, and shown to recover nothing now.

The suppression audit (roses.exhibits.audit) is an interval attack by linear programming; tables built
to be attackable must fail it, and every shipped survey frame must pass it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from roses.exhibits import audit
from roses.exhibits.audit import DisclosureError
from roses.exhibits.registry import Exhibit, Params, all_exhibits, get
from roses.pages.render import render
from roses.survey import cellkey, comments, data, disclosure, synth
from roses.survey.model import Responses

SURVEY = sorted(ex.id for ex in all_exhibits() if ex.build.__module__ == "roses.exhibits.survey")


# --- The solver against tables built to be attackable --------------------------------------------------


def old_change_one_thing() -> pd.DataFrame:
    """Exhibit R4.5 as it was: a group-round of 3 answers suppressed, the all-rounds total published."""
    return pd.DataFrame(
        {
            "level": ["all rounds", "group", "group", "group"],
            "group": [pd.NA, 1, 2, 3],
            "wave": [pd.NA, 1, 1, 1],
            "answers": [153, 111, 39, 3],
            "nothing": [84.0, 61, 21, np.nan],
            "pct_nothing": [54.9, 55.0, 53.8, np.nan],
            "status": ["", "", "", "c"],
        }
    )


def test_subtraction_from_the_all_rounds_total_fails_the_audit():
    found = audit.findings("exhibit-r4.5-change-one-thing", old_change_one_thing())
    assert len(found) == 1 and (found[0].low, found[0].high) == (2, 2)  # 84 - 61 - 21
    with pytest.raises(DisclosureError, match=r"exhibit-r4.5-change-one-thing: nothing of group 3 wave 1 .* 2\.\.2"):
        audit.audit("exhibit-r4.5-change-one-thing", old_change_one_thing())


def test_a_group_mean_over_a_suppressed_authority_fails_the_audit():
    table = pd.DataFrame(
        {
            "level": ["group", "authority", "authority"],
            "group": [1, 1, 1],
            "authority": ["", "A", "B"],
            "wave": [1, 1, 1],
            "pct_agree": [50.0, 40.0, np.nan],
            "respondents": [100, 90, 8],
            "authorities": [2, 1, 1],
            "based_on": ["A B", "A", "B"],
            "status": ["", "", "c"],
        }
    )
    (finding,) = audit.findings("t", table)
    assert "authority B" in finding.cell and finding.high - finding.low < 1  # B's value is 60
    # Means over published rows only (what roses.survey.scoring.summarise does) give nothing away.
    fixed = table.assign(pct_agree=[40.0, 40.0, np.nan], authorities=[1, 1, 1], based_on=["A", "A", "B"])
    assert audit.findings("t", fixed) == []


def test_a_lone_hidden_theme_count_is_recovered_and_a_protected_pair_is_not():
    lone = pd.DataFrame({"group": 1, "wave": 1, "theme": list("abc"), "count": ["c", "30", "5"], "comments": 38.0})
    (finding,) = audit.findings("themes", lone, perturbed=False)
    assert (finding.low, finding.high) == (3, 3)
    # Perturbed counts (roses.survey.cellkey) are each known only to within +-3: 38 - 30 - 5 is no longer 3.
    assert audit.findings("themes", lone) == []
    pair = pd.DataFrame({"group": 1, "wave": 1, "theme": list("abc"), "count": ["c", "c", "30"], "comments": 36.0})
    assert audit.findings("themes", pair, perturbed=False) == []  # each hidden count may be anything from 1 to 5


def test_theme_suppression_cannot_be_bounded_to_one_value():
    # Group 1 wave 3: 3 comments of one theme, 5 of another, 30 of a third. Suppressing 3 (primary)
    # and 5 (secondary) and labelling them so said "1-4" and "5 or more": with a sum of 8 known, the
    # labels bounded them; now only "c" is published, so each is anything from 1 to 7.
    first, second, third = list(synth.STAFF_COMMENTS)[:3]
    texts = (
        [synth.STAFF_COMMENTS[first][0]] * 3
        + [synth.STAFF_COMMENTS[second][0]] * 5
        + [synth.STAFF_COMMENTS[third][0]] * 30
    )
    notes = pd.DataFrame(
        {
            "authority": "A",
            "wave": 3,
            "respondent": range(len(texts)),
            "question": "working_well",
            "text": [f"{t} {i}" for i, t in enumerate(texts)],
        }
    )
    counts = comments.theme_counts(notes, comments.codebook("staff"), {"A": 1})
    assert "suppression" not in counts
    assert (counts["count"] == "c").sum() >= 2
    assert audit.findings("exhibit-r4.2-comment-themes", counts) == []


# --- Counts behind percentages and means ------------------------------------------------------------------


def test_a_percentage_beside_its_base_gives_the_count_unless_perturbed():
    lo, hi = disclosure.count_range([0.5], [189])
    assert (lo[0], hi[0]) == (1, 1)  # 0.5% of 189 is one person
    assert disclosure.small(*disclosure.share_range([0.5], [189], perturbed=False))[0]
    # From a perturbed count (every entry of the table, every true count) no percentage pins 1-4.
    counts = np.arange(0, 190)
    for entry in range(-cellkey.MAX_COUNT_MOVE, cellkey.MAX_COUNT_MOVE + 1):
        pct = np.round(100 * np.clip(counts + entry, 0, 189) / 189, 1)
        assert not disclosure.small(*disclosure.share_range(pct, np.full(len(pct), 189))).any()


def test_ten_respondents_and_a_mean_fix_the_distribution_and_the_row_is_suppressed():
    row = pd.DataFrame(
        {
            "respondents": [10, 150],
            "pct_agree": [0.0, 60.0],
            "pct_disagree": [100.0, 20.0],
            "mean": [1.1, 3.5],
            "status": ["", ""],
        }
    )
    exact = disclosure.likert_count_ranges(
        row["respondents"], row["pct_agree"], row["pct_disagree"], row["mean"], perturbed=False
    )
    assert (exact["answer 2"][0][0], exact["answer 2"][1][0]) == (1, 1)  # nine 1s and one 2
    assert disclosure.reveals_small_count(row, perturbed=False).tolist() == [True, False]
    table = row.assign(level="authority", authority="A", authorities=1, group=1, wave=1)
    (finding, *_) = audit.findings("t", table, perturbed=False)
    assert "answer" in finding.cell
    # Published figures come from perturbed counts and sums: the same row no longer pins anyone.
    assert disclosure.reveals_small_count(row).tolist() == [False, False]
    assert audit.findings("t", table) == []


def test_method_means_at_the_end_of_the_scale_are_caught():
    ranges = disclosure.mean_count_ranges([10, 10], [1.1, 3.0], perturbed=False)
    lo, hi = ranges["not the lowest answer"]
    assert disclosure.small(lo, hi).tolist() == [True, False]
    lo, hi = disclosure.mean_count_ranges([10, 10], [1.1, 3.0])["not the lowest answer"]  # from a perturbed sum
    assert lo[0] == 0 and hi[0] >= disclosure.MIN_COUNT


@pytest.mark.parametrize("exhibit_id", SURVEY)
def test_every_survey_frame_passes_the_audit_and_no_percentage_gives_a_small_count(exhibit_id):
    frame = get(exhibit_id).frame()
    assert audit.findings(exhibit_id, frame) == []
    for pct in ("pct_agree", "pct_disagree", "percent_positive", "pct_nothing", "pct_of_comments"):
        base = "respondents" if "respondents" in frame else "answers" if "answers" in frame else "comments"
        if pct not in frame or base not in frame:
            continue
        rows = frame.dropna(subset=[pct, base])
        if "level" in rows and "authorities" in rows:  # a group mean over several authorities is not a share of n
            rows = rows[(rows["level"] == "authority") | (rows["authorities"] == 1)]
        # Every share comes from a perturbed count: even read as exact, its range never pins 1-4.
        lo, hi = disclosure.share_range(rows[pct], rows[base])
        assert not disclosure.small(lo, hi).any(), exhibit_id


# --- The shipped exhibits --------------------------------------------------------------------------------


def test_change_one_thing_total_adds_up_only_what_is_shown():
    f = get("exhibit-r4.5-change-one-thing").frame()
    total, groups = f[f["level"] == "all rounds"].iloc[0], f[f["level"] == "group"]
    assert (
        total["nothing"] == groups["nothing"].sum()
        and total["answers"] == groups.loc[groups["status"] == "", "answers"].sum()
    )
    assert (groups["status"] == "c").any()  # the hidden cell is still there, as c
    assert audit.findings("exhibit-r4.5-change-one-thing", f) == []


def test_comments_of_suppressed_or_unreliable_authority_waves_are_not_counted():
    status = pd.DataFrame({"authority": ["A", "B"], "wave": [3, 3], "status": ["c", ""]})
    notes = pd.DataFrame(
        {
            "authority": ["A"] * 12 + ["B"] * 12,
            "wave": 3,
            "respondent": range(24),
            "question": "working_well",
            "text": [f"Synthetic note {i}" for i in range(24)],
        }
    )
    counts = comments.theme_counts(notes, comments.codebook("staff"), {"A": 1, "B": 2}, status=status)
    assert set(counts["group"]) == {2} and counts["comments"].eq(12).all()
    shipped = get("exhibit-r4.2-comment-themes").frame()
    rates = get("exhibit-r4.1-response-rates").frame()
    for _, r in rates[rates["status"] != ""].iterrows():  # C and F wave 1 (u) are not in group 1/2 wave 1
        mine = synth.staff().comments.query("authority == @r.authority and wave == @r.wave")
        others = synth.staff().comments.query("wave == @r.wave and authority != @r.authority")
        group = int(r["group"])
        usable = rates[(rates["group"] == group) & (rates["wave"] == r["wave"]) & (rates["status"] == "")]["authority"]
        expected = others[others["authority"].isin(usable)]
        got = shipped[(shipped["group"] == group) & (shipped["wave"] == r["wave"])]["comments"].dropna()
        assert len(mine) and (got == len(expected)).all()


def test_frames_do_not_depend_on_the_edition():
    # Every programme edition shows the same frames with another authority highlighted, so comparing
    # editions (or an edition with the book) shows one suppression pattern per frame.
    for id in ("exhibit-r4.5-change-one-thing", "exhibit-r4.2-comment-themes", "figure-7.2", "figure-6.3"):
        book = get(id).frame(Params())
        for letter in ("A", "H", "K"):
            pd.testing.assert_frame_equal(get(id).frame(Params(highlight=letter)), book)


def test_render_refuses_an_attackable_exhibit():
    attackable = Exhibit(
        id="exhibit-r9.9-attackable",
        title="Attackable",
        chapter="findings",
        origin="illustrative",
        source="test",
        build=lambda p: old_change_one_thing(),
    )
    with pytest.raises(DisclosureError, match="exhibit-r9.9-attackable"):
        render(attackable, Params())


# --- Groups whose authorities change, or are all suppressed --------------------------------------------


@pytest.fixture
def thin_wave_4(monkeypatch, tmp_path):
    """Illustrative staff data with H, Group 3's only authority in wave 4, cut to 6 respondents."""
    base = synth.staff()
    keep = base.answers[(base.answers["authority"] == "H") & (base.answers["wave"] == 4)]["respondent"].unique()[:6]
    drop = lambda f: (f["authority"] == "H") & (f["wave"] == 4) & ~f["respondent"].isin(keep)  # noqa: E731
    waves = base.waves.copy()
    waves.loc[(waves["authority"] == "H") & (waves["wave"] == 4), "respondents"] = 6
    thin = Responses("staff", base.answers[~drop(base.answers)], waves, base.comments[~drop(base.comments)])
    real = data.responses
    monkeypatch.setattr(data, "responses", lambda survey, d=None: thin if survey == "staff" else real(survey, None))
    return Params(data_dir=tmp_path, highlight="H")


def test_a_group_whose_only_authority_is_suppressed_builds_with_the_cell_suppressed(thin_wave_4):
    for id in SURVEY:
        ex = get(id)
        frame = ex.frame(thin_wave_4)
        render(ex, thin_wave_4, frame)  # no IndexError, and the audit passes
        if (
            "level" in frame
            and "authorities" in frame
            and id != "exhibit-r4.4-parent-survey"
            and 4 in set(frame["wave"])
        ):
            g3 = frame[(frame["level"] == "group") & (frame["group"] == 3) & (frame["wave"] == 4)]
            assert len(g3) and (g3["status"] == "c").all() and g3["authorities"].eq(0).all(), id


def test_group_rows_name_their_authorities_and_lines_break_where_they_change():
    ex = get("figure-7.2")
    frame = ex.frame()
    g3 = frame[(frame["level"] == "group") & (frame["group"] == 3)].set_index("wave")
    assert g3.loc[3, "based_on"] == "H J K" and g3.loc[4, "based_on"] == "H" and g3.loc[4, "authorities"] == 1
    figure = ex.chart(frame, Params())
    (line,) = [t for t in figure.data if t.name == "Group 3"]
    assert list(line.x) == [3, None, 4]  # no segment from three authorities to one
    assert line.marker.symbol[-1] == "diamond-open"
    (same,) = [t for t in figure.data if t.name == "Group 1"]
    assert None not in list(same.x)
    summary = ex.summary(frame, Params())
    assert "Group 3 wave 4: 1 authority, was 3" in summary  # which one is the generator's choice (issue 31)


def test_summaries_state_no_result():
    for id in SURVEY:
        ex = get(id)
        text = ex.summary(ex.frame(), Params())
        assert "%" not in text.replace("20%", ""), (id, text)  # no share stated as a finding


def test_a_group_with_every_authority_suppressed_in_every_wave_builds(monkeypatch, tmp_path):
    base = synth.staff()
    mine = base.answers["authority"].astype(str).isin(["H", "J", "K"])
    keep = base.answers[mine].groupby(["authority", "wave"], observed=True)["respondent"].unique()
    kept = {(a, w): set(r[:6]) for (a, w), r in keep.items()}

    def thin(f):
        key = list(zip(f["authority"].astype(str), f["wave"]))
        return f[[k not in kept or r in kept[k] for k, r in zip(key, f["respondent"])]]

    waves = base.waves.copy()
    waves.loc[waves["authority"].isin(["H", "J", "K"]), "respondents"] = 6
    thin_data = Responses("staff", thin(base.answers), waves, thin(base.comments))
    real = data.responses
    monkeypatch.setattr(
        data, "responses", lambda survey, d=None: thin_data if survey == "staff" else real(survey, None)
    )
    params = Params(data_dir=tmp_path, highlight="J")
    for id in SURVEY:
        ex = get(id)
        frame = ex.frame(params)
        render(ex, params, frame)
        if "level" in frame and "authorities" in frame and id != "exhibit-r4.4-parent-survey":
            g3 = frame[(frame["level"] == "group") & (frame["group"] == 3)]
            assert len(g3) and (g3["status"] == "c").all(), id
        if id == "exhibit-r4.2-comment-themes":
            assert 3 not in set(frame["group"])  # no comment of a suppressed authority-wave is counted


def test_secondary_suppression_always_passes_the_audit():
    # Random theme tables (one theme per comment, so the total is the exact sum: the attacker's best case).
    rng = np.random.default_rng(14)
    for _ in range(150):
        counts = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 30], size=(rng.integers(1, 4), rng.integers(2, 6)))
        table = pd.DataFrame(
            [
                {"group": g, "wave": 1, "theme": f"t{t}", "count": int(n)}
                for g, row in enumerate(counts, start=1)
                for t, n in enumerate(row)
            ]
        )
        out = disclosure.suppress_counts(table, margins=[["group", "wave"]])
        out["comments"] = (
            table.groupby("group")["count"].transform("sum").astype(float).where(out.pop("total_status") == "")
        )
        published = out.drop(columns="suppression")
        assert audit.findings("random", published, perturbed=False) == [], table


def test_two_ones_do_not_protect_each_other():
    # Two hidden counts summing to 2 are each exactly 1: a third cell must go too.
    table = pd.DataFrame({"group": 1, "wave": 1, "theme": list("abc"), "count": [1, 1, 30]})
    out = disclosure.suppress_counts(table, margins=[["group", "wave"]])
    assert out["count"].tolist() == ["c", "c", "c"] or (out["total_status"] == "c").all()
    attack = table.assign(count=["c", "c", "30"], comments=32.0)
    assert {(f.low, f.high) for f in audit.findings("t", attack, perturbed=False)} == {(1, 1)}


def test_ten_respondents_whose_mean_fixed_their_answers_are_protected_end_to_end(monkeypatch, tmp_path):
    # Authority A, wave 4: ten respondents; on "direct_work_time" nine answer 1 and one answers 2.
    base = synth.staff()
    answers = base.answers.copy()
    mine = (answers["authority"] == "A") & (answers["wave"] == 4)
    ten = answers.loc[mine, "respondent"].unique()[:10]
    answers = answers[~mine | answers["respondent"].isin(ten)].copy()
    item = (answers["authority"] == "A") & (answers["wave"] == 4) & (answers["item"] == "direct_work_time")
    values = [1] * 9 + [2]
    answers.loc[item, "value"] = np.array(values[: int(item.sum())], dtype=answers["value"].dtype)
    waves = base.waves.copy()
    waves.loc[(waves["authority"] == "A") & (waves["wave"] == 4), "respondents"] = 10
    thin = Responses("staff", answers, waves, base.comments)
    real = data.responses
    monkeypatch.setattr(data, "responses", lambda survey, d=None: thin if survey == "staff" else real(survey, None))
    params = Params(data_dir=tmp_path, highlight="A")
    frame = get("figure-6.4").frame(params)
    row = frame[(frame["level"] == "authority") & (frame["authority"] == "A") & (frame["wave"] == 4)].iloc[0]
    assert row["respondents"] == 10
    # The mean comes from a perturbed sum: 10 x mean is no longer the sum of the answers, and the
    # row (shown, marked u for its response rate) no longer says that exactly one answer was not 1.
    lo, hi = disclosure.derivable_counts(frame.loc[[row.name]])["answer 2"]
    assert not disclosure.small(lo, hi).any()
    assert audit.findings("figure-6.4", frame) == []
    render(get("figure-6.4"), params, frame)


def test_a_published_count_of_1_to_4_or_its_complement_fails_the_audit():
    rows = pd.DataFrame(
        {
            "level": "group",
            "group": [1, 2],
            "wave": 1,
            "answers": [40, 40],
            "nothing": [37.0, 3.0],
            "pct_nothing": [92.5, 7.5],
            "status": "",
        }
    )
    cells = sorted(f.cell.split(" of row")[0] for f in audit.findings("t", rows))
    assert cells == ["answers - nothing", "nothing"]


# --- Issue 28: frames of one page read together; rules and audit never disagree ---------------------------


def _page_frames(like_job_mean: float) -> dict[str, pd.DataFrame]:
    """Figure 7.4's and 7.5's rows for A wave 4 (ten staff), as published with exact figures."""
    items = ["saq_js_like_job", "saq_js_good_place", "saq_js_proud", "saq_js_morale"]
    score = pd.DataFrame(
        {
            "level": ["authority"],
            "authority": ["A"],
            "wave": [4],
            "dimension": ["job_satisfaction"],
            "scale_score": [25 * ((like_job_mean + 15) / 4 - 1)],  # the others all 5
            "respondents": [10],
        }
    )
    rows = pd.DataFrame(
        {
            "level": "authority",
            "authority": "A",
            "wave": 4,
            "item": items,
            "mean": [np.nan, 5.0, 5.0, 5.0],
            "respondents": 10,
        }
    )
    return {"figure-7.4": score, "figure-7.5": rows}


def test_figure_7_4_minus_figure_7_5_is_audited_jointly():
    frames = _page_frames(4.9)  # one of ten answered 4 to "I like my job": its row is hidden in 7.5
    (finding,) = audit.joint_findings(frames, perturbed=False)
    assert "saq_js_like_job" in finding.cell and round(finding.low, 2) <= 4.9 <= round(finding.high, 2)
    assert audit.joint_findings(frames) == []  # perturbed figures: the score minus the items pins nothing
    with pytest.raises(DisclosureError, match="frames read together"):
        audit.audit_page(("test page", 1), "figure-7.4", frames["figure-7.4"], perturbed=False)
        audit.audit_page(("test page", 1), "figure-7.5", frames["figure-7.5"], perturbed=False)


def test_the_shipped_page_of_figures_7_4_and_7_5_passes_the_joint_audit():
    frames = {id: get(id).frame() for id in ("figure-7.4", "figure-7.5")}
    assert audit.joint_findings(frames) == []


def test_a_group_wave_of_three_comments_builds():
    # Issue 28: three comments in a group-wave made the audit refuse what the rules produced.
    notes = pd.DataFrame(
        {
            "authority": ["A"] * 3 + ["B"] * 30,
            "wave": 3,
            "respondent": range(33),
            "question": "working_well",
            "text": [f"Synthetic: supervision helps {i}" for i in range(3)]
            + [f"Synthetic note {i}" for i in range(30)],
        }
    )
    counts = comments.theme_counts(notes, comments.codebook("staff"), {"A": 1, "B": 2})
    assert (counts.loc[counts["group"] == 1, "count"] == "c").all()
    assert audit.findings("exhibit-r4.2-comment-themes", counts) == []


def test_the_rules_and_the_audit_never_disagree_on_comment_themes():
    rng = np.random.default_rng(28)
    themes = comments.codebook("staff")
    texts = [t for ts in synth.STAFF_COMMENTS.values() for t in ts]
    for trial in range(40):
        n = int(rng.integers(1, 40))
        notes = pd.DataFrame(
            {
                "authority": rng.choice(["A", "B", "C"], n),
                "wave": 3,
                "respondent": range(n),
                "question": "working_well",
                "text": [f"{texts[i]} {trial}-{j}" for j, i in enumerate(rng.integers(0, len(texts), n))],
            }
        )
        counts = comments.theme_counts(notes, themes, {"A": 1, "B": 1, "C": 2})
        assert audit.findings("exhibit-r4.2-comment-themes", counts) == [], trial
