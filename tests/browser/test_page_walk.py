"""The page walk's reach and the budget page's year picker.

The walk itself runs on the demo data (tests/demo/test_page_walk.py); here,
every URL name of the portal is walked or excused (tests/browser/pages.py).
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from .pages import PAGES
from .walk import window


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
    context, page, console = window(browser)
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
