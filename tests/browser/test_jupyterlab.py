"""A chapter opened in JupyterLab, as `make lab` starts it, and run: charts drawn, prose rendered.

JupyterLab is started on a copy of the chapter (so nothing can be saved into book/), on 127.0.0.1,
with `make lab`'s configuration (src/roses/assets/jupyter_lab_config.py) and its own settings,
workspace and runtime folders. Chromium (Debian's) opens the notebook, runs every cell from the Run
menu and waits for the kernel. Then: every exhibit's chart is drawn by JupyterLab's plotly renderer;
no markdown cell shows a raw ``{glue}``/``{eval}`` role, a ``(label)=`` target or a ``:::`` fence;
glued numbers appear in the prose; the self-assessment explorer is live (its sliders change its
answer). Screenshots go to $ROSES_SCREENSHOTS (default: pytest's temporary folder).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from roses.core.paths import REPO_ROOT

from .conftest import _route_local_only

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not all(importlib.util.find_spec(m) for m in ("jupyterlab", "jupyterlab_myst")):
    pytest.fail(  # locked in requirements.lock: missing means a broken environment, never a pass
        "JupyterLab or jupyterlab-myst is not installed (they are in the `test` and `lab` extras; "
        "`make test` installs requirements.lock)",
        pytrace=False,
    )

CHAPTER = "findings"
CONFIG = REPO_ROOT / "src" / "roses" / "assets" / "jupyter_lab_config.py"
TOKEN = "roses-test"
RUN_TIMEOUT = 300  # seconds for the whole chapter to run in the kernel


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    notebooks, home = root / "notebooks", root / "home"
    notebooks.mkdir()
    shutil.copyfile(REPO_ROOT / "book" / f"{CHAPTER}.ipynb", notebooks / f"{CHAPTER}.ipynb")
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Every cell in the page (no windowing), so the test sees all outputs; no news or update checks.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    (home / "settings" / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    (home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    log = open(root / "lab.log", "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            f"--config={CONFIG}",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={notebooks}",
            "--LabApp.news_url=",
        ],
        cwd=notebooks,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail(f"JupyterLab did not start: {(root / 'lab.log').read_text()[-2000:]}")
            time.sleep(0.5)
    yield {"url": url, "notebooks": notebooks, "log": root / "lab.log"}
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("ROSES_SCREENSHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def lab_config(monkeypatch):
    """make lab's configuration file, loaded as JupyterLab loads it (its environment change undone after)."""
    import runpy

    from traitlets.config import Config

    monkeypatch.setenv("ROSES_WIDGETS", "unset by the test")
    config = Config()
    return runpy.run_path(str(CONFIG), init_globals={"get_config": lambda: config}), config


@pytest.mark.parametrize("chapter", sorted(p.stem for p in (REPO_ROOT / "book").glob("*.ipynb")))
def test_glue_roles_round_trip_through_jupyterlab(lab_config, chapter):
    """Served with {eval} expressions, written back byte for byte as {glue}: saving never edits prose."""
    import copy

    module, config = lab_config
    original = json.loads((REPO_ROOT / "book" / f"{chapter}.ipynb").read_text())
    served = module["to_lab"](copy.deepcopy(original))
    text = json.dumps([c["source"] for c in served["cells"] if c["cell_type"] == "markdown"])
    assert "{glue}" not in text
    back = module["to_book"](served)
    assert [_joined(c) for c in back["cells"]] == [_joined(c) for c in original["cells"]]
    assert config.ServerApp.contents_manager_class is module["GlueContentsManager"]


def test_saving_in_jupyterlab_writes_glue_back(lab_config, tmp_path):
    import asyncio
    import concurrent.futures

    module, _config = lab_config
    shutil.copyfile(REPO_ROOT / "book" / f"{CHAPTER}.ipynb", tmp_path / "chapter.ipynb")
    before = (tmp_path / "chapter.ipynb").read_text()
    manager = module["GlueContentsManager"](root_dir=str(tmp_path))

    async def edit_and_save():
        model = await manager.get("chapter.ipynb")
        cell = next(c for c in model["content"]["cells"] if "{eval}`page.glued(" in "".join(c["source"]))
        cell["metadata"]["user_expressions"] = [{"expression": "x", "result": {"status": "ok", "data": {}}}]
        await manager.save({"type": "notebook", "format": "json", "content": model["content"]}, "chapter.ipynb")

    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # its own event loop (Playwright's runs in this thread)
        pool.submit(asyncio.run, edit_and_save()).result()
    assert (tmp_path / "chapter.ipynb").read_text() == before  # byte for byte, the stored values dropped


@pytest.mark.parametrize("chapter", ["findings", "appendix-a", "conclusion", "introduction"])
def test_citations_are_served_with_the_sites_labels(lab_config, chapter):
    """{cite}`key` reaches jupyterlab-myst as the site's bracketed author-year label; saved back as written."""
    import copy
    import html

    module, _config = lab_config
    site = (REPO_ROOT / "_build" / "html" / "book" / f"{chapter}.html").read_text()
    links = re.findall(r'href="bibliography\.html#id\d+"[^>]*>(.*?)</a>', site)
    on_site = {html.unescape(re.sub(r"<[^>]+>", "", t)) for t in links}  # "Hood <em>et al.</em>, 2019"
    original = json.loads((REPO_ROOT / "book" / f"{chapter}.ipynb").read_text())
    keys = set(re.findall(r"\{cite\}`([^`]+)`", json.dumps(original)))
    served = module["to_lab"](copy.deepcopy(original))
    text = "".join("".join(c["source"]) for c in served["cells"] if c["cell_type"] == "markdown")
    assert keys and "{cite}" not in text
    labels = {key: module["citation_labels"]()[key] for key in keys}
    assert {label.replace("*", "") for label in labels.values()} == on_site
    for key, label in labels.items():
        assert f"\\[[{label}](<#cite:{key}>)\\]" in text
    assert [_joined(c) for c in module["to_book"](served)["cells"]] == [_joined(c) for c in original["cells"]]


def _joined(cell: dict) -> dict:
    """A cell with its source as one string (nbformat writes it as a list of lines)."""
    source = cell["source"]
    return {**cell, "source": "".join(source) if isinstance(source, list) else source}


NO_KERNEL = "Session has no kernel."


def _wait_for_idle_kernel(page, url: str, timeout: float = 120) -> None:
    """The server has started the notebook's kernel and it is idle (the page has opened its session).

    Waits with the page's clock, not time.sleep: the page's requests go through this process's route
    handler, which only runs while Playwright has control.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/api/sessions?token={TOKEN}", timeout=5) as response:
            sessions = json.load(response)
        if any((s.get("kernel") or {}).get("execution_state") == "idle" for s in sessions):
            return
        page.wait_for_timeout(500)
    pytest.fail(f"no idle kernel for the notebook after {timeout:.0f} s: {sessions}")


def _prompts(page) -> list[str]:
    return [
        p.strip()
        for p in page.eval_on_selector_all(".jp-CodeCell .jp-InputArea-prompt", "ps => ps.map(p => p.textContent)")
    ]


def _running(page) -> bool:
    """Some cell ran or is queued (a number or a star in its prompt)."""
    return any(p != "[ ]:" for p in _prompts(page))


@pytest.fixture(scope="module")
def ran(lab, shots, browser):
    """The chapter open in JupyterLab after Run All Cells: (page, JavaScript errors, offsite requests)."""
    from .conftest import Offsite

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    offsite = Offsite()
    context.route("**/*", _route_local_only(offsite))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{lab['url']}/lab/tree/{CHAPTER}.ipynb?token={TOKEN}", wait_until="load")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    _wait_for_idle_kernel(page, lab["url"])
    deadline = time.monotonic() + RUN_TIMEOUT
    started = None
    while True:
        no_kernel_yet = NO_KERNEL in errors
        if no_kernel_yet or started is None or (started < time.monotonic() - 30 and not _running(page)):
            if started is not None:
                page.screenshot(path=str(shots / f"jupyterlab-{CHAPTER}-not-started.png"))
            # Run All pressed before the page had its kernel does nothing but say so: press it again.
            errors[:] = [e for e in errors if e != NO_KERNEL]
            if no_kernel_yet:
                page.wait_for_timeout(2000)
            page.keyboard.press("Escape")  # close a menu or dialog left open
            page.locator(".jp-Notebook").first.click()
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name=re.compile("^Run All Cells")).click()
            started = time.monotonic()
        prompts = _prompts(page)
        if prompts and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts):
            break
        assert time.monotonic() < deadline, f"the chapter did not finish running: {prompts}"
        page.wait_for_timeout(1000)
    page.wait_for_timeout(3000)  # the last renderers (plotly, inline expressions) settle
    yield page, errors, offsite
    context.close()


def test_charts_are_drawn_by_jupyterlab(ran, lab):
    page, errors, offsite = ran
    expected = sum(
        1
        for cell in json.loads((lab["notebooks"] / f"{CHAPTER}.ipynb").read_text())["cells"]
        if cell["cell_type"] == "code" and "page.show(" in "".join(cell["source"])
    )
    drawn = page.eval_on_selector_all(
        ".jp-RenderedPlotly", "els => els.map(e => e.querySelectorAll('.main-svg').length)"
    )
    assert len(drawn) >= expected // 2 and all(n > 0 for n in drawn), drawn
    assert not offsite.urls, offsite.urls
    # The site's chart slot (empty here: roses-charts.js is the site's) is hidden by make lab's custom.css.
    slots = page.locator(".jp-OutputArea-output .roses-exhibit .roses-chart")
    assert slots.count() > 0 and not any(slots.nth(i).is_visible() for i in range(slots.count()))
    # The only script error: each slot's inline script, which calls the site's window.rosesCharts.
    assert set(errors) <= {"Cannot read properties of undefined (reading 'push')"}, errors[:3]


def test_origin_badges_are_styled_as_on_the_site(ran):
    """make lab serves the site's stylesheet beside custom.css: a Published badge is the site's green pill."""
    page, _errors, _offsite = ran
    badge = page.locator(".jp-OutputArea-output .roses-badge-published").first
    style = badge.evaluate(
        "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.color, s.borderRadius]; }"
    )
    assert style[:2] == ["rgb(27, 94, 32)", "rgb(255, 255, 255)"], style


def test_prose_is_rendered_with_glued_numbers(ran, lab):
    from roses.pages.chapter import Chapter

    page, _errors, _offsite = ran
    prose = "\n".join(page.locator(".jp-MarkdownCell .myst").all_inner_texts())  # jupyterlab-myst's rendering
    assert "7.2 Testing the organisational Theory of Change" in prose
    for raw in ("{glue}", "{eval}", "{cite}", "page.glued(", "(table-7-1)=", ":::", "```{"):
        assert raw not in prose, f"raw MyST {raw!r} in the rendered prose"
    assert "[Farber and Munson, 2010]" in prose and "Hood et al., 2019" in prose  # citations as on the site
    errors = page.locator(".jp-MarkdownCell [data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()[:3]
    source = "".join(
        "".join(c["source"])
        for c in json.loads((lab["notebooks"] / f"{CHAPTER}.ipynb").read_text())["cells"]
        if c["cell_type"] == "markdown"
    )
    names = set(re.findall(r"\{glue\}`([^`]+)`", source))
    chapter = Chapter(CHAPTER)
    missing = [n for n in sorted(names) if repr(chapter.glued(n)) not in prose]
    assert names and not missing, f"glued values not shown: {missing[:5]}"


def test_self_assessment_is_live(ran):
    from playwright.sync_api import expect

    page, _errors, _offsite = ran
    explorer = page.locator(".jp-OutputArea-output > .widget-vbox").filter(
        has_text="score an authority on the eight factors"
    )
    explorer.first.scroll_into_view_if_needed()
    answer = explorer.first.locator(".roses-explorer-answer")
    before = answer.inner_text()
    sliders = explorer.first.locator(".widget-slider .noUi-handle, .widget-slider .slider-container .ui-slider-handle")
    assert sliders.count() == 8
    for index in range(8):
        sliders.nth(index).focus()
        page.keyboard.press("End")  # to 3
    expect(answer).to_contain_text("A total of 24 out of 24", timeout=30_000)  # the kernel recomputed it
    assert answer.inner_text() != before


def test_screenshots_after_a_run(ran, shots):
    page, _errors, _offsite = ran
    notebook = page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer, .jp-NotebookPanel .jp-Notebook").first
    page.locator(".jp-RenderedPlotly").first.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"jupyterlab-{CHAPTER}-chart.png"))
    explorer = page.locator(".widget-vbox").filter(has_text="score an authority").first
    explorer.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"jupyterlab-{CHAPTER}-explorer.png"))
    prose = page.locator(".jp-MarkdownCell").filter(has_text="7.2 Testing the organisational Theory of Change").first
    prose.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"jupyterlab-{CHAPTER}-prose.png"))
    (shots / f"jupyterlab-{CHAPTER}-prose.html").write_text(prose.inner_html())
    assert notebook.count() == 1
