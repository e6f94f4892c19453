"""Spreadsheet helpers shared by imports and exports.

Two dangers shape this module. Text that starts with `=`, `+`, `-` or `@` is
run as a formula by Excel and LibreOffice (formula injection), so it is never
evaluated on the way in and is written back with a leading apostrophe on the
way out. And an upload may be anything: only a real, size-limited xlsx file is
handed to openpyxl, and every failure becomes one clear message.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .uploads import UnsafeArchive, check_zip

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@")
# Every xlsx file is a zip archive, and every zip archive starts with these bytes.
ZIP_MAGIC = b"PK\x03\x04"


class SpreadsheetError(Exception):
    """An upload that cannot be read as a spreadsheet; the message is for users."""


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_PREFIXES)


def neutralise(text: str) -> str:
    """Text safe to put in a cell: never run as a formula, no illegal characters.

    The apostrophe is what a spreadsheet user types to force text; `unneutralise`
    removes it again, so an exported file imports back unchanged.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return "'" + text if looks_like_formula(text) else text


def unneutralise(text: str) -> str:
    """Drop the apostrophe that `neutralise` put before formula-like text."""
    if text.startswith("'") and looks_like_formula(text[1:]):
        return text[1:]
    return text


def file_size(file: IO[bytes]) -> int:
    position = file.tell()
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def read_rows(file: IO[bytes], *, max_bytes: int) -> list[tuple[Any, ...]]:
    """The values of the first sheet, row by row, formulas as their text.

    Raises SpreadsheetError for a file that is too large or is not an xlsx
    workbook, before openpyxl sees anything it could choke on.
    """
    size = file_size(file)
    if size > max_bytes:
        raise SpreadsheetError(
            _(
                "The file is too large (%(size)s MB); the limit is %(limit)s MB. "
                "Split it into several files."
            )
            % {"size": _megabytes(size), "limit": _megabytes(max_bytes)}
        )
    file.seek(0)
    head = file.read(len(ZIP_MAGIC))
    file.seek(0)
    not_xlsx = SpreadsheetError(
        _(
            "The file is not an Excel workbook (.xlsx). Save it as "
            "“Excel Workbook (.xlsx)” and upload it again."
        )
    )
    if head != ZIP_MAGIC:
        raise not_xlsx
    try:
        check_zip(file)
    except UnsafeArchive as exc:
        raise SpreadsheetError(str(exc)) from exc
    try:
        # data_only=False: a formula is read as its text and never evaluated.
        workbook = load_workbook(file, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        # The size a file declares may be missing or absurd (A1:XFD1048576 from
        # some tools): ignore it and read the rows actually there.
        sheet.reset_dimensions()
        rows = list(sheet.iter_rows(values_only=True))
        workbook.close()
    except Exception as exc:
        # A damaged archive raises anything from BadZipFile and KeyError to XML
        # parse errors and ValueError; none of them means anything to a user.
        raise not_xlsx from exc
    return rows


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def write_table(
    *,
    title: str,
    header: list[str],
    rows: Iterable[Iterable[Any]],
    widths: list[int] | None = None,
) -> bytes:
    """One sheet with a bold header row, streamed (write-only) to bytes.

    Numbers stay numbers; text is neutralised; None is an empty cell.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header_cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=neutralise(label))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([cell_value(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(value)
    return value
