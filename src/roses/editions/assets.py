"""One shared copy of the static assets (plotly.js, theme CSS/JS, fonts) for all editions.

Sphinx writes about 12 MB of ``_static`` into every build, byte-identical from one edition to the
next (installed packages and ``book/_static``). The assets are stored once per distinct content, as
``<editions>/_static-<digest>``, and each edition's ``html/_static`` becomes a relative symlink to
its copy. When the assets change (a package upgrade, an edit to ``book/_static/roses.css``), new
editions get a new copy and older editions keep theirs: a page never loads another version's script.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from pathlib import Path

import nbformat

STATIC = "_static"


def tree_digest(folder: Path) -> str:
    """A short digest of every file's relative path and bytes under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def ensure_shared(static: Path, shared: Path) -> None:
    """Create the shared folder from ``static`` if there is none (atomically: parallel workers race)."""
    if shared.is_dir():
        return
    staging = shared.with_name(f".{shared.name}-{uuid.uuid4().hex}")
    shutil.copytree(static, staging)
    try:
        os.rename(staging, shared)
    except OSError:  # another worker won the race; its copy has the same digest, so the same bytes
        shutil.rmtree(staging, ignore_errors=True)


def share_static(html_dir: Path, editions_root: Path) -> Path:
    """Replace ``html_dir/_static`` by a link to the shared copy of the same content; returns that copy."""
    static = html_dir / STATIC
    if static.is_symlink():
        return static.resolve()
    shared = editions_root / f"{STATIC}-{tree_digest(static)}"
    ensure_shared(static, shared)
    shutil.rmtree(static)
    # From <editions>/<slug>/html/_static: up to <slug>, up to <editions>.
    os.symlink(Path("..") / ".." / shared.name, static, target_is_directory=True)
    return shared


def shared_folders(editions_root: Path) -> list[Path]:
    return sorted(editions_root.glob(f"{STATIC}-*"))


def slim_sources(html_dir: Path) -> None:
    """Drop the outputs from the downloadable notebooks under ``_sources/``.

    The page already shows every output; the download is for re-running (papermill's parameters are
    kept in it). Keeping the outputs would store each edition's figures twice (about 2 MB).
    """

    for path in (html_dir / "_sources").rglob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(notebook, path)


def disk_usage(folder: Path) -> int:
    """Bytes of the files under ``folder``, not following symlinks (the shared assets are not counted)."""
    total = 0
    for root, _dirs, files in os.walk(folder, followlinks=False):
        for name in files:
            path = Path(root) / name
            if not path.is_symlink():
                total += path.stat().st_size
    return total
