"""Reference data every installation starts with: the activity contents, with
their largest advance, and the support rules from the regulations
(projects/rule_data.py, listed with their sources in docs/rules.md).

Plain functions over an app registry, so that the data migration (historical
models) and the post_migrate handler that restores them after a `flush`
(global models) run the same code. Only what is missing is added: the
administrator keeps this data in the admin (see ../shared/DOMAIN.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import rule_data

# Decree 45/2012/NĐ-CP art. 4, amended by Decree 235/2025/NĐ-CP:
# (number, name, largest advance in percent of approved support). DOMAIN.md
# gives 70 % for training/consulting-type work (contents 1, 2 and 7) and 30 %
# for the rest.
CONTENTS = [
    (1, "Đào tạo nghề, truyền nghề", 70),
    (2, "Khởi sự doanh nghiệp, nâng cao năng lực quản lý", 70),
    (3, "Xây dựng mô hình trình diễn kỹ thuật", 30),
    (4, "Ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ", 30),
    (5, "Sản xuất sạch hơn, xử lý ô nhiễm môi trường", 30),
    (
        6,
        "Phát triển sản phẩm: hội chợ triển lãm, bình chọn sản phẩm CNNT tiêu biểu",
        30,
    ),
    (7, "Tư vấn, thông tin tuyên truyền", 70),
    (8, "Liên doanh liên kết, cụm công nghiệp", 30),
    (9, "Chuyển đổi số", 30),
    (10, "Hỗ trợ nghệ nhân", 30),
    (11, "Quản lý chương trình, nâng cao năng lực", 30),
]

# The four rule rows this file shipped before rules had a source and a unit;
# migration 0004 removes them where an older database still has them.
OLD_RULE_BASIS = "Điều 8 Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC"


def create_contents(apps: Any) -> None:
    content_model = apps.get_model("projects", "ActivityContent")
    for code, name, advance_share in CONTENTS:
        content_model.objects.get_or_create(
            code=code, defaults={"name": name, "max_advance_share": advance_share}
        )


# Closing deadlines for the settlement file (issue 13): what DOMAIN.md reports
# of current practice. The texts that set them were not read, so the rows ship
# unverified (chưa xác minh) for the administrator to check and correct.
DEADLINES_VALID_FROM = dt.date(2012, 7, 5)  # Decree 45/2012/NĐ-CP in force
DEADLINES = [
    {
        "kind": "after_acceptance",
        "source": "",
        "days": 15,
        "legal_basis": "Hồ sơ quyết toán trong 15 ngày sau nghiệm thu (thực tế áp "
        "dụng theo DOMAIN.md; văn bản quy định chưa xác minh)",
    },
    {
        "kind": "next_year",
        "source": "KCQG",
        "month": 1,
        "day": 22,
        "legal_basis": "Kinh phí khuyến công quốc gia quyết toán trước ngày 22/01 "
        "năm sau (thực tế áp dụng; Thông tư 36/2013/TT-BCT chưa xác minh)",
    },
]


def create_settlement_deadlines(apps: Any) -> None:
    try:
        deadline_model = apps.get_model("projects", "SettlementDeadline")
    except LookupError:
        return  # the 0002 data migration runs before the model exists
    for row in DEADLINES:
        deadline_model.objects.get_or_create(
            kind=row["kind"],
            source=row["source"],
            defaults={**row, "verified": False, "valid_from": DEADLINES_VALID_FROM},
        )


def load(apps: Any) -> None:
    create_contents(apps)
    # The support rules of docs/rules.md (rule_data.py lists every row).
    rule_data.load_support_rules(apps)
    create_settlement_deadlines(apps)
