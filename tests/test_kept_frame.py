"""The page frame kept per process (templates/base.html with {% keep %},
enterprises/templatetags/kept.py): each user still gets their own name, menu
and language, each page its own language switch, and each request its own
CSRF token that the server accepts."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client

from enterprises.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LIST = "/de-an/"
ESTABLISHMENTS = "/co-so/"


def token_of(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_each_user_sees_their_own_name_and_menu(staff, manager):
    # Two officers of the same role: the same menu, not the same name.
    colleague = make_user("staff2", Role.STAFF, first_name="Trần", last_name="Nam")
    pages = {}
    for user in (staff, colleague, manager, staff):
        client = Client()
        client.force_login(user)
        pages.setdefault(user.username, []).append(client.get(LIST).content.decode())
    first, again = pages["staff"]
    theirs = pages["staff2"][0]
    assert "Lê Thị Hoa" in first and "Lê Thị Hoa" in again
    assert "Trần Nam" in theirs and "Lê Thị Hoa" not in theirs
    assert "Lê Thị Hoa" not in pages["manager"][0]
    # The staff's "To do" page is theirs, not the manager's.
    assert 'href="/viec-can-lam/"' in first
    assert 'href="/viec-can-lam/"' not in pages["manager"][0]


def test_the_kept_frame_carries_the_requests_own_csrf_token(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    tokens = []
    for _ in range(2):
        html = client.get(LIST).content.decode()
        found = token_of(html)
        # The logout form and the language switch: one token, this request's.
        assert len(found) == 1
        tokens.append(found.pop())
    assert tokens[0] != tokens[1]  # masked afresh, never the kept drawing's
    response = client.post("/dang-xuat/", {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert client.get(LIST).status_code == 302  # logged out: back to the login


def test_the_language_switch_returns_to_the_page_it_is_on(staff):
    client = Client()
    client.force_login(staff)
    for path in (LIST, ESTABLISHMENTS, f"{LIST}?page=2"):
        html = client.get(path).content.decode()
        nexts = re.findall(r'name="next" value="([^"]+)"', html)
        assert nexts == [path.replace("&", "&amp;")]


def test_the_frame_follows_the_language(staff):
    client = Client()
    client.force_login(staff)
    vietnamese = client.get(LIST).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": LIST})
    english = client.get(LIST).content.decode()
    assert "Đăng xuất" in vietnamese and "Log out" not in vietnamese
    assert "Log out" in english and "Đăng xuất" not in english


def test_a_kept_fragment_may_not_hold_a_block():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load kept %}{% keep %}{% block a %}{% endblock %}{% endkeep %}")


def test_a_kept_fragment_is_drawn_again_for_another_value():
    template = Template(
        "{% load kept %}{% keep on name %}<b>{{ name }}</b>{% endkeep %}"
    )
    assert template.render(Context({"name": "A & B"})) == "<b>A &amp; B</b>"
    assert template.render(Context({"name": "C"})) == "<b>C</b>"
    assert template.render(Context({"name": "A & B"})) == "<b>A &amp; B</b>"
