"""Headless Chromium (Debian's /usr/bin/chromium, tests/browser/chromium.py)
driven by Playwright. A failing test leaves a screenshot of every page
it opened under test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from .chromium import TIMEOUT_MS, launched

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# One browser for all the browser tests. Package scope rather than session:
# Playwright's event loop, and the flag `launched` sets, end with the last of
# them instead of running under the rest of the suite.
@pytest.fixture(scope="package")
def browser():
    with launched() as b:
        yield b


@pytest.fixture
def open_page(browser, request, live_server) -> Iterator[Callable[[str], object]]:
    """Open a fresh browser window (its own cookies) named `name`.

    Each person of a workflow gets one, as if at their own desk. Any response
    with a 5xx status fails the test, even on a page it does not look at.
    """
    opened = []
    server_errors: list[str] = []

    def open_(name: str):
        context = browser.new_context(
            locale="vi-VN",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on(
            "response",
            lambda r: (
                server_errors.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 500
                else None
            ),
        )
        pg = context.new_page()
        pg.base_url = live_server.url
        opened.append((name, context, pg))
        return pg

    yield open_
    failed = getattr(request.node, "rep_call", None)
    for name, context, pg in opened:
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            pg.screenshot(
                path=str(ARTIFACTS / f"{request.node.name}-{name}.png"),
                full_page=True,
            )
        context.close()
    assert server_errors == [], "the server answered with an error"


@pytest.fixture
def page(open_page):
    return open_page("page")


@pytest.fixture
def login() -> Callable[[object, str, str], None]:
    """Log in through the real login form of `page`."""

    def log_in(page, username: str, password: str) -> None:
        page.goto(page.base_url + "/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="Đăng nhập").click()

    return log_in


@pytest.fixture
def signed_in(open_page):
    """A window of its own for `user`, signed in, on the home page.

    The session is Django's own login (`Client.force_login`: the same
    `login()` and `user_logged_in` handlers as the form), handed to the
    window as its cookie: the login form itself is driven by test_login,
    the page walk and the phone tests, and typing it again before every
    journey cost two page loads per person."""
    from django.conf import settings
    from django.test import Client
    from playwright.sync_api import expect

    def sign_in(user):
        page = open_page(user.username)
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": page.base_url,
                }
            ]
        )
        page.goto(page.base_url + "/")
        expect(page.get_by_test_id("user-menu")).to_be_visible()
        # The menu shows while the page is still parsed: its deferred
        # scripts (static/js) run only before the load event.
        page.wait_for_load_state("load")
        return page

    return sign_in
