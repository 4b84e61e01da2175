"""Named numbers for the prose of Findings sections 7.3 and 7.4 (glued, never typed).

Real England figures come from the national files; statements about the letters come from the
same illustrative frames the figures draw, so the prose and the charts cannot disagree.
"""

from __future__ import annotations

from pathlib import Path

from .. import published
from ..facts import count
from . import indicators
from .illustrative import WINDOW


def _england(name: str, year: int, data_dir) -> float:
    return float(indicators.england(name, data_dir).loc[year])


def findings(data_dir: str | Path | None = None) -> dict[str, str]:
    """``{name: text}`` for sections 7.3 and 7.4 of the Findings chapter."""
    from ..exhibits.national import FIGURES, core_data_set_frame

    first, last = WINDOW
    facts = {"nat_first_year": str(first), "nat_last_year": str(last),
             "nat_n_figures": count(len(FIGURES)), "nat_n_letters": count(len(published.AUTHORITIES)),
             "nat_per_panel": count(len(published.AUTHORITIES) // 2)}
    caseload = indicators.get("caseload", data_dir)
    workforce_start = int(indicators.england("caseload", data_dir).dropna().index.min())
    facts.update(
        nat_break_year=str(caseload.series_break),
        nat_workforce_start=str(workforce_start),
        nat_caseload_first=f"{_england('caseload', caseload.series_break, data_dir):.1f}",
        nat_caseload_last=f"{_england('caseload', last, data_dir):.1f}",
        nat_turnover_last=f"{_england('turnover', last, data_dir):.1f}%",
        nat_agency_last=f"{_england('agency', last, data_dir):.1f}%",
        nat_absence_last=f"{_england('absence', last, data_dir):.1f}%",
    )
    referrals_first, referrals_last = (_england("referral_rate", y, data_dir) for y in (first, last))
    s47_first, s47_last = (_england("s47_rate", y, data_dir) for y in (first, last))
    facts.update(
        nat_referrals_first=f"{referrals_first:.0f}",
        nat_referrals_last=f"{referrals_last:.0f}",
        nat_rereferral_first=f"{_england('rereferral_percent', first, data_dir):.1f}%",
        nat_rereferral_last=f"{_england('rereferral_percent', last, data_dir):.1f}%",
        nat_s47_first=f"{s47_first:.0f}",
        nat_s47_last=f"{s47_last:.0f}",
        nat_s47_rise=f"{(s47_last / s47_first - 1) * 100:.0f}%",
        nat_s47_to_cpp_first=f"{_england('s47_to_cpp', first, data_dir):.0f}",
        nat_s47_to_cpp_last=f"{_england('s47_to_cpp', last, data_dir):.0f}",
        nat_care_first_year=str(int(indicators.england("care_applications", data_dir).dropna().index.min())),
        nat_care_last=f"{_england('care_applications', last, data_dir):.1f}",
    )
    core = core_data_set_frame(None, data_dir)
    national = int((core["status"] == "national statistics").sum())
    facts.update(nat_core_items=count(len(core)), nat_core_national=count(national),
                 nat_core_local=count(len(core) - national),
                 nat_n_indicators=count(len(indicators.definitions(data_dir))),
                 nat_rate_unit=indicators.get("referral_rate", data_dir).unit,
                 nat_s47_to_cpp_unit=indicators.get("s47_to_cpp", data_dir).unit)
    return facts
