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
import functools
import unicodedata
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reports.exporters.base import (
    DATE,
    INT,
    MONEY,
    PERCENT,
    TEXT,
    Exporter,
    Subtotal,
)

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


# The table's room on A4 landscape (297 mm less the page margins), and the
# font sizes tried, largest first, until every column fits its content.
TABLE_WIDTH_MM = 270.0
FONT_SIZES_PT = (8.0, 7.5, 7.0, 6.5, 6.0)
PT_MM = 0.3528
# Each cell's padding and border (table.data in base.html).
CELL_EXTRA_MM = 2.4
FIXED_TYPES = (MONEY, INT, DATE, PERCENT)
# A code or a word of a text column is kept whole up to this width (in em);
# longer ones may break.
LONGEST_UNBROKEN_EM = 9.0
# Text columns are never squeezed below this (em), so that a smaller type is
# chosen before a title or a name is set one word a line.
READABLE_EM = 7.0


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, float], float]:
    """Advance widths (em) of the table font's characters, read from the
    embedded file itself, and a fallback for characters it lacks."""
    from fontTools.ttLib import TTFont

    name = "DejaVuSansCondensed-Bold.ttf" if bold else "DejaVuSansCondensed.ttf"
    font = TTFont(finders.find(f"fonts/{name}"), lazy=True)
    per_em = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    widths = {
        code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()
    }
    return widths, max(widths.values())


def text_em(text: str, *, bold: bool = True) -> float:
    """How wide `text` is printed in the table font, in em."""
    widths, fallback = _advances(bold)
    return sum(widths.get(ord(ch), fallback) for ch in text)


def longest_word_em(text: str, *, bold: bool = True) -> float:
    return max((text_em(word, bold=bold) for word in text.split()), default=0.0)


def fit_columns(columns: Any, needed_em: list[float]) -> tuple[float, list[float]]:
    """Font size and column widths (mm) for a table whose numbers never wrap.

    `needed_em` is, per column, the width of its longest printed value
    (money, counts, dates, percentages, in bold as totals print) or of its
    longest word (text: a project code; up to LONGEST_UNBROKEN_EM, and at
    least a readable READABLE_EM or a third of its weight). Every
    column is also at least as wide as its header's longest word (headers
    wrap between words, never inside one); text columns share what is left
    by their weights. When even that does not fit, the next smaller font
    size is tried; at the smallest, the widths are what they are and the
    renderer scales them to the page.
    """
    for size in FONT_SIZES_PT:
        em = size * PT_MM
        minimum = []
        for column, need in zip(columns, needed_em, strict=True):
            header = longest_word_em(str(column.header))
            if column.type not in FIXED_TYPES:
                # Room for a few words a line, more for the wider columns.
                readable = min(READABLE_EM, column.width / 3)
                need = max(min(need, LONGEST_UNBROKEN_EM), readable)
            minimum.append(max(header, need) * em + CELL_EXTRA_MM)
        widths = list(minimum)
        # Share what the fixed columns leave among the text columns by weight;
        # a column whose share is below its minimum keeps the minimum and
        # leaves the others to share the rest.
        sharing = [i for i, c in enumerate(columns) if c.type not in FIXED_TYPES]
        while sharing:
            left = TABLE_WIDTH_MM - sum(
                w for i, w in enumerate(widths) if i not in sharing
            )
            weight = sum(columns[i].width for i in sharing) or 1
            short = [
                i for i in sharing if left * columns[i].width / weight < minimum[i]
            ]
            if not short:
                for i in sharing:
                    widths[i] = left * columns[i].width / weight
                break
            sharing = [i for i in sharing if i not in short]
        if sum(widths) <= TABLE_WIDTH_MM + 0.01 or size == FONT_SIZES_PT[-1]:
            return size, widths
    raise AssertionError("unreachable")  # pragma: no cover


def _widen(needed: list[float], values: list[str], kinds: list[str]) -> list[float]:
    return [
        max(n, longest_word_em(v, bold=False) if k == TEXT else text_em(v))
        for n, v, k in zip(needed, values, kinds, strict=True)
    ]


def render_html(
    exporter: Exporter, *, number: str = "", issued: dt.date | None = None
) -> tuple[str, int]:
    """The report page as HTML, and how many data rows it prints."""
    columns = exporter.columns
    kinds = [c.type for c in columns]
    needed = [0.0] * len(columns)
    rows = []
    truncated = False
    for row in exporter.iter_rows():
        if len(rows) >= MAX_PDF_ROWS:
            # Keep consuming so the totals row still covers every row.
            truncated = True
            continue
        values = [format_value(v, k) for v, k in zip(row, kinds, strict=True)]
        needed = _widen(needed, values, kinds)
        rows.append((isinstance(row, Subtotal), values))
    totals = exporter.totals()
    shown_totals = (
        [format_value(v, k) for v, k in zip(totals, kinds, strict=True)]
        if totals
        else None
    )
    if shown_totals:
        needed = _widen(needed, shown_totals, kinds)
    font_size, widths = fit_columns(columns, needed)
    context = {
        "title": str(exporter.title),
        "subtitle": exporter.subtitle,
        "columns": [
            {
                "header": str(c.header),
                "numeric": c.type in (MONEY, INT, PERCENT),
                "fixed": c.type in FIXED_TYPES,
                "width": round(100 * w / sum(widths), 2),
            }
            for c, w in zip(columns, widths, strict=True)
        ],
        "table_font_size": font_size,
        "rows": rows,
        "row_count": len(rows),
        "truncated": truncated,
        "max_rows": MAX_PDF_ROWS,
        "totals": shown_totals,
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
        # Tables of many columns: the same letters, narrower.
        "font_condensed": font_url("DejaVuSansCondensed.ttf"),
        "font_condensed_bold": font_url("DejaVuSansCondensed-Bold.ttf"),
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
