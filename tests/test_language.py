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
