"""roses edition AUTHORITY: one authority's edition, built safely into _build/editions/<AUTHORITY>/html/."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from roses.core.paths import checked_data_dir
    from roses.editions.build import build_edition
    from roses.national.readers import user_authority

    data = checked_data_dir(args.data)
    result = build_edition(user_authority(args.authority, data), data_dir=str(data) if data else None, out=args.out)
    print(f"roses: edition '{result.slug}' is at {result.html / 'index.html'} "
          f"({result.seconds:.1f} s, {result.bytes / 1e6:.1f} MB besides the shared assets)")
    if args.pdf:
        from pathlib import Path

        from roses.site.pdf import write_pdf

        target = Path(args.pdf) if args.pdf is not True else result.html.parent / f"roses-edition-{result.slug}.pdf"
        pdf = write_pdf(result.html, target, subtitle=f"Edition for {args.authority}")
        print(f"roses: PDF of the edition ({pdf.page_count} pages, {pdf.charts} charts) at {pdf.path}")
    return 0


def register(sub) -> None:
    parser = sub.add_parser(
        "edition", help="build one authority's edition (a letter A-K, or an English authority's name or code)",
        description="Build a programme edition (letter A-K: that authority highlighted) or an edition for a "
                    "real English authority (name or DfE code: its national statistics and its own survey "
                    "evidence). The edition is scanned for leaks and moved into place only when complete.")
    parser.add_argument("authority", help="a programme letter (C) or an English authority (Derby, 831)")
    parser.add_argument("--data", help="data folder, e.g. your own survey exports (default: the repository's data/)")
    parser.add_argument("--out", help="editions folder (default: _build/editions); the edition goes to OUT/<name>/html/")
    parser.add_argument("--pdf", nargs="?", const=True, default=None, metavar="FILE",
                        help="also print the edition to a PDF through Chromium (default: next to its html/ folder)")
    parser.set_defaults(run=run)
