"""Vietnamese for every visitor, whatever the browser asks; English on request."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_it_speaks_vietnamese_to_an_english_browser(client):
    response = client.get("/dang-nhap/", **ENGLISH_BROWSER)
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body
    assert "Log in" not in body
    assert response["Content-Language"] == "vi"


def test_it_offers_the_switch_on_the_login_page(client):
    body = client.get("/dang-nhap/").content.decode()
    assert 'name="language" value="en"' in body
    assert 'name="language" value="vi"' in body


def test_english_once_chosen_is_kept(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    assert response.status_code == 302
    body = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body
    client.post("/i18n/setlang/", {"language": "vi", "next": "/dang-nhap/"})
    body = client.get("/dang-nhap/", **ENGLISH_BROWSER).content.decode()
    assert '<html lang="vi">' in body


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies["django_language"] = "fr"
    body = client.get("/dang-nhap/", **ENGLISH_BROWSER).content.decode()
    assert '<html lang="vi">' in body


def _log_in(client, user, **headers):
    return client.post(
        "/dang-nhap/", {"username": user.username, "password": "pw"}, **headers
    )


def test_an_accounts_language_follows_it_to_a_fresh_browser(client, staff):
    from django.test import Client

    staff.set_password("pw")
    staff.save()
    assert _log_in(client, staff).status_code == 302
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post("/dang-xuat/")

    fresh = Client()  # another computer: no language cookie, an English browser
    assert _log_in(fresh, staff, **ENGLISH_BROWSER).status_code == 302
    body = fresh.get("/tai-khoan/", **ENGLISH_BROWSER).content.decode()
    assert '<html lang="en">' in body
    # Logged out, the fresh browser is a visitor again: Vietnamese.
    fresh.post("/dang-xuat/")
    body = fresh.get("/dang-nhap/", **ENGLISH_BROWSER).content.decode()
    assert '<html lang="vi">' in body


def test_switching_back_to_vietnamese_is_kept_too(client, staff):
    from khuyencong.models import UserPreference

    staff.set_password("pw")
    staff.save()
    _log_in(client, staff)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/tai-khoan/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert '<html lang="vi">' in client.get("/tai-khoan/").content.decode()
    assert UserPreference.objects.get(user=staff).language == "vi"


def test_english_chosen_on_the_login_page_becomes_the_accounts(client, staff):
    from django.test import Client

    staff.set_password("pw")
    staff.save()
    client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"})
    _log_in(client, staff)
    fresh = Client()
    _log_in(fresh, staff)
    assert '<html lang="en">' in fresh.get("/tai-khoan/").content.decode()


def test_a_user_who_never_chose_gets_vietnamese(client, staff):
    staff.set_password("pw")
    staff.save()
    _log_in(client, staff, **ENGLISH_BROWSER)
    body = client.get("/tai-khoan/", **ENGLISH_BROWSER).content.decode()
    assert '<html lang="vi">' in body
