"""Each role logs in through the real login form and lands on its home page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from enterprises.roles import GROUP_NAMES, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", [Role.STAFF, Role.REVIEWER, Role.MANAGER, Role.ADMIN])
def test_each_role_logs_in_and_sees_its_home_page(page, login, role):
    user = User.objects.create_user(username=f"u-{role}", password="Mat-khau-2026")
    user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    login(page, f"u-{role}", "Mat-khau-2026")
    assert page.get_by_test_id("role").inner_text().endswith(GROUP_NAMES[role])
    assert page.locator("html").get_attribute("lang") == "vi"
    # Only the administrator has the "Quản trị" menu, and in it Django's admin.
    menu = page.locator("#main-nav").get_by_role("button", name="Quản trị", exact=True)
    assert menu.count() == (1 if role == Role.ADMIN else 0)
    if role == Role.ADMIN:
        menu.click()
        page.get_by_role("link", name="Danh mục và người dùng").click()
        page.wait_for_url("**/quan-tri/")


def test_a_wrong_password_keeps_the_user_out(page, login):
    User.objects.create_user(username="someone", password="Mat-khau-2026")
    login(page, "someone", "sai-mat-khau")
    # The refusal is read once the answer has arrived, not mid-navigation.
    expect(page.locator("main")).to_contain_text("mật khẩu chính xác")
    assert "/dang-nhap/" in page.url


def test_pages_raise_no_content_security_policy_violation(page, login, admin_user):
    """Inline scripts or styles would be blocked by the CSP: none may exist."""
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    login(page, "admin", "pw-admin")
    for path in ["/", "/doi-mat-khau/", "/quan-tri/"]:
        page.goto(page.base_url + path)
    assert [e for e in errors if "Content Security Policy" in e] == []
