"""Spreadsheets that are tiny on the wire but name huge sheets are refused cheaply.

A 2 KB file whose one data row is numbered 100,000,000, or whose cells sit in
column XFD, passes the size, ratio and expansion checks of the archive: only
the sheet's rows say how large it is. The import must refuse it before it
holds anything proportional to the row number or the column letter, whether
the sheet declares its true size, a false one, or none.
"""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from enterprises.models import Establishment
from enterprises.services import establishment_import
from enterprises.xlsx import SpreadsheetError, read_rows
from tests.builders import registry_header as header
from tests.builders import registry_row as row
from tests.factories import home_commune

from .forged import row_gap_file, wide_file

pytestmark = pytest.mark.django_db

MAX_PEAK_BYTES = 50 * 1024 * 1024


DECLARATIONS = {
    "true size": None,
    "no size": "",
    "false size": "A1:B2",
}


def peak_while(call) -> int:
    """Peak Python heap growth (bytes) while `call` runs."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - base


ROW_GAP_DECLARATIONS = {**DECLARATIONS, "true size": "A1:X100000000"}


@pytest.mark.parametrize(
    "declared", ROW_GAP_DECLARATIONS.values(), ids=ROW_GAP_DECLARATIONS.keys()
)
def test_a_row_gap_file_is_refused_without_reading_the_gap(declared):
    payload = row_gap_file(dimension=declared)
    assert len(payload) < 8 * 1024  # passes every check on the archive
    caught: list[SpreadsheetError] = []

    def attempt() -> None:
        try:
            read_rows(io.BytesIO(payload), max_bytes=10 * 1024 * 1024)
        except SpreadsheetError as exc:
            caught.append(exc)

    peak = peak_while(attempt)
    assert caught, "the file was read"
    assert "20.000" in str(caught[0])
    assert peak < MAX_PEAK_BYTES, f"peak {peak / 2**20:.1f} MB"


@pytest.mark.parametrize("declared", DECLARATIONS.values(), ids=DECLARATIONS.keys())
def test_a_wide_file_is_refused_at_its_first_wide_row(declared):
    payload = wide_file(dimension=declared)
    caught: list[SpreadsheetError] = []

    def attempt() -> None:
        try:
            read_rows(io.BytesIO(payload), max_bytes=10 * 1024 * 1024)
        except SpreadsheetError as exc:
            caught.append(exc)

    peak = peak_while(attempt)
    assert caught, "the file was read"
    assert "BH" in str(caught[0])  # column 60, the last one read
    assert peak < MAX_PEAK_BYTES, f"peak {peak / 2**20:.1f} MB"


def test_the_upload_page_refuses_the_row_gap_file_in_vietnamese(
    as_user, staff, django_capture_on_commit_callbacks, in_process
):
    # The archive itself is harmless, so the upload is accepted as a job; the
    # job reads the sheet and refuses it at row 20,001, writing nothing.
    upload = io.BytesIO(row_gap_file(dimension=""))
    upload.name = "co-so.xlsx"
    url = reverse("enterprises:establishment_import")
    client = as_user(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": upload})
    response = client.get(response.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "vượt quá dòng 20.000" in body
    assert Establishment.objects.count() == 0


def test_the_caps_come_from_settings(settings):
    commune = home_commune()
    rows = [row(n, commune) for n in range(3)]
    wb = Workbook()
    ws = wb.active
    ws.append(header())
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    settings.IMPORT_MAX_ROWS = 3  # header + 2 rows
    out.seek(0)
    result = establishment_import(file=out, dry_run=True)
    assert not result.ok
    assert "dòng 3" in result.errors[0].message
    settings.IMPORT_MAX_ROWS = 4
    out.seek(0)
    assert establishment_import(file=out, dry_run=True).ok


def test_a_gap_between_rows_keeps_the_row_numbers():
    commune = home_commune()
    wb = Workbook()
    ws = wb.active
    ws.append(header())
    for col, value in enumerate(row(1, commune), start=1):
        ws.cell(row=5, column=col, value=value)
    ws.cell(row=9, column=1, value="Thiếu mã số thuế")
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = establishment_import(file=out, dry_run=True)
    assert {e.row for e in result.errors} == {9}


def test_a_bomb_hidden_beside_random_padding_is_refused(as_user, staff):
    """The archive's overall ratio looks like a document's, one part's does not.

    openpyxl reads every shared string into a list before the first row: 100 MB
    of one-letter strings would be several million Python objects.
    """
    strings = b"<si><t>a</t></si>" * (100 * 1024 * 1024 // 17)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/sharedStrings.xml", b"<sst>" + strings + b"</sst>")
        z.writestr("xl/media/padding.bin", os.urandom(2 * 1024 * 1024))
    payload = buffer.getvalue()
    archive = zipfile.ZipFile(io.BytesIO(payload))
    entries = archive.infolist()
    overall = sum(e.file_size for e in entries) / sum(e.compress_size for e in entries)
    assert overall < 100  # the whole-archive check alone lets it through
    upload = io.BytesIO(payload)
    upload.name = "co-so.xlsx"
    response = as_user(staff).post(
        reverse("enterprises:establishment_import"), {"file": upload}
    )
    assert "không an toàn" in response.content.decode()
