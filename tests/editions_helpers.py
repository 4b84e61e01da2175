"""Canary survey exports for edition tests: identifiers that must never reach a published edition."""

from __future__ import annotations

import base64
import re
from pathlib import Path

ITEMS = [
    "mistake_incompetent",
    "direct_work_time",
    "targets_precedence",
    "critical_reflection",
    "shared_risk_culture",
    "manager_shared_risk",
]
# Synthetic people and places, written for these tests.
CANARIES = {
    "name": "Emma Thwaiteley",
    "email": "canary.worker@example-council.gov.uk",
    "phone": "07700 900461",
    "postcode": "DE21 7QX",
    "NI number": "QQ 12 34 56 C",
    "URL": "https://intranet.example-council.gov.uk/teams/canary",
    "other authority": "Leicestershire",
    "respondent id": "RSP-88213-ZK",
}


def write_canary_exports(folder: Path, authority: str = "Derby", respondents: int = 14) -> Path:
    """A local data folder with one staff export for ``authority`` whose comments carry every canary."""
    export = folder / "surveys" / "staff" / authority / "wave-3.csv"
    export.parent.mkdir(parents=True)
    header = ["Response ID", "Your name", *ITEMS, "What is working well?"]
    rows = [",".join(header)]
    for n in range(respondents):
        rid = CANARIES["respondent id"] if n == 0 else f"RSP-{10000 + n}-AB"
        name = CANARIES["name"] if n == 0 else ""
        answers = [str(1 + (n + i) % 5) for i in range(len(ITEMS))]
        comment = ""
        if n == 0:
            comment = (
                f'"My manager {CANARIES["name"]} helps; call {CANARIES["phone"]} or write to '
                f"{CANARIES['email']}. We moved from {CANARIES['other authority']} to {CANARIES['postcode']}. "
                f'NI {CANARIES["NI number"]}, see {CANARIES["URL"]}"'
            )
        elif n == 1:
            comment = '"Group supervision on Thursdays is working well"'
        rows.append(",".join([rid, name, *answers, comment]))
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def canary_patterns() -> dict[str, re.Pattern]:
    """Each canary as a regex that ignores spacing and case (how a leak might be reformatted)."""
    found = {}
    for kind, value in CANARIES.items():
        chars = [re.escape(c) for c in re.sub(r"\s", "", value)]
        found[kind] = re.compile(r"\s*".join(chars), re.IGNORECASE)
    # The first name alone, too: a redactor that drops only the surname still leaks.
    found["first name"] = re.compile(r"\bEmma\b")
    return found


def all_text(folder: Path) -> dict[Path, str]:
    """Every file under ``folder`` (symlinks not followed) as text, with base64 data: URIs decoded."""
    texts = {}
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file() or any(p.is_symlink() for p in path.parents if folder in p.parents):
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        decoded = [
            base64.b64decode(m).decode("utf-8", errors="ignore") for m in re.findall(r"base64,([A-Za-z0-9+/=]+)", text)
        ]
        texts[path] = "\n".join([text, *decoded])
    return texts
