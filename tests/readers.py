"""Reading generated reports back, independently of the code that wrote them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl


def read_xlsx(path: Path | str):
    """(worksheet, header row values, data rows, totals row) of a report."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(min_row=5))
    header = [c.value for c in rows[0]]
    return ws, header, rows[1:-1], rows[-1]


def pdf_text(path: Path | str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def pdf_fonts(path: Path | str) -> list[list[str]]:
    out = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return [line.split() for line in out.splitlines()[2:]]
