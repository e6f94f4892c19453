"""The default criteria set every installation starts with.

No criteria text was found and read for this set: the national rules
(Thông tư 28/2018/TT-BCT) and the provinces' regulations on selecting local
projects were looked for, not read. So every row, and the threshold, is
marked as the centre's own rule, unverified ("chưa xác minh"), and the
administrator edits them in the admin (a new set with a later "valid from"
date for a new rule; councils keep the set they were created with).

The data migration and the post_migrate handler that restores it after a
`flush` both call `load`; nothing is added when a set exists.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

UNVERIFIED = "Quy định nội bộ của Trung tâm — chưa xác minh"
DEFAULT_SET = {
    "name": "Tiêu chí xét chọn đề án khuyến công địa phương (mặc định)",
    "valid_from": dt.date(2017, 1, 1),
    "threshold": Decimal("60"),
    "basis": UNVERIFIED,
}
# (name, maximum score); 100 points in all.
DEFAULT_CRITERIA = [
    ("Sự phù hợp với mục tiêu, nội dung và đối tượng của chương trình khuyến công", 20),
    ("Tính cần thiết và khả thi của đề án", 20),
    ("Hiệu quả kinh tế - xã hội, khả năng nhân rộng", 25),
    ("Năng lực của đơn vị thực hiện và của cơ sở thụ hưởng", 15),
    ("Tính hợp lý của dự toán kinh phí và vốn đối ứng", 20),
]


def create_default_criteria(apps: Any) -> None:
    set_model = apps.get_model("appraisal", "CriteriaSet")
    criterion_model = apps.get_model("appraisal", "Criterion")
    if set_model.objects.exists():
        return
    criteria_set = set_model.objects.create(**DEFAULT_SET)
    criterion_model.objects.bulk_create(
        criterion_model(
            criteria_set=criteria_set,
            order=order,
            name=name,
            max_score=Decimal(maximum),
            basis=UNVERIFIED,
        )
        for order, (name, maximum) in enumerate(DEFAULT_CRITERIA, start=1)
    )


def load(apps: Any) -> None:
    with transaction.atomic():
        create_default_criteria(apps)
