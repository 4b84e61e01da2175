"""roses data ID | roses data --list: an exhibit's frame as CSV on stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import RosesError


def run(args: argparse.Namespace) -> int:
    from ..display import frame_csv
    from ..registry import Params, all_exhibits, get

    if args.list:
        sys.stdout.write("id,title,origin,chapter,status\n")
        for ex in all_exhibits():
            status = "placeholder" if ex.is_placeholder else "ready"
            title = ex.title.replace('"', '""')
            sys.stdout.write(f'{ex.id},"{title}",{ex.origin},{ex.chapter},{status}\n')
        return 0
    if not args.id:
        raise RosesError("say which exhibit: `roses data ID`, or `roses data --list`")
    ex = get(args.id)
    if ex.is_placeholder:
        raise RosesError(f"exhibit {ex.id} is a placeholder: it will show {ex.planned}")
    params = Params(data_dir=Path(args.data) if args.data else None, authority=args.authority)
    sys.stdout.write(frame_csv(ex.frame(params)))
    return 0


def register(sub) -> None:
    parser = sub.add_parser("data", help="print an exhibit's data as CSV")
    parser.add_argument("id", nargs="?", help="exhibit id, e.g. table-7.1")
    parser.add_argument("--list", action="store_true", help="list every exhibit: id, title, origin, chapter")
    parser.add_argument("--authority", help="compute for this authority")
    parser.add_argument("--data", help="data folder (default: the repository's data/)")
    parser.set_defaults(run=run)
