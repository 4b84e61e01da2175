"""roses build: the whole book as a static site."""

from __future__ import annotations

import argparse
from pathlib import Path

from roses.commands import add_data_option


def run(args: argparse.Namespace) -> int:
    from roses.engine import forkserver

    forkserver.start()  # first: the kernels' imports (2 s) overlap the build's own
    from roses.core.paths import checked_data_dir
    from roses.site.build import build_book

    data, out = checked_data_dir(args.data), Path(args.out) if args.out else None
    report = build_book(data_dir=data, out=out, full=args.full)
    print(
        f"roses: {len(report.executed)} chapter(s) executed, {len(report.reused)} unchanged; "
        f"the book is at {report.html / 'index.html'}"
    )
    if args.pdf:
        from roses.site.pdf import write_pdf

        pdf = write_pdf(report.html, Path(args.pdf) if args.pdf is not True else report.html.parent / "roses-book.pdf")
        print(f"roses: PDF of the book ({pdf.page_count} pages, {pdf.charts} charts) at {pdf.path}")
    if args.watch:
        from roses.core.paths import REPO_ROOT
        from roses.core.paths import data_dir as resolve_data_dir
        from roses.site.build import PACKAGE, warm_kernels
        from roses.site.watch import watch

        warm_kernels(report)
        inputs = [REPO_ROOT / "book", REPO_ROOT / "_toc.yml", REPO_ROOT / "_config.yml", resolve_data_dir(data)]
        try:
            watch(lambda: build_book(data_dir=data, out=out), inputs, PACKAGE, say=lambda text: print(text, flush=True))
        except KeyboardInterrupt:
            print("roses: stopped watching")
    return 0


def register(sub) -> None:
    parser = sub.add_parser("build", help="build the book into _build/html")
    add_data_option(parser)
    parser.add_argument("--out", help="build into OUT/_build/html instead of the repository's _build/")
    parser.add_argument("--full", action="store_true", help="forget earlier builds: execute every chapter again")
    parser.add_argument(
        "--watch",
        action="store_true",
        help="then rebuild the site whenever the book, its data or the roses code changes (warm kernels: seconds)",
    )
    parser.add_argument(
        "--pdf",
        nargs="?",
        const=True,
        default=None,
        metavar="FILE",
        help="also print the book to a PDF through Chromium (default: _build/roses-book.pdf)",
    )
    parser.set_defaults(run=run)
