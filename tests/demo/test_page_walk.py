"""Every page of every role, as a Vietnamese officer's English-language
Chrome shows it on a 1366×768 office screen (issue 17), on the demo data.

One browser, one logged-in window per role. A page fails on horizontal
overflow, a console error, a Content-Security-Policy violation, a language
other than Vietnamese or English words of the interface (tests/browser/walk.py
says how each is found). Every URL is walked or excused
(tests/browser/test_page_walk.py).

The walk reads the demo data this package seeds once, through a live server
on the test's own connection (tests/browser/shared_server.py), instead of
seeding it a second time for a transactional test.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from devdata.management.commands.seed_demo import DEMO_PASSWORD
from tests.browser.chromium import launched
from tests.browser.pages import PAGES, Rows
from tests.browser.shared_server import serving_the_test_transaction
from tests.browser.walk import english_on, visit, window

# The demo's staff, reviewer, manager, administrator and establishment.
WALKERS = ("chuyenvien", "thamdinh", "lanhdao", "quantri", "coso")
# The administrator's share of Django's admin: the index and the models
# issue 17 saw in English.
ADMIN_PAGES = ["/quan-tri/", "/quan-tri/axes/accessattempt/", "/quan-tri/auth/user/"]


@pytest.mark.browser
def test_every_page_of_every_role_is_vietnamese_fits_and_runs_clean():
    rows = Rows.pick(User.objects.get(username="chuyenvien"))
    paths = [path(rows) for path in PAGES.values() if path]
    problems: list[str] = []
    opened = 0
    # The server first, on the test's connection, then the browser: once
    # Playwright runs, this thread's ORM calls would use another connection.
    with serving_the_test_transaction() as server, launched() as browser:
        context, page, console = window(browser)
        _status, found = visit(page, console, server + "/dang-nhap/", "login")
        problems += found
        context.close()

        for username in WALKERS:
            context, page, console = window(browser)
            page.goto(server + "/dang-nhap/")
            page.fill("#id_username", username)
            page.fill("#id_password", DEMO_PASSWORD)
            page.locator("form button[type=submit].btn-primary").click()
            page.wait_for_url(re.compile(r".*/$"))
            extra = ADMIN_PAGES if username == "quantri" else []
            for path in paths + extra:
                status, found = visit(
                    page, console, server + path, f"{username} {path}"
                )
                opened += status == 200
                if path.startswith("/quan-tri/"):
                    # Django's admin: only what it shows of ours must be
                    # Vietnamese.
                    found = [f for f in found if "English" not in f]
                    words = english_on(page.locator("#content").inner_text())
                    if words:
                        found.append(f"{username} {path}: English: {', '.join(words)}")
                    if "AXES" in page.content() or "Site quản trị hệ thống." in (
                        page.content()
                    ):
                        found.append(f"{username} {path}: English admin labels")
                problems += found
            context.close()

    # Each role opened its share of the portal (a login loop would open none).
    assert opened > 4 * 15
    assert problems == [], "\n".join(problems)
