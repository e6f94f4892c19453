"""Shared fixtures: one named user per role, and the in-process database.

Who may see what:
- staff (Chuyên viên Trung tâm): registers establishments, drafts and runs projects;
- reviewer (Thẩm định viên, Sở Công Thương): appraises projects;
- manager (Lãnh đạo): reads everything, downloads reports;
- admin (Quản trị viên): reference data and users, plus what managers see.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from enterprises.roles import GROUP_NAMES, Role


def make_user(username: str, role: str | None, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password="pw-" + username,
        email=f"{username}@kc.test",
        **extra,
    )
    if role:
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
    return user


@pytest.fixture
def staff(db) -> User:
    return make_user("staff", Role.STAFF, first_name="Lê Thị", last_name="Hoa")


@pytest.fixture
def reviewer(db) -> User:
    return make_user(
        "reviewer", Role.REVIEWER, first_name="Nguyễn Văn", last_name="Minh"
    )


@pytest.fixture
def manager(db) -> User:
    return make_user("manager", Role.MANAGER)


@pytest.fixture
def admin_user(db) -> User:
    return make_user("admin", Role.ADMIN, is_staff=True)


@pytest.fixture
def nobody(db) -> User:
    """Logged in, but holding no role."""
    return make_user("nobody", None)


@pytest.fixture
def as_user(client):
    """Log the test client in as the given user and return the client."""

    def login(user: User):
        client.force_login(user)
        return client

    return login
