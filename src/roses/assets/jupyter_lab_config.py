"""JupyterLab configuration for `make lab` (``jupyter lab --config=src/roses/assets/jupyter_lab_config.py``).

jupyterlab-myst renders the chapters' MyST (targets, admonitions, cross-references), but it has no
``{glue}`` role: it shows a kernel's values inline with ``{eval}`` (user expressions). The notebooks
keep ``{glue}`` (what myst-nb needs for the book), and this contents manager translates while
JupyterLab reads and writes them: ``{glue}`name``` is served as ``{eval}`page.glued("name")``` and
written back as it was, and ``{cite}`key``` (jupyterlab-myst has no bibliography) is served as the
site's author-year label and written back as the role: saving a notebook never changes its prose
(docs/jupyterlab.md). Kernels started here see ``ROSES_WIDGETS=live``: the explorers are live
ipywidgets (roses.pages.explorers). ``jupyterlab/custom.css`` imports the site's stylesheet (badges,
captions, tables, notes as on the site) and hides the site's empty chart slots (JupyterLab draws the
charts itself).

JupyterLab never works on the committed chapters: the server's root is a copy of ``book/`` in
``_build/lab/`` (``$ROSES_LAB_DIR`` to choose another), refreshed from ``book/`` at every start
(``lab_copy``); a copy edited in JupyterLab since it was made is kept, and named. Whatever a session
runs or saves (outputs, altered data), ``book/`` is not written, and nbval and ``roses verify``
compare with the release, not with a notebook's outputs (docs/jupyterlab.md).
"""

import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

GLUE = re.compile(r"\{glue\}`([^`]+)`")
EVAL = re.compile(r'\{eval\}`page\.glued\("([^"`]+)"\)`')
CITE = re.compile(r"\{cite\}`([^`]+)`")
CITED = re.compile(r"\\\[\[[^\]]*\]\(<#cite:([^>]+)>\)\\\]")  # what CITE is served as: \[[label](<#cite:keys>)\]
os.environ["ROSES_WIDGETS"] = "live"  # inherited by every kernel this server starts
REPO = Path(__file__).resolve().parents[3]  # src/roses/assets/ -> the repository
_LABELS: dict[str, str] = {}


def citation_labels(bib: Path = REPO / "book" / "references.bib") -> dict[str, str]:
    """``{key: "Farber and Munson, 2010"}``: each entry's author-year label as the site shows it
    (sphinxcontrib-bibtex's author_year style: one or two surnames, else the first and *et al.*;
    "and others" in the entry kept as written)."""
    if not _LABELS:
        import codecs  # noqa: PLC0415

        import latexcodec  # noqa: F401, PLC0415 (registers the "ulatex" codec: Hedstr\\"om -> Hedström)
        from pybtex.database import parse_file  # noqa: PLC0415 (sphinxcontrib-bibtex's parser)

        for key, entry in parse_file(str(bib)).entries.items():
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            names = [codecs.decode(" ".join(p.last_names or p.first_names), "ulatex") for p in people]
            names = [n.replace("{", "").replace("}", "") for n in names]
            others = names[-1:] == ["others"]
            names = [n for n in names if n != "others"]
            if others:
                who = f"{names[0]} and others"
            elif len(names) > 2:
                who = f"{names[0]} *et al.*"  # italic, as on the site
            else:
                who = " and ".join(names)
            _LABELS[key] = f"{who}, {entry.fields.get('year', 'n.d.')}"
    return _LABELS


def _served_citation(match: re.Match) -> str:
    labels = citation_labels()
    text = "; ".join(labels.get(key.strip(), key.strip()) for key in match.group(1).split(","))
    return f"\\[[{text}](<#cite:{match.group(1)}>)\\]"


def _sources(notebook: dict, pattern: re.Pattern, replacement) -> None:
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        new = pattern.sub(replacement, text)
        if new != text:
            cell["source"] = new
        if pattern is EVAL:  # the values jupyterlab-myst stored are outputs: never written to the book
            cell.get("metadata", {}).pop("user_expressions", None)


def to_lab(notebook: dict) -> dict:
    """``{glue}`name``` as ``{eval}`page.glued("name")```, and ``{cite}`key``` as the site's
    bracketed author-year label (a link whose target keeps the keys), in every markdown cell (in place)."""
    _sources(notebook, GLUE, r'{eval}`page.glued("\1")`')
    _sources(notebook, CITE, _served_citation)
    return notebook


def to_book(notebook: dict) -> dict:
    """The reverse of :func:`to_lab`, and jupyterlab-myst's stored values dropped (in place)."""
    _sources(notebook, EVAL, r"{glue}`\1`")
    _sources(notebook, CITED, r"{cite}`\1`")
    return notebook


COPIED = ".roses-lab.json"  # in the copy: each file's sha256 as copied from book/


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lab_copy(book: Path, dest: Path) -> list[str]:
    """Copy ``book`` into ``dest`` for JupyterLab: every file (notebooks, pages, bibliography, static
    files), replacing what an earlier copy left unless it was changed since it was copied. Returns
    the files kept because they were changed in JupyterLab."""
    dest.mkdir(parents=True, exist_ok=True)
    record = dest / COPIED
    copied = json.loads(record.read_text()) if record.is_file() else {}
    kept = []
    for path in sorted(book.rglob("*")):
        if not path.is_file() or ".ipynb_checkpoints" in path.parts or "__pycache__" in path.parts:
            continue
        name = path.relative_to(book).as_posix()
        target = dest / name
        if target.is_file() and name in copied and _sha(target) != copied[name]:
            kept.append(name)  # edited in JupyterLab: never overwritten
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied[name] = _sha(target)
    record.write_text(json.dumps(copied, indent=1, sort_keys=True))
    return kept


class GlueContentsManager(AsyncLargeFileManager):
    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model.get("type") == "notebook" and model.get("content"):
            to_lab(model["content"])
        return model

    async def save(self, model, path=""):
        if model.get("type") == "notebook" and model.get("content"):
            to_book(model["content"])
        saved = await super().save(model, path)
        return saved


c = get_config()  # noqa: F821 (traitlets gives a config file this function)
LAB_DIR = Path(os.environ.get("ROSES_LAB_DIR") or REPO / "_build" / "lab")
for name in lab_copy(REPO / "book", LAB_DIR):
    print(f"roses: kept {LAB_DIR / name}: changed in JupyterLab since it was copied from book/", file=sys.stderr)
c.ServerApp.root_dir = str(LAB_DIR)
c.ServerApp.contents_manager_class = GlueContentsManager
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.open_browser = False
# custom.css (assets/jupyterlab/): the site's empty chart slots are hidden; JupyterLab draws the charts.
c.LabApp.custom_css = True
# custom.css imports the site's own stylesheet (book/_static/roses.css), served from the same /custom/ path.
c.ServerApp.tornado_settings = {
    "static_custom_path": [str(Path(__file__).parent / "jupyterlab"), str(REPO / "book" / "_static")]
}
c.ServerApp.allow_root = True  # developers' machines and CI run as root; the server listens on 127.0.0.1 only
