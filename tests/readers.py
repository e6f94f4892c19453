"""Reading generated reports back, independently of the code that wrote them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl


def read_xlsx(path: Path | str):
    """(worksheet, header row values, data rows, totals row) of a report.

    The table is the workbook's defined name "BangSoLieu" (header to totals);
    the official head above it and the signatures below are left out."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ((_sheet, ref),) = wb.defined_names["BangSoLieu"].destinations
    rows = list(ws[ref.replace("$", "")])
    header = [c.value for c in rows[0]]
    return ws, header, rows[1:-1], rows[-1]


def xlsx_text(path: Path | str) -> str:
    """Every cell's text of the first sheet, a line per row."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    return "\n".join(
        " | ".join(str(v) for v in row if v is not None)
        for row in ws.iter_rows(values_only=True)
    )


def docx_text(path: Path | str) -> str:
    """The paragraphs and table cells of a Word file, in document order."""
    import docx

    document = docx.Document(path if hasattr(path, "read") else str(path))
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in block.iter(_W + "t")))
        elif tag == "tbl":
            for tr in block.iter(_W + "tr"):
                cells = [
                    "".join(t.text or "" for t in tc.iter(_W + "t"))
                    for tc in tr.iter(_W + "tc")
                ]
                lines.append(" | ".join(cells))
    return "\n".join(lines)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pdf_layout_pages(path: Path | str) -> list[str]:
    """`pdftotext -layout`, one string per page."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_text(path: Path | str, *, raw: bool = False) -> str:
    """`pdftotext`; with `raw`, in the order the text is drawn, so that a
    table cell's wrapped lines stay together instead of interleaving with
    the cells beside them."""
    return subprocess.run(
        ["pdftotext", *(["-raw"] if raw else []), "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_fonts(path: Path | str) -> list[list[str]]:
    out = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return [line.split() for line in out.splitlines()[2:]]
