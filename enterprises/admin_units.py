"""Load the official provinces and communes shipped by `vietnam-provinces`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.dispatch import Signal

# Sent once the units are loaded: bulk writes send no post_save, and what is
# cached with commune names (projects.dataversion) must be retired.
units_loaded = Signal()


@dataclass
class LoadResult:
    provinces_created: int
    provinces_updated: int
    communes_created: int
    communes_updated: int


def load_admin_units(
    *, province_model: Any = None, commune_model: Any = None
) -> LoadResult:
    """Create or update every unit by its official code; safe to run again.

    A commune's region is set by administrators and is never overwritten.
    The model arguments let a data migration pass its historical models.
    """
    from vietnam_provinces import Province as VNProvince
    from vietnam_provinces import Ward as VNWard

    if province_model is None or commune_model is None:
        from .models import Commune, Province

        province_model, commune_model = Province, Commune

    with transaction.atomic():
        existing_p = {p.code: p for p in province_model.objects.all()}
        new_p, changed_p = [], []
        for src in VNProvince.iter_all():
            values = {
                "name": src.name,
                "division_type": src.division_type.value,
                "codename": src.codename,
            }
            row = existing_p.get(int(src.code))
            if row is None:
                new_p.append(province_model(code=int(src.code), **values))
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                changed_p.append(row)
        province_model.objects.bulk_create(new_p)
        province_model.objects.bulk_update(
            changed_p, ["name", "division_type", "codename"]
        )

        existing_c = {c.code: c for c in commune_model.objects.all()}
        new_c, changed_c = [], []
        for src in VNWard.iter_all():
            values = {
                "name": src.name,
                "division_type": src.division_type.value,
                "codename": src.codename,
                "province_id": int(src.province_code),
            }
            row = existing_c.get(int(src.code))
            if row is None:
                new_c.append(commune_model(code=int(src.code), **values))
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                changed_c.append(row)
        commune_model.objects.bulk_create(new_c, batch_size=500)
        commune_model.objects.bulk_update(
            changed_c,
            ["name", "division_type", "codename", "province_id"],
            batch_size=500,
        )
        if new_c or changed_c:
            transaction.on_commit(lambda: units_loaded.send(sender=commune_model))
    return LoadResult(len(new_p), len(changed_p), len(new_c), len(changed_c))
