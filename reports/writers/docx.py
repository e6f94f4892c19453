"""The Word writer: any exporter to a .docx, through the replaceable
template reports/docx_templates/bao-cao.docx (reports.documents).

The template holds the head and the closing (issuer and motto, number and
place-and-date line, "DỰ THẢO" on a draft, title, period, unit line,
"Nơi nhận", signatures); the table is built here as WordprocessingML and put
where the template says `{{ table }}` alone in a paragraph (after rendering:
Jinja never reads it). It is written as one XML string,
row by row, not through python-docx's object model, which costs a
millisecond a cell: a 5,000-row report stays within the Excel writer's time.
The header row repeats on every page, no row splits across pages, and the
last rows and totals keep with the signatures that follow.
"""

from __future__ import annotations

from typing import IO, Any
from xml.sax.saxutils import escape

from reports.documents import REPORT_TEMPLATE, render
from reports.exporters.base import FIXED_TYPES_FOR_WORD, TEXT, Exporter, Subtotal
from reports.writers.head import (
    DRAFT,
    MOTTO,
    NATIONAL_TITLE,
    OfficialHead,
    official_head,
)
from reports.writers.pdf import format_value

# A4 landscape less the template's margins (20 mm left, 15 mm right), in
# twentieths of a point.
TABLE_TWIPS = 14_830
TAIL_ROWS = 2
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _font_size(columns: int) -> int:
    """Half-points: 11 pt for a narrow table down to 8 pt for a wide one."""
    if columns <= 6:
        return 22
    if columns <= 9:
        return 20
    if columns <= 12:
        return 18
    return 16


def _cell(text: str, width: int, *, right: bool, rpr: str, keep: bool) -> str:
    ppr = '<w:pPr><w:spacing w:before="0" w:after="0"/>'
    if keep:
        ppr += "<w:keepNext/>"
    if right:
        ppr += '<w:jc w:val="right"/>'
    ppr += "</w:pPr>"
    run = (
        f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        if text
        else ""
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f"<w:p>{ppr}{run}</w:p></w:tc>"
    )


def table_xml(exporter: Exporter, head: OfficialHead) -> tuple[str, int]:
    """The report's table as one <w:tbl>, and the number of data rows."""
    columns = exporter.columns
    kinds = [c.type for c in columns]
    right = [k not in (TEXT, *FIXED_TYPES_FOR_WORD) for k in kinds]
    weight = sum(c.width for c in columns) or 1
    widths = [int(TABLE_TWIPS * c.width / weight) for c in columns]
    size = _font_size(len(columns))
    plain_rpr = f'<w:rPr><w:sz w:val="{size}"/></w:rPr>'
    bold_rpr = f'<w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr>'
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    parts = [
        f'<w:tbl {_W}><w:tblPr><w:tblW w:w="{TABLE_TWIPS}" w:type="dxa"/>'
        f'<w:tblLayout w:type="fixed"/><w:tblBorders>{border}</w:tblBorders>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    row_props = "<w:trPr><w:cantSplit/>{extra}</w:trPr>"
    parts.append(f"<w:tr>{row_props.format(extra='<w:tblHeader/>')}")
    for column, w in zip(columns, widths, strict=True):
        parts.append(
            _cell(
                head.header(str(column.header)), w, right=False, rpr=bold_rpr, keep=True
            )
        )
    parts.append("</w:tr>")
    plain = row_props.format(extra="")

    def row_xml(values: list[str], bold: bool, keep: bool) -> str:
        cells = "".join(
            _cell(v, w, right=r, rpr=bold_rpr if bold else plain_rpr, keep=keep)
            for v, w, r in zip(values, widths, right, strict=True)
        )
        return f"<w:tr>{plain}{cells}</w:tr>"

    # The last rows are held back until the end is known: they keep with the
    # totals and the signatures.
    pending: list[tuple[list[str], bool]] = []
    count = 0
    for row in exporter.iter_rows():
        pending.append(
            (
                [format_value(v, k, head) for v, k in zip(row, kinds, strict=True)],
                isinstance(row, Subtotal),
            )
        )
        count += 1
        if len(pending) > TAIL_ROWS:
            values, bold = pending.pop(0)
            parts.append(row_xml(values, bold, False))
    for values, bold in pending:
        parts.append(row_xml(values, bold, True))
    totals = exporter.totals()
    if totals is not None:
        shown = [format_value(v, k, head) for v, k in zip(totals, kinds, strict=True)]
        parts.append(row_xml(shown, True, True))
    parts.append("</w:tbl>")
    return "".join(parts), count


def write_docx(
    exporter: Exporter, out: IO[bytes] | Any, *, head: OfficialHead | None = None
) -> int:
    """Write the exporter's report as a Word file; returns the data rows."""
    head = head or official_head()
    table, count = table_xml(exporter, head)
    render(
        REPORT_TEMPLATE,
        document_context(head, title=str(exporter.title), subtitle=exporter.subtitle),
        str(out) if not hasattr(out, "write") else out,
        blocks={"table": table},
    )
    return count


def document_context(
    head: OfficialHead, *, title: str, subtitle: str
) -> dict[str, Any]:
    """What every Word template may print (reports/docx_templates/README.md)."""
    return {
        "head": head,
        "national_title": NATIONAL_TITLE,
        "motto": MOTTO,
        "draft_line": DRAFT if head.draft else "",
        "title": title,
        "subtitle": subtitle,
    }
