"""The support and eligibility rules shipped as reference data.

Every figure comes from a text listed in docs/rules.md, which also says which
texts were read. A row whose figure could not be confirmed ships with
``verified=False`` ("chưa xác minh") so that the administrator sees it; its
figure is then the last confirmed one carried forward, never a guess. The
rows are loaded by ``projects.reference_data`` and edited in the admin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

M = 1_000_000

# Units an amount cap is counted per (values of projects.models.CapUnit).
ESTABLISHMENT = "establishment"
ENTERPRISE = "enterprise"
MODEL = "model"
BRAND = "brand"
EVENT = "event"
CLUSTER = "cluster"
ASSOCIATION = "association"
LINKAGE = "linkage"
BOOTH = "booth"
TRAINEE = "trainee"
PROJECT = "project"

# Rule sources (values of projects.models.RuleSource).
NATIONAL = "KCQG"
LOCAL = "KCDP"

TTLT_26_2014 = "Thông tư liên tịch 26/2014/TTLT-BTC-BCT"
TT_28_2018 = "Thông tư 28/2018/TT-BTC"
TT_64_2024 = "Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC"
ND_235_2025 = "Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP"

# In force: TTLT 26/2014 from 08/04/2014 (its own art. 10, Pháp điển);
# TT 28/2018 from 11/05/2018, when TTLT 26/2014 ceased (thuvienphapluat.vn,
# 12/06/2018). TT 64/2024's date is the one DOMAIN.md records: not read.
# Decree 235/2025 in force 15/10/2025 per DOMAIN.md: not re-read.
D_2014 = dt.date(2014, 4, 8)
D_2018 = dt.date(2018, 5, 11)
D_2024 = dt.date(2024, 10, 15)
D_2025 = dt.date(2025, 10, 15)


@dataclass(frozen=True)
class Row:
    content: int
    variant: str
    share: Decimal | None
    amount: int | None
    unit: str
    basis: str
    verified: bool
    note: str = ""


def _p(value: str) -> Decimal:
    return Decimal(value)


# TTLT 26/2014/TTLT-BTC-BCT art. 6, read in full (Pháp điển, article 7.5.TL.2.6).
_B = TTLT_26_2014
RULES_2014 = [
    Row(
        1,
        "",
        None,
        None,
        TRAINEE,
        f"Điều 6 khoản 1 điểm b {_B}",
        False,
        "Mức chi theo Thông tư liên tịch 112/2010/TTLT-BTC-BLĐTBXH (chưa đọc).",
    ),
    Row(
        2,
        "",
        None,
        None,
        PROJECT,
        f"Điều 6 khoản 1 điểm c, e {_B}",
        False,
        "Mức chi chung theo các thông tư dẫn chiếu (chưa đọc).",
    ),
    Row(
        2,
        "thành lập doanh nghiệp",
        None,
        10 * M,
        ENTERPRISE,
        f"Điều 6 khoản 2 điểm a {_B}",
        True,
        "Tại địa bàn có điều kiện kinh tế - xã hội khó khăn, đặc biệt khó khăn.",
    ),
    Row(
        3,
        "",
        _p("30"),
        500 * M,
        MODEL,
        f"Điều 6 khoản 2 điểm b {_B}",
        True,
        "Mô hình phổ biến công nghệ mới, sản xuất sản phẩm mới.",
    ),
    Row(
        3,
        "cơ sở đang hoạt động",
        None,
        100 * M,
        MODEL,
        f"Điều 6 khoản 2 điểm b {_B}",
        True,
    ),
    Row(4, "", _p("50"), 200 * M, ESTABLISHMENT, f"Điều 6 khoản 2 điểm c {_B}", True),
    Row(
        4,
        "dây chuyền công nghệ",
        _p("50"),
        200 * M,
        ESTABLISHMENT,
        f"Điều 6 khoản 2 điểm c {_B}",
        True,
        "Trước 2018 không có mức riêng cho dây chuyền: áp dụng mức máy móc.",
    ),
    Row(
        5,
        "",
        None,
        None,
        PROJECT,
        f"Điều 6 khoản 1 điểm h {_B}",
        False,
        "Mô hình thí điểm sản xuất sạch hơn: mức theo Thông tư liên tịch "
        "221/2012/TTLT-BTC-BCT (chưa đọc).",
    ),
    Row(
        5,
        "xử lý ô nhiễm tại cơ sở",
        _p("30"),
        300 * M,
        ESTABLISHMENT,
        f"Điều 6 khoản 2 điểm o {_B}",
        True,
    ),
    Row(
        5,
        "xử lý ô nhiễm tại cụm công nghiệp",
        _p("30"),
        1500 * M,
        CLUSTER,
        f"Điều 6 khoản 2 điểm p {_B}",
        True,
    ),
    Row(
        5,
        "tư vấn đánh giá sản xuất sạch hơn",
        _p("50"),
        50 * M,
        ESTABLISHMENT,
        f"Điều 6 khoản 1 điểm h {_B}; Thông tư liên tịch 221/2012/TTLT-BTC-BCT",
        True,
        "Mức theo tóm tắt của Chương trình sản xuất sạch hơn (sxsh.vn).",
    ),
    Row(
        6,
        "",
        _p("100"),
        None,
        PROJECT,
        f"Điều 6 khoản 2 điểm d {_B}",
        True,
        "Tổ chức hội chợ triển lãm hàng CNNT, thủ công mỹ nghệ trong nước.",
    ),
    Row(
        6,
        "tham gia hội chợ trong nước",
        _p("80"),
        None,
        BOOTH,
        f"Điều 6 khoản 2 điểm d {_B}",
        True,
        "80 % giá thuê gian hàng.",
    ),
    Row(
        6,
        "hội chợ nước ngoài",
        _p("100"),
        None,
        PROJECT,
        f"Điều 6 khoản 2 điểm đ {_B}",
        True,
    ),
    Row(
        6,
        "bình chọn cấp khu vực",
        None,
        100 * M,
        EVENT,
        f"Điều 6 khoản 2 điểm g {_B}",
        True,
    ),
    Row(
        6,
        "bình chọn cấp quốc gia",
        None,
        200 * M,
        EVENT,
        f"Điều 6 khoản 2 điểm g {_B}",
        True,
    ),
    Row(6, "thương hiệu", _p("50"), 35 * M, BRAND, f"Điều 6 khoản 2 điểm h {_B}", True),
    Row(
        7,
        "",
        None,
        None,
        PROJECT,
        f"Điều 6 khoản 2 điểm k {_B}",
        True,
        "Thông tin tuyên truyền: theo hợp đồng, không có mức trần.",
    ),
    Row(
        7,
        "tư vấn",
        _p("50"),
        35 * M,
        ESTABLISHMENT,
        f"Điều 6 khoản 2 điểm i {_B}",
        True,
    ),
    Row(
        8,
        "",
        _p("50"),
        150 * M,
        LINKAGE,
        f"Điều 6 khoản 2 điểm m {_B}",
        True,
        "Hình thành cụm liên kết doanh nghiệp công nghiệp.",
    ),
    Row(
        8,
        "hiệp hội cấp vùng",
        _p("30"),
        70 * M,
        ASSOCIATION,
        f"Điều 6 khoản 2 điểm l {_B}",
        True,
    ),
    Row(
        8,
        "hiệp hội cấp quốc gia",
        _p("30"),
        100 * M,
        ASSOCIATION,
        f"Điều 6 khoản 2 điểm l {_B}",
        True,
    ),
    Row(
        8,
        "lãi suất di dời",
        None,
        500 * M,
        ESTABLISHMENT,
        f"Điều 6 khoản 2 điểm n {_B}",
        True,
        "Tối đa 50 % lãi suất: không so được với tổng kinh phí đề án.",
    ),
    Row(
        8,
        "quy hoạch cụm công nghiệp",
        _p("50"),
        500 * M,
        CLUSTER,
        f"Điều 6 khoản 2 điểm q {_B}",
        True,
    ),
    Row(
        8,
        "hạ tầng cụm công nghiệp",
        None,
        3000 * M,
        CLUSTER,
        f"Điều 6 khoản 2 điểm r {_B}",
        True,
    ),
    Row(
        11,
        "",
        None,
        None,
        PROJECT,
        f"Điều 6 khoản 2 điểm s {_B}",
        True,
        "Giới hạn 1,5 % / 2,5 % là của chi quản lý, không phải mức hỗ trợ đề án.",
    ),
]

# TT 28/2018/TT-BTC art. 8: what the summaries that were read confirm, as
# (content, variant) -> (share, amount, clause). Everything else carries the
# 2014 figure forward, unverified.
_CONFIRMED_2018 = {
    (3, ""): (_p("30"), 1000 * M, "Điều 8 khoản 2"),
    (4, ""): (_p("50"), 300 * M, "Điều 8 khoản 4"),
    (4, "dây chuyền công nghệ"): (_p("50"), 450 * M, "Điều 8 khoản 4"),
    (6, "hội chợ nước ngoài"): (_p("100"), None, "Điều 8 khoản 6"),
    (6, "bình chọn cấp khu vực"): (None, 200 * M, "Điều 8"),
    (6, "bình chọn cấp quốc gia"): (None, 400 * M, "Điều 8"),
    (8, "hạ tầng cụm công nghiệp"): (None, 6000 * M, "Điều 8"),
}

_CARRIED = "Mức của {old} mang sang; chưa đối chiếu được với {new}."


def _rules_2018() -> list[Row]:
    rows = []
    for row in RULES_2014:
        confirmed = _CONFIRMED_2018.get((row.content, row.variant))
        if confirmed:
            share, amount, clause = confirmed
            note = (
                row.note
                if row.content != 4 or not row.variant
                else ("1,5 lần mức hỗ trợ máy móc thiết bị.")
            )
            rows.append(
                replace(
                    row,
                    share=share,
                    amount=amount,
                    basis=f"{clause} {TT_28_2018}",
                    verified=True,
                    note=note,
                )
            )
        else:
            rows.append(
                replace(
                    row,
                    basis=f"Điều 8 {TT_28_2018}",
                    verified=False,
                    note=_CARRIED.format(old=TTLT_26_2014, new=TT_28_2018),
                )
            )
    return rows


RULES_2018 = _rules_2018()

RULES_2024 = [
    replace(
        row,
        basis=row.basis.replace(TT_28_2018, TT_64_2024),
        verified=False,
        note="Thông tư 64/2024/TT-BTC chưa đọc: ngày hiệu lực và mức chưa xác minh; "
        "mức của giai đoạn trước mang sang.",
    )
    for row in RULES_2018
]

RULES_2025 = [
    Row(
        9,
        "",
        None,
        None,
        PROJECT,
        ND_235_2025,
        False,
        "Nội dung mới của Nghị định 235/2025/NĐ-CP; chưa có mức chi.",
    ),
    Row(
        10,
        "",
        None,
        None,
        PROJECT,
        ND_235_2025,
        False,
        "Nội dung mới của Nghị định 235/2025/NĐ-CP; chưa có mức chi.",
    ),
]

# (valid from, valid to, rows)
NATIONAL_PERIODS = [
    (D_2014, D_2018 - dt.timedelta(days=1), RULES_2014),
    (D_2018, D_2024 - dt.timedelta(days=1), RULES_2018),
    (D_2024, None, RULES_2024),
    (D_2025, None, RULES_2025),
]

LOCAL_NOTE = (
    "Mức của tỉnh Thanh Hóa chưa xác minh (Quyết định 05/2021/QĐ-UBND chưa đọc): "
    "quản trị viên nhập mức và căn cứ."
)


@dataclass(frozen=True)
class Shipped:
    source: str
    valid_from: dt.date
    valid_to: dt.date | None
    row: Row


def shipped_rules() -> list[Shipped]:
    """Every support-rule row the portal ships: the national rows, and for
    each the Thanh Hóa local row with no figure and no basis yet."""
    shipped = []
    for valid_from, valid_to, rows in NATIONAL_PERIODS:
        for row in rows:
            shipped.append(Shipped(NATIONAL, valid_from, valid_to, row))
            local = Row(
                row.content, row.variant, None, None, row.unit, "", False, LOCAL_NOTE
            )
            shipped.append(Shipped(LOCAL, valid_from, valid_to, local))
    return shipped


def load_support_rules(apps: Any) -> None:
    """Add the shipped rule rows that are missing (historical or global models).

    Before the migration that gives rules a source and a unit there is nothing
    to load; that migration calls this again.
    """
    content_model = apps.get_model("projects", "ActivityContent")
    rule_model = apps.get_model("projects", "SupportRule")
    if "unit" not in {f.name for f in rule_model._meta.get_fields()}:
        return
    from enterprises.reference_data import add_missing

    contents = dict(content_model.objects.values_list("code", "pk"))
    rows = (
        {
            "content_id": contents[shipped.row.content],
            "variant": shipped.row.variant,
            "source": shipped.source,
            "establishment_kind": "",
            "valid_from": shipped.valid_from,
            "valid_to": shipped.valid_to,
            "share_cap": shipped.row.share,
            "absolute_cap": shipped.row.amount,
            "unit": shipped.row.unit,
            "legal_basis": shipped.row.basis,
            "verified": shipped.row.verified,
            "note": shipped.row.note,
        }
        for shipped in shipped_rules()
        if shipped.row.content in contents
    )
    key = ["content_id", "variant", "source", "establishment_kind", "valid_from"]
    add_missing(rule_model, rows, key)
