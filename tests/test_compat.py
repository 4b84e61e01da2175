"""One test per behaviour of the build stack's private or internal APIs that roses relies on
(``roses.engine.compat``; the numbers are those of its docstring). ``make compat`` runs this file
against the newest releases the lock's major versions allow: a failure names what an upgrade broke.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import nbformat
import pytest

from roses.core.errors import RosesError
from roses.engine import compat
from roses.engine.sphinx import BuildStopped, build_html, overrides


def _tiny_book(folder: Path, numbered: bool = False, broken_link: bool = False) -> Path:
    """A two-page jupyter-book source: index and one chapter, execution off."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_config.yml").write_text(
        "title: Tiny compat book\nauthor: roses\nexecute:\n  execute_notebooks: 'off'\n"
    )
    toc = "format: jb-book\nroot: index\n" + ("options:\n  numbered: true\n" if numbered else "")
    (folder / "_toc.yml").write_text(toc + "chapters:\n- file: chapter\n")
    (folder / "index.md").write_text("# Tiny\n\nThe front page.\n")
    link = "{doc}`missing`" if broken_link else "{doc}`index`"
    (folder / "chapter.md").write_text(f"# A chapter\n\n## A section\n\nBack to {link}.\n")
    return folder


# --- 1-4, 7: jupyter-book's configuration and build steps --------------------------------------


def test_1_2_a_book_builds_with_jupyter_books_configuration(tmp_path):
    html = build_html(_tiny_book(tmp_path / "src"), tmp_path / "out")
    chapter = (html / "chapter.html").read_text()
    assert "Tiny compat book" in chapter  # the title from _config.yml, through get_final_config
    assert "A section" in chapter and 'href="index.html"' in chapter


def test_4_a_numbered_table_of_contents_numbers_the_chapters(tmp_path):
    html = build_html(_tiny_book(tmp_path / "src", numbered=True), tmp_path / "out")
    assert "1. A chapter" in (html / "index.html").read_text() or "1.</span> A chapter" in (
        html / "chapter.html"
    ).read_text().replace("\n", "")


def test_1_warnings_are_errors_and_name_the_book(tmp_path):
    source = _tiny_book(tmp_path / "src", broken_link=True)
    with pytest.raises(RosesError, match="missing"):
        build_html(source, tmp_path / "out")


def test_3_builds_in_two_threads_take_turns_and_both_succeed(tmp_path):
    results, errors = {}, []

    def build(name):
        try:
            results[name] = build_html(_tiny_book(tmp_path / name), tmp_path / f"{name}-out")
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=build, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all((results[name] / "chapter.html").is_file() for name in ("one", "two"))


def test_7_a_second_build_in_one_process_rewrites_no_page(tmp_path):
    source, out = _tiny_book(tmp_path / "src"), tmp_path / "out"
    page = build_html(source, out, fresh=False) / "chapter.html"
    later = 4_000_000_000  # newer than its source: only a changed configuration has it written again
    os.utime(page, (later, later))
    build_html(source, out, fresh=False)
    assert page.stat().st_mtime == later


# --- 5-6: Sphinx's builder --------------------------------------------------------------------


def test_5_every_page_read_is_announced_first_and_a_stop_ends_the_build(tmp_path):
    seen = []
    build_html(_tiny_book(tmp_path / "src"), tmp_path / "out", before_read=seen.append)
    assert sorted(seen) == ["chapter", "index"]

    def stop(docname):
        raise BuildStopped(docname)

    with pytest.raises(BuildStopped):
        build_html(_tiny_book(tmp_path / "src2"), tmp_path / "out2", before_read=stop)


def test_6_the_html_builder_renders_with_a_jinja_environment(tmp_path):
    import io

    import jinja2

    source = _tiny_book(tmp_path / "src")
    with compat.jupyter_book_sphinx(source, tmp_path / "out", overrides(), io.StringIO(), True) as app:
        assert isinstance(compat.template_environment(app), jinja2.Environment)


# --- 8-10: jupyter_client, papermill and nbclient ---------------------------------------------


def test_8_a_kernel_info_reply_sets_the_protocol_version_spoken():
    from jupyter_client.blocking import BlockingKernelClient

    client = BlockingKernelClient()
    compat.accept_kernel_info(client, {"content": {"protocol_version": "4.1"}})
    assert client.session.adapt_version == 4


@pytest.mark.slow
def test_9_a_provisioner_given_to_a_manager_launches_its_kernel():
    from jupyter_client.manager import KernelManager
    from jupyter_client.provisioning import LocalProvisioner

    launches = []

    class Recording(LocalProvisioner):
        label = ""

        async def launch_kernel(self, cmd, **kwargs):
            await super().launch_kernel(cmd, **kwargs)
            launches.append(self.label)
            return compat.launched(self, self.process, str(kwargs.get("cwd") or Path.cwd()))

    manager = KernelManager(kernel_name="python3")
    compat.use_provisioner(manager, Recording, label="mine")
    manager.start_kernel()
    try:
        assert launches == ["mine"]
        assert manager.is_alive() and manager.provisioner.pid == manager.provisioner.process.pid
    finally:
        manager.shutdown_kernel(now=True)
    assert not manager.is_alive()


@pytest.mark.slow
def test_10_notebooks_run_on_the_kernel_they_are_given_which_stays_alive(tmp_path):
    from roses.engine.execute import Kernel, execute

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nprint(os.getpid())")])
    on = Kernel()
    try:
        pids = []
        for name in ("a", "b"):
            execute(notebook, tmp_path / f"{name}.ipynb", {}, tmp_path, on=on)
            pids.append(nbformat.read(tmp_path / f"{name}.ipynb", as_version=4).cells[-1].outputs[0]["text"])
        assert pids[0] == pids[1]
        assert on.alive()
    finally:
        on.shutdown()


# --- 11-12: nbval and pytest-xdist ------------------------------------------------------------


def test_11_nbval_starts_its_kernels_through_the_replaced_function(monkeypatch):
    import nbval.kernel

    calls = []

    class Client:
        def kernel_info(self):
            raise RuntimeError("stop here: the kernel came from the replaced function")

    def original(startup_timeout, kernel_name, **kwargs):
        calls.append(startup_timeout)
        if len(calls) == 1:
            raise RuntimeError("the first kernel never answered")
        return object(), Client()

    monkeypatch.setattr(nbval.kernel, "start_new_kernel", original)
    retried = []
    compat.retry_nbval_kernel_start(lambda: 7.0, retried.append)
    with pytest.raises(RuntimeError, match="came from the replaced function"):
        nbval.kernel.RunningKernel("python3", startup_timeout=60)
    assert calls == [7.0, 60] and len(retried) == 1


def test_12_xdist_sends_each_scope_to_one_worker_and_asks_us_for_it():
    from xdist.scheduler import LoadFileScheduling, LoadScopeScheduling

    scheduler = compat.file_scheduler(lambda nodeid, by_file: "together" if "shared" in nodeid else by_file(nodeid))
    assert issubclass(scheduler, LoadFileScheduling)
    unbuilt = object.__new__(scheduler)
    assert unbuilt._split_scope("tests/shared_a.py::test_x") == "together"
    assert unbuilt._split_scope("tests/test_a.py::test_x") == "tests/test_a.py"
    # The scheduler groups the collection by calling _split_scope on itself.
    callers = [
        name
        for name, member in vars(LoadScopeScheduling).items()
        if callable(member) and "_split_scope" in getattr(getattr(member, "__code__", None), "co_names", ())
    ]
    assert callers


# --- 13: CPython and pybtex -------------------------------------------------------------------


def test_13_a_forked_child_runs_its_exit_handlers_and_never_returns(tmp_path):
    marker = tmp_path / "handlers ran"
    pid = os.fork()
    if pid == 0:  # the child
        import atexit

        atexit.register(marker.write_text, "yes")
        compat.run_exit_handlers_and_exit(3)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 3
    assert marker.read_text() == "yes"


def test_13_a_registered_pybtex_plugin_is_found_without_reading_entry_points(monkeypatch):
    import pybtex.plugin

    compat.register_pybtex_plugin("pybtex.style.labels", "number")

    def no_entry_points(**kwargs):
        raise AssertionError("pybtex read the entry points again")

    monkeypatch.setattr(pybtex.plugin, "entry_points", no_entry_points)
    assert pybtex.plugin.find_plugin("pybtex.style.labels", "number").__name__ == "LabelStyle"


# --- and the internal module paths roses imports by name, ahead of need --------------------------


def test_the_modules_preloaded_by_name_still_exist():
    """The fork server and the book build import these by name before they are needed (a warm start);
    a release that moves one must fail here, not slow every build down or break it."""
    import importlib

    from roses.engine.forkserver import PRELOAD
    from roses.site.build import SPHINX_MODULES

    for name in (*PRELOAD, *SPHINX_MODULES):
        importlib.import_module(name)
