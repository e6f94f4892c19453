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
import gc
import unicodedata
from dataclasses import dataclass
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
    million_decimals,
    official_head,
    percent_value,
)
from reports.writers.head import place_date_line as place_date_line
from reports.writers.paged import PagedTable, paged_table

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
        amount = head.money(value)
        return formats.number_format(
            amount, decimal_pos=million_decimals(amount), force_grouping=True
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
    """How wide `text` is printed in the table font, in em: its longest line
    (a cell holding stacked columns has several, reports.writers.paged)."""
    widths, fallback = _advances(bold)
    if "\n" in text:
        return max(text_em(line, bold=bold) for line in text.split("\n"))
    return sum(widths.get(ord(ch), fallback) for ch in text)


def longest_word_em(text: str, *, bold: bool = True) -> float:
    return max((text_em(word, bold=bold) for word in text.split()), default=0.0)


def fit_columns(
    columns: Any,
    needed_em: list[float],
    headers: list[str] | None = None,
    full_em: list[float] | None = None,
    amount_em: list[float] | None = None,
    *,
    largest: float | None = None,
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

    `amount_em`, per text column, is how much text it prints in all (the
    sum of its values' widths): the text columns share the room in that
    proportion, so that each wraps into about as many lines as the others
    and no row is tall for one column (the beneficiaries with their old
    address beside a short title). Without text, the columns' weights.
    """
    # A wide table starts smaller: a larger type would fit the numbers but
    # wrap the titles into tall rows and many pages.
    if largest is None:
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
        weights = (
            amount_em
            if amount_em and any(amount_em[i] for i in text)
            else [c.width for c in columns]
        )
        while sharing:
            left = TABLE_WIDTH_MM - sum(
                w for i, w in enumerate(widths) if i not in sharing
            )
            weight = sum(weights[i] for i in sharing) or 1
            share = {i: left * weights[i] / weight for i in sharing}
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


def _measure(
    rows: list[tuple[bool, list[str]]],
    totals: list[str] | None,
    kinds: list[str],
) -> tuple[list[float], list[float], list[float]]:
    """Per column, the em its numbers (or a text's longest word) need, a
    text's longest value on one line, and all its text (fit_columns)."""
    needed = [0.0] * len(kinds)
    full = [0.0] * len(kinds)
    amount = [0.0] * len(kinds)
    texts = [i for i, k in enumerate(kinds) if k == TEXT]
    for bold, values in [*rows, *([(True, totals)] if totals else [])]:
        needed = _widen(needed, values, kinds)
        for i in texts:
            value = values[i]
            if not value:
                continue
            if "\n" in value:
                lines = [text_em(line, bold=bold) for line in value.split("\n")]
                full[i] = max(full[i], *lines)
                amount[i] += sum(lines)
            else:
                width = text_em(value, bold=bold)
                full[i] = max(full[i], width)
                amount[i] += width
    return needed, full, amount


def _layout(
    exporter: Exporter,
    head: OfficialHead,
    rows: list[tuple[bool, list[str]]],
    totals: list[str] | None,
    *,
    lines: bool,
    largest: float | None = None,
) -> tuple[PagedTable, float, list[float], bool]:
    """The printed columns, font size and widths; whether everything fits."""
    layout = paged_table(exporter.columns, head, lines=lines)
    # `rows` hold every column; `pick` indexes them as the exporter's.
    picked = [(bold, layout.pick(values)) for bold, values in rows]
    columns = layout.columns(exporter.columns)
    needed, full, amount = _measure(
        picked, layout.pick(totals) if totals else None, [c.type for c in columns]
    )
    size, widths = fit_columns(
        columns, needed, layout.headers, full, amount, largest=largest
    )
    return layout, size, widths, sum(widths) <= TABLE_WIDTH_MM + 0.01


# The rows whose wrapping is estimated to choose a layout (table_height_mm).
ESTIMATED = 100
# A title goes on a line of its own, and a table with one is set a size
# smaller (down to SMALLEST_CHOSEN_PT), when that makes the table at least
# this much shorter.
SHORTER_ENOUGH = 0.85
SMALLEST_CHOSEN_PT = 7.5
# A line of the table's type, in its size (Liberation Serif's line height).
LINE_HEIGHT = 1.15


def _lines(text: str, width_em: float, *, bold: bool, words: dict) -> int:
    """How many lines `text` wraps into in a column `width_em` wide, as the
    renderer wraps it: between words, inside a word longer than the line."""
    count = 0
    space = words.setdefault((" ", bold), text_em(" ", bold=bold))
    for paragraph in text.split("\n"):
        count += 1
        used = 0.0
        for word in paragraph.split():
            key = (word, bold)
            width = words.get(key)
            if width is None:
                width = words[key] = text_em(word, bold=bold)
            if used and used + space + width > width_em:
                count += 1
                used = width
            else:
                used += (space if used else 0.0) + width
            while used > width_em:  # broken inside the word
                count += 1
                used -= width_em
    return count


def table_height_mm(
    layout: PagedTable,
    size: float,
    widths: list[float],
    rows: list[tuple[bool, list[str]]],
) -> float:
    """About how high `rows` print in this layout: per row, its highest
    cell (and the line of its own, spanning from its place)."""
    em = size * PT_MM
    inner = [max(0.1, (w - CELL_EXTRA_MM) / em) for w in widths]
    spanned = max(0.1, (sum(widths[layout.lead :]) - CELL_EXTRA_MM) / em)
    words: dict = {}
    lines = 0
    for bold, values in rows:
        cells = layout.pick(values)
        text = layout.line_text(values)
        if text:
            lines += _lines(text, spanned, bold=bold, words=words)
            if not any(cells[layout.lead :]):
                continue
        lines += max(
            (
                _lines(v, w, bold=bold, words=words)
                for v, w in zip(cells, inner, strict=True)
                if v
            ),
            default=1,
        )
    return lines * em * LINE_HEIGHT + len(rows) * CELL_EXTRA_MM


def _choose(
    exporter: Exporter,
    head: OfficialHead,
    probe: list[tuple[bool, list[str]]],
    totals: list[str] | None,
) -> tuple[bool, float]:
    """For a table with a text marked `own_line`, judged on its first rows:
    whether that text goes on a line of its own, and the largest type size.

    The line of its own when the figures leave the text no room, or when it
    prints the table much shorter (fewer pages): a title beside 16 columns
    wraps into rows several times higher than its line (the progress report,
    even in millions). Then a size smaller when that too prints the table
    much shorter: the line and the other texts wrap less."""
    plain = _layout(exporter, head, probe, totals, lines=False)
    lined = _layout(exporter, head, probe, totals, lines=True)
    chosen = plain
    if not plain[3] or (
        lined[3]
        and table_height_mm(*lined[:3], probe)
        < table_height_mm(*plain[:3], probe) * SHORTER_ENOUGH
    ):
        chosen = lined
    layout, size, _widths, fits = chosen
    lines = layout.line is not None
    smaller = [s for s in FONT_SIZES_PT if SMALLEST_CHOSEN_PT <= s < size]
    if fits and smaller:
        tried = _layout(exporter, head, probe, totals, lines=lines, largest=smaller[0])
        if tried[3] and table_height_mm(
            *tried[:3], probe
        ) < SHORTER_ENOUGH * table_height_mm(*chosen[:3], probe):
            return lines, tried[1]
    return lines, size


@dataclass
class PagedRows:
    """A report as the paged formats print it (PDF and Word alike)."""

    layout: PagedTable
    font_size: float  # pt
    widths: list[float]  # mm, per printed column
    # (bold, the line of its own or None, the figures or [] when none)
    rows: list[tuple[bool, list[tuple[str, int]] | None, list[str]]]
    totals: list[str] | None
    count: int  # data rows printed
    truncated: bool


def paged_rows(
    exporter: Exporter,
    head: OfficialHead,
    *,
    limit: int | None = MAX_PDF_ROWS,
    measured: int = MAX_PDF_ROWS,
) -> PagedRows:
    """Read the exporter's rows once and lay them out: every column in the
    table when they fit A4 landscape; when the figures leave no readable room
    for a text marked `own_line` (the project's title in the 13 money
    columns of the disbursement report in đồng), or when that prints the
    table much shorter (the progress report), that text on a line of its
    own above the row's figures (reports.writers.paged, _choose). Past
    `limit` rows are only summed; the widths come from the first `measured`
    rows."""
    kinds = [c.type for c in exporter.columns]
    rows: list[tuple[bool, list[str]]] = []
    truncated = False
    for row in exporter.iter_rows():
        if limit is not None and len(rows) >= limit:
            # Keep consuming so the totals row still covers every row.
            truncated = True
            continue
        values = [format_value(v, k, head) for v, k in zip(row, kinds, strict=True)]
        rows.append((isinstance(row, Subtotal), values))
    totals = exporter.totals()
    shown_totals = (
        [format_value(v, k, head) for v, k in zip(totals, kinds, strict=True)]
        if totals
        else None
    )
    sample = rows[:measured]
    lines, largest = False, None
    if any(c.own_line and c.paged for c in exporter.columns):
        lines, largest = _choose(exporter, head, sample[:ESTIMATED], shown_totals)
    layout, font_size, widths, fits = _layout(
        exporter, head, sample, shown_totals, lines=lines, largest=largest
    )
    if not fits and not lines and any(c.own_line for c in exporter.columns):
        layout, font_size, widths, fits = _layout(
            exporter, head, sample, shown_totals, lines=True
        )
    printed = []
    for bold, values in rows:
        figures = layout.pick(values)
        line = None
        text = layout.line_text(values)
        if text:
            lead = layout.lead
            line = [(v, 1) for v in figures[:lead]]
            line.append((text, len(figures) - lead))
            figures = [""] * lead + figures[lead:] if any(figures[lead:]) else []
        printed.append((bold, line, figures))
    return PagedRows(
        layout=layout,
        font_size=font_size,
        widths=widths,
        rows=printed,
        totals=layout.pick(shown_totals) if shown_totals else None,
        count=len(rows),
        truncated=truncated,
    )


def render_html(
    exporter: Exporter, *, head: OfficialHead | None = None
) -> tuple[str, int]:
    """The report page as HTML, and how many data rows it prints."""
    head = head or official_head()
    paged = paged_rows(exporter, head)
    layout, widths = paged.layout, paged.widths
    columns = layout.columns(exporter.columns)
    context = {
        "title": str(exporter.title),
        "subtitle": exporter.subtitle,
        "columns": [
            {
                "numeric": c.type in (MONEY, INT, PERCENT),
                "fixed": c.type in FIXED_TYPES,
                "width": round(100 * w / sum(widths), 2),
            }
            for c, w in zip(columns, widths, strict=True)
        ],
        "header_rows": [layout.first, layout.second] if layout.second else [],
        "headers": layout.headers,
        "table_font_size": paged.font_size,
        "rows": paged.rows,
        "tail_rows": TAIL_ROWS,
        "row_count": paged.count,
        "truncated": paged.truncated,
        "max_rows": MAX_PDF_ROWS,
        "totals": paged.totals,
    }
    return render_document(TEMPLATE, context, head=head), paged.count


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
    """Lay the page out and write the PDF with Python's cyclic garbage
    collector paused: WeasyPrint's boxes all live until the PDF is written,
    so the collections its allocations set off would only scan them, and
    everything else the process holds, again and again — 18 % of the CPU of
    a 1,000-row report (issue 20, docs/benchmarks.md). Garbage left from
    before is freed first (a full collection), so the layout's peak holds
    only what is alive. The document's reference cycles are freed at once
    afterwards, so a worker carries none of them into its next job: with
    the collector paused, everything the layout allocated is still in the
    youngest generation, so collecting that one frees them all without
    scanning the rest of the process again (6 ms instead of 90 ms after a
    one-page report in a process of 140,000 objects)."""
    from weasyprint import HTML

    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(out)
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(0)


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
