"""The one Excel writer: any exporter to an .xlsx file, in openpyxl write-only mode.

Write-only mode streams rows to disk, so memory stays flat however long the
report is; the price is that everything above the rows (column widths, frozen
panes) must be set before the first row is appended.

The sheet is laid out as the PDF (reports.writers.head): issuer and motto
block, number and place-and-date line (italic), "DỰ THẢO" on a draft, title,
period, unit line, the table with its totals, then "Nơi nhận" and the
signatures; text wraps, the print area covers it all and the table's header
row repeats on every printed page. The table (header to totals) is the
workbook's defined name TABLE_NAME, so a reader finds it without guessing
rows.
"""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import MultiCellRange

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

NUMBER_FORMATS = {
    MONEY: "#,##0",
    INT: "#,##0",
    DATE: "dd/mm/yyyy",
    PERCENT: "0.0%",
}
# An amount in millions with a fraction (reports.writers.head.million_decimals):
# its decimals up to the thousand đồng, no trailing zeros; a whole one takes
# the plain "#,##0", as the PDF and Word print it.
MILLIONS_FORMAT = "#,##0.0##"
TABLE_NAME = "BangSoLieu"
HEAD_ROWS = 7
FONT = "Times New Roman"  # Excel's own; the PDF embeds its metric twin
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
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


class _WorkingCell(Cell):
    """A working cell whose style never changes once made: its style's index
    in the workbook is looked up once, not for every row it writes (openpyxl
    looks it up per cell, a fifth of the writing time once text cells wrap and
    every cell has a border)."""

    __slots__ = ("_style_index",)

    @property
    def style_id(self) -> int:
        return self._style_index


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


def _blocks(width: int) -> tuple[int, int]:
    """Where the right-hand blocks start: the motto at about 2/5 of the
    table, the second signature at 2/3 ("Nơi nhận" and the first signature
    share the rest)."""
    return max(2, width * 2 // 5 + 1), max(3, width * 2 // 3 + 1)


def write_xlsx(
    exporter: Exporter, out: IO[bytes] | str, *, head: OfficialHead | None = None
) -> int:
    """Write the exporter's report to `out`; returns the number of data rows."""
    head = head or official_head()
    columns = exporter.columns
    width = max(len(columns), 3)
    last_col = get_column_letter(width)
    wb = Workbook(write_only=True)
    ws = _CellSheet(parent=wb, title=sheet_name(str(exporter.title)))
    wb._add_sheet(ws)
    ws.merged_cells = MultiCellRange()
    right, third = _blocks(width)

    # Everything that precedes <sheetData> in the file must be set now.
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    # The head's rows (issuer/motto x3, draft mark, blank, title, period,
    # unit), counted now: the frozen panes precede the rows in the file.
    header_row = HEAD_ROWS + (1 if head.draft else 0) + 1
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"

    def styled(value: Any = None, **style: Any) -> Cell:
        cell = Cell(ws, row=1, column=1)
        style.setdefault("font", Font(name=FONT))
        for attribute, setting in style.items():
            setattr(cell, attribute, setting)
        _set(cell, value)
        return cell

    row_no = 0

    widths = [c.width for c in columns] + [10] * (width - len(columns))

    def line(*placed: tuple[int, int, Cell | None]) -> None:
        """A row of blocks: (first column, last column, cell), merged. Excel
        does not fit a row to wrapped text in merged cells: the height is
        set here from the text's length and the block's width."""
        nonlocal row_no
        row_no += 1
        values: list[Cell | None] = [None] * width
        lines_needed = 1
        for first, last, cell in placed:
            values[first - 1] = cell
            if cell is not None and isinstance(cell.value, str):
                room = sum(widths[first - 1 : last])
                size = (cell.font.sz or 11) / 11
                lines_needed = max(
                    lines_needed, math.ceil(len(cell.value) * size * 1.15 / room)
                )
        if lines_needed > 1:
            ws.row_dimensions[row_no].height = 16 * lines_needed
            if last > first:
                ws.merged_cells.add(
                    f"{get_column_letter(first)}{row_no}:"
                    f"{get_column_letter(last)}{row_no}"
                )
        ws.append(values)

    center = Alignment(horizontal="center", vertical="top", wrap_text=True)

    def text(value: str, **font: Any) -> Cell:
        return styled(value, font=Font(name=FONT, **font), alignment=center)

    try:
        line(
            (1, right - 1, text(head.organisation_parent.upper(), size=12)),
            (right, width, text(NATIONAL_TITLE, bold=True, size=12)),
        )
        line(
            (1, right - 1, text(head.organisation_name.upper(), bold=True, size=12)),
            (right, width, text(MOTTO, bold=True, size=13)),
        )
        line(
            (1, right - 1, text(head.number_line, size=12)),
            (right, width, text(head.place_date, italic=True, size=12)),
        )
        if head.draft:
            line((1, width, text(DRAFT, bold=True, size=12)))
        line()
        line((1, width, text(str(exporter.title).upper(), bold=True, size=14)))
        line((1, width, text(exporter.subtitle, bold=True, size=12)))
        line(
            (
                1,
                width,
                styled(
                    head.unit_line,
                    font=Font(name=FONT, italic=True),
                    alignment=Alignment(horizontal="right"),
                ),
            )
        )
        assert row_no + 1 == header_row, "HEAD_ROWS is out of date"
        header_style = {
            "font": Font(name=FONT, bold=True),
            "alignment": Alignment(
                wrap_text=True, vertical="center", horizontal="center"
            ),
            "border": GRID,
        }
        ws.append([styled(head.header(str(c.header)), **header_style) for c in columns])
        row_no += 1

        # One working cell per column, its number format set once; a bold set
        # for subtotal rows. Text wraps in its column.
        wrap = Alignment(wrap_text=True, vertical="top")

        def number_format(column: Any, value: Any = None) -> str:
            if (
                column.type == MONEY
                and head.in_millions
                and value is not None
                and million_decimals(value)
            ):
                return MILLIONS_FORMAT
            return NUMBER_FORMATS[column.type]

        def working_cell(**style: Any) -> Cell:
            cell = _WorkingCell(ws, row=1, column=1)
            style.setdefault("font", Font(name=FONT))
            for attribute, setting in style.items():
                setattr(cell, attribute, setting)
            cell._style_index = wb._cell_styles.add(cell._style)
            return cell

        def working_cells(fraction: Any = None, **style: Any) -> list[Cell]:
            return [
                working_cell(alignment=wrap, border=GRID, **style)
                if c.type == TEXT
                else working_cell(
                    number_format=number_format(c, fraction),
                    alignment=Alignment(vertical="top"),
                    border=GRID,
                    **style,
                )
                for c in columns
            ]

        # Values that are not written as they come: percentages rounded by
        # the one rule, money in millions when asked.
        converters = [
            percent_value
            if c.type == PERCENT
            else head.money
            if c.type == MONEY and head.in_millions
            else None
            for c in columns
        ]
        convert = [(i, f) for i, f in enumerate(converters) if f is not None]

        working = working_cells()
        working_bold = working_cells(font=Font(name=FONT, bold=True))
        # Amounts in millions with a fraction take the cells of MILLIONS_FORMAT.
        fraction = Decimal("0.1")
        in_millions = [
            i for i, c in enumerate(columns) if c.type == MONEY and head.in_millions
        ]
        working_fraction = working_cells(fraction)
        working_bold_fraction = working_cells(fraction, font=Font(name=FONT, bold=True))
        count = 0
        for row in exporter.iter_rows():
            bold = isinstance(row, Subtotal)
            cells = working_bold if bold else working
            if convert:
                values = list(row)
                for i, f in convert:
                    values[i] = f(values[i])
                row = values
                fractions = [
                    i for i in in_millions if values[i] and million_decimals(values[i])
                ]
                if fractions:
                    cells = list(cells)
                    for i in fractions:
                        cells[i] = (
                            working_bold_fraction if bold else working_fraction
                        )[i]
            ws.append(list(map(_set, cells, row)))
            count += 1
        row_no += count

        totals = exporter.totals()
        if totals is not None:
            bold = Font(name=FONT, bold=True)
            ws.append(
                [
                    styled(None, border=GRID)
                    if value is None
                    else styled(value, font=bold, border=GRID, alignment=wrap)
                    if column.type == TEXT
                    else styled(
                        converters[i](value) if converters[i] else value,
                        number_format=number_format(
                            column,
                            converters[i](value) if converters[i] else value,
                        ),
                        font=bold,
                        border=GRID,
                    )
                    for i, (value, column) in enumerate(
                        zip(totals, columns, strict=True)
                    )
                ]
            )
            row_no += 1
        table_end = row_no
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}" + str(
            header_row + count
        )
        wb.defined_names[TABLE_NAME] = DefinedName(
            TABLE_NAME,
            attr_text=f"{_quoted(ws.title)}!$A${header_row}:"
            f"${get_column_letter(len(columns))}${table_end}",
        )

        _closing(line, text, head, width, third)
        ws.print_area = f"A1:{last_col}{row_no}"
        wb.save(out)
    except BaseException:
        _discard(ws)
        raise
    return count


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _closing(line: Any, text: Any, head: OfficialHead, width: int, third: int) -> None:
    """ "Nơi nhận" bottom left, then the two signatures, below the table."""
    first_sign = max(2, width // 3 + 1)
    left_end = first_sign - 1
    (title_1, hint_1, name_1), (title_2, hint_2, name_2) = head.signatures
    left = Alignment(horizontal="left", vertical="top", wrap_text=True)

    def recipient(value: str, **font: Any) -> Cell:
        cell = text(value, **font)
        cell.alignment = left
        return cell

    recipients = list(head.recipients)
    line()
    line(
        (
            1,
            left_end,
            recipient("Nơi nhận:", bold=True, italic=True) if recipients else None,
        ),
        (first_sign, third - 1, text(title_1.upper(), bold=True, size=13)),
        (third, width, text(title_2.upper(), bold=True, size=13)),
    )
    hints = [
        (first_sign, third - 1, text(hint_1, italic=True)),
        (third, width, text(hint_2, italic=True)),
    ]
    rows_below = max(len(recipients), 5)
    for index in range(rows_below):
        placed = []
        if index < len(recipients):
            placed.append((1, left_end, recipient(f"- {recipients[index]}", size=11)))
        if index == 0:
            placed.extend(hints)
        line(*placed)
    line(
        (first_sign, third - 1, text(name_1, bold=True, size=13) if name_1 else None),
        (third, width, text(name_2, bold=True, size=13) if name_2 else None),
    )


def _discard(ws: WriteOnlyWorksheet) -> None:
    """Close and delete openpyxl's temporary sheet file after a failed report,
    so a worker that fails many reports does not fill /tmp."""
    with contextlib.suppress(Exception):
        ws.close()
        ws._writer.close()
        ws._writer.cleanup()
