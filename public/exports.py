"""The public page's downloads: CSV and XLSX of what is filtered.

Every text cell goes through enterprises.xlsx.neutralise (formula injection),
as the registry's and the reports' exporters do; withheld fields are empty.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from enterprises.xlsx import neutralise

from .publication import PublicProject


def columns() -> list[str]:
    return [
        _("Code"),
        _("Plan year"),
        _("Programme"),
        _("Source"),
        _("Activity content"),
        _("Title"),
        _("Beneficiaries"),
        _("Commune / ward"),
        _("Approved support (đồng)"),
        _("Status"),
        _("Decision"),
        _("Acceptance date"),
        _("Machines achieved"),
        _("Trainees achieved"),
        _("Products achieved"),
        _("Jobs after"),
    ]


def _values(row: PublicProject) -> list[Any]:
    r = row.results
    decision = row.decision_no
    if row.decision_date:
        decision = f"{decision} ({date_format(row.decision_date, 'd/m/Y')})"
    return [
        row.code,
        row.years,
        row.programmes,
        row.sources,
        row.content,
        row.title or "",
        row.beneficiary_names,
        row.commune or "",
        row.approved,
        row.status_label,
        decision,
        r.acceptance_date if r else None,
        r.machines if r else None,
        r.trainees if r else None,
        r.products if r else None,
        r.jobs_after if r else None,
    ]


def _safe(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) else value


def csv_lines(rows: Iterable[PublicProject]) -> Iterator[str]:
    """The CSV, line by line (UTF-8 with a BOM so that Excel reads the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(columns())
    yield "\ufeff" + flush()
    for row in rows:
        values = [
            date_format(v, "d/m/Y") if hasattr(v, "isoformat") else v
            for v in _values(row)
        ]
        writer.writerow(["" if v is None else _safe(v) for v in values])
        yield flush()


def xlsx_bytes(rows: Iterable[PublicProject]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Supported projects")[:31])
    bold = Font(bold=True)
    header = []
    for title in columns():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in _values(row):
            cell = WriteOnlyCell(sheet, value=_safe(value))
            if hasattr(value, "isoformat"):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, int):
                cell.number_format = "#,##0"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
