"""Build the main book on the engine (``roses.engine``), re-executing only the chapters whose inputs changed.

``jupyter-book build --all`` starts a fresh kernel for every notebook (imports paid twelve times) and
re-executes everything. Here the chapters run with papermill on two persistent kernels side by side
(``roses.engine.execute``; longest first, the pages that summarise every exhibit last), forked warm
from a server that has imported roses (``roses.engine.forkserver``), and Sphinx builds in-process with
execution off: on a clean build beside the kernels, reading each page once its chapter is written
(``SphinxBuild``), otherwise after them. ``roses build --watch`` (``roses.site.watch``) keeps the kernels
warm between rebuilds.

Incremental and safe by construction: a chapter is executed again when its notebook, the ``roses``
code, or a data file it read (the page's read log, ``roses.core.readlog``) changed. A change the
tracker cannot see forces a full rebuild: any change to the code or to the set of files in the data
folder re-executes every chapter (a chapter's read log covers the files it opened under the book's
folder and the data folder); a change to the book's configuration, table of contents, bibliography,
static files or the code (the Sphinx extension is roses code) gives Sphinx a fresh environment. The
record of what each chapter read lives in ``_build/.roses/manifest.json`` beside the executed notebooks.

The site goes to ``_build/html`` only when the whole build succeeded (an atomic folder swap), so a
failed build never leaves a half-written site. A book built from local files (``--data``) is refused
if the folder holds a real authority's survey exports, and is leak-scanned like every edition before
it is moved into place.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import sys
import sysconfig
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from roses.core import atomic
from roses.core.errors import RosesError
from roses.core.paths import REPO_ROOT
from roses.core.paths import data_dir as resolve_data_dir
from roses.editions.model import toc_files
from roses.engine import forkserver
from roses.engine.execute import Kernel, execute, kernel, read_files
from roses.engine.publish import copy_in
from roses.engine.sphinx import DATA_LINK, BuildStopped, build_html

ENGINE = ".roses"  # under _build/: executed notebooks, Sphinx's environment, the manifest
MANIFEST = "manifest.json"
LEAK_SCAN = "leak-scan-clean.json"
BOOK_TREE = ("book", "_toc.yml", "_config.yml")  # what Sphinx reads besides the executed notebooks
PACKAGE = Path(__file__).resolve().parents[1]  # src/roses
KERNELS = 2  # chapters run side by side on this many kernels at most (and no more than the cores)
SUMMARY_PAGES = ("book/what-changed", "book/provenance")  # they read every exhibit or every data file
# They run on the kernel that ran the longest chapter (findings: kernel 0), whose cache holds what they
# read: what-changed computes every exhibit (1.3 s there, 2.3 s on the other kernel), data-and-methods
# shows the national indicators (0.5 s there, 1.1-1.7 s on the other).
FIRST_KERNEL_ONLY = ("book/data-and-methods", "book/what-changed")
# What build_html imports first, and the slowest extensions.
SPHINX_MODULES = (
    "jupyter_book.config",
    "sphinx.application",
    "myst_nb.sphinx_ext",
    "pydata_sphinx_theme",
    "sphinxcontrib.bibtex",
)


@dataclass
class BuildReport:
    html: Path
    executed: list[str] = field(default_factory=list)  # chapters run this time
    reused: list[str] = field(default_factory=list)  # chapters whose inputs had not changed
    fresh_sphinx: bool = False
    parameters: dict = field(default_factory=dict)  # what every chapter was given (authority, data_dir)


def digest_files(paths) -> str:
    """One SHA-256 over the names and contents of ``paths`` (sorted)."""
    h = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        h.update(str(path).encode())
        h.update(path.read_bytes() if path.is_file() else b"<missing>")
    return h.hexdigest()


def code_digest() -> str:
    """The roses package and the installed packages: any change to roses's code or assets, or a
    package installed, removed or upgraded, re-executes every chapter (a chapter's read log leaves
    the Python environment out)."""
    code = digest_files(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return hashlib.sha256(" ".join([code, *installed_packages()]).encode()).hexdigest()


def installed_packages() -> list[str]:
    """Every installed distribution, as its metadata folder's name (``plotly-6.0.1.dist-info``)."""
    folders = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    return sorted(p.name for folder in folders for p in Path(folder).glob("*.dist-info"))


def sphinx_digest(root: Path) -> str:
    """What Sphinx reads besides the pages: a change gives it a fresh environment."""
    book = root / "book"
    files = [root / "_config.yml", root / "_toc.yml", *book.glob("*.bib"), *(book / "_static").rglob("*")]
    return digest_files(p for p in files if not p.is_dir())


def data_files(data: Path) -> list[str]:
    """Every file of the data folder, by relative name: a file added or removed re-executes everything."""
    return sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file())


def _sha(path: Path, cache: dict[str, str]) -> str:
    key = str(path)
    if key not in cache:
        cache[key] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "<missing>"
    return cache[key]


def book_pages(root: Path) -> list[str]:
    """The docnames of the table of contents that are notebooks (``book/findings``...)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [name for name in toc_files(toc) if (root / f"{name}.ipynb").is_file()]


def write_source(root: Path, source: Path) -> None:
    """The book's own files (markdown pages, bibliography, static files, toc) with execution off."""
    for path in (root / "book").rglob("*"):
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts:
            target = source / path.relative_to(root)
            if not target.exists() or target.read_bytes() != path.read_bytes():  # keep Sphinx's mtimes
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
    shutil.copyfile(root / "_toc.yml", source / "_toc.yml")
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config["execute"] = {**config.get("execute", {}), "execute_notebooks": "off"}
    config["exclude_patterns"] = sorted(set(config.get("exclude_patterns", [])) | {DATA_LINK})
    text = "# Generated by roses build from the book's _config.yml (execution off). Do not edit.\n"
    atomic.write_text(source / "_config.yml", text + yaml.safe_dump(config, sort_keys=False, allow_unicode=True))


def _stale(entry: dict | None, notebook_sha: str, code: str, names: list[str], executed: Path, shas: dict) -> bool:
    if entry is None or entry["notebook"] != notebook_sha or entry["code"] != code or entry["data_files"] != names:
        return True
    if entry.get("executed") != _sha(executed, {}):  # missing, or not the notebook that run wrote
        return True
    return any(_sha(Path(name), shas) != sha for name, sha in entry["read"].items())


def build_book(
    data_dir: Path | None = None, root: Path = REPO_ROOT, out: Path | None = None, full: bool = False
) -> BuildReport:
    """Build the book to ``OUT/_build/html`` (OUT defaults to ``root``); ``full`` ignores what was built."""
    forkserver.start()  # its imports overlap the checks below; a build with nothing to run just stops it
    if data_dir is not None and not Path(data_dir).is_dir():
        raise RosesError(f"{data_dir}: no such data folder")
    data = resolve_data_dir(data_dir)
    if data_dir is not None:  # a book from local files: no real authority's survey beside the letters
        # Loaded here: they import every exhibit (1.4 s), which the book from data/ never needs here.
        from roses.editions.leaks import scan_site  # noqa: PLC0415
        from roses.editions.plan import refuse_real_authorities  # noqa: PLC0415

        refuse_real_authorities(data, "the main book")
    build = (Path(out).resolve() if out else root) / "_build"
    engine = build / ENGINE
    source = engine / "source"
    manifest_path = engine / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    if full:  # forget what was built; keep only how long each chapter took (the order to run them in)
        shutil.rmtree(engine, ignore_errors=True)
        manifest = {"seconds": manifest.get("seconds", {})}
    source.mkdir(parents=True, exist_ok=True)
    code, names, shas = code_digest(), data_files(data), {}
    write_source(root, source)
    report = BuildReport(html=build / "html")
    parameters = report.parameters = {"authority": None, "data_dir": None}
    if data_dir is not None:  # the pages see the folder as _data beside them: no local path is published
        link = source / DATA_LINK
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(data, target_is_directory=True)
        # Relative to the folder the chapters run in (source/book: _run_chapter), so the parameter the
        # pages publish (in _sources) is the same for every build folder: ../_data.
        parameters["data_dir"] = str(Path(os.path.relpath(link, source / "book")))
    pages = book_pages(root)
    notebook_shas = {docname: _sha(root / f"{docname}.ipynb", {}) for docname in pages}
    stale = []
    for docname in pages:
        entry = manifest.get("pages", {}).get(docname)
        if _stale(entry, notebook_shas[docname], code, names, source / f"{docname}.ipynb", shas):
            stale.append(docname)
        else:
            report.reused.append(docname)
    pages_manifest = manifest.setdefault("pages", {})
    for docname in stale:
        pages_manifest.pop(docname, None)  # until it has run again
    seconds = manifest.setdefault("seconds", {})
    # Longest first (by the last build's times here, else by the book's own last build, else by code
    # cells), so the kernels finish together; the pages that summarise every exhibit last, when the
    # kernels' caches already hold them. Only the order depends on it, never a page.
    timed = {**_code_cells_guess(root, stale), **_last_seconds(root / "_build" / ENGINE / MANIFEST), **seconds}
    order = sorted(stale, key=lambda d: (d in SUMMARY_PAGES, -timed[d]))
    sphinx = sphinx_digest(root) + code  # the Sphinx extension is roses code too: its pages are rebuilt
    report.fresh_sphinx = manifest.get("sphinx") != sphinx
    manifest["sphinx"] = sphinx
    sphinx_build = start_sphinx(root, source, engine / "out", stale, fresh=report.fresh_sphinx)
    try:
        for docname, read, took in run_chapters(order, root, source, parameters, data, done=sphinx_build.page_ready):
            pages_manifest[docname] = {
                "notebook": notebook_shas[docname],
                "code": code,
                "data_files": names,
                "executed": _sha(source / f"{docname}.ipynb", {}),
                "read": {str(p): _sha(p, shas) for p in read},
            }
            seconds[docname] = round(took, 2)
    except BaseException:
        sphinx_build.stop()
        raise
    report.executed = [d for d in pages if d in stale]
    html = sphinx_build.result()
    atomic.write_text(manifest_path, json.dumps(manifest, indent=1, sort_keys=True))
    if data_dir is not None:  # scanned like every edition; a hit leaves the previous site in place
        scanned = engine / LEAK_SCAN  # files that passed this very scan before, by content
        clean = set(json.loads(scanned.read_text())) if scanned.is_file() else set()
        scan_site(html, data, clean)
        atomic.write_text(scanned, json.dumps(sorted(clean)))
    publish(html, report.html)
    return report


class SphinxBuild:
    """The site's Sphinx build, started before the chapters run when it starts from a fresh
    environment: Sphinx (its imports, its set-up, the markdown pages) then works while the kernels do,
    and reads each notebook page as soon as its chapter is written, in its own order. Otherwise (an
    incremental build) Sphinx and its slowest extensions are imported meanwhile, and it runs after."""

    def __init__(self, source: Path, output: Path, waiting: list[str], fresh: bool, early: bool):
        self.source, self.output, self.fresh = source, output, fresh
        self._ready = {docname: threading.Event() for docname in waiting}
        self._stopped = False
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="sphinx")
        self._future: Future[Path] | None
        if early:
            self._future = self._pool.submit(build_html, source, output, fresh, self._before_read)
        else:
            self._future = None
            self._pool.submit(lambda: [importlib.import_module(m) for m in SPHINX_MODULES])

    def _before_read(self, docname: str) -> None:
        if docname in self._ready:
            self._ready[docname].wait()
        if self._stopped:
            raise BuildStopped(docname)

    def page_ready(self, docname: str) -> None:
        """The chapter ``docname`` is executed and written: Sphinx may read it."""
        self._ready[docname].set()

    def stop(self) -> None:
        """A chapter failed: let Sphinx give up, and wait until it has."""
        self._stopped = True
        for event in self._ready.values():
            event.set()
        self._pool.shutdown(wait=True)

    def result(self) -> Path:
        """The built site (Sphinx's output folder), once every chapter is written."""
        if self._future is None:
            self._pool.shutdown(wait=True)
            return build_html(self.source, self.output, fresh=self.fresh)
        try:
            return self._future.result()
        finally:
            self._pool.shutdown(wait=True)


def start_sphinx(root: Path, source: Path, output: Path, stale: list[str], fresh: bool) -> SphinxBuild:
    """Sphinx for this build (``SphinxBuild``). Sphinx finds its pages when it starts, so a chapter
    not yet executed is present as its unexecuted notebook until its run replaces it; Sphinx never
    reads it before then."""
    early = fresh and bool(stale)
    if early:
        for docname in stale:
            executed = source / f"{docname}.ipynb"
            if not executed.is_file():
                executed.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(root / f"{docname}.ipynb", executed)
    return SphinxBuild(source, output, stale, fresh, early)


# Fills a kernel's caches as the chapters would (same folder, same parameters): every exhibit's frame.
_WARM_UP = """\
import os
os.chdir({cwd!r})
from roses.exhibits.local import params_for
from roses.exhibits.registry import all_exhibits
for _exhibit in all_exhibits():
    _exhibit.frame(params_for(None, {data_dir!r}))
"""


def warm_kernels(report: BuildReport, root: Path = REPO_ROOT) -> None:
    """Start the build's kernels and, in each at once, import roses and compute every exhibit; return
    when all are done (``roses build --watch``: every rebuild then runs on warm kernels). A warm-up that
    fails leaves a colder kernel, nothing worse: the next build shows any real error."""
    cwd = report.html.parent / ENGINE / "source" / "book"  # where the chapters run (_run_chapter)
    code = _WARM_UP.format(cwd=str(cwd), data_dir=report.parameters.get("data_dir"))
    sent = [
        (kernel(i), kernel(i).client.execute(code, silent=True)) for i in range(_kernel_count(len(book_pages(root))))
    ]
    for warmed, msg_id in sent:
        while warmed.client.get_shell_msg(timeout=600)["parent_header"].get("msg_id") != msg_id:
            pass


def _kernel_count(chapters: int) -> int:
    return max(1, min(KERNELS, os.cpu_count() or 1, chapters))


def _code_cells_guess(root: Path, docnames: list[str]) -> dict[str, float]:
    """A first guess at each chapter's cost in seconds, before any build has timed it."""
    guess = {}
    for docname in docnames:
        cells = json.loads((root / f"{docname}.ipynb").read_text(encoding="utf-8"))["cells"]
        guess[docname] = sum(cell["cell_type"] == "code" for cell in cells) / 10
    return guess


def _last_seconds(manifest: Path) -> dict[str, float]:
    try:
        return json.loads(manifest.read_text()).get("seconds", {})
    except (OSError, ValueError):
        return {}


def run_chapters(docnames: list[str], root: Path, source: Path, parameters: dict, data: Path, done=None):
    """Execute ``docnames`` (in this order; ``FIRST_KERNEL_ONLY`` on kernel 0, which takes the first
    chapter, the longest) on up to ``KERNELS`` kernels side by side, calling ``done(docname)`` as each
    chapter is written; then yields ``(docname, files read, seconds)`` for each. The first failure
    stops the rest and raises."""
    if not docnames:
        return
    count = _kernel_count(len(docnames))
    queue = list(docnames)
    lock, failed = threading.Lock(), threading.Event()

    # Kernel 0 takes the first chapter even if another kernel is ready sooner (its cache serves
    # FIRST_KERNEL_ONLY).
    kernel0_only = {docnames[0], *FIRST_KERNEL_ONLY}

    def worker(index: int) -> list[tuple[str, list[Path], float]]:
        finished, on = [], kernel(index)
        while not failed.is_set():
            with lock:
                mine = [d for d in queue if index == 0 or d not in kernel0_only]
                if not mine:
                    break
                docname = mine[0]
                queue.remove(docname)
            start = time.perf_counter()
            try:
                read = _run_chapter(docname, root, source, parameters, data, on)
            except BaseException:
                failed.set()
                raise
            finished.append((docname, read, time.perf_counter() - start))
            if done is not None:
                done(docname)
        return finished

    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(worker, i) for i in range(count)]
        errors = [e for e in (f.exception() for f in futures) if e is not None]
    if errors:
        raise errors[0]
    for future in futures:
        yield from future.result()


def _run_chapter(docname: str, root: Path, source: Path, parameters: dict, data: Path, on: Kernel) -> list[Path]:
    """Execute one chapter into ``source``, in the folder of its executed copy (as jupyter-book runs a
    notebook in its own folder): every path a chapter is given or reads is then relative to the build's
    source, so no build folder (a temporary one, the user's --out) reaches a page or ``_sources``.
    Returns the files under the book and the data folder that it read."""
    notebook = root / f"{docname}.ipynb"
    executed = source / f"{docname}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(notebook, executed)  # the chapter reads its own prose (the names it glues) beside it
    try:
        warnings = execute(notebook, executed, parameters, executed.parent, on=on)
    except Exception as error:  # papermill raises its own types: name the page and the error
        raise RosesError(
            f"{docname} failed to execute: {getattr(error, 'ename', type(error).__name__)}: "
            f"{getattr(error, 'evalue', error)}"
        ) from None
    for text in warnings:
        print(f"roses: {docname}: {text.strip()}", file=sys.stderr)  # the terminal, never the page
    drop_check_outputs(executed)
    return read_files(root, data, on=on)


CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def drop_check_outputs(path: Path) -> None:
    """Empty the key-result cells (``# NBVAL_CHECK_OUTPUT``) of an executed chapter: they print for
    nbval and ``roses verify``, which compare them with the release; a reader gets nothing from them,
    so neither a page nor its ``_sources`` carries them."""
    nb = nbformat.read(path, as_version=4)
    marked = [c for c in nb.cells if c.cell_type == "code" and CHECK_MARK in c.source and c.outputs]
    if marked:
        for cell in marked:
            cell.outputs = []
        nbformat.write(nb, path)


def publish(built: Path, target: Path) -> None:
    """Copy Sphinx's output to ``target`` in one swap, with the accessible root redirect."""
    copy_in(built, target, write_landing_redirect)


def write_landing_redirect(html: Path) -> None:
    """The site root: an accessible page that leads to the book's landing page.

    jupyter-book writes a one-line ``<meta http-equiv="Refresh">`` file with no language, title or
    link; a reader whose browser blocks refreshes would see a blank page.
    """
    atomic.write_text(
        html / "index.html",
        (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>You Can't Grow Roses in Concrete, Part 2: living evidence</title>"
            '<meta http-equiv="Refresh" content="0; url=book/index.html"></head>'
            "<body><main><h1>Living evidence report</h1>"
            '<p><a href="book/index.html">Open the book</a>.</p></main></body></html>\n'
        ),
    )
