"""Seed the activity contents and support rules from the regulations.

Both are reference data the administrator keeps in the admin; this only gives a
fresh installation a starting point (see ../shared/DOMAIN.md).
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

# Decree 45/2012/NĐ-CP art. 4, amended by Decree 235/2025/NĐ-CP.
CONTENTS = [
    (1, "Đào tạo nghề, truyền nghề"),
    (2, "Khởi sự doanh nghiệp, nâng cao năng lực quản lý"),
    (3, "Xây dựng mô hình trình diễn kỹ thuật"),
    (4, "Ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ"),
    (5, "Sản xuất sạch hơn, xử lý ô nhiễm môi trường"),
    (6, "Phát triển sản phẩm: hội chợ triển lãm, bình chọn sản phẩm CNNT tiêu biểu"),
    (7, "Tư vấn, thông tin tuyên truyền"),
    (8, "Liên doanh liên kết, cụm công nghiệp"),
    (9, "Chuyển đổi số"),
    (10, "Hỗ trợ nghệ nhân"),
    (11, "Quản lý chương trình, nâng cao năng lực"),
]

BASIS = "Điều 8 Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC"
# Effective date of the amending circular as recorded in DOMAIN.md's sources;
# the administrator should verify it and the amounts against the gazette.
VALID_FROM = dt.date(2024, 10, 15)

# (content number, variant, share cap %, absolute cap đồng, cap per beneficiary)
RULES = [
    (4, "", Decimal("50"), 300_000_000, True),
    (4, "dây chuyền công nghệ", Decimal("50"), 450_000_000, True),
    (3, "", Decimal("30"), 1_000_000_000, False),
    (3, "cơ sở đang hoạt động", None, 200_000_000, False),
]


def seed(apps, schema_editor):
    ActivityContent = apps.get_model("projects", "ActivityContent")
    SupportRule = apps.get_model("projects", "SupportRule")
    contents = {}
    for code, name in CONTENTS:
        contents[code], _created = ActivityContent.objects.get_or_create(
            code=code, defaults={"name": name}
        )
    for code, variant, share, cap, per_beneficiary in RULES:
        SupportRule.objects.get_or_create(
            content=contents[code],
            variant=variant,
            valid_from=VALID_FROM,
            defaults={
                "share_cap": share,
                "absolute_cap": cap,
                "cap_per_beneficiary": per_beneficiary,
                "legal_basis": BASIS,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
