"""Subcommands of ``roses``: each module here defines ``register(subparsers)``.

``register`` adds one subparser and sets ``run=function(args) -> exit code`` on it. A function
raises ``RosesError`` for anything the user must fix; the CLI prints it and exits 2.
Options several commands share are declared here once (``add_data_option``).
"""

from __future__ import annotations

import argparse


def add_data_option(parser: argparse.ArgumentParser, example: str = "", then: str = "") -> None:
    """``--data DIR``: the data folder a command reads (every command that reads data takes it, worded
    the same); ``example`` says what it may hold, ``then`` what the command does with it."""
    what = f"data folder{', ' + example if example else ''} (default: the repository's data/)"
    parser.add_argument("--data", help=what + (f"; {then}" if then else ""))
