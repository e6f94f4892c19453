"""Settlement payments carry a voucher number (issue 13, point 8): the
remainder paid at settlement is dated the settlement day and names its
voucher; without one the settlement is refused next to the field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects import services
from projects.lifecycle import decision_authority
from projects.models import DisbursementKind, Refused, Status
from tests.builders import ACCEPTANCE_DAY, SETTLEMENT_DAY, advance, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(project, staff, reviewer):
    pay(project, staff, 30_000_000, kind=DisbursementKind.ADVANCE)
    return advance(project, Status.ACCEPTED, staff=staff, reviewer=reviewer)


def test_the_remainder_paid_at_settlement_carries_its_voucher(accepted, staff):
    services.project_settle(
        project=accepted,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=SETTLEMENT_DAY,
        settled={"KCDP": 120_000_000},
        voucher_no=" PC-QT-07 ",
    )
    row = accepted.disbursements.get(kind=DisbursementKind.SETTLEMENT)
    assert (row.amount, row.date, row.voucher_no) == (
        90_000_000,
        SETTLEMENT_DAY,
        "PC-QT-07",
    )


def test_a_settlement_with_money_to_pay_needs_a_voucher(accepted, staff):
    with pytest.raises(Refused, match="voucher number") as refused:
        services.project_settle(
            project=accepted,
            by=staff,
            decision_no="QT-01/QĐ",
            settled_on=SETTLEMENT_DAY,
            settled={"KCDP": 120_000_000},
        )
    assert refused.value.fields
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED


def test_nothing_left_to_pay_needs_no_voucher(accepted, staff):
    services.project_settle(
        project=accepted,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=ACCEPTANCE_DAY,
        settled={"KCDP": 30_000_000},
    )
    accepted.refresh_from_db()
    assert accepted.status == Status.SETTLED


def test_the_page_asks_for_the_voucher_next_to_its_field(accepted, staff, as_user):
    response = as_user(staff).post(
        reverse("projects:action", args=[accepted.pk, "settle"]),
        {
            "settled_on": SETTLEMENT_DAY.isoformat(),
            "amount_KCDP": "120000000",
            "decision_no": "QT-01/QĐ",
            "authority": decision_authority(accepted, "settlement").pk,
        },
    )
    assert response.status_code == 400
    errors = " ".join(response.context["refused_form"].errors["voucher_no"])
    assert "Nhập số chứng từ chi quyết toán" in errors
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED
