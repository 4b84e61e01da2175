"""roses edition AUTHORITY: one authority's edition, built safely into _build/editions/<AUTHORITY>/html/."""

from __future__ import annotations

import argparse

from roses.commands import add_data_option


def run(args: argparse.Namespace) -> int:
    from roses.core.paths import checked_data_dir
    from roses.editions.build import build_edition
    from roses.national.readers import user_authority

    data = checked_data_dir(args.data)
    authority = user_authority(args.authority, data)
    if data is not None and len(authority) > 1 and not say_what_was_found(authority, data, args.strict):
        return 2
    result = build_edition(authority, data_dir=str(data) if data else None, out=args.out, standalone=args.standalone)
    html = result.html
    assert html is not None  # build_edition raises on failure; only a batch keeps failed results
    print(
        f"roses: edition '{result.slug}' is at {html / 'index.html'} ({result.seconds:.1f} s, "
        f"{result.bytes / 1e6:.1f} MB{' with its own assets' if args.standalone else ' besides the shared assets'})"
    )
    if args.pdf:
        from pathlib import Path

        from roses.site.pdf import write_pdf

        target = Path(args.pdf) if args.pdf is not True else html.parent / f"roses-edition-{result.slug}.pdf"
        pdf = write_pdf(html, target, subtitle=f"Edition for {args.authority}")
        print(f"roses: PDF of the edition ({pdf.page_count} pages, {pdf.charts} charts) at {pdf.path}")
    return 0


def say_what_was_found(authority: str, data, strict: bool) -> bool:
    """Print what ``--data`` holds for a real authority and every file it does not use; False if it holds
    nothing for the authority and ``--strict`` was given (the command then exits 2)."""
    import sys

    from roses.editions.authority import local_evidence

    found = local_evidence(authority, data)
    if found["used"]:
        print(f"roses: --data {data}: for {authority}: " + ", ".join(found["used"]), file=sys.stderr)
    elif found["synthetic"]:
        print(
            f"roses: --data {data} holds nothing of {authority}'s own, only example files marked synthetic (shown, "
            f"if at all, as illustrative); the edition shows national statistics and the programme's findings",
            file=sys.stderr,
        )
    else:
        print(
            f"roses: --data {data} holds nothing for {authority}: no surveys/staff/ or surveys/parent/ folder named "
            f"{authority} (or its DfE code) and no self_assessment.csv; the edition shows national statistics and "
            f"the programme's findings only",
            file=sys.stderr,
        )
    for path in found["synthetic"]:
        print(f"roses:   marked synthetic, never shown as {authority}'s own results: {path}", file=sys.stderr)
    for path in found["national"]:
        print(f"roses:   in place of the repository's file: {path}", file=sys.stderr)
    for path in found["not_used"]:
        print(f"roses:   not used for {authority}: {path}", file=sys.stderr)
    if strict and not found["used"]:
        print(f"roses: error: --strict: nothing for {authority} in --data {data}", file=sys.stderr)
        return False
    return True


def register(sub) -> None:
    parser = sub.add_parser(
        "edition",
        help="build one authority's edition (a letter A-K, or an English authority's name or code)",
        description="Build a programme edition (letter A-K: that authority highlighted) or an edition for a "
        "real English authority (name or DfE code: its national statistics and its own survey "
        "evidence). The edition is scanned for leaks and moved into place only when complete.",
    )
    parser.add_argument("authority", help="a programme letter (C) or an English authority (Derby, 831)")
    add_data_option(parser, example="e.g. your own survey exports")
    parser.add_argument(
        "--out", help="editions folder (default: _build/editions); the edition goes to OUT/<name>/html/"
    )
    parser.add_argument(
        "--standalone",
        action="store_true",
        help="give the edition its own copy of the static assets (instead of a link to the shared "
        "copy), so html/ can be zipped or copied alone",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="with --data: exit 2 (build nothing) if the folder holds nothing for a real authority",
    )
    parser.add_argument(
        "--pdf",
        nargs="?",
        const=True,
        default=None,
        metavar="FILE",
        help="also print the edition to a PDF through Chromium (default: next to its html/ folder)",
    )
    parser.set_defaults(run=run)
