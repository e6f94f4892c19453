"""Hostile spreadsheets are refused before openpyxl opens them."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from enterprises.models import Establishment

pytestmark = pytest.mark.django_db


def bomb() -> bytes:
    """A valid-looking xlsx whose sheet expands a thousandfold (20 MB of zeros)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    return buffer.getvalue()


def truncated_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>" * 100)
    return buffer.getvalue()[:60]


def upload(client, content: bytes):
    f = io.BytesIO(content)
    f.name = "co-so.xlsx"
    return client.post(reverse("enterprises:establishment_import"), {"file": f})


def test_an_xlsx_bomb_is_refused_with_one_message(as_user, staff):
    payload = bomb()
    assert len(payload) < 1024 * 1024  # tiny on the wire
    response = upload(as_user(staff), payload)
    body = response.content.decode()
    assert response.status_code == 200
    assert "không an toàn" in body
    assert Establishment.objects.count() == 0


def test_a_truncated_archive_is_refused(as_user, staff):
    response = upload(as_user(staff), truncated_zip())
    body = response.content.decode()
    assert "hỏng" in body or "không phải là sổ tính Excel" in body
    assert Establishment.objects.count() == 0
