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

from django.conf import settings
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


def _not_xlsx() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The file is not an Excel workbook (.xlsx). Save it as "
            "“Excel Workbook (.xlsx)” and upload it again."
        )
    )


def check_upload(file: IO[bytes], *, max_bytes: int) -> None:
    """The checks that cost nothing but the archive's directory: size, zip
    signature, compression ratios. Run on the upload itself, before it is
    stored, and again by read_rows."""
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
    if head != ZIP_MAGIC:
        raise _not_xlsx()
    try:
        check_zip(file)
    except UnsafeArchive as exc:
        raise SpreadsheetError(str(exc)) from exc
    file.seek(0)


def read_rows(
    file: IO[bytes],
    *,
    max_bytes: int,
    max_rows: int | None = None,
    max_columns: int | None = None,
) -> list[tuple[Any, ...]]:
    """The values of the first sheet, row by row, formulas as their text.

    Raises SpreadsheetError for a file that is too large or is not an xlsx
    workbook, before openpyxl sees anything it could choke on, and for a sheet
    beyond `max_rows` × `max_columns` (IMPORT_MAX_ROWS × IMPORT_MAX_COLUMNS by
    default). Those caps are checked twice: against the size the sheet declares,
    and while reading, because the declaration may be missing or false. Reading
    stops at the first row beyond the cap, so a file naming row 100,000,000
    costs as much as one naming row 20,001; gaps between rows come back as one
    shared empty tuple, so row numbers stay right without filler in memory.
    """
    if max_rows is None:
        max_rows = settings.IMPORT_MAX_ROWS
    if max_columns is None:
        max_columns = settings.IMPORT_MAX_COLUMNS
    check_upload(file, max_bytes=max_bytes)
    not_xlsx = _not_xlsx()
    too_many_rows = SpreadsheetError(
        _(
            "The sheet goes beyond row %(rows)s: an import reads at most "
            "%(rows)s rows. Delete the empty rows under the data, or split the "
            "file into several files."
        )
        % {"rows": f"{max_rows:,}".replace(",", ".")}
    )
    too_many_columns = SpreadsheetError(
        _(
            "The sheet goes beyond column %(column)s: an import reads at most "
            "%(count)s columns. Delete the columns to the right of the data."
        )
        % {"column": get_column_letter(max_columns), "count": max_columns}
    )
    rows: list[tuple[Any, ...]] = []
    try:
        # data_only=False: a formula is read as its text and never evaluated.
        workbook = load_workbook(file, read_only=True, data_only=False)
        try:
            sheet = workbook.worksheets[0]
            # The size the sheet declares: refused before a row is read.
            if (sheet.max_row or 0) > max_rows:
                raise too_many_rows
            if (sheet.max_column or 0) > max_columns:
                raise too_many_columns
            # ... but it may be missing or false (a sheet declaring A1:B2 and
            # holding XFD9): forget it, so that nothing is cut off silently,
            # and count while reading instead. Without a declared size, a gap
            # in the rows is yielded as a shared empty tuple per missing row.
            sheet.reset_dimensions()
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > max_rows:
                    raise too_many_rows
                if len(cells) > max_columns:
                    raise too_many_columns
                rows.append(tuple(cells) if cells else ())
        finally:
            workbook.close()
    except SpreadsheetError:
        raise
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
