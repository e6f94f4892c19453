"""Every page of every role, as a Vietnamese officer's English-language
Chrome shows it on a 1366×768 office screen (issue 17).

One browser, one logged-in window per role, the demo data set. A page fails
on horizontal overflow, a console error, a Content-Security-Policy violation,
a language other than Vietnamese or English words of the interface
(tests/browser/walk.py says how each is found).
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from .pages import PAGES, Rows
from .walk import RECORD_CSP_VIOLATIONS, english_on, problems_of

# Patience of every action, as tests/browser/conftest.py gives the others.
TIMEOUT_MS = 15_000
DEMO_USERS = ("chuyenvien", "thamdinh", "lanhdao", "quantri", "coso")
DEMO_PASSWORD = "khuyencong-demo"
# The administrator's share of Django's admin: the index and the models
# issue 17 saw in English.
ADMIN_PAGES = ["/quan-tri/", "/quan-tri/axes/accessattempt/", "/quan-tri/auth/user/"]


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    names = []
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            names += url_names(p, prefix + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern) and p.name:
            names.append(prefix + p.name)
    return names


def test_every_url_is_walked_or_excused():
    assert sorted(set(url_names()) - set(PAGES)) == []
    assert sorted(set(PAGES) - set(url_names())) == []


def _window(browser):
    context = browser.new_context(
        locale="en-US",
        extra_http_headers={"Accept-Language": "en-US,en;q=0.9"},
        viewport={"width": 1366, "height": 768},
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(str(e)))
    return context, page, console


def _visit(page, console: list[str], url: str, label: str) -> tuple[int, list[str]]:
    console.clear()
    response = page.goto(url)  # returns once the page has loaded
    if response.status != 200:
        # Refused pages are the permission matrix's business; their status
        # line in the console is not a fault of the page.
        return response.status, []
    return 200, problems_of(page, label, console)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_of_every_role_is_vietnamese_fits_and_runs_clean(
    browser, live_server
):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    rows = Rows.pick(User.objects.get(username="chuyenvien"))
    paths = [path(rows) for path in PAGES.values() if path]
    problems: list[str] = []
    opened = 0

    context, page, console = _window(browser)
    _status, found = _visit(page, console, live_server.url + "/dang-nhap/", "login")
    problems += found
    context.close()

    for username in DEMO_USERS:
        context, page, console = _window(browser)
        page.goto(live_server.url + "/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("form button[type=submit].btn-primary").click()
        page.wait_for_url(re.compile(r".*/$"))
        extra = ADMIN_PAGES if username == "quantri" else []
        for path in paths + extra:
            status, found = _visit(
                page, console, live_server.url + path, f"{username} {path}"
            )
            opened += status == 200
            if path.startswith("/quan-tri/"):
                # Django's admin: only what it shows of ours must be Vietnamese.
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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_choosing_a_year_on_the_budget_page_shows_it(browser, live_server):
    from enterprises.roles import Role
    from projects.models import Source
    from tests.builders import make_plan
    from tests.factories import make_user

    make_plan(Source.LOCAL, year=2024)
    make_plan(Source.LOCAL, year=2025)
    make_user("budget-reader", Role.MANAGER)
    context, page, console = _window(browser)
    page.goto(live_server.url + "/dang-nhap/")
    page.fill("#id_username", "budget-reader")
    page.fill("#id_password", "pw-budget-reader")
    page.locator("form button[type=submit].btn-primary").click()
    page.goto(live_server.url + "/ngan-sach/?year=2025")
    page.select_option("#year", "2024")
    page.wait_for_url(re.compile(r".*year=2024"))
    assert page.locator("#year").input_value() == "2024"
    assert console == []
    context.close()
