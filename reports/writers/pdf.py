"""The one PDF renderer: any exporter to an A4 landscape PDF in official style.

The page is a Django template (templates/reports/pdf/report.html) rendered by
WeasyPrint. Every PDF of the portal extends templates/reports/pdf/base.html
and gets its letterhead (issuing body, number, national motto, place-date line,
page numbers, signatures) from `letterhead()` and its bytes from `html_to_pdf()`;
the project dossier (reports/dossier.py) is the other one.

The font is embedded from static/fonts through an absolute file:// URL, so
the PDF does not depend on the fonts of the machine that renders it, and
Vietnamese diacritics survive on any reader.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reports.exporters.base import DATE, INT, MONEY, PERCENT, Exporter, Subtotal

TEMPLATE = "reports/pdf/report.html"
# WeasyPrint lays out every row in memory: past this many rows a PDF is no
# longer read by anyone and costs minutes, so the table stops there and says
# that the Excel file holds everything.
MAX_PDF_ROWS = 5000


def font_url(name: str) -> str:
    path = finders.find(f"fonts/{name}")
    if not path:
        raise FileNotFoundError(f"static/fonts/{name} is missing")
    return Path(path).resolve().as_uri()


def place_date_line(day: dt.date) -> str:
    """ "Thanh Hóa, ngày 05 tháng 02 năm 2026" (days below 10 and months below 3
    take a leading zero, as the rules on administrative documents ask)."""
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": settings.ORGANISATION_PLACE,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }


def format_value(value: Any, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind in (MONEY, INT):
        return formats.number_format(value, decimal_pos=0, force_grouping=True)
    if kind == PERCENT:
        shown = formats.number_format(value * 100, decimal_pos=1, force_grouping=True)
        return f"{shown} %"
    if kind == DATE:
        return value.strftime("%d/%m/%Y")
    return str(value)


def render_html(
    exporter: Exporter, *, number: str = "", issued: dt.date | None = None
) -> tuple[str, int]:
    """The report page as HTML, and how many data rows it prints."""
    columns = exporter.columns
    kinds = [c.type for c in columns]
    total_width = sum(c.width for c in columns) or 1
    rows = []
    truncated = False
    for row in exporter.iter_rows():
        if len(rows) >= MAX_PDF_ROWS:
            # Keep consuming so the totals row still covers every row.
            truncated = True
            continue
        values = [format_value(v, k) for v, k in zip(row, kinds, strict=True)]
        rows.append((isinstance(row, Subtotal), values))
    totals = exporter.totals()
    context = {
        "title": str(exporter.title),
        "subtitle": exporter.subtitle,
        "columns": [
            {
                "header": str(c.header),
                "numeric": c.type in (MONEY, INT, PERCENT),
                "width": round(100 * c.width / total_width, 2),
            }
            for c in columns
        ],
        "rows": rows,
        "row_count": len(rows),
        "truncated": truncated,
        "max_rows": MAX_PDF_ROWS,
        "totals": (
            [format_value(v, k) for v, k in zip(totals, kinds, strict=True)]
            if totals
            else None
        ),
    }
    return render_document(TEMPLATE, context, number=number, issued=issued), len(rows)


def letterhead(*, number: str = "", issued: dt.date | None = None) -> dict[str, Any]:
    """What every official PDF prints around its content (base.html)."""
    return {
        "organisation_parent": settings.ORGANISATION_PARENT,
        "organisation_name": settings.ORGANISATION_NAME,
        "number": number,
        "place_date": place_date_line(issued or timezone.localdate()),
        "font_regular": font_url("DejaVuSans.ttf"),
        "font_bold": font_url("DejaVuSans-Bold.ttf"),
    }


def render_document(
    template: str,
    context: dict[str, Any],
    *,
    number: str = "",
    issued: dt.date | None = None,
) -> str:
    """A template extending reports/pdf/base.html, as NFC HTML."""
    html = render_to_string(
        template, {**letterhead(number=number, issued=issued), **context}
    )
    # Text typed on different keyboards arrives composed or decomposed; the
    # PDF (and whoever searches it) sees one form.
    return unicodedata.normalize("NFC", html)


def html_to_pdf(html: str, out: IO[bytes] | str) -> None:
    from weasyprint import HTML

    HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(out)


def write_pdf(
    exporter: Exporter,
    out: IO[bytes] | str,
    *,
    number: str = "",
    issued: dt.date | None = None,
) -> int:
    """Render the exporter's report as PDF into `out`; returns the rows printed."""
    html, printed = render_html(exporter, number=number, issued=issued)
    html_to_pdf(html, out)
    return printed
