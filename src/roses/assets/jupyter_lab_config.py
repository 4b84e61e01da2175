"""JupyterLab configuration for `make lab` (``jupyter lab --config=src/roses/assets/jupyter_lab_config.py``).

jupyterlab-myst renders the chapters' MyST (targets, admonitions, cross-references), but it has no
``{glue}`` role: it shows a kernel's values inline with ``{eval}`` (user expressions). The notebooks
keep ``{glue}`` (what myst-nb needs for the book), and this contents manager translates while
JupyterLab reads and writes them: ``{glue}`name``` is served as ``{eval}`page.glued("name")``` and
written back as it was, so saving a notebook never changes its prose (docs/jupyterlab.md). Kernels
started here see ``ROSES_WIDGETS=live``: the explorers are live ipywidgets (roses.pages.explorers).
``jupyterlab/custom.css`` hides the site's empty chart slots (JupyterLab draws the charts itself).
"""

import os
import re
from pathlib import Path

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

GLUE = re.compile(r"\{glue\}`([^`]+)`")
EVAL = re.compile(r'\{eval\}`page\.glued\("([^"`]+)"\)`')
os.environ["ROSES_WIDGETS"] = "live"  # inherited by every kernel this server starts


def _sources(notebook: dict, pattern: re.Pattern, replacement: str) -> None:
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
    """``{glue}`name``` as ``{eval}`page.glued("name")```, in every markdown cell (in place)."""
    _sources(notebook, GLUE, r'{eval}`page.glued("\1")`')
    return notebook


def to_book(notebook: dict) -> dict:
    """The reverse of :func:`to_lab`, and jupyterlab-myst's stored values dropped (in place)."""
    _sources(notebook, EVAL, r"{glue}`\1`")
    return notebook


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
c.ServerApp.contents_manager_class = GlueContentsManager
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.open_browser = False
# custom.css (assets/jupyterlab/): the site's empty chart slots are hidden; JupyterLab draws the charts.
c.LabApp.custom_css = True
c.ServerApp.tornado_settings = {"static_custom_path": [str(Path(__file__).parent / "jupyterlab")]}
c.ServerApp.allow_root = True  # developers' machines and CI run as root; the server listens on 127.0.0.1 only
