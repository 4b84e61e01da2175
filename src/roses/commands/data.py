"""roses data ID | roses data --list: an exhibit's frame as CSV on stdout."""

from __future__ import annotations

import argparse
import sys

from roses.commands import add_data_option
from roses.core.errors import RosesError
from roses.core.paths import checked_data_dir


def run(args: argparse.Namespace) -> int:
    from roses.exhibits.audit import audit
    from roses.exhibits.local import params_for
    from roses.exhibits.registry import all_exhibits, frame_csv, get
    from roses.national.readers import user_authority
    from roses.published import findings

    data = checked_data_dir(args.data)
    args.data = str(data) if data else None
    if args.authority is not None:
        args.authority = user_authority(args.authority, args.data)
    if args.list:
        sys.stdout.write("id,title,origin,chapter\n")
        for ex in all_exhibits():
            title = ex.title.replace('"', '""')
            sys.stdout.write(f'{ex.id},"{title}",{ex.origin},{ex.chapter}\n')
        return 0
    if not args.id:
        raise RosesError("say which exhibit: `roses data ID`, or `roses data --list`")
    if args.id == "findings":  # the report's findings in words, as data (not an exhibit)
        sys.stdout.write(frame_csv(findings.findings(args.data)))
        return 0
    ex = get(args.id)
    frame = ex.frame(params_for(args.authority, args.data))
    audit(ex.id, frame)  # the same suppression audit as every page (roses.exhibits.audit)
    sys.stdout.write(frame_csv(frame))
    return 0


def register(sub) -> None:
    parser = sub.add_parser("data", help="print an exhibit's data as CSV")
    parser.add_argument("id", nargs="?", help="exhibit id, e.g. table-7.1")
    parser.add_argument("--list", action="store_true", help="list every exhibit: id, title, origin, chapter")
    parser.add_argument("--authority", help="compute for this authority")
    add_data_option(parser)
    parser.set_defaults(run=run)
