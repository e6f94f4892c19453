"""Factories and files for the establishment registry tests."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import factory
import pytest
from openpyxl import Workbook

from enterprises.models import Commune, Establishment, EstablishmentKind, Sector
from enterprises.services import COLUMNS

THANH_HOA = 38


def home_commune(index: int = 0) -> Commune:
    return Commune.objects.in_province(THANH_HOA).order_by("code")[index]


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    name = factory.Sequence(lambda n: f"Cơ sở sản xuất số {n}")
    kind = EstablishmentKind.SMALL_ENTERPRISE
    tax_code = factory.Sequence(lambda n: f"28{n:08d}")
    representative_name = "Lê Văn Bình"
    commune = factory.LazyFunction(home_commune)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.refresh_search_text()
        obj.save()
        return obj


@pytest.fixture
def commune(db) -> Commune:
    return home_commune()


@pytest.fixture
def sector(db) -> Sector:
    return Sector.objects.get(code="thu-cong-my-nghe")


def header() -> list[str]:
    return [c.title for c in COLUMNS]


def row(n: int, place: Commune, /, **overrides: Any) -> list[Any]:
    """One valid spreadsheet row, in template column order."""
    values = {
        "name": f"Hợp tác xã mây tre đan số {n}",
        "kind": "Hợp tác xã",
        "tax_code": f"28{n:08d}",
        "business_registration_no": "",
        "representative_name": "Nguyễn Thị Hoa",
        "representative_position": "Giám đốc",
        "phone": "0912345678",
        "email": "",
        "commune": f"{place.code} - {place.name}",
        "street": "Thôn 3",
        "legacy_address": "",
        "sectors": "Thủ công mỹ nghệ",
        "craft_village": "",
        "founded_year": 2015,
        "workers_total": 20,
        "workers_women": 12,
        "workers_ethnic_minority": 0,
        "women_owned": "Có",
        "ethnic_minority_owned": "Không",
        "yearly_revenue": 1_350_000_000,
        "main_products": "Giỏ mây",
        "notes": "",
        "is_active": "Có",
    }
    values.update(overrides)
    return [values[c.field] for c in COLUMNS]


def xlsx(rows: Iterable[list[Any]], head: list[str] | None = None) -> io.BytesIO:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(head or header())
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "co-so.xlsx"
    return out
