"""Build one edition: execute, build, share assets, scan for leaks, then move into place.

Safe to interrupt: everything happens in a work folder beside the published ``html/`` folder
(``roses.engine.publish.work_folder``), which is replaced only after the leak scan passes, in one
swap (``publish.swap_in``); a killed run is undone by the next (``publish.recover``).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from roses.core.errors import RosesError
from roses.core.paths import BUILD_DIR, DATA_DIR
from roses.core.paths import data_dir as resolve_data_dir
from roses.editions import assets, leaks
from roses.editions.leaks import _decode
from roses.editions.model import AUTHORITY, EditionPlan
from roses.editions.plan import plan_edition
from roses.editions.site import write_source
from roses.engine import publish
from roses.engine.execute import execute
from roses.engine.sphinx import DATA_LINK, build_html
from roses.exhibits.local import is_programme_letter, slug
from roses.national.readers import resolve_authority
from roses.survey import linking

EDITIONS_DIR = BUILD_DIR / "editions"
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


@contextmanager
def complete_data(data: Path, own: tuple[str, str] | None = None):
    """``data``, or a temporary folder of links: ``data`` plus the repository folders it lacks.

    An authority's own folder usually holds only ``surveys/``; the published tables, national files
    and instruments then come from the repository. With ``own`` (an authority's DfE code and name)
    the edition sees only that authority's survey folders and its rows of ``invited.csv``: nothing of
    another authority's files can reach its pages.
    """
    missing = [p for p in DATA_DIR.iterdir() if p.is_dir() and not (data / p.name).exists()]
    if not missing and own is None:
        yield data
        return
    with tempfile.TemporaryDirectory(prefix="roses-data-") as folder:
        for entry in [*data.iterdir(), *missing]:
            if own is not None and entry.name == "surveys" and entry.is_dir() and entry.parent == data:
                own_surveys(entry, Path(folder) / "surveys", own)
                continue
            os.symlink(entry.resolve(), Path(folder) / entry.name, target_is_directory=entry.is_dir())
        yield Path(folder)


def _own_spellings(own: tuple[str, str]) -> set[str]:

    code, name = own
    return {name.lower(), slug(name).lower(), str(code).lower()}


SIDE_TABLES = ("invited.csv", "waves.csv", "codings.csv")  # survey,authority,wave,... tables beside the exports


def own_surveys(surveys: Path, target: Path, own: tuple[str, str]) -> None:
    """``target``: ``surveys`` with only the authority's own folders (links) and its own rows of the side
    tables (invited.csv, waves.csv, codings.csv)."""
    wanted = _own_spellings(own)
    target.mkdir()
    for entry in sorted(surveys.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            (target / entry.name).mkdir()
            for folder in sorted(entry.iterdir()):
                if not folder.is_dir() or folder.name.lower() in wanted:  # files beside folders stay as they are
                    os.symlink(folder.resolve(), target / entry.name / folder.name, target_is_directory=folder.is_dir())
        elif entry.name.lower() in SIDE_TABLES and entry.is_file():  # another authority's rows never reach it
            _own_invited(entry, target / entry.name, wanted)
        else:
            os.symlink(entry.resolve(), target / entry.name, target_is_directory=entry.is_dir())


def _own_invited(source: Path, target: Path, wanted: set[str]) -> None:
    """A side table cut to the authority's rows (header kept); copied as it is if it cannot be parsed."""

    try:
        rows = list(csv.reader(io.StringIO(_decode(source.read_bytes()))))
        column = [c.strip().lower() for c in rows[0]].index("authority")
    except (csv.Error, IndexError, ValueError, OSError):
        shutil.copyfile(source, target)  # the reader reports what is wrong with it
        return
    kept = [rows[0]] + [r for r in rows[1:] if len(r) > column and r[column].strip().lower() in wanted]
    with open(target, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(kept)


def link_data(link: Path, data: Path) -> None:
    """The edition sees its data as ``_data`` beside its pages: no local path enters the notebooks."""
    os.symlink(data, link, target_is_directory=True)


def _user_error(call, full: Path, data: Path):
    """``call()``, with the temporary data folder replaced by the user's own in any RosesError message."""
    try:
        return call()
    except RosesError as error:
        if str(full) in str(error) and full != data:
            raise RosesError(str(error).replace(str(full), str(data))) from None
        raise


def _reason(error: Exception) -> str:
    """One line: papermill's cell error ('KeyError: ...') or the exception itself."""
    if name := getattr(error, "ename", None):
        return f"{name}: {getattr(error, 'evalue', '')}"
    return f"{type(error).__name__}: {error}"


def _publish(plan: EditionPlan, html: Path, target: Path, data: Path, standalone: bool = False) -> None:
    if not standalone:  # a standalone edition keeps its own copy of the assets: html/ travels as one folder
        assets.share_static(html, target.parent.parent)
    assets.slim_sources(html)
    own = plan.authority if plan.kind == AUTHORITY else None
    leaks.check(html, plan.slug, leaks.forbidden_terms(own, data), own)
    publish.swap_in(html, target)


def build_edition(
    authority: str, data_dir: str | Path | None = None, out: str | Path | None = None, standalone: bool = False
) -> EditionResult:
    """Build ``authority``'s edition into ``OUT/<slug>/html/`` (OUT: ``_build/editions``).

    ``standalone``: keep the edition's own copy of the static assets instead of a link to the shared
    one, so ``html/`` can be copied or zipped alone (about 11 MB more per edition).
    Raises RosesError (unknown authority, failed build, leak) and leaves the previous edition as it was.
    """
    with publish.terminate_cleanly():
        return _build_edition(authority, data_dir, out, standalone)


def _build_edition(
    authority: str, data_dir: str | Path | None = None, out: str | Path | None = None, standalone: bool = False
) -> EditionResult:
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

    own = None
    linking.refuse_linked(data, f"the edition for {authority}")  # never a letter's and a named authority's data
    if not is_programme_letter(authority):  # an authority edition sees only its own survey folders
        with complete_data(data) as full:
            own = _user_error(lambda: resolve_authority(authority, full), full, data)
    with _ONE_AT_A_TIME, complete_data(data, own) as full:
        plan = _user_error(lambda: plan_edition(authority, full), full, data)
        lap("plan")
        target = Path(out or EDITIONS_DIR).resolve() / plan.slug / "html"
        with publish.work_folder(target) as work:
            source = work / "source"
            source.mkdir()
            write_source(plan, source)
            link_data(source / DATA_LINK, full)
            for page in plan.notebooks:
                output = source / f"{page.docname}.ipynb"
                output.parent.mkdir(parents=True, exist_ok=True)
                try:
                    warned = execute(
                        page.notebook, output, {"authority": plan.authority, "data_dir": DATA_LINK}, source
                    )
                except Exception as error:  # papermill raises its own types; name the page and the error
                    reason = _reason(error).replace(str(full), str(data)).replace(f"{DATA_LINK}/", f"{data}/")
                    raise RosesError(f"edition '{plan.slug}': {page.docname} failed to execute: {reason}") from None
                for text in warned:  # warnings go to the terminal, never to a page
                    text = text.strip().replace(str(full), str(data))
                    print(f"roses: edition '{plan.slug}', {page.docname}: {text}", file=sys.stderr)
            lap("execute")
            html = build_html(source, work / "out")
            lap("sphinx")
            _publish(plan, html, target, data, standalone)
            lap("publish")
    return EditionResult(
        authority, plan.slug, target, time.perf_counter() - started, assets.disk_usage(target), steps=steps
    )
