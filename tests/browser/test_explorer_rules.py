"""The explorers' rules are kept twice, in Python (``roses.pages.explorers``: the live widgets and the
page's starting result) and in JavaScript (``roses-explorers.js``: the static site). Here both compute
the same answers and the page's JavaScript must give byte-identical HTML on every input:

- the indicator explorer: every authority with every indicator of the national files;
- the self-assessment: each factor at each score and every possible total (8 to 24), the inputs of
  its rules (a factor's row depends on its own score only, the sentence and the total row on the
  total only), plus seeded random profiles. All 6,561 profiles would take Python two minutes.

Run in Chromium on a blank page (the script alone, no site needed)."""

from __future__ import annotations

import itertools
import random

import pytest

from roses.core.paths import REPO_ROOT
from roses.pages import explorers
from roses.published import tables

pytestmark = pytest.mark.browser

SCRIPT = REPO_ROOT / "src" / "roses" / "assets" / "roses-explorers.js"


@pytest.fixture(scope="module")
def rules(browser):
    page = browser.new_page()
    page.set_content("<!DOCTYPE html><html><body></body></html>")
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
    yield page
    page.close()


def _profiles() -> list[list[int]]:
    n = len(tables.FACTORS)
    profiles = [[s] * n for s in (1, 2, 3)]  # every factor at every score
    for total in range(n, 3 * n + 1):  # every total, reached by raising factors one at a time
        profile, extra = [1] * n, total - n
        for i in itertools.cycle(range(n)):
            if extra == 0:
                break
            if profile[i] < 3:
                profile[i] += 1
                extra -= 1
        profiles.append(profile)
    rng = random.Random(7)
    profiles += [[rng.choice((1, 2, 3)) for _ in range(n)] for _ in range(20)]
    return profiles


def test_self_assessment_rules_agree_on_every_factor_score_and_total(rules):
    data = explorers.self_assessment_data()
    profiles = _profiles()
    assert {sum(p) for p in profiles} == set(range(8, 25))
    page_html = rules.evaluate(
        "([data, profiles]) => profiles.map(p => window.rosesExplorers.assessmentHtml(p, data))", [data, profiles]
    )
    for profile, from_js in zip(profiles, page_html):
        assert from_js == explorers._assessment_result_html(profile), profile


def test_indicator_rules_agree_for_every_authority_and_indicator(rules):
    data = explorers.indicator_data()
    pairs = [(a["code"], i["name"]) for a in data["authorities"] for i in data["indicators"]]
    assert len(pairs) > 3000
    page_html = rules.evaluate(
        "([data, pairs]) => pairs.map(([c, i]) => window.rosesExplorers.comparisonHtml(c, i, data))", [data, pairs]
    )
    differ = [pair for pair, from_js in zip(pairs, page_html) if from_js != explorers._comparison_html(*pair, data)]
    assert differ == [], f"{len(differ)} of {len(pairs)} differ, first: {differ[:3]}"
