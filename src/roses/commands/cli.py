"""The ``roses`` command line. Errors print one clear message (file, row, column) and exit 2.

Each subcommand lives in ``roses/commands/<name>.py`` and is found automatically.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import warnings

from roses import commands
from roses.core.errors import DataWarning, RosesError
from roses.engine import compat


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="roses", description="Build and query the living evidence report.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if m.name != "cli"):
        importlib.import_module(f"{commands.__name__}.{module}").register(sub)
    return top


def _show_repair(message, category, filename, lineno, file=None, line=None) -> None:
    """Data repairs (for example a semicolon-separated CSV) print as one plain line, not a Python warning."""
    if issubclass(category, DataWarning):
        print(f"roses: warning: {message}", file=sys.stderr)
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


_python_showwarning = warnings.showwarning


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    warnings.showwarning = _show_repair
    try:
        return args.run(args)
    except RosesError as error:
        print(f"roses: error: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        return 0


def entry() -> None:
    """The ``roses`` command: ``main``, then out without tearing down the heap one object at a time
    (Sphinx's environment, pandas frames: 0.6 s after every build). Exit handlers still run (they shut
    the kernels down), and the standard streams are flushed; every file roses writes is already closed."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader has gone (roses data --list | head -1)
            pass
    compat.run_exit_handlers_and_exit(code)  # atexit's handlers, then out at once


if __name__ == "__main__":
    entry()
