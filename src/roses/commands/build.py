"""roses build: the whole book as a static site."""

from __future__ import annotations

import argparse
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from roses.core.paths import checked_data_dir
    from roses.site.build import build_book

    report = build_book(data_dir=checked_data_dir(args.data), out=Path(args.out) if args.out else None, full=args.full)
    print(
        f"roses: {len(report.executed)} chapter(s) executed, {len(report.reused)} unchanged; "
        f"the book is at {report.html / 'index.html'}"
    )
    if args.pdf:
        from roses.site.pdf import write_pdf

        pdf = write_pdf(report.html, Path(args.pdf) if args.pdf is not True else report.html.parent / "roses-book.pdf")
        print(f"roses: PDF of the book ({pdf.page_count} pages, {pdf.charts} charts) at {pdf.path}")
    return 0


def register(sub) -> None:
    parser = sub.add_parser("build", help="build the book into _build/html")
    parser.add_argument("--data", help="data folder (default: the repository's data/)")
    parser.add_argument("--out", help="build into OUT/_build/html instead of the repository's _build/")
    parser.add_argument("--full", action="store_true", help="forget earlier builds: execute every chapter again")
    parser.add_argument(
        "--pdf",
        nargs="?",
        const=True,
        default=None,
        metavar="FILE",
        help="also print the book to a PDF through Chromium (default: _build/roses-book.pdf)",
    )
    parser.set_defaults(run=run)
