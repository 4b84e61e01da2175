"""roses build: the whole book as a static site."""

from __future__ import annotations

import argparse
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    from roses.site.build import build_book

    html = build_book(data_dir=Path(args.data) if args.data else None,
                      out=Path(args.out) if args.out else None)
    print(f"roses: the book is at {html / 'index.html'}")
    return 0


def register(sub) -> None:
    parser = sub.add_parser("build", help="build the book into _build/html")
    parser.add_argument("--data", help="data folder (default: the repository's data/)")
    parser.add_argument("--out", help="build into OUT/_build/html instead of the repository's _build/")
    parser.set_defaults(run=run)
