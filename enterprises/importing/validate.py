"""Checking an establishment workbook row by row, then applying it all or nothing.

`establishment_import` validates a whole spreadsheet first and writes only when
every row is right, in one transaction, with bulk operations: a district's
5,000-row file must import in seconds and never half-way. Rows are matched to
existing records by tax code (or, without one, by business registration
number), so importing the same file again creates nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..models import Establishment
from ..text import fold
from ..xlsx import SpreadsheetError, read_rows
from .apply import _existing, _write
from .cells import CellError, _integer, _Lookups, _money, _tax_code, _text
from .columns import (
    _MODEL_FIELDS,
    BOOLEAN,
    COLUMNS,
    COMMUNE,
    INTEGER,
    KIND,
    MONEY,
    SECTORS,
    TAX_CODE,
    TEXT,
    VILLAGE,
    Column,
    _in_all_languages,
)
from .results import ImportIssue, ImportResult

# Rows checked between two reports of progress.
PROGRESS_EVERY = 250


def _no_progress(done: int, total: int) -> None:
    return None


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    sector_ids: list[int] | None  # None: the file has no sectors column
    failed: set[str] = field(default_factory=set)  # fields with a cell error
    target: Establishment | None = None


# District spreadsheets often carry a title block above the table: the header
# is the first of these rows that names every required column.
HEADER_SEARCH_ROWS = 10


def _find_header(
    rows: list[tuple[Any, ...]],
) -> tuple[int | None, dict[int, Column], list[ImportIssue]]:
    """The header's row number and columns, or the issues of the likeliest row
    (the one naming most columns)."""
    best: tuple[int, list[ImportIssue]] = (-1, [])
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _is_blank(cells):
            continue
        columns, issues = _header_map(cells, number=index + 1)
        if not issues:
            return index + 1, columns, []
        if len(columns) > best[0]:
            best = (len(columns), issues)
    return None, {}, best[1]


def _header_map(
    header: tuple[Any, ...], *, number: int = 1
) -> tuple[dict[int, Column], list[ImportIssue]]:
    by_title: dict[str, Column] = {}
    for column in COLUMNS:
        titles = (
            _in_all_languages(column.label)
            if column.label is not None
            else _in_all_languages(
                Establishment._meta.get_field(column.field).verbose_name
            )
        )
        for title in titles:
            by_title[title] = column
    found: dict[int, Column] = {}
    for index, cell in enumerate(header):
        column = by_title.get(fold(_text(cell)))
        if column is not None and column not in found.values():
            found[index] = column
    issues = [
        ImportIssue(_("This column is missing."), row=number, column=column.title)
        for column in COLUMNS
        if column.required and column not in found.values()
    ]
    return found, issues


def _parse_row(
    number: int,
    cells: tuple[Any, ...],
    columns: dict[int, Column],
    lookups: _Lookups,
    issues: list[ImportIssue],
) -> _Row:
    values: dict[str, Any] = {}
    sector_ids: list[int] | None = None
    village_cell: Any = None
    failed: set[str] = set()
    for index, column in columns.items():
        raw = cells[index] if index < len(cells) else None
        try:
            if column.kind == TEXT:
                values[column.field] = _text(raw)
            elif column.kind == TAX_CODE:
                values[column.field] = _tax_code(raw)
            elif column.kind == KIND:
                values[column.field] = lookups.kind(raw)
            elif column.kind == COMMUNE:
                values["commune_id"] = lookups.commune(raw)
            elif column.kind == SECTORS:
                sector_ids = lookups.sector_ids(raw)
            elif column.kind == VILLAGE:
                village_cell = raw
            elif column.kind == INTEGER:
                number_value = _integer(raw)
                if number_value is None:
                    number_value = Establishment._meta.get_field(
                        column.field
                    ).get_default()
                values[column.field] = number_value
            elif column.kind == MONEY:
                values[column.field] = _money(raw)
            elif column.kind == BOOLEAN:
                default = Establishment._meta.get_field(column.field).get_default()
                values[column.field] = lookups.boolean(raw, default)
        except CellError as exc:
            failed.add(column.field)
            issues.append(ImportIssue(str(exc), row=number, column=column.title))
    village_column = next((c for c in columns.values() if c.kind == VILLAGE), None)
    if village_column is not None:
        try:
            values["craft_village_id"] = lookups.village(
                village_cell, values.get("commune_id")
            )
        except CellError as exc:
            issues.append(
                ImportIssue(str(exc), row=number, column=village_column.title)
            )
    return _Row(number=number, values=values, sector_ids=sector_ids, failed=failed)


_FIELD_TO_COLUMN = {c.field: c for c in COLUMNS}


def _column_title(field_name: str) -> str:
    name = field_name.removesuffix("_id")
    column = _FIELD_TO_COLUMN.get(name)
    if column is not None:
        return column.title
    if name == "__all__":
        return ""
    return capfirst(str(Establishment._meta.get_field(name).verbose_name))


def _validate(row: _Row, issues: list[ImportIssue]) -> None:
    """The model's own field and cross-field checks, without any query."""
    est = row.target
    assert est is not None
    # Foreign keys are resolved from the lookups already (their validation
    # would cost a query per row); a cell already reported is not reported twice.
    exclude = {"commune", "craft_village", "search_text", *row.failed}
    for check in (lambda: est.clean_fields(exclude=exclude), est.clean):
        try:
            check()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name in row.failed:
                    continue
                issues.extend(
                    ImportIssue(message, row=row.number, column=_column_title(name))
                    for message in messages
                )


def _is_blank(cells: tuple[Any, ...]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def establishment_import(
    *,
    file: IO[bytes],
    dry_run: bool = False,
    user: Any = None,
    on_progress: Callable[[int, int], None] | None = None,
    on_written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Validate every row of an xlsx file; write them all, or nothing.

    New rows are bulk-created and changed ones bulk-updated, with their change
    history, in one transaction. Rows are matched on tax code, or on business
    registration number for those without one.

    `on_progress(rows_read, rows_total)` is told how far the check has come
    (never backwards); `on_written(result)` runs inside the writing
    transaction, so whatever it records commits with the rows or not at all.
    """
    report = on_progress or _no_progress
    result = ImportResult(dry_run=dry_run)
    try:
        rows = read_rows(file, max_bytes=settings.IMPORT_MAX_BYTES)
    except SpreadsheetError as exc:
        result.errors.append(ImportIssue(str(exc)))
        return result

    header_at, columns, issues = _find_header(rows)
    if header_at is None:
        result.errors = issues or [
            ImportIssue(_("The first sheet is empty: it needs a header row and data."))
        ]
        return result

    lookups = _Lookups()
    parsed: list[_Row] = []
    total = len(rows) - header_at
    report(0, total)
    for number, cells in enumerate(rows[header_at:], start=header_at + 1):
        if (number - header_at) % PROGRESS_EVERY == 0:
            report(number - header_at, total)
        if _is_blank(cells):
            continue
        row = _parse_row(number, cells, columns, lookups, issues)
        if fold(row.values.get("name", "")) in lookups.example_names:
            continue
        parsed.append(row)
    result.rows = len(parsed)
    if not parsed and not issues:
        issues.append(ImportIssue(_("The file has no data rows under the header.")))

    # Identity: every row needs one, and no two rows may share it.
    seen_tax: dict[str, int] = {}
    seen_registration: dict[str, int] = {}
    for row in parsed:
        tax_code = row.values.get("tax_code", "")
        registration = row.values.get("business_registration_no", "")
        if tax_code:
            first = seen_tax.setdefault(tax_code, row.number)
            if first != row.number:
                issues.append(
                    ImportIssue(
                        _("The same tax code is already on row %(row)s.")
                        % {"row": first},
                        row=row.number,
                        column=_column_title("tax_code"),
                    )
                )
        elif registration:
            first = seen_registration.setdefault(registration, row.number)
            if first != row.number:
                issues.append(
                    ImportIssue(
                        _(
                            "The same business registration number is already "
                            "on row %(row)s."
                        )
                        % {"row": first},
                        row=row.number,
                        column=_column_title("business_registration_no"),
                    )
                )
        else:
            issues.append(
                ImportIssue(
                    _(
                        "Give a tax code or, for a household business, a business "
                        "registration number: without one, importing the file "
                        "again would create a duplicate."
                    ),
                    row=row.number,
                    column=_column_title("tax_code"),
                )
            )

    registration_nos = {
        r.values["business_registration_no"]
        for r in parsed
        if r.values.get("business_registration_no")
    }
    by_tax, by_registration = _existing(set(seen_tax), registration_nos)
    present = [f for f in _MODEL_FIELDS if any(c.field == f for c in columns.values())]
    attnames = {f: Establishment._meta.get_field(f).attname for f in present}
    changed: list[Establishment] = []
    changed_fields: set[str] = set()
    sector_changes: dict[int, list[int]] = {}
    matched: dict[int, int] = {}  # record pk -> the row that matched it
    new: list[tuple[Establishment, list[int]]] = []
    for row in parsed:
        # A household that has since received a tax code is still found by its
        # registration number, and gets the tax code.
        existing = by_tax.get(row.values.get("tax_code", "")) or by_registration.get(
            row.values.get("business_registration_no", "")
        )
        if existing is None:
            row.target = Establishment(**row.values)
            _validate(row, issues)
            new.append((row.target, row.sector_ids or []))
            continue
        first = matched.setdefault(existing.pk, row.number)
        if first != row.number:
            issues.append(
                ImportIssue(
                    _(
                        "This row and row %(row)s refer to the same registered "
                        "establishment."
                    )
                    % {"row": first},
                    row=row.number,
                )
            )
            continue
        before = {f: getattr(existing, a) for f, a in attnames.items()}
        for name, value in row.values.items():
            setattr(existing, name, value)
        row.target = existing
        _validate(row, issues)
        fields = {f for f, a in attnames.items() if getattr(existing, a) != before[f]}
        sectors_changed = row.sector_ids is not None and set(row.sector_ids) != {
            s.pk for s in existing.sectors.all()
        }
        if sectors_changed:
            sector_changes[existing.pk] = row.sector_ids or []
        if fields:
            changed.append(existing)
            changed_fields |= fields
        elif sectors_changed:
            result.updated += 1
        else:
            result.unchanged += 1

    if issues:
        issues.sort(key=lambda i: i.row or 0)
        result.errors = issues
        result.created = result.updated = result.unchanged = 0
        return result

    report(total, total)
    result.created = len(new)
    result.updated += len(changed)
    if dry_run:
        return result
    try:
        with transaction.atomic():
            _write(
                new=new,
                changed=changed,
                sector_changes=sector_changes,
                # Only the columns that changed somewhere are written.
                fields=[f for f in present if f in changed_fields],
                user=user,
            )
            if on_written is not None:
                on_written(result)
    except IntegrityError:
        # Someone registered one of these tax codes between the check and the
        # write; the transaction is rolled back, so a new attempt is safe.
        return ImportResult(
            dry_run=dry_run,
            errors=[
                ImportIssue(
                    _(
                        "Some of these establishments were registered by someone "
                        "else while the file was being checked. Nothing was "
                        "written; import the file again."
                    )
                )
            ],
        )
    return result
