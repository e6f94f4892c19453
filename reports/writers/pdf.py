"""The one PDF renderer: any exporter to an A4 landscape PDF in official style.

The page is a Django template (templates/reports/pdf/report.html) rendered by
WeasyPrint. Every PDF of the portal extends templates/reports/pdf/base.html
and gets its letterhead (issuing body, number, national motto, place-date line,
page numbers, signatures) from `letterhead()` and its bytes from `html_to_pdf()`;
the project dossier (reports/dossier.py) is the other one.

The font, Liberation Serif (metric-compatible with Times New Roman, which
Decree 30/2020/NĐ-CP asks of official documents), is embedded from
static/fonts through an absolute file:// URL, so the PDF does not depend on
the fonts of the machine that renders it, and Vietnamese diacritics survive on
any reader. The head (issuer, motto, number, date, unit, recipients,
signatures) comes from reports.writers.head, the same for Excel and Word.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats

from reports.exporters.base import (
    DATE,
    INT,
    MONEY,
    PERCENT,
    TEXT,
    Exporter,
    Subtotal,
)
from reports.writers.head import (
    DRAFT,
    MOTTO,
    NATIONAL_TITLE,
    OfficialHead,
    official_head,
    percent_value,
)
from reports.writers.head import place_date_line as place_date_line

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


def format_value(value: Any, kind: str, head: OfficialHead | None = None) -> str:
    if value is None or value == "":
        return ""
    if kind == MONEY and head is not None and head.in_millions:
        return formats.number_format(
            head.money(value), decimal_pos=3, force_grouping=True
        )
    if kind in (MONEY, INT):
        return formats.number_format(value, decimal_pos=0, force_grouping=True)
    if kind == PERCENT:
        # Rounded first (the one rule, ROUND_HALF_UP): number_format would cut.
        shown = formats.number_format(
            percent_value(value) * 100, decimal_pos=1, force_grouping=True
        )
        return f"{shown} %"
    if kind == DATE:
        return value.strftime("%d/%m/%Y")
    return str(value)


# The table's room on A4 landscape (297 mm less the page margins), and the
# font sizes tried, largest first, until every column fits its content.
TABLE_WIDTH_MM = 260.0
FONT_SIZES_PT = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0)
# The last rows of a table are printed with the totals, "Nơi nhận" and the
# signatures as one block that never breaks: a page never holds the
# signatures alone.
TAIL_ROWS = 2
PT_MM = 0.3528
# Each cell's padding and border (table.data in base.html).
CELL_EXTRA_MM = 2.5
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

    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
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


def fit_columns(
    columns: Any,
    needed_em: list[float],
    headers: list[str] | None = None,
    full_em: list[float] | None = None,
) -> tuple[float, list[float]]:
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

    `full_em`, per text column, is the width of its longest value on one
    line: a column never gets more than that (a code, a source, remarks
    mostly empty), and what it leaves goes to the columns that wrap (the
    project's title), which keeps rows low and pages few.
    """
    # A wide table starts smaller: a larger type would fit the numbers but
    # wrap the titles into tall rows and many pages.
    largest = 10.0 if len(columns) <= 8 else 9.0 if len(columns) <= 12 else 8.0
    sizes = [s for s in FONT_SIZES_PT if s <= largest]
    for size in sizes:
        em = size * PT_MM
        minimum = []
        names = headers or [str(c.header) for c in columns]
        for column, need, name in zip(columns, needed_em, names, strict=True):
            header = longest_word_em(name)
            if column.type not in FIXED_TYPES:
                # Room for a few words a line, more for the wider columns.
                readable = min(READABLE_EM, column.width / 3)
                need = max(min(need, LONGEST_UNBROKEN_EM), readable)
            minimum.append(max(header, need) * em + CELL_EXTRA_MM)
        widths = list(minimum)
        # Share what the fixed columns leave among the text columns by weight;
        # a column whose share is below its minimum keeps the minimum and
        # leaves the others to share the rest.
        text = [i for i, c in enumerate(columns) if c.type not in FIXED_TYPES]
        cap = {
            i: max(minimum[i], full_em[i] * em + CELL_EXTRA_MM)
            if full_em
            else float("inf")
            for i in text
        }
        sharing = list(text)
        while sharing:
            left = TABLE_WIDTH_MM - sum(
                w for i, w in enumerate(widths) if i not in sharing
            )
            weight = sum(columns[i].width for i in sharing) or 1
            share = {i: left * columns[i].width / weight for i in sharing}
            short = [i for i in sharing if share[i] < minimum[i]]
            over = [i for i in sharing if share[i] > cap[i]]
            if short:
                sharing = [i for i in sharing if i not in short]
            elif over:
                for i in over:
                    widths[i] = cap[i]
                sharing = [i for i in sharing if i not in over]
            else:
                for i in sharing:
                    widths[i] = share[i]
                break
        room = TABLE_WIDTH_MM - sum(widths)
        if text and room > 0.01:
            # Every text column fits on one line: the room left goes to the
            # longest one.
            widest = max(text, key=lambda i: cap[i])
            widths[widest] += room
        if sum(widths) <= TABLE_WIDTH_MM + 0.01 or size == sizes[-1]:
            return size, widths
    raise AssertionError("unreachable")  # pragma: no cover


def _widen(needed: list[float], values: list[str], kinds: list[str]) -> list[float]:
    return [
        max(n, longest_word_em(v, bold=False) if k == TEXT else text_em(v))
        for n, v, k in zip(needed, values, kinds, strict=True)
    ]


def render_html(
    exporter: Exporter, *, head: OfficialHead | None = None
) -> tuple[str, int]:
    """The report page as HTML, and how many data rows it prints."""
    head = head or official_head()
    columns = exporter.columns
    kinds = [c.type for c in columns]
    headers = [head.header(str(c.header)) for c in columns]
    needed = [0.0] * len(columns)
    full = [0.0] * len(columns)
    texts = [i for i, k in enumerate(kinds) if k == TEXT]
    rows = []
    truncated = False
    for row in exporter.iter_rows():
        if len(rows) >= MAX_PDF_ROWS:
            # Keep consuming so the totals row still covers every row.
            truncated = True
            continue
        values = [format_value(v, k, head) for v, k in zip(row, kinds, strict=True)]
        needed = _widen(needed, values, kinds)
        for i in texts:
            if values[i]:
                full[i] = max(full[i], text_em(values[i], bold=False))
        rows.append((isinstance(row, Subtotal), values))
    totals = exporter.totals()
    shown_totals = (
        [format_value(v, k, head) for v, k in zip(totals, kinds, strict=True)]
        if totals
        else None
    )
    if shown_totals:
        needed = _widen(needed, shown_totals, kinds)
    if shown_totals:
        for i in texts:
            if shown_totals[i]:
                full[i] = max(full[i], text_em(shown_totals[i]))
    font_size, widths = fit_columns(columns, needed, headers, full)
    context = {
        "title": str(exporter.title),
        "subtitle": exporter.subtitle,
        "columns": [
            {
                "header": header,
                "numeric": c.type in (MONEY, INT, PERCENT),
                "fixed": c.type in FIXED_TYPES,
                "width": round(100 * w / sum(widths), 2),
            }
            for c, header, w in zip(columns, headers, widths, strict=True)
        ],
        "table_font_size": font_size,
        "rows": rows,
        "tail_rows": TAIL_ROWS,
        "row_count": len(rows),
        "truncated": truncated,
        "max_rows": MAX_PDF_ROWS,
        "totals": shown_totals,
    }
    return render_document(TEMPLATE, context, head=head), len(rows)


def letterhead(head: OfficialHead) -> dict[str, Any]:
    """What every official PDF prints around its content (base.html)."""
    return {
        "head": head,
        "national_title": NATIONAL_TITLE,
        "motto": MOTTO,
        "draft_mark": DRAFT,
        "font_regular": font_url("LiberationSerif-Regular.ttf"),
        "font_bold": font_url("LiberationSerif-Bold.ttf"),
        "font_italic": font_url("LiberationSerif-Italic.ttf"),
        "font_bold_italic": font_url("LiberationSerif-BoldItalic.ttf"),
    }


def render_document(
    template: str, context: dict[str, Any], *, head: OfficialHead | None = None
) -> str:
    """A template extending reports/pdf/base.html, as NFC HTML."""
    html = render_to_string(
        template, {**letterhead(head or official_head()), **context}
    )
    # Text typed on different keyboards arrives composed or decomposed; the
    # PDF (and whoever searches it) sees one form.
    return unicodedata.normalize("NFC", html)


def html_to_pdf(html: str, out: IO[bytes] | str) -> None:
    from weasyprint import HTML

    HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(out)


def write_pdf(
    exporter: Exporter,
    out: IO[bytes] | str | Path,
    *,
    head: OfficialHead | None = None,
) -> int:
    """Render the exporter's report as PDF into `out`; returns the rows printed."""
    html, printed = render_html(exporter, head=head)
    html_to_pdf(html, str(out) if isinstance(out, Path) else out)
    return printed
