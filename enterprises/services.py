"""Establishment files: the export and the empty import template.

Importing a workbook lives in `enterprises.importing`; its main names are
re-exported here for callers written before the split.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from .importing.columns import (
    _IDENTIFIER_FIELDS,
    BOOLEAN,
    COLUMNS,
    COMMUNE,
    EXAMPLE_NAME,
    KIND,
    NO,
    SECTORS,
    VILLAGE,
    YES,
)
from .importing.results import ImportIssue, ImportResult
from .importing.validate import establishment_import
from .models import Commune, Establishment, EstablishmentKind, Sector
from .xlsx import neutralise, write_table

__all__ = [
    "COLUMNS",
    "ImportIssue",
    "ImportResult",
    "establishment_export",
    "establishment_import",
    "establishment_import_template",
]


def _row_for(est: Establishment) -> list[Any]:
    values: list[Any] = []
    for column in COLUMNS:
        if column.kind == KIND:
            values.append(str(est.get_kind_display()))
        elif column.kind == COMMUNE:
            values.append(f"{est.commune_id} - {est.commune.name}")
        elif column.kind == SECTORS:
            values.append("; ".join(s.name for s in est.sectors.all()))
        elif column.kind == VILLAGE:
            values.append(est.craft_village.name if est.craft_village else "")
        elif column.kind == BOOLEAN:
            values.append(str(YES if getattr(est, column.field) else NO))
        else:
            values.append(getattr(est, column.field))
    return values


def establishment_export(*, queryset: QuerySet[Establishment]) -> bytes:
    """The given establishments as an xlsx file that imports back unchanged."""
    rows = (
        _row_for(est)
        for est in queryset.select_related("commune", "craft_village")
        .prefetch_related("sectors")
        .iterator(chunk_size=1000)
    )
    return write_table(
        title=str(_("Establishments")),
        header=[c.title for c in COLUMNS],
        rows=rows,
        widths=[c.width for c in COLUMNS],
    )


def _commune_choices() -> list[str]:
    return [
        f"{code} - {name}"
        for code, name in Commune.objects.in_province(settings.HOME_PROVINCE_CODE)
        .order_by("name")
        .values_list("code", "name")
    ]


def establishment_import_template() -> bytes:
    """An empty import file: header, one example row, drop-down lists."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Establishments")[:31]
    # Visible, so that users can read the sector names the import accepts.
    lists = workbook.create_sheet(_("Lists")[:31])

    kinds = [str(label) for _value, label in EstablishmentKind.choices]
    communes = _commune_choices()
    sectors = list(Sector.objects.values_list("name", flat=True))
    yes_no = [str(YES), str(NO)]
    for index, values in enumerate([kinds, communes, sectors, yes_no], start=1):
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=index, value=neutralise(value))

    bold = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.title)
        cell.font = bold
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = column.width
        if column.field in _IDENTIFIER_FIELDS:
            # Text format keeps the leading zero of tax codes and phone numbers.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"

    example = _example_row(kinds, communes, sectors)
    for index, value in enumerate(example, start=1):
        sheet.cell(row=2, column=index, value=value)

    def list_validation(list_column: str, count: int, prompt: str) -> DataValidation:
        quoted = _("Lists")[:31].replace("'", "''")
        validation = DataValidation(
            type="list",
            formula1=f"'{quoted}'!${list_column}$1:${list_column}${max(count, 1)}",
            allow_blank=True,
            showErrorMessage=True,
            error=prompt,
        )
        sheet.add_data_validation(validation)
        return validation

    last_row = 10000
    by_field = {c.field: i for i, c in enumerate(COLUMNS, start=1)}

    def letter_of(name: str) -> str:
        return sheet.cell(row=1, column=by_field[name]).column_letter

    list_validation("A", len(kinds), _("Choose a kind from the drop-down list.")).add(
        f"{letter_of('kind')}2:{letter_of('kind')}{last_row}"
    )
    list_validation(
        "B", len(communes), _("Choose a commune from the drop-down list (code - name).")
    ).add(f"{letter_of('commune')}2:{letter_of('commune')}{last_row}")
    yes_no_validation = list_validation("D", 2, _("Write “Yes” or “No”."))
    for name in ("women_owned", "ethnic_minority_owned", "is_active"):
        yes_no_validation.add(f"{letter_of(name)}2:{letter_of(name)}{last_row}")

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _example_row(
    kinds: list[str], communes: list[str], sectors: list[str]
) -> list[Any]:
    example = {
        "name": str(EXAMPLE_NAME),
        "kind": str(EstablishmentKind.COOPERATIVE.label),
        "tax_code": "2801234567",
        "business_registration_no": "",
        "representative_name": "Nguyễn Văn An",
        "representative_position": _("Director"),
        "phone": "0912345678",
        "email": "htx@example.vn",
        "commune": communes[0] if communes else "",
        "street": _("Village 3"),
        "legacy_address": "",
        "sectors": sectors[0] if sectors else "",
        "craft_village": "",
        "founded_year": 2015,
        "workers_total": 25,
        "workers_women": 15,
        "workers_ethnic_minority": 0,
        "women_owned": str(YES),
        "ethnic_minority_owned": str(NO),
        "yearly_revenue": 1350000000,
        "main_products": _("Rattan and bamboo baskets"),
        "notes": "",
        "is_active": str(YES),
    }
    return [example[c.field] for c in COLUMNS]
