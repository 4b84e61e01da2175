"""Screenshots of every page at desktop (1280 px) and phone (390 px) width, for a person to look at.

Usage: .venv/bin/python tests/browser/screenshots.py OUT_DIR [PAGE ...]   (site: $ROSES_SITE or _build/html)
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

# Imported as the package it is (tests/browser), since conftest imports its neighbour module relatively.
sys.path.insert(0, str(Path(__file__).parents[1]))
from browser.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, _QuietHandler, site_pages, site_root  # noqa: E402


def main(out: Path, only: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    site = site_root()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in only or [p for p in site_pages(site) if p.startswith("book/")]:
            for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                context = browser.new_context(viewport=viewport)
                context.route(
                    "**/*", lambda r: r.continue_() if r.request.url.startswith((base, "data:")) else r.abort()
                )
                page = context.new_page()
                page.goto(f"{base}/{path}", wait_until="networkidle")
                # Charts draw as they come into view: ask for all of them, and wait for every one.
                page.evaluate("() => window.rosesCharts && window.rosesCharts.drawAll()")
                page.wait_for_function(
                    "[...document.querySelectorAll('.roses-chart')].every(c => c.querySelector('svg.main-svg'))",
                    timeout=60_000,
                )
                page.wait_for_timeout(300)
                target = out / f"{Path(path).stem}-{name}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target)
                context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
