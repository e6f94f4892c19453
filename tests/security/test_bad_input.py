"""Bad input sweep: arbitrary text and numbers never cause a server error and
never leave a partial record (property-based, hypothesis)."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from django.conf import settings as dj_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from enterprises.models import Commune, Establishment
from enterprises.services import COLUMNS, establishment_import

from .strategies import SWEEP, numbers, texts

pytestmark = pytest.mark.django_db


@SWEEP
@given(
    name=texts,
    tax_code=texts,
    representative=texts,
    workers=numbers,
    revenue=numbers,
    year=numbers,
    email=texts,
)
def test_the_establishment_form_never_errors_or_half_saves(
    as_user, staff, name, tax_code, representative, workers, revenue, year, email
):
    client = as_user(staff)
    commune = Commune.objects.in_province(dj_settings.HOME_PROVINCE_CODE).first()
    before = Establishment.objects.count()
    response = client.post(
        reverse("enterprises:establishment_create"),
        {
            "name": name,
            "kind": "cooperative",
            "tax_code": tax_code,
            "representative_name": representative,
            "commune": commune.pk,
            "workers_total": workers,
            "workers_women": "0",
            "workers_ethnic_minority": "0",
            "yearly_revenue": revenue,
            "founded_year": year,
            "email": email,
            "is_active": "on",
        },
    )
    after = Establishment.objects.count()
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert after == before + 1
        saved = Establishment.objects.latest("pk")
        assert saved.name == unicodedata.normalize("NFC", saved.name)
        assert saved.yearly_revenue is None or saved.yearly_revenue >= 0
    else:
        assert after == before


cells = st.one_of(
    st.none(),
    texts,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.booleans(),
)


def workbook_bytes(rows: list[list]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append([c.title for c in COLUMNS])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


@SWEEP
@given(
    rows=st.lists(
        st.lists(cells, min_size=len(COLUMNS), max_size=len(COLUMNS)),
        min_size=1,
        max_size=4,
    )
)
def test_the_import_writes_all_rows_or_nothing_for_any_cells(rows):
    before = Establishment.objects.count()
    try:
        file = workbook_bytes(rows)
    except (ValueError, IllegalCharacterError):
        return  # openpyxl itself refuses the value: no file could carry it
    result = establishment_import(file=file)
    after = Establishment.objects.count()
    if result.ok:
        assert after - before == result.created
    else:
        assert after == before
        assert all(str(issue) for issue in result.errors)
