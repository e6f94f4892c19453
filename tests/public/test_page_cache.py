"""The public page's finished bytes for visitors without a session
(public.page_cache, khuyencong.middleware.PublicPageMiddleware): served above
the session, user, CSRF and messages middleware, with the security headers,
an ETag and a 304 for a browser that has the page, in the visitor's language,
and retired by any write as the cached fragments are.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from public.models import WithheldField, Withholding

pytestmark = pytest.mark.django_db

URL = "/cong-khai/"


@pytest.fixture
def cached(settings):
    settings.KC_PUBLIC_CACHE_SECONDS = 3600


def served_early(response) -> bool:
    """Answered above the session and user middleware: the request never got
    a session or a user."""
    request = response.wsgi_request
    return not hasattr(request, "session") and not hasattr(request, "user")


def test_a_warm_page_is_served_before_the_session_and_user_are_read(
    client, world, cached, django_assert_num_queries
):
    first = client.get(URL)
    assert first.status_code == 200 and not served_early(first)
    with django_assert_num_queries(0):
        second = client.get(URL)
    assert served_early(second)
    assert second.content == first.content
    # The headers the whole stack gave it, the outer security headers too.
    for name in ("Content-Type", "Content-Language", "Vary", "X-Frame-Options"):
        assert second[name] == first[name], name
    assert "Cookie" in second["Vary"]
    assert "default-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"
    cache_control = {d.strip() for d in second["Cache-Control"].split(",")}
    assert cache_control == {"public", "no-cache"}
    assert second["ETag"] == first["ETag"]
    assert not second.cookies


def test_a_browser_that_has_the_page_gets_304(client, world, cached):
    etag = client.get(URL)["ETag"]
    again = client.get(URL, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "default-src 'self'" in again["Content-Security-Policy"]
    assert client.get(URL, headers={"if-none-match": '"other"'}).status_code == 200


def test_each_language_and_filter_has_its_own_page(client, world, cached):
    vietnamese = client.get(URL)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(URL)
    english_again = client.get(URL)
    assert served_early(english_again)
    assert 'lang="en"' in english_again.content.decode()
    assert english_again["Content-Language"] == "en"
    assert english_again.content == english.content != vietnamese.content
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "xx"  # not ours
    assert client.get(URL).content == vietnamese.content
    del client.cookies[django_settings.LANGUAGE_COOKIE_NAME]
    assert client.get(URL).content == vietnamese.content
    searched = client.get(URL, {"q": "may say nong san"}).content.decode()
    assert world.approved.code in searched
    assert world.accepted.code not in searched
    assert world.accepted.code in client.get(URL).content.decode()


def test_a_write_retires_the_page(
    client, world, cached, django_capture_on_commit_callbacks
):
    assert world.partly.code in client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Withholding.objects.create(
            project=world.partly, field=WithheldField.PROJECT, reason="Thanh tra"
        )
    response = client.get(URL)
    assert not served_early(response)
    assert world.partly.code not in response.content.decode()
    assert served_early(client.get(URL))


def test_a_signed_in_user_is_never_served_the_visitors_page(
    client, world, cached, manager
):
    client.get(URL)
    client.force_login(manager)
    response = client.get(URL)
    assert not served_early(response)
    html = response.content.decode()
    assert "Đăng nhập" not in html  # no staff sign-in link: the portal's
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    client.logout()  # the session's cookie is gone with it
    assert served_early(client.get(URL))


def test_without_the_cache_every_request_goes_through_the_stack(client, world):
    client.get(URL)
    assert not served_early(client.get(URL))


def test_a_cleared_cache_never_meets_the_pages_kept_before(client, world, cached):
    # The data version starts from the clock: after a restart of the cache
    # the kept pages' keys are not met again.
    assert served_early(client.get(URL)) is False
    assert served_early(client.get(URL))
    cache.clear()
    assert not served_early(client.get(URL))
