"""The ``roses`` command line. Errors print one clear message (file, row, column) and exit 2."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import RosesError


def _cmd_data(args: argparse.Namespace) -> int:
    from .display import frame_csv
    from .registry import Params, all_exhibits, get

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


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build_book

    html = build_book(data_dir=Path(args.data) if args.data else None,
                      out=Path(args.out) if args.out else None)
    print(f"roses: the book is at {html / 'index.html'}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="roses", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="print an exhibit's data as CSV")
    data.add_argument("id", nargs="?", help="exhibit id, e.g. table-7.1")
    data.add_argument("--list", action="store_true", help="list every exhibit: id, title, origin, chapter")
    data.add_argument("--authority", help="compute for this authority")
    data.add_argument("--data", help="data folder (default: the repository's data/)")
    data.set_defaults(run=_cmd_data)

    build = sub.add_parser("build", help="build the book into _build/html")
    build.add_argument("--data", help="data folder (default: the repository's data/)")
    build.add_argument("--out", help="build into OUT/_build/html instead of the repository's _build/")
    build.set_defaults(run=_cmd_build)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except RosesError as error:
        print(f"roses: error: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
