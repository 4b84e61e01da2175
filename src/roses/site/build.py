"""Build the book with jupyter-book: warnings are errors, a failing cell fails the build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from roses.core.errors import RosesError
from roses.core.paths import REPO_ROOT


def jupyter_book() -> str:
    """The jupyter-book script installed beside this Python."""
    script = Path(sys.executable).parent / "jupyter-book"
    return str(script) if script.exists() else "jupyter-book"


def build_book(data_dir: Path | None = None, root: Path = REPO_ROOT, out: Path | None = None) -> Path:
    """Build the whole book to ``OUT/_build/html`` (OUT defaults to ``root``) and return that folder."""
    env = dict(os.environ)
    if data_dir is not None:
        if not data_dir.is_dir():
            raise RosesError(f"{data_dir}: no such data folder")
        env["ROSES_DATA"] = str(data_dir.resolve())
    out = Path(out).resolve() if out else root
    # --all: read and execute every page again. Sphinx would otherwise skip pages whose source is unchanged,
    # though their data or roses itself may have changed.
    cmd = [jupyter_book(), "build", str(root), "--all", "--warningiserror", "--nitpick", "--keep-going",
           "--path-output", str(out)]
    result = subprocess.run(cmd, env=env, cwd=root)
    if result.returncode != 0:
        raise RosesError(f"the book build failed (exit {result.returncode}); see the log above and "
                         f"_build/html/reports/ for notebook execution reports")
    html = out / "_build" / "html"
    write_landing_redirect(html)
    return html


def write_landing_redirect(html: Path) -> None:
    """Replace jupyter-book's bare redirect at the site root with an accessible page that does the same.

    jupyter-book writes a one-line ``<meta http-equiv="Refresh">`` file with no language, title or
    link; a reader whose browser blocks refreshes would see a blank page.
    """
    from roses.core import atomic

    atomic.write_text(html / "index.html", (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>You Can't Grow Roses in Concrete, Part 2: living evidence</title>"
        '<meta http-equiv="Refresh" content="0; url=book/index.html"></head>'
        '<body><main><h1>Living evidence report</h1>'
        '<p><a href="book/index.html">Open the book</a>.</p></main></body></html>\n'))
