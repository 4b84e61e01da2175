"""Sphinx extension: a self-contained site that loads cleanly in the browser.

- plotly.js (the vendored basic bundle, ``roses.plotlyjs``) and ``roses-charts.js``, which draws
  the charts, are copied into ``_static/`` of the built site, once; pages that draw charts link the
  drawer only, which fetches plotly.js (with the version given here) when the first chart comes into
  view; nothing is fetched from a CDN.
- The theme's page loads no script the book does not use (``assets/templates/layout.html``): not the
  1.45 MB Font Awesome script (the few icons are CSS masks, ``book/_static/roses-icons.css``), and
  Sphinx's search tools and index only on the search page (search-as-you-type is off).
- A page asks for one stylesheet, ``_static/roses-bundle-<id>.css``: the theme's and the extensions'
  stylesheets (ten files, one of them @importing an eleventh) joined in their order, with their url()s
  made relative to ``_static/`` (``bundle_css``). Each of them held up the first paint by a round trip on a
  phone's connection. The files stay in ``_static/`` as they are (the print document and JupyterLab use
  ``roses.css``).
- Search finds exhibits: each exhibit's number ("Figure 7.8") and title are index entries pointing at
  the exhibit, which Sphinx's search ranks first; on the search page ``roses-search.js`` gives each
  result a snippet of readable text (no menu options or table cells run together).
- sphinx-thebe (which jupyter-book always loads) is dropped from every page: Thebe is switched off
  in ``_config.yml``, yet the extension still injects its script twice per page (a JavaScript
  error, ``THEBE_JS_URL`` declared twice) with a CDN address in it.
- The colour mode defaults to "light": without a default the theme's first script stores an empty
  mode and pydata-sphinx-theme logs "Got invalid theme mode" on every first visit.
- The site has its own favicon, so browsers do not ask for a missing ``/favicon.ico``.
- A page that needs MathJax when no local copy is served fails the build (it would be a 404).
- Compiled page templates are kept in memory for the life of the process: a worker building many
  editions would otherwise recompile the theme's Jinja templates for every edition (0.4 s each).
- ``roses-explorers.js`` is copied the same way and linked from pages with an explorer
  (``roses.pages.explorers``): it runs their static face from the data in the page.
- pybtex's plugins are looked up once per process, not once per citation (``PYBTEX_PLUGINS``).
- A direct ``jupyter-book build .`` is never stale: Sphinx re-reads (and myst-nb re-executes) only
  pages whose source changed, so when the data folder or the ``roses`` code changed since the last
  build, every notebook page is marked out of date (``_outdated_notebooks``). ``roses build`` executes
  the notebooks itself and tracks each page's reads, so with execution off this hook stands aside.
"""

from __future__ import annotations

import base64
import hashlib
import html
import posixpath
import re
import shutil
import zlib
from pathlib import Path

from docutils import nodes
from jinja2.bccache import BytecodeCache
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

from roses.core.stamps import data_stamp, file_stamp
from roses.engine.compat import register_pybtex_plugin, template_environment
from roses.pages import plotlyjs

# The small drawer runs in the head, before any chart's inline script; it fetches plotly.js (async)
# when the first chart comes near the screen, and draws the charts as they do.
COMPILE_HINT = b"//# allFunctionsCalledOnLoad\n"
ASSETS = Path(__file__).parents[1] / "assets"
TEMPLATES = ASSETS / "templates"  # layout.html: the theme's page without scripts the book does not use
SEARCH_SCRIPT = ASSETS / "roses-search.js"  # readable result snippets, on the search page only
TABLE_SCRIPT = ASSETS / "roses-tables.js"  # "scroll sideways" under a table wider than its box
TABLE_MARK = 'class="roses-table-wrap"'
FAVICON = ASSETS / "favicon.svg"
EXPLORER_SCRIPT = ASSETS / "roses-explorers.js"  # the explorers' static face (roses.pages.explorers)
EXPLORER_MARK = 'data-roses-explorer="'
THEBE_FILES = {"sphinx-thebe.js", "sphinx-thebe.css"}

logger = logging.getLogger(__name__)


def _is_thebe(asset) -> bool:
    """True for sphinx-thebe's files and its inline configuration script."""
    name = (getattr(asset, "filename", None) or "").split("?")[0]  # Sphinx appends ?v=<checksum>
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    return Path(name).name in THEBE_FILES or "THEBE_JS_URL" in body


def _configure(app, config) -> None:
    config.html_context.setdefault("default_mode", "light")
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES))
    if not config.html_favicon:
        config.html_favicon = str(FAVICON)


def _page_context(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [asset for asset in context[key] if not _is_thebe(asset)]
    if "body" in context:
        context["body"] = _csv_files(app, pagename, context["body"])
        # docutils marks the reference list role="list" but its entries are doc-biblioentry, not
        # listitem: an ARIA list without items (axe: aria-required-children, critical).
        context["body"] = context["body"].replace(
            '<div role="list" class="citation-list">', '<div class="citation-list">'
        )
    if EXPLORER_MARK in context.get("body", ""):
        app.add_js_file(EXPLORER_SCRIPT.name, priority=310)
    if plotlyjs.CHART_MARK in context.get("body", ""):
        # async: it runs as soon as it arrives, before or between the charts' inline scripts (they queue in
        # an array until it does), so the first chart in view asks for plotly.js while the page still loads.
        app.add_js_file(
            plotlyjs.DRAWER.name, priority=300, loading_method="async", **{"data-plotly-version": _plotly_version()}
        )
    if pagename == "search":
        app.add_js_file(SEARCH_SCRIPT.name, priority=900)
    if TABLE_MARK in context.get("body", ""):
        app.add_js_file(TABLE_SCRIPT.name, priority=320)
    if pagename != "search":  # the search page's own template runs searchtools.js, which needs them first
        _defer_scripts(context)
    _bundle_stylesheets(app, context)
    _check_mathjax(app, pagename, context)


CSV_LINK = re.compile(
    r'<a class="roses-download" download="(?P<name>[^"/\\]+)" href="data:text/csv;charset=utf-8;base64,(?P<data>[^"]*)"'
)
# The pages' CSV downloads, one file per exhibit (and authority). Not under _static: an edition's _static is
# shared between editions and not leak-scanned (theme assets); these files are the edition's own data.
CSV_FOLDER = "_data"


def _csv_files(app, pagename: str, body: str) -> str:
    """An exhibit's CSV download written as a file of the site and linked, instead of a data: address in
    the page: a long chapter's HTML is 60 kB (gzipped) lighter, and a reader gets the same bytes. The
    notebook's output keeps the data: address (JupyterLab shows it as it is)."""
    if app.builder.format != "html" or "roses-download" not in body:
        return body
    folder = Path(app.outdir) / CSV_FOLDER
    depth = "../" * pagename.count("/")

    def written(found) -> str:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / found["name"]).write_bytes(base64.b64decode(found["data"]))
        return f'<a class="roses-download" download="{found["name"]}" href="{depth}{CSV_FOLDER}/{found["name"]}"'

    return CSV_LINK.sub(written, body)


def _defer_scripts(context) -> None:
    """Every script file runs after the page is parsed (``defer``), in the same order: none holds up
    the first paint (the chart drawer queues the charts the page's inline scripts hand it). Only the
    search page's inline script uses ``documentation_options.js`` at once, and that page keeps its order."""
    scripts = []
    for asset in context.get("script_files", []):
        name = Path((getattr(asset, "filename", None) or "").split("?")[0]).name
        attributes = getattr(asset, "attributes", None)
        if name and attributes is not None and not {"async", "defer"} & attributes.keys():
            # A copy: Sphinx shares one object per script across pages (the search page keeps its order).
            asset = type(asset)(asset.filename, priority=asset.priority, **{**attributes, "defer": "defer"})
        scripts.append(asset)
    if "script_files" in context:
        context["script_files"] = scripts


# The theme's own stylesheets, which its template links before Sphinx's list (the layout drops those links).
THEME_STYLESHEETS = ("styles/theme.css", "styles/pydata-sphinx-theme.css")
BUNDLE = "roses-bundle-{}.css"
BUNDLE_LINK = re.compile(r'(?P<name>roses-bundle-[0-9a-f]{8}\.css)(?:\?v=[0-9a-f]*)?"')
_bundles: dict[str, list[str]] = {}  # this build's bundles (emptied as each build starts: one build at a time)
BUNDLE_HEADER = re.compile(r"/\* roses bundle of: (?P<names>[^*]*) \*/")
CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?(?P<path>[^"')\s]+)["']?\s*\)?\s*;""")
CSS_URL = re.compile(r"""url\(\s*(?P<quote>["']?)(?P<url>[^"')]+)(?P=quote)\s*\)""")
CSS_CHARSET = re.compile(r'@charset\s+"[^"]*"\s*;')
SOURCE_MAP = re.compile(r"/\*[#@]\s*sourceMappingURL=[^*]*\*/")


def _bundled_name(asset) -> str | None:
    """The path under ``_static/`` of a stylesheet that can join the bundle (a local file for every medium)."""
    name = str(getattr(asset, "filename", None) or "").split("?")[0]
    attributes = getattr(asset, "attributes", None) or {}
    if not name.startswith("_static/") or attributes.get("rel") != "stylesheet":
        return None
    return name.removeprefix("_static/") if attributes.get("media") in (None, "all") else None


def _bundle_stylesheets(app, context) -> None:
    """The page links one bundle (``roses_stylesheet``, placed by the layout where the theme's own two links
    were) instead of the theme's and the extensions' stylesheets. The bundle is written when the build has
    finished: myst-nb writes its stylesheet only then (``_write_bundles``)."""
    if app.builder.format != "html" or "css_files" not in context:
        return
    # In the order Sphinx links them: by priority, a stable sort (it sorts after this event).
    assets = sorted(context["css_files"], key=lambda asset: getattr(asset, "priority", 500))
    names = [*THEME_STYLESHEETS, *(n for n in map(_bundled_name, assets) if n)]
    bundle = BUNDLE.format(hashlib.sha256(" ".join(names).encode()).hexdigest()[:8])
    _bundles[bundle] = names
    context["css_files"] = [a for a in assets if not _bundled_name(a)]
    context["roses_stylesheet"] = f"_static/{bundle}"


def bundled_stylesheets(markup: str, href: str) -> str:
    """The layout's filter: the theme's own stylesheet links in ``markup`` replaced by one link to ``href``."""
    markup = str(markup)
    if not href:
        return markup
    pattern = "|".join(re.escape(path) for path in THEME_STYLESHEETS)
    theme_links = re.compile(rf'\s*<link\b[^>]*\bhref="(?:[^"]*/)?_static/(?:{pattern})(?:\?[^"]*)?"[^>]*>')
    link = f'\n<link rel="stylesheet" type="text/css" href="{html.escape(href)}" />'
    first = theme_links.search(markup)
    at = first.start() if first else 0
    return markup[:at] + link + theme_links.sub("", markup[at:])


def bundle_css(static: Path, names: list[str]) -> str:
    """The stylesheets ``names`` (paths under ``static``) as one stylesheet served from ``static``, in order:
    @imports inlined, url()s made relative to ``static``, source-map comments and @charset rules dropped
    (one leads the bundle). Its first comment names the files, so ``_write_bundles`` can remake it."""
    parts = [_stylesheet_text(static, name) for name in names]
    return f'@charset "UTF-8";\n/* roses bundle of: {" ".join(names)} */\n' + "\n".join(parts) + "\n"


def _stylesheet_text(static: Path, name: str, seen: tuple[str, ...] = ()) -> str:
    if name in seen:
        raise ExtensionError(f"stylesheet {name} imports itself (through {' -> '.join(seen)})")
    path = static / name
    if not path.is_file():
        raise ExtensionError(f"the stylesheet bundle needs _static/{name}, which the build did not write")
    folder = posixpath.dirname(name)
    text = SOURCE_MAP.sub("", CSS_CHARSET.sub("", path.read_text(encoding="utf-8")))

    def rebased(found) -> str:
        url = found["url"].strip()
        if url.startswith(("data:", "#", "/")) or "://" in url or not folder:
            return found.group(0)
        return f'url("{posixpath.normpath(posixpath.join(folder, url))}")'

    imported: list[str] = []  # inlined after the url()s of this file are rebased (theirs already are)

    def imports(found) -> str:
        imported.append(
            _stylesheet_text(static, posixpath.normpath(posixpath.join(folder, found["path"])), (*seen, name))
        )
        return f"\0{len(imported) - 1}\0"

    text = CSS_URL.sub(rebased, CSS_IMPORT.sub(imports, text))
    text = re.sub(r"\0(\d+)\0", lambda found: imported[int(found[1])], text)
    if "@import" in text:
        raise ExtensionError(f"_static/{name} has an @import the stylesheet bundle cannot inline")
    return f"/* {name} */\n{text.strip()}"


def _write_bundles(app, exception) -> None:
    """Write this build's bundles from the stylesheets now in ``_static/`` (when it wrote no page, remake
    the bundles there: an edited ``roses.css`` still reaches the site), remove bundles no page of this
    build links (an earlier list of stylesheets: Sphinx rewrites every page when it changes), and give
    every page's bundle link the bundle's checksum as Sphinx does for its own files (``?v=``), so a
    browser never keeps an old bundle."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    static = outdir / "_static"
    for path in sorted(static.glob(BUNDLE.format("*"))):
        if _bundles and path.name not in _bundles:
            path.unlink()
        elif not _bundles and (found := BUNDLE_HEADER.search(path.read_text(encoding="utf-8")[:2000])):
            _bundles[path.name] = found["names"].split()
    versions = {}
    for name, names in _bundles.items():
        content = bundle_css(static, names).encode()
        if not (static / name).is_file() or (static / name).read_bytes() != content:
            (static / name).write_bytes(content)
        versions[name] = f"{zlib.crc32(content):08x}"
    for page in outdir.rglob("*.html"):
        if page.parts[len(outdir.parts)] == "_static":
            continue
        text = page.read_text(encoding="utf-8")
        linked = BUNDLE_LINK.sub(lambda found: f'{found["name"]}?v={versions.get(found["name"], "")}"', text)
        if linked != text:
            page.write_text(linked, encoding="utf-8")


def _check_mathjax(app, pagename, context) -> None:
    """A page with maths must find MathJax in the site itself; otherwise the reader gets a 404."""
    path = app.config.mathjax_path or ""
    if path.startswith(("http:", "https:", "//")):
        return
    wants = any(path and path in (getattr(a, "filename", "") or "") for a in context.get("script_files", []))
    if wants and not any((Path(app.srcdir) / p / path).is_file() for p in app.config.html_static_path):
        logger.warning(
            "%s has maths but %s is not in html_static_path: the page would get a 404; "
            "add MathJax under book/_static/ or remove the maths",
            pagename,
            path,
        )


class MemoryBytecodeCache(BytecodeCache):
    """Jinja bytecode kept in this process, keyed by template file and checked against its source."""

    def __init__(self):
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = MemoryBytecodeCache()


def without_scripts(markup: str, *names: str) -> str:
    """``markup`` without the <script src=...> elements whose file is one of ``names`` (the layout's filter)."""
    pattern = "|".join(re.escape(name) for name in names)
    return re.sub(rf'\s*<script\b[^>]*\bsrc="(?:[^"]*/)?(?:{pattern})(?:\?[^"]*)?"[^>]*>\s*</script>', "", str(markup))


def _share_compiled_templates(app) -> None:
    environment = template_environment(app)
    if environment is not None:
        environment.bytecode_cache = TEMPLATE_CACHE
        environment.filters["roses_without_scripts"] = without_scripts
        environment.filters["roses_bundled_stylesheets"] = bundled_stylesheets


def _plotly_version() -> str:
    """A short checksum of the served plotly.js: its address changes when plotly is upgraded."""
    return hashlib.sha256(COMPILE_HINT + plotlyjs.BUNDLE.read_bytes()).hexdigest()[:8]


def _copy_chart_scripts(app) -> None:
    """Copied before any page is written, so every page links them with the same ``?v=`` checksum
    (a browser fetches plotly.js again after an upgrade, and two builds give the same HTML)."""
    _bundles.clear()
    if app.builder.format == "html":
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(plotlyjs.DRAWER, static / plotlyjs.DRAWER.name)
        # V8's explicit compile hint: plotly.js is compiled eagerly while it streams in, off the main
        # thread, instead of function by function as the first chart runs (about 0.1 s sooner on a first
        # visit, measured in bench/run). A comment on the first line; the vendored bytes follow unchanged.
        (static / plotlyjs.BUNDLE.name).write_bytes(COMPILE_HINT + plotlyjs.BUNDLE.read_bytes())
        shutil.copyfile(EXPLORER_SCRIPT, static / EXPLORER_SCRIPT.name)
        shutil.copyfile(SEARCH_SCRIPT, static / SEARCH_SCRIPT.name)
        shutil.copyfile(TABLE_SCRIPT, static / TABLE_SCRIPT.name)


EXHIBIT = re.compile(
    r'<figure class="roses-exhibit[^"]*" id="(?P<id>[^"]+)"><figcaption><strong class="roses-number">(?P<caption>.*?)</strong>',
    re.S,
)


def exhibit_entries(text: str) -> list[tuple[str, str, str, str, None]]:
    """Index entries for every exhibit in a page's HTML: its number ("Figure 7.8") and its title, each
    pointing at the exhibit, so that Sphinx's search lists the exhibit first for either."""
    entries = []
    for found in EXHIBIT.finditer(text):
        caption = html.unescape(found["caption"]).replace(";", ",").strip()
        number, _, title = caption.partition(": ")
        for name in dict.fromkeys(n for n in (number, title) if n):
            entries.append(("single", name, found["id"], "main", None))
    return entries


def _index_exhibits(app, doctree) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "") and "roses-exhibit" in raw.astext():
            entries = exhibit_entries(raw.astext())
            if entries:
                raw.parent.insert(raw.parent.index(raw), addnodes.index(entries=entries, inline=False))


def inputs_fingerprint() -> str:
    """The data folder ($ROSES_DATA or the repository's) and the roses package: names, sizes, times."""
    package = Path(__file__).parents[1]
    stamps = data_stamp(None) + tuple(file_stamp(p) for p in sorted(package.rglob("*.py")))
    return hashlib.sha256(repr(stamps).encode()).hexdigest()


def _outdated_notebooks(app, env, added, changed, removed) -> list[str]:
    if app.config.nb_execution_mode == "off":
        return []
    fingerprint = inputs_fingerprint()
    previous = getattr(env, "roses_inputs", None)
    env.roses_inputs = fingerprint
    if previous is None or previous == fingerprint:
        return []  # a first build reads everything anyway
    notebooks = [d for d in env.found_docs if str(env.doc2path(d)).endswith(".ipynb")]
    logger.info(f"roses: data or code changed since the last build: re-reading {len(notebooks)} notebooks")
    return notebooks


# pybtex finds a plugin by reading every installed package's entry points, on every use: 16 ms a time,
# 48 times a build (the plain-text backend once per citation). Each plugin the book uses is looked up
# once per process and registered, after which pybtex finds it at once.
PYBTEX_PLUGINS = (
    ("pybtex.backends", "plaintext"),
    ("pybtex.backends", "docutils"),
    ("pybtex.style.formatting", "plain"),
    ("pybtex.style.labels", "number"),
    ("pybtex.style.names", "last"),
    ("pybtex.style.names", "plain"),
    ("pybtex.style.sorting", "author_year_title"),
)
_pybtex_registered: list[tuple[str, str]] = []


def _register_pybtex_plugins() -> None:
    for group, name in PYBTEX_PLUGINS:
        if (group, name) not in _pybtex_registered:
            register_pybtex_plugin(group, name)  # the same class, found once
            _pybtex_registered.append((group, name))


def setup(app):
    _register_pybtex_plugins()
    app.connect("config-inited", _configure)
    app.connect("env-get-outdated", _outdated_notebooks)
    app.connect("builder-inited", _share_compiled_templates)
    app.connect("builder-inited", _copy_chart_scripts)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _write_bundles, priority=900)  # after myst-nb has written its stylesheet
    app.connect("doctree-read", _index_exhibits)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
