"""Every private or internal API of the build stack that roses relies on, fenced in one module.

Each function or class here leans on something its library does not promise to keep: a private
method, a module attribute replaced at run time, an internal helper or the internal order of a
build. Nothing else in roses (or in its tests) touches those; each behaviour relied on has a test in
``tests/test_compat.py``, and ``make compat`` runs those tests in a throwaway environment against the
newest releases the lock's major versions allow, so an upgrade that breaks one fails there first,
with the behaviour named (docs/engine-upgrade.md).

The uses, by library (the numbers are those of the tests):

1. jupyter-book ``config.get_final_config``: the Sphinx configuration ``jupyter-book build`` makes;
2. jupyter-book ``pdf.update_latex_documents``: the LaTeX overrides applied after Sphinx starts;
3. Sphinx ``util.docutils.patch_docutils`` and ``docutils_namespace``: the global docutils state a
   build runs in (not thread-safe: one build at a time per process, held by ``_ONE_SPHINX``);
4. sphinx-external-toc ``app.config.external_site_map``: whether the table of contents is numbered;
5. Sphinx ``app.builder.read_doc``: called once per page read (the main book gates it);
6. Sphinx ``app.builder.templates.environment``: the Jinja environment the HTML builder renders with;
7. Sphinx's default ``templates_path``: one list for the whole process unless a build is given its own;
8. jupyter_client ``KernelClient._handle_kernel_info_reply``: the protocol version of a kernel;
9. jupyter_client ``LocalProvisioner`` internals: ``launch_kernel``'s attributes (``process``,
   ``pid``, ``pgid``, ``cwd``, ``connection_info``) and a manager's ``provisioner``/``kernel_id``;
10. papermill ``NBClientEngine``, ``PapermillNotebookClient``, ``utils.merge_kwargs``/``remove_args``
    and nbclient's use of a client (``kc``) it is given: a notebook runs on a kernel kept alive;
11. nbval ``kernel.start_new_kernel``: looked up by ``RunningKernel`` at call time, so it can be
    replaced by one that retries;
12. pytest-xdist ``LoadFileScheduling._split_scope``: the scope a test is sent to a worker by;
13. CPython ``atexit._run_exitfuncs`` (a forked kernel exits as a normal one would) and pybtex's
    ``register_plugin(force=True)`` (a plugin found once per process, not once per citation).

Third-party modules are imported inside the functions: Sphinx alone takes a second to import, and
the fork server imports this module before it preloads anything.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# --- 1-7. jupyter-book and Sphinx: the build jupyter-book's ``build_sphinx`` runs ------------------

# patch_docutils swaps docutils' global registries for the length of a build: two builds at once in
# one process (the main book's Sphinx thread, a Dask worker's threads) would see each other's.
_ONE_SPHINX = threading.Lock()


@contextmanager
def jupyter_book_sphinx(source: Path, output: Path, overrides: dict, warning: Any, fresh: bool) -> Iterator[Any]:
    """A Sphinx HTML application configured and set up as jupyter-book's ``build_sphinx`` sets it up
    (its configuration from ``source/_config.yml`` and ``_toc.yml``, its LaTeX overrides, numbered
    tables of contents), warnings as errors, kept going to report them all; yields it unbuilt.

    Doctrees go to ``output/.doctrees``, HTML to ``output/html``; ``fresh=False`` keeps the
    environment of the previous build there."""
    from jupyter_book.config import get_final_config  # noqa: PLC0415
    from jupyter_book.pdf import update_latex_documents  # noqa: PLC0415
    from sphinx.application import Sphinx  # noqa: PLC0415
    from sphinx.util.docutils import docutils_namespace, patch_docutils  # noqa: PLC0415

    config, meta = get_final_config(
        user_yaml=source / "_config.yml", cli_config=overrides, sourcedir=source, use_external_toc=True
    )
    with _ONE_SPHINX, patch_docutils(None), docutils_namespace():
        app = Sphinx(
            srcdir=source,
            confdir=None,
            outdir=output / "html",
            doctreedir=output / ".doctrees",
            buildername="html",
            confoverrides=config,
            status=None,
            warning=warning,
            freshenv=fresh,
            warningiserror=True,
            keep_going=True,
        )
        app.config.latex_documents = update_latex_documents(app.config.latex_documents, meta["latex_doc_overrides"])
        if app.config["use_multitoc_numbering"] and _numbered(app.config.external_site_map.as_json()):
            app.setup_extension("sphinx_multitoc_numbering")
        yield app


def _numbered(site_map: dict) -> bool:
    """As jupyter-book decides it: some part of the table of contents says ``numbered: true``."""
    import yaml  # noqa: PLC0415

    return "numbered: true" in yaml.dump(site_map)


def own_templates_path() -> dict:
    """A configuration override giving a build its own ``templates_path`` list: the themes append to
    it, and Sphinx's default is one list for the whole process, so a second build in one process
    (``roses build --watch``, an editions batch) saw a changed configuration and rewrote every page."""
    return {"templates_path": []}


def gate_reads(app: Any, before_read: Callable[[str], None]) -> None:
    """Call ``before_read(docname)`` before Sphinx reads each page (it may wait, or raise to stop)."""
    read_doc = app.builder.read_doc

    def read_when_ready(docname, *args, **kwargs):
        before_read(docname)
        return read_doc(docname, *args, **kwargs)

    app.builder.read_doc = read_when_ready


def template_environment(app: Any) -> Any:
    """The Jinja environment Sphinx's HTML builder renders pages with (None for other builders)."""
    return getattr(getattr(app.builder, "templates", None), "environment", None)


# --- 8-9. jupyter_client ------------------------------------------------------------------------


def accept_kernel_info(client: Any, reply: dict) -> None:
    """Take a kernel's kernel_info reply as jupyter_client's ``wait_for_ready`` does (the message
    protocol version it speaks), for a caller that read the reply itself."""
    client._handle_kernel_info_reply(reply)


def use_provisioner(manager: Any, provisioner_class: type, **attributes: Any) -> None:
    """Have ``manager`` launch its next kernel with ``provisioner_class`` (jupyter_client makes a
    provisioner from the kernelspec otherwise); ``attributes`` are set on the provisioner."""
    import uuid  # noqa: PLC0415

    manager.kernel_id = str(uuid.uuid4())
    provisioner = provisioner_class(kernel_id=manager.kernel_id, kernel_spec=manager.kernel_spec, parent=manager)
    for name, value in attributes.items():
        setattr(provisioner, name, value)
    manager.provisioner = provisioner


def launched(provisioner: Any, process: Any, cwd: str) -> dict:
    """Record a kernel process started outside ``LocalProvisioner.launch_kernel`` as that method
    records its own (``process`` needs ``poll``, ``wait``, ``send_signal``, ``kill``, ``terminate``
    and ``pid``); returns what ``launch_kernel`` returns."""
    provisioner.process = process
    provisioner.pid = provisioner.pgid = process.pid
    provisioner.cwd = cwd
    return provisioner.connection_info


# --- 10. papermill and nbclient -----------------------------------------------------------------


def register_persistent_engine(name: str) -> None:
    """Register papermill engine ``name``: papermill's nbclient engine run on a kernel it is given
    (``km=`` a started KernelManager, ``kc=`` its connected client) and leaves running."""
    from papermill.clientwrap import PapermillNotebookClient  # noqa: PLC0415
    from papermill.engines import NBClientEngine, papermill_engines  # noqa: PLC0415
    from papermill.utils import merge_kwargs, remove_args  # noqa: PLC0415

    class PersistentKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            kc = kwargs.pop("kc")
            final = merge_kwargs(
                kwargs,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, **final)
            # The kernel's own client, connected once: a new client per notebook waits 0.2 s for IOPub
            # to fall quiet (jupyter_client's wait_for_ready). Messages left from an earlier notebook
            # belong to other requests, and nbclient reads only the replies to its own. nbclient
            # neither starts a kernel nor shuts one down when it is given a manager (it does not own).
            client.kc = kc
            return client.execute()

    papermill_engines.register(name, PersistentKernelEngine)


# --- 11. nbval ----------------------------------------------------------------------------------


def retry_nbval_kernel_start(first_timeout: Callable[[], float], on_retry: Callable[[Exception], None]) -> None:
    """Make nbval start each kernel with ``first_timeout()`` seconds to answer and, if that kernel never answers, once
    more with nbval's own timeout (nbval alone would wait 60 s and fail the notebook)."""
    import nbval.kernel  # noqa: PLC0415

    original = getattr(nbval.kernel.start_new_kernel, "roses_original", nbval.kernel.start_new_kernel)

    def start_new_kernel(startup_timeout: float = 60, kernel_name: str = "python", **kwargs):
        try:
            return original(startup_timeout=first_timeout(), kernel_name=kernel_name, **kwargs)
        except RuntimeError as first:  # nbval has already shut that kernel down
            on_retry(first)
            return original(startup_timeout=startup_timeout, kernel_name=kernel_name, **kwargs)

    start_new_kernel.roses_original = original  # type: ignore[attr-defined]
    nbval.kernel.start_new_kernel = start_new_kernel  # RunningKernel looks the name up in nbval.kernel


# --- 12. pytest-xdist ---------------------------------------------------------------------------


def file_scheduler(scope_of: Callable[[str, Callable[[str], str]], str]) -> type:
    """xdist's ``--dist loadfile`` scheduler with the scope of a test (the unit sent to one worker)
    chosen by ``scope_of(nodeid, default_scope)``."""
    from xdist.scheduler import LoadFileScheduling  # noqa: PLC0415

    class ScopedFileScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid, super()._split_scope)

    return ScopedFileScheduling


# --- 13. CPython and pybtex ---------------------------------------------------------------------


def run_exit_handlers_and_exit(code: int) -> None:
    """End a forked child as a normal exit would (its atexit handlers: IPython saves its history),
    without unwinding into the parent's code that forked it."""
    import atexit  # noqa: PLC0415

    atexit._run_exitfuncs()
    os._exit(code)


def register_pybtex_plugin(group: str, name: str) -> None:
    """Register pybtex plugin ``name`` under its own name, so pybtex finds it at once instead of
    reading every installed package's entry points on each use (16 ms a time)."""
    from pybtex.plugin import find_plugin, register_plugin  # noqa: PLC0415

    register_plugin(group, name, find_plugin(group, name), force=True)
