"""Shared by the browser tests: Debian's Chromium driven by Playwright, and screenshots for the README.

`browser_page` is a fixture (import it into a test module to use it); `shoot` saves a full-page screenshot to
$MONITOR_SCREENSHOT_DIR when that is set.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.conftest import require_service

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are plain blocking ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser_page() -> Iterator[Any]:
    require_service(os.path.exists(CHROMIUM), f"Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.console_errors = []  # type: ignore[attr-defined]
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
        yield page
        browser.close()
        # A connection the test opened while Playwright ran was otherwise left open after it (on PostgreSQL,
        # pytest-django then could not drop the test database at the end of the suite).
        connections.close_all()


def shoot(page: Any, name: str) -> None:
    folder = os.environ.get("MONITOR_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
