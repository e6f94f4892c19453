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

from django.db import transaction

from enterprises.reference_data import add_missing

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
    rows = (
        {"code": code, "name": name, "max_advance_share": share}
        for code, name, share in CONTENTS
    )
    add_missing(content_model, rows, ["code"])


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
    rows = (
        {**row, "verified": False, "valid_from": DEADLINES_VALID_FROM}
        for row in DEADLINES
    )
    add_missing(deadline_model, rows, ["kind", "source"])


# The bodies that issue decisions on industrial-extension projects. The names
# are generic: the administrator completes them with the province's name in
# the admin ("Ủy ban nhân dân tỉnh Thanh Hóa"); the signer titles are the
# usual ones and are edited there too where the province signs otherwise.
AUTHORITIES = [
    ("Ủy ban nhân dân tỉnh", "UBND tỉnh", "province", "CHỦ TỊCH"),
    ("Sở Công Thương", "Sở Công Thương", "department", "GIÁM ĐỐC"),
    ("Bộ Công Thương", "Bộ Công Thương", "ministry", "BỘ TRƯỞNG"),
]


def create_authorities(apps: Any) -> None:
    try:
        authority_model = apps.get_model("projects", "IssuingAuthority")
    except LookupError:
        return  # the 0002 data migration runs before the model exists
    rows = (
        {"name": n, "short_name": short, "level": level, "signer_title": signer}
        for n, short, level, signer in AUTHORITIES
    )
    add_missing(authority_model, rows, ["level"])


# The approval routes of the two sources (routes.py), as DOMAIN.md describes
# the procedure: (source, name, deciding authority's level, [(action, role,
# acting body's level or None for the deciding authority)]). The texts that
# set them (Thông tư 36/2013/TT-BCT; the province's regulation) were not read:
# the rows ship marked unverified for the administrator to check.
ROUTES_VALID_FROM = dt.date(2012, 7, 5)  # Decree 45/2012/NĐ-CP in force
ROUTES = [
    (
        "KCDP",
        "Khuyến công địa phương",
        "province",
        [
            ("receive", "reviewer", "department"),
            ("council", "reviewer", "department"),
            ("appraise", "reviewer", "department"),
            ("approve", "reviewer", None),
        ],
    ),
    (
        "KCQG",
        "Khuyến công quốc gia",
        "ministry",
        [
            ("propose", "reviewer", "department"),
            ("appraise_ministry", "reviewer", "ministry"),
            ("record_decision", "reviewer", None),
        ],
    ),
]
ROUTES_BASIS = (
    "Quy trình theo DOMAIN.md; Thông tư 36/2013/TT-BCT và quy chế của tỉnh "
    "chưa xác minh"
)


def create_routes(apps: Any) -> None:
    try:
        route_model = apps.get_model("projects", "Route")
    except LookupError:
        return  # earlier data migrations run before the model exists
    authority_model = apps.get_model("projects", "IssuingAuthority")
    step_model = apps.get_model("projects", "RouteStep")
    by_level = {a.level: a for a in authority_model.objects.order_by("pk")}
    stored = set(route_model.objects.values_list("source", flat=True))
    new_steps = []
    for source, name, level, steps in ROUTES:
        if source in stored:
            continue
        route = route_model.objects.create(
            source=source,
            valid_from=ROUTES_VALID_FROM,
            name=name,
            authority=by_level[level],
            legal_basis=ROUTES_BASIS,
        )
        new_steps += [
            step_model(
                route=route,
                order=order,
                action=action,
                role=role,
                authority=by_level[body] if body else None,
            )
            for order, (action, role, body) in enumerate(steps, start=1)
        ]
    step_model.objects.bulk_create(new_steps)


def load(apps: Any) -> None:
    with transaction.atomic():
        create_contents(apps)
        # The support rules of docs/rules.md (rule_data.py lists every row).
        rule_data.load_support_rules(apps)
        create_settlement_deadlines(apps)
        create_authorities(apps)
        create_routes(apps)
