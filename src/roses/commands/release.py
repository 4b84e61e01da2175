"""roses release: record a release snapshot (exhibit headlines, data checksums, key notebook outputs)."""

from __future__ import annotations

import argparse

from roses import __version__
from roses.core.paths import checked_data_dir


def run(args: argparse.Namespace) -> int:
    from roses.site.verify import record_release

    path = record_release(args.version or __version__, data_dir=checked_data_dir(args.data), force=args.force)
    print(f"roses: release snapshot written to {path}; `roses verify` and the What changed page compare with it")
    return 0


def register(sub) -> None:
    parser = sub.add_parser("release", help="record the current results as a release (data/releases/VERSION.json)")
    parser.add_argument("--version", help="release version (default: the package version)")
    parser.add_argument("--data", help="data folder (default: the repository's data/)")
    parser.add_argument("--force", action="store_true", help="replace an existing snapshot of that version")
    parser.set_defaults(run=run)
