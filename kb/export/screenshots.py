"""PNG screenshots of the HTML exports in headless Chromium, with the network shut.

Used by ``kb screenshots`` and scripts/screenshots.py to check what a reader sees. Every
request other than the page's own ``file://`` URL is aborted and reported, so a
screenshot also proves the page is self-contained.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kb.errors import ExportError

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "guard_requests", "take_screenshots"]

#: The browser binary (override with KB_CHROMIUM).
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--metrics-recording-only",
    "--mute-audio",
]


def guard_requests(url: str, escaped: list[str]):
    """A route handler letting only ``url`` through and recording the rest."""

    def route(r) -> None:
        if r.request.url == url:
            r.continue_()
        else:
            escaped.append(r.request.url)
            r.abort()

    return route


def take_screenshots(
    pages: Mapping[str, Path],
    out_dir: Path,
    *,
    width: int = 1400,
    height: int = 900,
    browser: Any = None,
) -> dict[str, Path]:
    """Screenshot each ``{name: html file}`` to ``out_dir/<name>.png``.

    ``browser`` is an open Playwright browser to reuse (tests keep one per session);
    without it, Chromium is launched and closed here.
    """
    if browser is not None:
        return _shoot(browser, pages, Path(out_dir), width, height)
    if not Path(CHROMIUM).exists():
        raise ExportError(f"{CHROMIUM}: Chromium not found; install it or set KB_CHROMIUM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise ExportError("playwright is not installed; run `pip install playwright`") from exc
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return _shoot(launched, pages, Path(out_dir), width, height)
        finally:
            launched.close()


def _shoot(
    browser: Any, pages: Mapping[str, Path], out_dir: Path, width: int, height: int
) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, html in pages.items():
        html = Path(html).resolve()
        if not html.is_file():
            raise ExportError(f"{html}: no such export; write it first")
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            escaped: list[str] = []
            url = html.as_uri()
            page.route("**/*", guard_requests(url, escaped))
            page.goto(url)
            page.wait_for_selector("body[data-ready]", timeout=15000)
            page.wait_for_timeout(200)
            target = out_dir / f"{name}.png"
            page.screenshot(path=str(target))
        finally:
            page.close()
        if escaped:
            raise ExportError(f"{html}: the page tried to load {escaped[0]}; not self-contained")
        written[name] = target
    return written
