"""Everyone's own page: see and change one's e-mail, reach the password and
the language from it."""

from __future__ import annotations

import pytest

from enterprises.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_it_shows_who_i_am_and_my_email(as_user, staff):
    page = as_user(staff).get("/tai-khoan/").content.decode()
    assert staff.username in page
    assert staff.email in page
    assert "/doi-mat-khau/" in page
    assert 'name="language"' in page


def test_it_changes_my_email(as_user, staff):
    response = as_user(staff).post(
        "/tai-khoan/",
        {"first_name": "Lê Thị", "last_name": "Hoa", "email": "Hoa.Le@kc.test"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.email, staff.get_full_name()) == ("hoa.le@kc.test", "Lê Thị Hoa")


def test_another_accounts_email_is_refused_and_nothing_changes(as_user, staff):
    other = make_user("other", Role.REVIEWER)
    response = as_user(staff).post(
        "/tai-khoan/", {"last_name": "", "first_name": "", "email": other.email}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thư điện tử này đã được tài khoản khác dùng." in page
    assert 'data-testid="error-summary"' in page
    staff.refresh_from_db()
    assert staff.email == "staff@kc.test"
