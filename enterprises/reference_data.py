"""Reference data every installation starts with: the role groups, the
official administrative units, the sectors and the dated eligibility rules.

Plain functions over an app registry, so that the data migration (historical
models) and the post_migrate handler that restores them after a `flush`
(global models) run the same code. Each only adds what is missing: an
administrator's renames and a commune's region are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from .eligibility_data import load_eligibility_rules
from .roles import GROUP_NAMES

# Names are data users see and administrators may edit, hence Vietnamese; the
# codes are stable and let an import refer to a sector either way.
SECTORS = [
    ("lam-san", "Chế biến lâm sản"),
    ("thu-cong-my-nghe", "Thủ công mỹ nghệ"),
    ("co-khi", "Cơ khí"),
    ("vat-lieu-xay-dung", "Sản xuất vật liệu xây dựng"),
    ("thuc-pham", "Chế biến thực phẩm"),
    ("det-may", "Dệt may"),
    ("nong-thuy-san", "Chế biến nông sản, thủy sản"),
    ("khac", "Ngành nghề khác"),
]


def add_missing(
    model: Any, rows: Iterable[dict[str, Any]], key: Sequence[str]
) -> list[Any]:
    """Create, in one statement, the `rows` whose `key` fields match no stored
    row; stored rows are left as they are (an administrator's edits are
    kept). One query to read and one to write, whatever the number of rows:
    a `flush` (each transactional test ends with one) restores them all."""
    stored = set(model.objects.values_list(*key))
    return model.objects.bulk_create(
        model(**row) for row in rows if tuple(row[k] for k in key) not in stored
    )


def create_role_groups(apps: Any) -> None:
    """The role groups; their permissions are synced after every migrate
    (enterprises.roles.sync_role_permissions)."""
    group_model = apps.get_model("auth", "Group")
    add_missing(group_model, ({"name": n} for n in GROUP_NAMES.values()), ["name"])


def load_units(apps: Any) -> None:
    """The official provinces and communes, when none are loaded yet (the
    `load_admin_units` command updates them from a newer package)."""
    from .admin_units import load_admin_units

    commune_model = apps.get_model("enterprises", "Commune")
    if commune_model.objects.exists():
        return
    load_admin_units(
        province_model=apps.get_model("enterprises", "Province"),
        commune_model=commune_model,
    )


def create_sectors(apps: Any) -> None:
    """The sectors missing by code, unless one of the same name is there."""
    sector_model = apps.get_model("enterprises", "Sector")
    stored = list(sector_model.objects.values_list("code", "name"))
    codes, names = {c for c, _n in stored}, {n for _c, n in stored}
    sector_model.objects.bulk_create(
        sector_model(code=code, name=name)
        for code, name in SECTORS
        if code not in codes and name not in names
    )


def load(apps: Any) -> None:
    with transaction.atomic():
        create_role_groups(apps)
        load_units(apps)
        create_sectors(apps)
        # Who may be supported, per version of the decree (docs/rules.md).
        load_eligibility_rules(apps)
