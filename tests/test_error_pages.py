"""Refused and missing pages speak Vietnamese and lead back into the portal.

Without templates of its own the portal showed Django's bare English
"403 Forbidden" / "Not Found" pages (found while writing the browser tests).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_refused_page_says_so_in_vietnamese(as_user, reviewer):
    response = as_user(reviewer).get("/de-an/moi/")  # drafting is the centre's
    assert response.status_code == 403
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Không có quyền truy cập" in body and "Forbidden" not in body
    assert 'href="/"' in body


def test_a_missing_page_says_so_in_vietnamese(as_user, staff):
    response = as_user(staff).get("/de-an/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body and "Not Found" not in body
    assert 'href="/"' in body


def test_a_server_error_says_so_in_vietnamese_without_the_database(
    rf, django_assert_num_queries
):
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/de-an/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Lỗi máy chủ" in body and "Server Error" not in body
    assert 'href="/"' in body


def test_the_default_icon_address_leads_to_the_portals_icon(client):
    # Chromium asks for /favicon.ico after an error page; a 404 there was a
    # console error on the next page the user opened.
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
