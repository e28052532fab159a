"""Browser tests: Playwright driving a real headless Chromium against the console.

The browser is `CHROMIUM_PATH`, else the `chromium` on PATH (Debian's), else Playwright's own
download. Without one the tests fail with the command to install it: they never skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from .platform import Platform, start_platform

# Every run saves its screenshots to build/screenshots (not committed: look at them there);
# SCREENSHOTS=docs/console (`make screenshots`) refreshes the guide's committed pictures.
ROOT = Path(__file__).resolve().parents[4]
SCREENSHOTS = ROOT / os.environ.get("SCREENSHOTS", "build/screenshots")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL = (
    "no Chromium for the browser tests: install it with `sudo apt-get install -y chromium "
    "fonts-noto-cjk` (Debian/Ubuntu), or `uv run playwright install chromium`, or set "
    "CHROMIUM_PATH to a Chromium binary"
)


def chromium_path() -> str | None:
    """CHROMIUM_PATH, else a chromium on PATH; None to let Playwright use its own."""
    explicit = os.environ.get("CHROMIUM_PATH", "").strip()
    if explicit:
        return explicit
    return shutil.which("chromium") or shutil.which("chromium-browser")


# Per module, not per session: Playwright's sync API keeps an event loop running in this thread
# while it is open, and the suite's later tests (asyncio.run in tools/unionctl/tests) need none.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    with sync_playwright() as p:
        if path is None and not Path(p.chromium.executable_path).exists():
            pytest.fail(INSTALL, pytrace=False)
        try:  # Playwright gives the browser a fresh temporary profile of its own
            launched = p.chromium.launch(executable_path=path, args=ARGS)
        except Exception as exc:
            pytest.fail(f"{INSTALL}\n(launching {path or 'Playwright chromium'}: {exc})")
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory, nats_url: str) -> Iterator[Platform]:
    running = start_platform(tmp_path_factory.mktemp("console"), nats_url)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile per test (no cookies), at a service-point PC's screen size."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def shot(page: Page, name: str) -> None:
    """A screenshot of what the person sees, saved under SCREENSHOTS."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
