"""roses verify: re-execute every chapter, compare every published value with the release and two clean
builds, report provenance."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from roses.commands import add_data_option
from roses.core.errors import RosesError
from roses.core.paths import checked_data_dir


def run(args: argparse.Namespace) -> int:
    from roses.site.verify import run as verify

    report = verify(
        data_dir=checked_data_dir(args.data),
        builds=not args.no_builds,
        keep=Path(args.keep) if args.keep else None,
        only=args.chapter,
        release=_release(args.release),
    )
    print(report.text())
    return 0 if report.passed else 1


def _release(path: str | None) -> dict | None:
    if path is None:
        return None
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RosesError(f"--release {path}: not a release snapshot ({error})") from None


def register(sub) -> None:
    parser = sub.add_parser(
        "verify",
        help="check that the book reproduces: notebooks, key results, two identical builds",
        description="Re-execute every chapter (nbval) and compare its key results with the last release, "
        "compare every exhibit (caption, headline, values) and every glued fact with the release, "
        "build the book twice and compare every file, and check the data files (sha256; none added or "
        "removed) and package versions. Exit 1 on any difference, naming it with its old and new value.",
    )
    add_data_option(parser)
    parser.add_argument("--no-builds", action="store_true", help="skip the two book builds (quicker)")
    parser.add_argument("--keep", help="keep the executed notebooks, builds and logs in this folder")
    parser.add_argument(
        "--chapter",
        action="append",
        metavar="NAME",
        help="re-execute only this chapter (e.g. findings; repeat for more); the builds are still whole",
    )
    parser.add_argument(
        "--release", metavar="FILE", help="compare with this release snapshot (default: the latest in data/releases/)"
    )
    parser.set_defaults(run=run)
