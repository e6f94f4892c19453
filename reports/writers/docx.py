"""The Word writer: any exporter to a .docx, through the replaceable
template reports/docx_templates/bao-cao.docx (reports.documents).

The template holds the head and the closing (issuer and motto, number and
place-and-date line, "DỰ THẢO" on a draft, title, period, unit line,
"Nơi nhận", signatures); the table is built here as WordprocessingML and put
where the template says `{{ table }}` alone in a paragraph (after rendering:
Jinja never reads it). The table is laid out as the PDF's
(reports.writers.pdf.paged_rows: columns, grouped headers, widths and type
size fitted to the figures), and written as one XML string, not through
python-docx's object model, which costs a millisecond a cell.
The header row repeats on every page, no row splits across pages, and the
last rows and totals keep with the signatures that follow.
"""

from __future__ import annotations

from typing import IO, Any
from xml.sax.saxutils import escape

from reports.documents import REPORT_TEMPLATE, render
from reports.exporters.base import FIXED_TYPES_FOR_WORD, TEXT, Exporter
from reports.writers.head import (
    DRAFT,
    MOTTO,
    NATIONAL_TITLE,
    OfficialHead,
    official_head,
)
from reports.writers.pdf import paged_rows

# A4 landscape less the template's margins (20 mm left, 15 mm right), in
# twentieths of a point.
TABLE_TWIPS = 14_830
TAIL_ROWS = 2
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _cell(
    text: str, width: int, *, right: bool, rpr: str, keep: bool, merge: str = ""
) -> str:
    """A cell; `merge` extends it: ' w:gridSpan="3"' or a vertical merge."""
    ppr = '<w:pPr><w:spacing w:before="0" w:after="0"/>'
    if keep:
        ppr += "<w:keepNext/>"
    ppr += '<w:jc w:val="right"/>' if right else ""
    ppr += "</w:pPr>"
    # A cell holding stacked columns (reports.writers.paged) breaks its lines.
    run = (
        f'<w:r>{rpr}<w:t xml:space="preserve">'
        + escape(text).replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
        + "</w:t></w:r>"
        if text
        else ""
    )
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merge}</w:tcPr>'
        f"<w:p>{ppr}{run}</w:p></w:tc>"
    )


def table_xml(exporter: Exporter, head: OfficialHead) -> tuple[str, int]:
    """The report's table as one <w:tbl>, and the number of data rows: laid
    out as the PDF lays it out (reports.writers.pdf.paged_rows: the printed
    columns, grouped headers, widths and type size fitted to the figures,
    a long title on a line of its own when the figures leave it no room)."""
    paged = paged_rows(exporter, head, limit=None)
    layout = paged.layout
    columns = layout.columns(exporter.columns)
    kinds = [c.type for c in columns]
    right = [k not in (TEXT, *FIXED_TYPES_FOR_WORD) for k in kinds]
    total_mm = sum(paged.widths) or 1
    widths = [int(TABLE_TWIPS * w / total_mm) for w in paged.widths]
    size = round(paged.font_size * 2)
    plain_rpr = f'<w:rPr><w:sz w:val="{size}"/></w:rPr>'
    bold_rpr = f'<w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr>'
    border = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    parts = [
        f'<w:tbl {_W}><w:tblPr><w:tblW w:w="{TABLE_TWIPS}" w:type="dxa"/>'
        f'<w:tblLayout w:type="fixed"/><w:tblBorders>{border}</w:tblBorders>'
        '<w:tblCellMar><w:left w:w="40" w:type="dxa"/><w:right w:w="40" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    row_props = "<w:trPr><w:cantSplit/>{extra}</w:trPr>"
    repeated = row_props.format(extra="<w:tblHeader/>")

    def spanned(
        text: str, first: int, span: int, *, rpr: str, keep: bool, merge: str = ""
    ) -> str:
        if span > 1:
            merge = f'<w:gridSpan w:val="{span}"/>{merge}'
        return _cell(
            text,
            sum(widths[first : first + span]),
            right=span == 1 and right[first],
            rpr=rpr,
            keep=keep,
            merge=merge,
        )

    def header_cell(text: str, first: int, span: int, merge: str) -> str:
        cell = spanned(text, first, span, rpr=bold_rpr, keep=True, merge=merge)
        return cell.replace('<w:jc w:val="right"/>', "")

    if layout.second:
        # Two header rows: a group's cell spans its columns above their short
        # headers; a column without a group spans both rows (vMerge).
        top, below, position, shorts = [], [], 0, iter(layout.second)
        for cell in layout.first:
            if cell.rows == 2:
                top.append(
                    header_cell(cell.text, position, 1, '<w:vMerge w:val="restart"/>')
                )
                below.append(header_cell("", position, 1, "<w:vMerge/>"))
            else:
                top.append(header_cell(cell.text, position, cell.span, ""))
                for offset in range(cell.span):
                    below.append(header_cell(next(shorts), position + offset, 1, ""))
            position += cell.span
        parts.append(f"<w:tr>{repeated}{''.join(top)}</w:tr>")
        parts.append(f"<w:tr>{repeated}{''.join(below)}</w:tr>")
    else:
        cells = [header_cell(text, i, 1, "") for i, text in enumerate(layout.headers)]
        parts.append(f"<w:tr>{repeated}{''.join(cells)}</w:tr>")
    plain = row_props.format(extra="")

    def row_xml(values: list[str], bold: bool, keep: bool) -> str:
        cells = "".join(
            _cell(v, w, right=r, rpr=bold_rpr if bold else plain_rpr, keep=keep)
            for v, w, r in zip(values, widths, right, strict=True)
        )
        return f"<w:tr>{plain}{cells}</w:tr>"

    def line_xml(line: list[tuple[str, int]], bold: bool) -> str:
        # Kept with the figures under it.
        rpr = bold_rpr if bold else plain_rpr
        cells, position = [], 0
        for text, span in line:
            cells.append(spanned(text, position, span, rpr=rpr, keep=True))
            position += span
        return f"<w:tr>{plain}{''.join(cells)}</w:tr>"

    # The last rows keep with the totals and the signatures that follow.
    last = len(paged.rows) - TAIL_ROWS
    for index, (bold, line, figures) in enumerate(paged.rows):
        if line:
            parts.append(line_xml(line, bold))
        if figures:
            parts.append(row_xml(figures, bold, index >= last))
    if paged.totals is not None:
        parts.append(row_xml(paged.totals, True, True))
    parts.append("</w:tbl>")
    return "".join(parts), paged.count


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
