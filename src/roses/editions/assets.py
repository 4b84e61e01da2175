"""One shared copy of the static assets (plotly.js, theme CSS/JS, fonts) for all editions.

Sphinx writes about 12 MB of ``_static`` into every build. Every edition's copy is byte-identical
(it comes from installed packages and ``book/_static``), so the first edition's copy becomes
``_build/editions/_static`` and each edition's ``html/_static`` is replaced by a relative symlink
``../../_static``. An edition whose assets differ (for example after a package upgrade) keeps its
own copy instead, so a page never loads the wrong script; rebuilding all editions then re-shares.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import uuid
from pathlib import Path

STATIC = "_static"
LINK_TARGET = Path("..") / ".." / STATIC  # from _build/editions/<slug>/html/_static


def _same_tree(a: Path, b: Path) -> bool:
    """Same files with the same bytes under both folders."""
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    if files_a != files_b:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, [str(p) for p in files_a], shallow=False)
    return not mismatch and not errors


def ensure_shared(static: Path, shared: Path) -> None:
    """Create the shared folder from ``static`` if there is none (atomically: parallel workers race)."""
    if shared.is_dir():
        return
    staging = shared.with_name(f".{STATIC}-{uuid.uuid4().hex}")
    shutil.copytree(static, staging)
    try:
        os.rename(staging, shared)
    except OSError:  # another worker won the race; its copy is the same
        shutil.rmtree(staging, ignore_errors=True)


def share_static(html_dir: Path, editions_root: Path) -> bool:
    """Replace ``html_dir/_static`` by a link to the shared copy; False if the assets differ (kept)."""
    static = html_dir / STATIC
    shared = editions_root / STATIC
    if static.is_symlink() or not static.is_dir():
        return static.is_symlink()
    ensure_shared(static, shared)
    if not _same_tree(static, shared):
        return False
    shutil.rmtree(static)
    os.symlink(LINK_TARGET, static, target_is_directory=True)
    return True


def slim_sources(html_dir: Path) -> None:
    """Drop the outputs from the downloadable notebooks under ``_sources/``.

    The page already shows every output; the download is for re-running (papermill's parameters are
    kept in it). Keeping the outputs would store each edition's figures twice (about 2 MB).
    """
    import nbformat

    for path in (html_dir / "_sources").rglob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(notebook, path)


def disk_usage(folder: Path) -> int:
    """Bytes of the files under ``folder``, not following symlinks (the shared assets are not counted)."""
    total = 0
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in files:
            path = Path(root) / name
            if not path.is_symlink():
                total += path.stat().st_size
    return total
