"""Build the book with jupyter-book: warnings are errors, a failing cell fails the build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .errors import RosesError
from .paths import REPO_ROOT


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
    cmd = [jupyter_book(), "build", str(root), "--warningiserror", "--nitpick", "--keep-going",
           "--path-output", str(out)]
    result = subprocess.run(cmd, env=env, cwd=root)
    if result.returncode != 0:
        raise RosesError(f"the book build failed (exit {result.returncode}); see the log above and "
                         f"_build/html/reports/ for notebook execution reports")
    return out / "_build" / "html"
