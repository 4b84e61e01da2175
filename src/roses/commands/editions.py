"""roses editions [AUTHORITY...|--all|--england] [--workers N] [--scheduler ADDRESS]: many editions."""

from __future__ import annotations

import argparse
import sys

from roses.commands import add_data_option
from roses.core.errors import RosesError


def run(args: argparse.Namespace) -> int:
    from roses.core.paths import checked_data_dir
    from roses.editions import batch
    from roses.national.readers import user_authority

    args.data = str(checked_data_dir(args.data)) if args.data else None
    # Letters as typed ('c' is C; I and Z are refused at once); names are resolved per edition, so
    # one unknown name fails its edition only and the others are still built.
    authorities = [user_authority(a, args.data) if len(a.strip()) == 1 else a for a in args.authorities]
    if args.all:
        authorities += batch.programme_authorities()
    if args.england:
        authorities += batch.england_authorities(args.data)
    if not authorities:
        raise RosesError("say which editions: letters or authority names, --all (A-K) or --england")
    authorities = list(dict.fromkeys(authorities))
    results = batch.build_many(
        authorities, data_dir=args.data, out=args.out, workers=args.workers, scheduler=args.scheduler
    )
    print(batch.summary(results), file=sys.stderr if any(not r.ok for r in results) else sys.stdout)
    return 0 if all(r.ok for r in results) else 1


def register(sub) -> None:
    parser = sub.add_parser(
        "editions", help="build many editions (A-K with --all, every English authority with --england)"
    )
    parser.add_argument("authorities", nargs="*", metavar="AUTHORITY", help="letters A-K or English authorities")
    parser.add_argument("--all", action="store_true", help="every programme authority, A-K")
    parser.add_argument("--england", action="store_true", help="every English authority in the DfE files")
    parser.add_argument("--workers", type=int, default=1, help="local worker processes (default 1)")
    parser.add_argument("--scheduler", help="Dask scheduler address: run on that cluster instead")
    add_data_option(parser)
    parser.add_argument("--out", help="editions folder (default: _build/editions)")
    parser.set_defaults(run=run)
