"""Headless Chromium (Debian's /usr/bin/chromium) started through Playwright,
for the browser tests here and the page walk over the demo data
(tests/demo/test_page_walk.py).

Playwright's own browser download does not work on a closed network, so the
tests use the system Chromium. Without it they are skipped and say why; CI
installs it (`make browser`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Patience of every action and assertion: generous, since CI shares its cores.
TIMEOUT_MS = 15_000


@contextmanager
def launched() -> Iterator[object]:
    """One headless Chromium for as long as the block runs.

    Playwright's sync API keeps an event loop running in this thread while
    the browser is open; the test's own ORM calls are still synchronous and
    safe, so Django's check for async contexts is lifted until it closes."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"không có Chromium tại {CHROMIUM}: bỏ qua kiểm thử trình duyệt")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            yield browser
            browser.close()
    finally:
        if saved is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved
