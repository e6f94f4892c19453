"""Who may open each page of the dashboard area (the list the permission
matrix needs): anonymous users go to the login page; users without a role
are refused everywhere; an inbox item opens only for its owner."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import NotificationKind
from notifications.sending import notify

pytestmark = pytest.mark.django_db

ROLES = ["nobody", "staff", "reviewer", "manager", "admin_user"]
# Managers, administrators and the Sở's reviewers read the figures.
MANAGERS = {"manager", "admin_user", "reviewer"}
PAGES = {
    "dashboard:dashboard": MANAGERS,
    "dashboard:coverage": MANAGERS,
    "dashboard:warnings": MANAGERS | {"staff"},
    "dashboard:inbox": set(ROLES) - {"nobody"},
    "dashboard:preferences": set(ROLES) - {"nobody"},
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_page_opens_for_its_roles_only(as_user, request, name, role):
    response = as_user(request.getfixturevalue(role)).get(reverse(name))
    assert response.status_code == (200 if role in PAGES[name] else 403)


@pytest.mark.parametrize("name", [*PAGES, "dashboard:open"])
def test_anonymous_users_are_sent_to_the_login_page(client, name):
    args = [1] if name == "dashboard:open" else []
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_an_item_opens_for_its_owner_only(as_user, request, manager, role):
    (item,) = notify(
        users=[manager], kind=NotificationKind.OTHER, title="Riêng", email=False
    )
    response = as_user(request.getfixturevalue(role)).post(
        reverse("dashboard:open", args=[item.pk])
    )
    assert response.status_code == (302 if role == "manager" else 404)


def test_opening_an_item_needs_a_post(as_user, manager):
    (item,) = notify(users=[manager], kind=NotificationKind.OTHER, title="X")
    response = as_user(manager).get(reverse("dashboard:open", args=[item.pk]))
    assert response.status_code == 405
