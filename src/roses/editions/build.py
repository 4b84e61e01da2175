"""Build one edition: execute, build, share assets, scan for leaks, then move into place.

Safe to interrupt: everything happens in ``<editions>/<slug>/.building-<pid>-<id>/``, a sibling of
the published ``html/`` folder (same file system, so the final move is a rename). The published
folder is replaced only after the scan passes: ``html`` is renamed aside, the new one renamed in,
the old one deleted. A run killed between those two renames leaves the old edition under
``.old-*``; the next run puts it back before it starts. Stale work folders of dead processes are
removed by the next run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from roses.core.errors import RosesError
from roses.core.paths import BUILD_DIR, DATA_DIR, data_dir as resolve_data_dir
from roses.editions import assets
from roses.editions import leaks
from roses.editions.execute import execute
from roses.editions.model import AUTHORITY, EditionPlan
from roses.editions.plan import plan_edition
from roses.editions.site import DATA_LINK, build_html, write_source

EDITIONS_DIR = BUILD_DIR / "editions"
WORK_PREFIX, OLD_PREFIX = ".building-", ".old-"
# One edition at a time per process: the kernel and Sphinx's docutils patches are not thread-safe
# (a Dask worker with several threads would otherwise run two at once).
_ONE_AT_A_TIME = threading.Lock()


@dataclass
class EditionResult:
    authority: str
    slug: str | None = None
    html: Path | None = None
    seconds: float = 0.0
    bytes: int = 0  # disk used by the edition itself (shared assets not counted)
    error: str | None = None
    steps: dict | None = None  # seconds per step: plan, execute, sphinx, publish

    @property
    def ok(self) -> bool:
        return self.error is None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(target: Path) -> None:
    """Undo what a killed run left behind: restore an edition renamed aside, remove dead work folders."""
    folder = target.parent
    if not folder.is_dir():
        return
    olds = sorted(folder.glob(f"{OLD_PREFIX}*"), key=lambda p: p.stat().st_mtime)
    if not target.exists() and olds:
        os.rename(olds.pop(), target)
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)
    for work in folder.glob(f"{WORK_PREFIX}*"):
        pid = work.name[len(WORK_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _pid_alive(int(pid)):
            shutil.rmtree(work, ignore_errors=True)


def move_into_place(new_html: Path, target: Path) -> None:
    """Replace ``target`` by ``new_html`` (two renames on one file system)."""
    old = target.with_name(f"{OLD_PREFIX}{uuid.uuid4().hex}")
    if target.exists():
        os.rename(target, old)
    os.rename(new_html, target)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def complete_data(data: Path):
    """``data``, or a temporary folder of links: ``data`` plus the repository folders it lacks.

    An authority's own folder usually holds only ``surveys/``; the published tables, national files
    and instruments then come from the repository.
    """
    missing = [p for p in DATA_DIR.iterdir() if p.is_dir() and not (data / p.name).exists()]
    if not missing:
        yield data
        return
    with tempfile.TemporaryDirectory(prefix="roses-data-") as folder:
        for entry in [*data.iterdir(), *missing]:
            os.symlink(entry.resolve(), Path(folder) / entry.name, target_is_directory=entry.is_dir())
        yield Path(folder)


def link_data(link: Path, data: Path) -> None:
    """The edition sees its data as ``_data`` beside its pages: no local path enters the notebooks."""
    os.symlink(data, link, target_is_directory=True)


def _reason(error: Exception) -> str:
    """One line: papermill's cell error ('KeyError: ...') or the exception itself."""
    if getattr(error, "ename", None):
        return f"{error.ename}: {error.evalue}"
    return f"{type(error).__name__}: {error}"


def _publish(plan: EditionPlan, html: Path, target: Path, data: Path) -> None:
    assets.share_static(html, target.parent.parent)
    assets.slim_sources(html)
    own = plan.authority if plan.kind == AUTHORITY else None
    leaks.check(html, plan.slug, leaks.forbidden_terms(own, data), own)
    move_into_place(html, target)


def build_edition(authority: str, data_dir: str | Path | None = None, out: str | Path | None = None) -> EditionResult:
    """Build ``authority``'s edition into ``OUT/<slug>/html/`` (OUT: ``_build/editions``).

    Raises RosesError (unknown authority, failed build, leak) and leaves the previous edition as it was.
    """
    started = time.perf_counter()
    data = resolve_data_dir(data_dir)
    if not data.is_dir():
        raise RosesError(f"{data}: no such data folder")
    steps, clock = {}, [time.perf_counter()]

    def lap(step: str) -> None:
        now = time.perf_counter()
        steps[step] = round(now - clock[0], 3)
        clock[0] = now

    with _ONE_AT_A_TIME, complete_data(data) as full:
        plan = plan_edition(authority, full)
        lap("plan")
        target = Path(out or EDITIONS_DIR).resolve() / plan.slug / "html"
        target.parent.mkdir(parents=True, exist_ok=True)
        recover(target)
        work = target.parent / f"{WORK_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        source = work / "source"
        try:
            source.mkdir(parents=True)
            write_source(plan, source)
            link_data(source / DATA_LINK, full)
            for page in plan.notebooks:
                output = source / f"{page.docname}.ipynb"
                output.parent.mkdir(parents=True, exist_ok=True)
                try:
                    execute(page.notebook, output, {"authority": plan.authority, "data_dir": DATA_LINK}, source)
                except Exception as error:  # papermill raises its own types; name the page and the error
                    raise RosesError(f"edition '{plan.slug}': {page.docname} failed to execute: "
                                     f"{_reason(error)}") from None
            lap("execute")
            html = build_html(source, work / "out")
            lap("sphinx")
            _publish(plan, html, target, data)
            lap("publish")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return EditionResult(authority, plan.slug, target, time.perf_counter() - started, assets.disk_usage(target),
                         steps=steps)
