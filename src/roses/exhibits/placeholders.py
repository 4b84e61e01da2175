"""Figures whose data arrive with later work: registered as clearly marked placeholders.

A placeholder has an empty frame and says what will fill it. When the real exhibit is registered
under the same id (by the survey or national-statistics modules), it replaces the placeholder, and
the chapter notebooks, which already show every id, pick it up with no change.
"""

from __future__ import annotations

import pandas as pd

from ..registry import Exhibit, Params, register

SURVEY = "illustrative staff survey responses scored by roses (issue #3), or an authority's own survey exports"
PARENT = "illustrative parent survey responses scored by roses (issue #3), or an authority's own exports"
NATIONAL = ("illustrative per-letter series around the real England figures from DfE's published "
            "statistics (issue #4)")

PLACEHOLDERS = [
    ("figure-2.1", "Safety climate", "leadership", SURVEY),
    ("figure-2.2", "Management usually assumes that a person who makes a mistake is incompetent or not conscientious", "leadership", SURVEY),
    ("figure-4.5-parent-survey", "Parent survey results", "meaningful-measures", PARENT),
    ("figure-6.1", "Use of methods", "practice", SURVEY),
    ("figure-6.2", "Confidence in methods", "practice", SURVEY),
    ("figure-6.3", "Confidence in using individual methods", "practice", SURVEY),
    ("figure-6.4", "I do not feel able to spend enough time in direct work with the family", "practice", SURVEY),
    ("figure-6.5", "I think pressure to achieve performance targets takes precedence over time spent with the family", "practice", SURVEY),
    ("figure-6.6", "My team/LA is organised so that we spend planned time on critical reflection of cases", "practice", SURVEY),
    ("figure-6.7", "In our team/LA we have a strong culture of sharing the responsibility for risk and decision-making", "practice", SURVEY),
    ("figure-6.8", "Manager or specialist involvement in case decisions encourages a sense of shared risk", "practice", SURVEY),
    ("figure-7.1", "Team climate", "findings", SURVEY),
    ("figure-7.2", "Safety climate", "findings", SURVEY),
    ("figure-7.3", "Perceptions of management", "findings", SURVEY),
    ("figure-7.4", "Job satisfaction", "findings", SURVEY),
    ("figure-7.5", "Contributors to high or low job satisfaction", "findings", SURVEY),
    ("figure-7.6", "Working conditions", "findings", SURVEY),
    ("figure-7.7", "Stress recognition", "findings", SURVEY),
    ("figure-7.8", "Average caseload per SW", "findings", NATIONAL),
    ("figure-7.9", "Turnover rate", "findings", NATIONAL),
    ("figure-7.10", "Agency rates", "findings", NATIONAL),
    ("figure-7.11", "Absence rates", "findings", NATIONAL),
    ("figure-7.12", "Referral rates", "findings", NATIONAL),
    ("figure-7.13", "Re-referrals", "findings", NATIONAL),
    ("figure-7.14", "Section 47 (child protection investigations)", "findings", NATIONAL),
    ("figure-7.15", "Number of Section 47 who progressed to a child protection plan", "findings", NATIONAL),
    ("figure-7.18", "Care order applications", "findings", NATIONAL),
]


def _empty(params: Params) -> pd.DataFrame:
    return pd.DataFrame()


for _id, _title, _chapter, _planned in PLACEHOLDERS:
    register(Exhibit(id=_id, title=_title, chapter=_chapter, origin="illustrative",
                     source="not yet available", build=_empty, planned=_planned))
