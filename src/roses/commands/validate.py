"""roses validate DIR: check a local data folder and list every problem at once (see roses.validation)."""

from __future__ import annotations

import argparse
import sys

from roses.core.paths import checked_data_dir


def run(args: argparse.Namespace) -> int:
    from roses.validation.folder import check

    checked_data_dir(args.folder)  # a file, a missing or empty folder, or surveys/ given for the data folder
    report = check(args.folder)
    for text in report.warnings:
        print(f"roses: warning: {text}", file=sys.stderr)
    for error in report.errors:
        print(error, file=sys.stderr)
    files = sum(report.checked.values())
    areas = ", ".join(f"{area} {n}" for area, n in report.checked.items())
    if report.errors:
        problems = sum(len(getattr(e, "problems", [None])) for e in report.errors)
        print(
            f"roses: {problems} problem(s) in {len(report.errors)} file(s); {files} file(s) read ({areas})",
            file=sys.stderr,
        )
        return 2
    print(f"roses: ok: {files} file(s) read ({areas}), {len(report.warnings)} warning(s)")
    return 0


def register(sub) -> None:
    parser = sub.add_parser(
        "validate",
        help="check a data folder (published/, surveys/, dfe/) and list every problem",
        description="Read every data file in FOLDER with the readers the book uses and list every problem "
        "at once (file, row, column, what was found, what was expected). Exit 2 if any.",
    )
    parser.add_argument("folder", help="the data folder, e.g. data or your own folder of survey exports")
    parser.set_defaults(run=run)
