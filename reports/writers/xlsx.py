"""The one Excel writer: any exporter to an .xlsx file, in openpyxl write-only mode.

Write-only mode streams rows to disk, so memory stays flat however long the
report is; the price is that everything above the rows (column widths, frozen
panes) must be set before the first row is appended.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from reports.exporters.base import (
    DATE,
    INT,
    MONEY,
    PERCENT,
    TEXT,
    Exporter,
    Subtotal,
)

NUMBER_FORMATS = {
    MONEY: "#,##0",
    INT: "#,##0",
    DATE: "dd/mm/yyyy",
    PERCENT: "0.0%",
}
HEADER_ROW = 5  # organisation, title, period, blank line, then the header
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Text that a spreadsheet could take for a formula (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _CellSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows are made of ready cells (or None).

    openpyxl's own append() turns every value into a cell, and builds a fresh
    one after each styled cell; with number formats on most columns that cost
    half again the bare writing time. Here each column keeps one cell, styled
    once, whose value changes from row to row: the sheet serialises it and
    keeps no reference, exactly as openpyxl does with its own working cell.
    (openpyxl is pinned; the read-back tests guard this.)
    """

    def _values_to_row(self, values: Iterable[Cell | None], row_idx: int) -> Iterator:
        for col_idx, cell in enumerate(values, 1):
            if cell is None:
                continue
            cell.row = row_idx
            cell.column = col_idx
            yield cell


def sheet_name(title: str) -> str:
    """A valid Excel sheet name: no []:*?/\\, at most 31 characters."""
    name = _SHEET_FORBIDDEN.sub(" ", unicodedata.normalize("NFC", title)).strip("' ")
    if len(name) > 31:
        # Cut between words where possible: "Danh sách cơ sở công nghiệp".
        cut = name[:32].rfind(" ")
        name = name[: cut if cut > 15 else 31].rstrip()
    return name or "Báo cáo"


def _set(cell: Cell, value: Any) -> Cell | None:
    """Put a value in a reused cell; None leaves the position empty."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
        try:
            cell.value = value
        except IllegalCharacterError:
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(_FORMULA_START):
            # Stored as a plain string cell: Excel shows the text as typed and
            # never evaluates it (openpyxl would store "=..." as a formula).
            cell.data_type = "s"
    else:
        cell.value = value
    return cell


def write_xlsx(exporter: Exporter, out: IO[bytes] | str) -> int:
    """Write the exporter's report to `out`; returns the number of data rows."""
    columns = exporter.columns
    wb = Workbook(write_only=True)
    ws = _CellSheet(parent=wb, title=sheet_name(str(exporter.title)))
    wb._add_sheet(ws)

    # Everything that precedes <sheetData> in the file must be set now.
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    def styled(value: Any = None, **style: Any) -> Cell:
        cell = Cell(ws, row=1, column=1)
        for attribute, setting in style.items():
            setattr(cell, attribute, setting)
        _set(cell, value)
        return cell

    try:
        organisation = f"{settings.ORGANISATION_PARENT} - {settings.ORGANISATION_NAME}"
        title_font = Font(bold=True, size=14)
        ws.append([styled(organisation, font=Font(bold=True))])
        ws.append([styled(str(exporter.title), font=title_font)])
        ws.append([styled(exporter.subtitle, font=Font(italic=True))])
        ws.append([])
        header_style = {
            "font": Font(bold=True),
            "alignment": Alignment(
                wrap_text=True, vertical="center", horizontal="center"
            ),
            "fill": PatternFill("solid", fgColor="DDE4EE"),
        }
        ws.append([styled(str(c.header), **header_style) for c in columns])

        # One working cell per column, its number format set once; a bold set
        # for subtotal rows.
        def working_cells(**style: Any) -> list[Cell]:
            return [
                styled(**style)
                if c.type == TEXT
                else styled(number_format=NUMBER_FORMATS[c.type], **style)
                for c in columns
            ]

        working = working_cells()
        working_bold = working_cells(font=Font(bold=True))
        count = 0
        for row in exporter.iter_rows():
            cells = working_bold if isinstance(row, Subtotal) else working
            ws.append(list(map(_set, cells, row)))
            count += 1

        totals = exporter.totals()
        if totals is not None:
            bold = Font(bold=True)
            ws.append(
                [
                    None
                    if value is None
                    else styled(value, font=bold)
                    if column.type == TEXT
                    else styled(
                        value, number_format=NUMBER_FORMATS[column.type], font=bold
                    )
                    for value, column in zip(totals, columns, strict=True)
                ]
            )

        last_row = HEADER_ROW + count
        ws.auto_filter.ref = (
            f"A{HEADER_ROW}:{get_column_letter(len(columns))}{last_row}"
        )
        wb.save(out)
    except BaseException:
        _discard(ws)
        raise
    return count


def _discard(ws: WriteOnlyWorksheet) -> None:
    """Close and delete openpyxl's temporary sheet file after a failed report,
    so a worker that fails many reports does not fill /tmp."""
    with contextlib.suppress(Exception):
        ws.close()
        ws._writer.close()
        ws._writer.cleanup()
