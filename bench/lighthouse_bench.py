#!/usr/bin/env python3
"""Lighthouse (mobile preset) on the longest chapters, served gzipped from localhost.

Prints Lighthouse's Performance and Accessibility scores for Findings and Practice, with the metrics
behind Performance and the page's DOM size, then the time to the page's first chart on a first visit
(Chromium through Playwright, nothing cached, the same server), each with the machine's load average
(Lighthouse's simulated throttling is measured on this CPU: a busy machine scores lower).

Lighthouse is npm's ``lighthouse`` (LIGHTHOUSE_VERSION), installed on first use into
``bench/.lighthouse/`` (git-ignored); it drives Debian's ``/usr/bin/chromium``. The server gzips text
as a web server would (``Content-Encoding: gzip``); nothing leaves localhost.

Usage: bench/lighthouse_bench.py [--site DIR] [--pages book/findings.html ...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "bench" / ".lighthouse"
LIGHTHOUSE_VERSION = "12.8.2"  # the newest that runs on Debian's Node 20 (13.x needs Node 22)
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PAGES = ("book/findings.html", "book/practice.html")
PERFORMANCE_GOAL = 90
ACCESSIBILITY_GOAL = 100
FIRST_CHART_GOAL_S = 0.8  # first visit, nothing cached
GZIPPED = (".html", ".js", ".css", ".json", ".svg", ".txt", ".map", ".inv")
METRICS = (
    ("first-contentful-paint", "FCP"),
    ("largest-contentful-paint", "LCP"),
    ("total-blocking-time", "TBT"),
    ("cumulative-layout-shift", "CLS"),
    ("speed-index", "SI"),
    ("dom-size", "DOM"),
)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped when the browser accepts it (compressed once, kept in memory)."""

    cache: dict[str, bytes] = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and path.endswith(GZIPPED) and os.path.isfile(path)):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(Path(path).read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return _Bytes(body)


class _Bytes:
    """A file-like body for ``SimpleHTTPRequestHandler.copyfile``."""

    def __init__(self, data: bytes):
        self.data, self.sent = data, False

    def read(self, size: int = -1) -> bytes:
        if self.sent:
            return b""
        self.sent = True
        return self.data

    def close(self) -> None:
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def install_lighthouse() -> Path:
    if LIGHTHOUSE.exists():
        return LIGHTHOUSE
    if not shutil.which("npm"):
        raise SystemExit("bench: npm is missing (apt-get install npm) to install Lighthouse")
    TOOLS.mkdir(parents=True, exist_ok=True)
    print(f"installing lighthouse {LIGHTHOUSE_VERSION} into {TOOLS.relative_to(REPO)}/ ...", flush=True)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(TOOLS), f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return LIGHTHOUSE


def audit(url: str, out: Path) -> dict:
    """Lighthouse's report for ``url`` (mobile: Moto G Power screen, simulated slow 4G and 4x CPU)."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
        ],
        check=True,
        env=env,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def line(page: str, report: dict) -> str:
    cats = report["categories"]
    performance = round(cats["performance"]["score"] * 100)
    accessibility = round(cats["accessibility"]["score"] * 100)
    audits = report["audits"]
    metrics = ", ".join(
        f"{name} {audits[key]['displayValue']}" for key, name in METRICS if audits.get(key, {}).get("displayValue")
    )
    failing = [
        a
        for a in cats["accessibility"]["auditRefs"]
        if (audits[a["id"]].get("score") is not None and audits[a["id"]]["score"] < 1)
    ]
    verdict = "ok" if performance >= PERFORMANCE_GOAL and accessibility >= ACCESSIBILITY_GOAL else "UNDER GOAL"
    extra = f" (failing: {', '.join(a['id'] for a in failing)})" if failing else ""
    return (
        f"lighthouse mobile {page}: Performance {performance} (goal >= {PERFORMANCE_GOAL}), "
        f"Accessibility {accessibility} (goal {ACCESSIBILITY_GOAL}) {verdict}{extra}; {metrics}"
    )


# The reader goes to the first chart as the page loads (charts are drawn as they come into view).
FIRST_CHART_PROBE = """
window.__firstChart = null;
document.addEventListener('DOMContentLoaded', () => {
  const chart = document.querySelector('.roses-chart');
  if (chart) chart.scrollIntoView();
});
new MutationObserver((_, observer) => {
  if (document.querySelector('.roses-chart .main-svg')) {
    window.__firstChart = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def first_chart_seconds(url: str, runs: int = 3) -> float | None:
    """Median seconds from navigation to the page's first drawn chart, each run in a fresh profile
    (a first visit: plotly.js is fetched and compiled); None for a page without charts."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            context = browser.new_context()  # 1280 x 720, as bench/run measures it
            context.add_init_script(FIRST_CHART_PROBE)
            page = context.new_page()
            page.goto(url, wait_until="load")
            if not page.evaluate("() => !!document.querySelector('.roses-chart')"):
                browser.close()
                return None
            page.wait_for_function("window.__firstChart !== null", timeout=30_000)
            times.append(page.evaluate("window.__firstChart") / 1000)
            context.close()
        browser.close()
    return sorted(times)[len(times) // 2]


def chart_line(page: str, seconds: float | None) -> str:
    if seconds is None:
        return f"first chart on a first visit {page}: the page has no chart"
    verdict = "ok" if seconds <= FIRST_CHART_GOAL_S else "OVER GOAL"
    return (
        f"first chart on a first visit {page}: {seconds:.2f} s (Chromium, gzip, median of 3; "
        f"goal <= {FIRST_CHART_GOAL_S} s) {verdict}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("ROSES_SITE", REPO / "_build" / "html")))
    parser.add_argument("--pages", nargs="+", default=list(PAGES))
    parser.add_argument("--keep", type=Path, help="a folder to keep each page's Lighthouse report (JSON) in")
    args = parser.parse_args()
    if not (args.site / "book" / "index.html").is_file():
        print(f"bench: no built site at {args.site}: lighthouse skipped (run `roses build`)")
        return 0
    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"bench: {CHROMIUM} is missing (make browser)")
    install_lighthouse()
    server, base = serve(args.site.resolve())
    try:
        with tempfile.TemporaryDirectory(prefix="roses-lighthouse-") as tmp:
            for page in args.pages:
                load = os.getloadavg()[0]
                out = Path(tmp) / "report.json"
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    out = args.keep / f"{Path(page).stem}.json"
                report = audit(f"{base}/{page}", out)
                print(f"{line(page, report)}; load average {load:.1f} ({os.cpu_count()} cores)", flush=True)
                load = os.getloadavg()[0]
                seconds = first_chart_seconds(f"{base}/{page}")
                print(f"{chart_line(page, seconds)}; load average {load:.1f}", flush=True)
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
