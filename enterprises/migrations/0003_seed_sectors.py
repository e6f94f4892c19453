"""Seed the sectors (ngành nghề) of rural industry.

Names are data users see and administrators may edit, hence Vietnamese; the
codes are stable and let an import refer to a sector either way. Running it
again changes nothing, and an administrator's renames are kept.
"""

from django.db import migrations

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


def seed_sectors(apps, schema_editor):
    Sector = apps.get_model("enterprises", "Sector")
    for code, name in SECTORS:
        if not Sector.objects.filter(code=code).exists():
            Sector.objects.get_or_create(name=name, defaults={"code": code})


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_roles_and_admin_units")]

    operations = [migrations.RunPython(seed_sectors, migrations.RunPython.noop)]
