"""Characters that print as nothing never hide a name from search.

A name pasted with a zero-width space ("Đông\u200bSơn") looks like "ĐôngSơn"
and an establishment registered so could not be found by its name, nor
recognised as a duplicate. Forms, the import and every search drop them
(enterprises.text.clean_text / strip_invisible / fold).
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from enterprises.models import Establishment
from enterprises.services import establishment_import
from enterprises.text import clean_text, fold
from tests.builders import establishment_form_data as form_data
from tests.builders import registry_header as header
from tests.builders import registry_row as row
from tests.factories import EstablishmentFactory, home_commune

pytestmark = pytest.mark.django_db

ZWSP, ZWJ, BOM, NBSP, RLO, FILLER = (
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u00a0",
    "\u202e",
    "\u3164",
)
HIDDEN = f"{BOM}Hợp tác xã{NBSP}mây{ZWSP} tre{ZWJ} đan{RLO} Hoằng Lộc{FILLER} "
PLAIN = "Hợp tác xã mây tre đan Hoằng Lộc"
LIST = reverse("enterprises:establishment_list")


def test_the_normaliser_keeps_vietnamese_and_drops_what_prints_as_nothing():
    assert clean_text(HIDDEN) == PLAIN
    assert clean_text("Cơ sở  Đông Sơn\nThôn 3") == "Cơ sở  Đông Sơn\nThôn 3"
    assert fold(f"Đông{ZWSP}Sơn") == "dongson"


def test_a_name_typed_with_invisible_characters_is_stored_visible(as_user, staff):
    client = as_user(staff)
    response = client.post(
        reverse("enterprises:establishment_create"),
        form_data(home_commune(), name=HIDDEN),
    )
    assert response.status_code == 302
    assert Establishment.objects.get().name == PLAIN
    listed = client.get(LIST, {"q": "mây tre đan"}).content.decode()
    assert PLAIN in listed


def test_a_search_with_invisible_characters_finds_the_record(as_user, staff):
    EstablishmentFactory(name=PLAIN)
    client = as_user(staff)
    listed = client.get(LIST, {"q": f"mây{ZWSP} tre{ZWJ}"}).content.decode()
    assert PLAIN in listed


def test_an_older_record_with_invisible_characters_is_found_by_its_name(as_user, staff):
    # Stored before the normaliser existed (or by a script around the forms).
    est = EstablishmentFactory(name=f"Cơ sở Đ{ZWSP}ông S{ZWJ}ơn")
    listed = as_user(staff).get(LIST, {"q": "đông sơn"}).content.decode()
    assert reverse("enterprises:establishment_detail", args=[est.pk]) in listed


def test_the_import_stores_names_visible():
    wb = Workbook()
    ws = wb.active
    ws.append(header())
    ws.append(row(1, home_commune(), name=HIDDEN))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    assert establishment_import(file=out).ok
    assert Establishment.objects.get().name == PLAIN


def test_a_password_is_only_composed_never_stripped(client, staff):
    staff.set_password(f"mật{ZWSP}khẩu-dài")
    staff.save()
    response = client.post(
        reverse("login"), {"username": "staff", "password": f"mật{ZWSP}khẩu-dài"}
    )
    assert response.status_code == 302
