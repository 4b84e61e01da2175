"""Build the main book on the editions' engine, re-executing only the chapters whose inputs changed.

``jupyter-book build --all`` starts a fresh kernel for every notebook (imports paid twelve times) and
re-executes everything. Here every chapter runs with papermill on one persistent kernel
(``roses.editions.execute``), and Sphinx then builds with execution off, in-process.

Incremental and safe by construction: a chapter is executed again when its notebook, the ``roses``
code, or a data file it read (the page's read log, ``roses.core.readlog``) changed. A change the
tracker cannot see forces a full rebuild: any change to the code or to the set of files in the data
folder re-executes every chapter (a chapter's read log covers the files it opened under the book's
folder and the data folder); a change to the book's configuration, table of contents, bibliography or
static files gives Sphinx a fresh environment. The record of what each chapter read lives in
``_build/.roses/manifest.json`` beside the executed notebooks.

The site goes to ``_build/html`` only when the whole build succeeded (an atomic folder swap), so a
failed build never leaves a half-written site. A book built from local files (``--data``) is refused
if the folder holds a real authority's survey exports, and is leak-scanned like every edition before
it is moved into place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from roses.core import atomic
from roses.core.errors import RosesError
from roses.core.paths import REPO_ROOT
from roses.core.paths import data_dir as resolve_data_dir
from roses.editions.execute import execute, read_files
from roses.editions.leaks import scan_site
from roses.editions.model import toc_files
from roses.editions.plan import refuse_real_authorities
from roses.editions.site import DATA_LINK, build_html

ENGINE = ".roses"  # under _build/: executed notebooks, Sphinx's environment, the manifest
MANIFEST = "manifest.json"
BOOK_TREE = ("book", "_toc.yml", "_config.yml")  # what Sphinx reads besides the executed notebooks
PACKAGE = Path(__file__).resolve().parents[1]  # src/roses


@dataclass
class BuildReport:
    html: Path
    executed: list[str] = field(default_factory=list)  # chapters run this time
    reused: list[str] = field(default_factory=list)  # chapters whose inputs had not changed
    fresh_sphinx: bool = False


def digest_files(paths) -> str:
    """One SHA-256 over the names and contents of ``paths`` (sorted)."""
    h = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        h.update(str(path).encode())
        h.update(path.read_bytes() if path.is_file() else b"<missing>")
    return h.hexdigest()


def code_digest() -> str:
    """The roses package: any change to its code or assets re-executes every chapter."""
    return digest_files(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


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


def _stale(entry: dict | None, notebook_sha: str, code: str, names: list[str], data: Path, shas: dict) -> bool:
    if entry is None or entry["notebook"] != notebook_sha or entry["code"] != code or entry["data_files"] != names:
        return True
    return any(_sha(Path(name), shas) != sha for name, sha in entry["read"].items())


def build_book(
    data_dir: Path | None = None, root: Path = REPO_ROOT, out: Path | None = None, full: bool = False
) -> BuildReport:
    """Build the book to ``OUT/_build/html`` (OUT defaults to ``root``); ``full`` ignores what was built."""
    if data_dir is not None and not Path(data_dir).is_dir():
        raise RosesError(f"{data_dir}: no such data folder")
    data = resolve_data_dir(data_dir)
    if data_dir is not None:  # a book from local files: no real authority's survey beside the letters
        refuse_real_authorities(data, "the main book")
    build = (Path(out).resolve() if out else root) / "_build"
    engine = build / ENGINE
    source = engine / "source"
    if full:
        shutil.rmtree(engine, ignore_errors=True)
    source.mkdir(parents=True, exist_ok=True)
    manifest_path = engine / MANIFEST
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    code, names, shas = code_digest(), data_files(data), {}
    write_source(root, source)
    report = BuildReport(html=build / "html")
    parameters = {"authority": None, "data_dir": None}
    if data_dir is not None:  # the pages see the folder as _data beside them: no local path is published
        link = source / DATA_LINK
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(data, target_is_directory=True)
        parameters["data_dir"] = str(Path(os.path.relpath(link, root / "book")))
    for docname in book_pages(root):
        notebook = root / f"{docname}.ipynb"
        notebook_sha = _sha(notebook, {})
        output = source / f"{docname}.ipynb"
        entry = manifest.get("pages", {}).get(docname)
        if not output.is_file() or _stale(entry, notebook_sha, code, names, data, shas):
            try:  # in the notebook's own folder, as jupyter-book runs it
                for text in execute(notebook, output, parameters, notebook.parent):
                    print(f"roses: {docname}: {text.strip()}", file=sys.stderr)  # the terminal, never the page
            except Exception as error:  # papermill raises its own types: name the page and the error
                manifest.get("pages", {}).pop(docname, None)
                raise RosesError(
                    f"{docname} failed to execute: {getattr(error, 'ename', type(error).__name__)}: "
                    f"{getattr(error, 'evalue', error)}"
                ) from None
            read = {str(p): _sha(p, shas) for p in read_files(root, data)}
            manifest.setdefault("pages", {})[docname] = {
                "notebook": notebook_sha,
                "code": code,
                "data_files": names,
                "read": read,
            }
            report.executed.append(docname)
        else:
            report.reused.append(docname)
    sphinx = sphinx_digest(root)
    report.fresh_sphinx = manifest.get("sphinx") != sphinx
    manifest["sphinx"] = sphinx
    html = build_html(source, engine / "out", fresh=report.fresh_sphinx)
    atomic.write_text(manifest_path, json.dumps(manifest, indent=1, sort_keys=True))
    if data_dir is not None:  # scanned like every edition; a hit leaves the previous site in place
        scan_site(html, data)
    publish(html, report.html)
    return report


def publish(built: Path, target: Path) -> None:
    """Copy Sphinx's output to ``target`` in one swap, with the accessible root redirect."""
    with atomic.replacing_dir(target) as staging:
        shutil.copytree(built, staging, dirs_exist_ok=True)
        write_landing_redirect(staging)
    os.utime(target)


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
