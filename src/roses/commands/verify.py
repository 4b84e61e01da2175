"""roses verify: re-execute every chapter, compare key results and two clean builds, report provenance."""

from __future__ import annotations

import argparse
from pathlib import Path

from roses.core.paths import checked_data_dir


def run(args: argparse.Namespace) -> int:
    from roses.site.verify import run as verify

    report = verify(
        data_dir=checked_data_dir(args.data),
        builds=not args.no_builds,
        keep=Path(args.keep) if args.keep else None,
        only=args.chapter,
    )
    print(report.text())
    return 0 if report.passed else 1


def register(sub) -> None:
    parser = sub.add_parser(
        "verify",
        help="check that the book reproduces: notebooks, key results, two identical builds",
        description="Re-execute every chapter (nbval) and compare its key results with the last release, "
        "build the book twice and compare every file, and list the data files (sha256) and "
        "package versions used and what changed since the last release. Exit 1 on any difference.",
    )
    parser.add_argument("--data", help="data folder (default: the repository's data/)")
    parser.add_argument("--no-builds", action="store_true", help="skip the two book builds (quicker)")
    parser.add_argument("--keep", help="keep the executed notebooks, builds and logs in this folder")
    parser.add_argument(
        "--chapter",
        action="append",
        metavar="NAME",
        help="re-execute only this chapter (e.g. findings; repeat for more); the builds are still whole",
    )
    parser.set_defaults(run=run)
