"""Who may receive khuyến công support: the dated eligibility rules shipped.

See docs/rules.md for the texts and what was read. Loaded by the data
migration and restored after a flush; the administrator edits them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DECREE_235_IN_FORCE = dt.date(2025, 10, 15)

ELIGIBILITY_2012 = {
    "valid_from": dt.date(2012, 7, 5),
    "valid_to": DECREE_235_IN_FORCE - dt.timedelta(days=1),
    "kinds": "enterprise,cooperative,coop_group,household",
    "location": "decree_45_2012",
    "legal_basis": "Điều 1 khoản 2 Nghị định 45/2012/NĐ-CP; Điều 3 Thông tư "
    "46/2012/TT-BCT",
    "verified": True,
    "note": "Phường của thành phố loại 1 (trừ phường chuyển từ xã chưa quá 5 năm) "
    "không thuộc đối tượng: quản trị viên đánh dấu các xã, phường có phần như vậy.",
}
ELIGIBILITY_2025 = {
    "valid_from": DECREE_235_IN_FORCE,
    "valid_to": None,
    "kinds": "enterprise,cooperative,coop_union,coop_group,household",
    "location": "decree_235_2025",
    "legal_basis": "Nghị định 45/2012/NĐ-CP, sửa đổi bởi Nghị định 235/2025/NĐ-CP",
    "verified": False,
    "note": "Nghị định 235/2025/NĐ-CP chưa đọc: đối tượng và địa bàn theo DOMAIN.md.",
}
ELIGIBILITY_RULES = [ELIGIBILITY_2012, ELIGIBILITY_2025]


def load_eligibility_rules(apps: Any) -> None:
    """Add the shipped eligibility rows that are missing."""
    try:
        model = apps.get_model("enterprises", "EligibilityRule")
    except LookupError:
        return
    from .reference_data import add_missing

    add_missing(model, ELIGIBILITY_RULES, ["valid_from"])
