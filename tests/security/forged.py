"""Spreadsheets forged to attack the import (row gaps, huge widths, false
sizes), shared by the tests of this package."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

from tests.builders import registry_header as header


def workbook_bytes(
    cells: dict[str, object],
    *,
    dimension: str | None,
    rows: dict[int, int] | None = None,
) -> bytes:
    """An xlsx with the import template's header and the given cells.

    `rows` renumbers rows in the sheet's XML (openpyxl refuses to write past
    row 1,048,576; Excel's limit, not a reader's). `dimension` replaces the
    size the sheet declares ("" removes it; None keeps openpyxl's, the size of
    the cells written before renumbering).
    """
    wb = Workbook()
    ws = wb.active
    ws.append(header())
    for ref, value in cells.items():
        ws[ref] = value
    out = io.BytesIO()
    wb.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    forged = io.BytesIO()
    with zipfile.ZipFile(forged, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for old, new in (rows or {}).items():
                    data = re.sub(rb'(r="[A-Z]*)%d"' % old, rb'\g<1>%d"' % new, data)
                if dimension is not None:
                    replacement = f'<dimension ref="{dimension}"/>' if dimension else ""
                    data = re.sub(rb"<dimension [^>]*/>", replacement.encode(), data)
            target.writestr(item, data)
    return forged.getvalue()


def row_gap_file(*, dimension: str | None = "A1:X100000000") -> bytes:
    """The header, then one establishment on row 100,000,000."""
    return workbook_bytes(
        {"A2": "Cơ sở xa tít"}, rows={2: 100_000_000}, dimension=dimension
    )


def wide_file(*, dimension: str | None = None) -> bytes:
    """The header, then 500 rows with a cell in column XFD (16,384)."""
    return workbook_bytes({f"XFD{n}": "x" for n in range(2, 502)}, dimension=dimension)
