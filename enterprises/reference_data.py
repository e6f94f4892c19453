"""Reference data every installation starts with: the role groups, the
official administrative units, the sectors and the dated eligibility rules.

Plain functions over an app registry, so that the data migration (historical
models) and the post_migrate handler that restores them after a `flush`
(global models) run the same code. Each only adds what is missing: an
administrator's renames and a commune's region are kept.
"""

from __future__ import annotations

from typing import Any

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


def create_role_groups(apps: Any) -> None:
    """The four role groups; their permissions are synced after every migrate
    (enterprises.roles.sync_role_permissions)."""
    group_model = apps.get_model("auth", "Group")
    for name in GROUP_NAMES.values():
        group_model.objects.get_or_create(name=name)


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
    sector_model = apps.get_model("enterprises", "Sector")
    for code, name in SECTORS:
        if not sector_model.objects.filter(code=code).exists():
            sector_model.objects.get_or_create(name=name, defaults={"code": code})


def load(apps: Any) -> None:
    create_role_groups(apps)
    load_units(apps)
    create_sectors(apps)
    # Who may be supported, per version of the decree (docs/rules.md).
    load_eligibility_rules(apps)
