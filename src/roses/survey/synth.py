"""Illustrative respondent-level survey data, generated deterministically in memory.

The report gives its survey results only as charts and sentences. This generator makes respondents
whose scored answers reproduce those sentences (DESIGN.md section 6; ``tests/test_survey_statements.py``
asserts each one from the scored exhibits). Nothing here is real: every figure built from it is badged
"illustrative".

How it works: each answer is ``round(level + person + noise)`` clipped to 1-5, where ``level`` is a
target for the item in that authority and wave (set below per progress group, in the item's positive
direction for SAQ items and as worded for the constant statements), ``person`` is a respondent's
general outlook and ``noise`` is the item-level scatter. The targets are the only calibration; the
generator is fast (a fraction of a second) and cached per process and seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtri

from roses.core.cache import BoundedCache, computed_from_files
from roses.survey import SEED, instruments
from roses.survey.model import Responses, tidy_answers

PERSON_SD = 0.35
NOISE_SD = 0.75
GROUP_OF = {"A": 1, "B": 1, "C": 1, "D": 2, "E": 2, "F": 2, "G": 2, "H": 3, "J": 3, "K": 3}
# How far each authority sits from its group's targets (zero on average within each group; H, the
# only Group 3 authority in wave 4, sits on its group's targets so that wave is comparable).
AUTHORITY_SHIFT = {
    "A": 0.05,
    "B": -0.03,
    "C": -0.02,
    "D": -0.04,
    "E": 0.03,
    "F": -0.02,
    "G": 0.03,
    "H": 0.0,
    "J": 0.04,
    "K": -0.04,
}

# Staff invited to each wave and the response rates (%) per wave 1-4; None: no survey that wave.
# Mean 43%, range 13-74%; C and F's first waves fall below the reliability threshold; only H of
# Group 3 ran wave 4.
STAFF_INVITED = {"A": 320, "B": 260, "C": 410, "D": 380, "E": 300, "F": 220, "G": 450, "H": 350, "J": 280, "K": 240}
STAFF_RATES = {
    "A": (46, 54, 63, 58),
    "B": (40, 51, 74, 64),
    "C": (13, 43, 50, 46),
    "D": (37, 44, 53, 49),
    "E": (31, 35, 48, 42),
    "F": (17, 33, 41, 38),
    "G": (43, 46, 55, 51),
    "H": (29, 32, 40, 35),
    "J": (36, 39, 44, None),
    "K": (33, 37, 42, None),
}
DIRECT_WORK_SHARE = 0.75  # section 1 is answered only by staff in direct work with families
COMMENT_SHARE = 0.3  # share of respondents answering each open question

# Parent survey: families invited and responses per round 1-3. In round 3 only A and D had enough.
PARENT_INVITED = {"A": 90, "B": 80, "C": 100, "D": 95, "E": 85, "F": 70, "G": 110, "H": 90, "J": 75, "K": 70}
PARENT_RESPONSES = {
    "A": (38, 41, 33),
    "B": (31, 35, 6),
    "C": (42, 37, None),
    "D": (36, 40, 31),
    "E": (27, 30, 4),
    "F": (22, 25, None),
    "G": (40, 44, 8),
    "H": (29, 26, None),
    "J": (24, 27, 3),
    "K": (21, 23, None),
}
NOTHING_TO_CHANGE = 0.54  # share of parents' "change one thing" answers saying nothing

# --- Targets for the constant statements, as worded, per group and wave 1-4 ----------------------
CONSTANT_LEVELS = {
    "direct_work_time": {1: (3.55, 3.75, 3.95, 4.15), 2: (3.6, 3.8, 4.0, 4.2), 3: (3.65, 3.85, 4.05, 4.3)},
    "targets_precedence": {1: (3.65, 3.5, 3.35, 3.15), 2: (3.5, 3.52, 3.48, 3.5), 3: (3.35, 3.5, 3.7, 3.95)},
    "critical_reflection": {1: (2.9, 3.05, 3.2, 3.45), 2: (2.7, 2.72, 2.76, 2.8), 3: (2.85, 2.7, 2.55, 2.35)},
    "shared_risk_culture": {1: (3.2, 3.35, 3.45, 3.65), 2: (3.0, 3.04, 3.1, 3.16), 3: (3.1, 2.95, 2.85, 2.65)},
    "manager_shared_risk": {1: (3.3, 3.4, 3.5, 3.65), 2: (3.1, 3.12, 3.15, 3.2), 3: (3.2, 3.05, 2.95, 2.8)},
    "mistake_incompetent": {1: (3.0, 2.95, 2.9, 2.85), 2: (3.1, 3.05, 3.0, 2.95), 3: (3.0, 3.1, 3.2, 3.35)},
}
EIP1_LEVELS = {1: (3.5, 3.6), 2: (3.1, 3.25), 3: (3.2, 3.15)}  # the EIP1 questionnaire, waves 1-2

# --- SAQ: level of each dimension (positive direction) per group, waves 3 and 4 ------------------
SAQ_LEVELS = {
    "teamwork_climate": {1: (3.75, 3.85), 2: (3.55, 3.49), 3: (3.4, 3.22)},
    "safety_climate": {1: (3.7, 3.85), 2: (3.45, 3.62), 3: (3.3, 3.1)},
    "job_satisfaction": {1: (3.7, 3.82), 2: (3.5, 3.62), 3: (3.35, 3.18)},
    "stress_recognition": {1: (3.55, 3.7), 2: (3.5, 3.6), 3: (3.8, 4.15)},
    "perceptions_of_management": {1: (3.6, 3.72), 2: (2.95, 3.35), 3: (2.8, 2.79)},
    "working_conditions": {1: (3.55, 3.8), 2: (3.3, 3.58), 3: (3.2, 3.0)},
}
# Item offsets within a dimension: "I like my job" is high, team morale sits near neutral.
ITEM_OFFSETS = {"saq_js_like_job": 0.62, "saq_js_morale": -0.65, "saq_js_good_place": 0.05, "saq_js_proud": 0.05}

# --- Section 1: use and confidence per method ------------------------------------------------------
USE_BY_WAVE = (3.0, 3.4, 3.8, 3.55)  # rises to wave 3, dips at wave 4
USE_GROUP = {1: 0.15, 2: -0.05, 3: -0.1}
CONFIDENCE_BY_GROUP = {1: (2.6, 2.75, 2.66, 2.85), 2: (2.2, 2.45, 2.75, 3.0), 3: (2.4, 2.5, 2.6, 2.65)}
METHOD_OFFSETS = {
    "three_houses": 0.45,
    "mapping": 0.0,
    "scaling": -0.05,
    "danger_statements": -0.1,
    "safety_planning": -0.15,
    "safety_network": -0.2,
    "words_pictures": -0.25,
}
# Group 3 is erratic: its confidence moves differently for each method (per wave step).
GROUP3_METHOD_TREND = {
    "three_houses": 0.12,
    "mapping": 0.1,
    "scaling": 0.0,
    "danger_statements": -0.15,
    "safety_planning": 0.05,
    "safety_network": -0.15,
    "words_pictures": 0.02,
}

PARENT_LEVELS = {
    "listened_to": 4.15,
    "strengths_noticed": 4.05,
    "clear_plans": 4.05,
    "does_what_they_say": 4.0,
    "worker_cares": 4.1,
    "children_involved": 3.85,
    "involved_in_plans": 3.7,
    "agree_with_worries": 3.6,
}
PARENT_ROUND_SHIFT = (0.0, 0.05, 0.02)


def _staff_level(item: instruments.Item, group: int, wave: int) -> float:
    """The target answer for an item, as worded, for a group and wave."""
    if item.id in CONSTANT_LEVELS:
        return CONSTANT_LEVELS[item.id][group][wave - 1]
    if item.section == "eip1":
        level = EIP1_LEVELS[group][wave - 1]
    elif item.section == "saq":
        level = SAQ_LEVELS[str(item.dimension)][group][wave - 3] + ITEM_OFFSETS.get(item.id, 0.0)
    elif item.scale == "use":
        level = USE_BY_WAVE[wave - 1] + USE_GROUP[group] + 0.6 * METHOD_OFFSETS[str(item.method)]
    else:  # confidence
        level = CONFIDENCE_BY_GROUP[group][wave - 1] + METHOD_OFFSETS[str(item.method)]
        if group == 3:
            level += GROUP3_METHOD_TREND[str(item.method)] * (wave - 1) * (1 if wave != 3 else 1.3)
    return 6 - level if item.reverse else level


def _stratified_normal(n: int, k: int, sd: float, rng: np.random.Generator) -> np.ndarray:
    """n x k normal draws, stratified: each column holds the n quantiles of N(0, sd) in random order.

    Stratifying keeps each item's answer distribution close to its target in small samples, so the
    calibrated patterns do not hinge on the luck of the seed.
    """
    quantiles = ndtri((np.arange(n) + 0.5) / n) * sd
    return np.stack([quantiles[rng.permutation(n)] for _ in range(k)], axis=1)


def _answers(levels: np.ndarray, signs: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n respondents x items answers (1-5) around the given levels; sign -1 for reversed items."""
    person = _stratified_normal(n, 1, PERSON_SD, rng)
    noise = _stratified_normal(n, len(levels), NOISE_SD, rng)
    return np.clip(np.rint(levels + person * signs + noise), 1, 5).astype("int8")


def _long(authority: str, wave: int, item_ids: list[str], values: np.ndarray, keep: np.ndarray) -> pd.DataFrame:
    n, k = values.shape
    frame = pd.DataFrame(
        {
            "authority": authority,
            "wave": wave,
            "respondent": np.repeat(np.arange(1, n + 1), k),
            "item": np.tile(item_ids, n),
            "value": values.ravel(),
        }
    )
    return frame[keep.ravel()]


_MADE = BoundedCache(4)  # (survey, seed) -> responses; made from the repository's codebooks


def staff(seed: int = SEED) -> Responses:
    """Illustrative staff survey responses for authorities A-K, waves 1-4 (each caller gets a copy,
    made again if the codebook it was made from changes)."""
    return computed_from_files(_MADE, ("staff", seed), lambda: _staff(seed))


def _staff(seed: int) -> Responses:
    rng = np.random.default_rng(seed)
    inst = instruments.load("staff")
    parts, waves, comments = [], [], []
    for authority, rates in STAFF_RATES.items():
        group = GROUP_OF[authority]
        shift = AUTHORITY_SHIFT[authority]
        for wave, rate in enumerate(rates, start=1):
            if rate is None:
                continue
            invited = STAFF_INVITED[authority]
            n = round(rate / 100 * invited)
            items = [i for i in inst.items if wave in i.waves]
            levels = np.array([_staff_level(i, group, wave) + shift * (-1 if i.reverse else 1) for i in items])
            signs = np.array([-1.0 if i.reverse else 1.0 for i in items])
            values = _answers(levels, signs, n, rng)
            in_direct_work = rng.random(n) < DIRECT_WORK_SHARE
            keep = np.ones(values.shape, dtype=bool)
            keep[:, [i.section == "methods" for i in items]] &= in_direct_work[:, None]
            parts.append(_long(authority, wave, [i.id for i in items], values, keep))
            waves.append((authority, wave, n, invited, "illustrative"))
            comments.append(_staff_comments(authority, group, wave, n, rng))
    return Responses(
        "staff",
        tidy_answers(pd.concat(parts, ignore_index=True)),
        pd.DataFrame(waves, columns=["authority", "wave", "respondents", "invited", "origin"]),
        pd.concat(comments, ignore_index=True),
    )


def parent(seed: int = SEED) -> Responses:
    """Illustrative parent survey responses, rounds 1-3 (cached as :func:`staff` is)."""
    return computed_from_files(_MADE, ("parent", seed), lambda: _parent(seed))


def _parent(seed: int) -> Responses:
    rng = np.random.default_rng(seed + 1)
    inst = instruments.load("parent")
    parts, waves, comments = [], [], []
    for authority, counts in PARENT_RESPONSES.items():
        shift = AUTHORITY_SHIFT[authority]
        for wave, n in enumerate(counts, start=1):
            if n is None:
                continue
            levels = np.array([PARENT_LEVELS[i.id] + PARENT_ROUND_SHIFT[wave - 1] + shift for i in inst.items])
            values = _answers(levels, np.ones(len(levels)), n, rng)
            parts.append(_long(authority, wave, [i.id for i in inst.items], values, np.ones(values.shape, bool)))
            waves.append((authority, wave, n, PARENT_INVITED[authority], "illustrative"))
            comments.append(_parent_comments(authority, wave, n, rng))
    return Responses(
        "parent",
        tidy_answers(pd.concat(parts, ignore_index=True)),
        pd.DataFrame(waves, columns=["authority", "wave", "respondents", "invited", "origin"]),
        pd.concat(comments, ignore_index=True),
    )


# --- Free-text comments -----------------------------------------------------------------------------
# Every comment below was written for roses; none comes from the report or from a real respondent.
# A few carry made-up names, numbers and addresses so that the redactor has something to remove.
STAFF_COMMENTS = {
    "practice_and_families": [
        "Families feel more involved because they can see the plan on one page.",
        "Mapping with parents is the way I want to work, it is why I came into social work.",
        "We are making real progress with families who used to avoid us.",
    ],
    "training_and_learning": [
        "The training was really helpful and the practice leader sessions keep it going.",
        "Group supervision has been really valuable for thinking about a stuck case.",
        "There are regular learning opportunities, Sarah runs a monthly workshop.",
    ],
    "senior_commitment": [
        "Senior managers are visible and committed, they come to our team meetings.",
        "The director believes in the approach and says so often.",
    ],
    "unified_approach": [
        "Everyone is using the same language now, from the front door to the courts.",
        "It helps that we have a shared approach with health and schools.",
    ],
    "workload": [
        "My caseload is far too high to do the direct work properly.",
        "There is not enough time to see children as often as I would like.",
        "Too many cases and not enough staff, call me on 07700 900123 if you want to hear more.",
    ],
    "need_more_help": [
        "I am not confident writing danger statements and need more help with them.",
        "I feel unsure how to run a network meeting on my own.",
    ],
    "mixed_messages": [
        "We get mixed messages: the approach is the priority until a visit is late.",
        "Team managers are inconsistent about what a good assessment looks like.",
    ],
    "compliance_culture": [
        "Timescales still matter more than the quality of the work with the family.",
        "It still feels like ticking boxes to hit performance targets.",
    ],
    "forms_and_processes": [
        "The recording system does not match the assessment so we duplicate everything.",
        "The forms were written before the approach and fight against it. See https://example.org/forms",
    ],
    "formulaic": [
        "It can feel formulaic and leaves little room for creativity.",
        "In the disability team it is one size fits all and rigid.",
    ],
    "over_optimism": [
        "I worry we can be over-optimistic when strengths outweigh the worries on paper.",
        "Listing strengths can risk minimising the risk to the child.",
    ],
}
QUESTION_THEMES = {
    "worrying": [
        "workload",
        "need_more_help",
        "mixed_messages",
        "compliance_culture",
        "forms_and_processes",
        "formulaic",
        "over_optimism",
    ],
    "working_well": ["practice_and_families", "training_and_learning", "senior_commitment", "unified_approach"],
    "needs_to_change": ["workload", "compliance_culture", "forms_and_processes", "mixed_messages", "need_more_help"],
}
# How much more often a theme comes up in a group (positive leaning in Group 1, worries in Group 3).
THEME_GROUP_WEIGHT = {
    1: {"senior_commitment": 2.0, "practice_and_families": 1.5, "training_and_learning": 1.5, "mixed_messages": 0.5},
    2: {"training_and_learning": 1.3},
    3: {"mixed_messages": 2.0, "compliance_culture": 1.8, "senior_commitment": 0.4, "forms_and_processes": 1.5},
}
PARENT_NOTHING = [
    "Nothing, she does what she says and keeps me in the loop.",
    "No, everything is fine as it is.",
    "I wouldn't change anything about how he works with us.",
    "Nothing at all, we get on well.",
]
PARENT_CHANGE = [
    "I would like her to ring me back when she says she will.",
    "Keep me updated between visits, I hear nothing for weeks.",
    "We keep getting a new worker and have to start again.",
    "Better communication with the school, my number is 0161 496 0000.",
    "Give more notice before visits.",
]


def _theme_weights(question: str, group: int, wave: int) -> tuple[list[str], np.ndarray]:
    themes = QUESTION_THEMES[question]
    weights = np.array(
        [THEME_GROUP_WEIGHT[group].get(t, 1.0) * (1 + 0.25 * (wave - 1) * (t == "workload")) for t in themes]
    )
    return themes, weights / weights.sum()


def _staff_comments(authority: str, group: int, wave: int, n: int, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for question in QUESTION_THEMES:
        themes, weights = _theme_weights(question, group, wave)
        for respondent in np.flatnonzero(rng.random(n) < COMMENT_SHARE) + 1:
            theme = themes[rng.choice(len(themes), p=weights)]
            options = STAFF_COMMENTS[theme]
            rows.append((authority, wave, int(respondent), question, options[rng.integers(len(options))]))
    return pd.DataFrame(rows, columns=["authority", "wave", "respondent", "question", "text"])


def _parent_comments(authority: str, wave: int, n: int, rng: np.random.Generator) -> pd.DataFrame:
    # Exactly the calibrated share says "nothing" (rounded per authority and round).
    nothing = np.zeros(n, dtype=bool)
    nothing[rng.permutation(n)[: round(NOTHING_TO_CHANGE * n)]] = True
    texts = [
        PARENT_NOTHING[rng.integers(len(PARENT_NOTHING))] if none else PARENT_CHANGE[rng.integers(len(PARENT_CHANGE))]
        for none in nothing
    ]
    return pd.DataFrame(
        {
            "authority": authority,
            "wave": wave,
            "respondent": np.arange(1, n + 1),
            "question": "change_one_thing",
            "text": texts,
        }
    )
