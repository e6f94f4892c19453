"""Two disbursements at the same moment (PostgreSQL row locks)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from projects.models import (
    Disbursement,
    DisbursementKind,
    EquipmentInvestment,
    Refused,
)
from tests.builders import APPROVED, funding_of, make_plan, run_together, running

pytestmark = [
    pytest.mark.postgres,
    # Seeded reference data (communes, contents, rules, role groups) is put
    # back by post_migrate after each flush (see the apps' ready()); a
    # serialized rollback would insert the role groups a second time.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (set DATABASE_URL); SQLite serialises "
        "writers, so the race cannot happen there",
    ),
]


def test_two_payments_that_together_exceed_approved_support_make_one(project, staff):
    funding = funding_of(project)

    def pay(voucher: str):
        def call():
            row = Disbursement(
                funding_id=funding.pk,
                kind=DisbursementKind.PAYMENT,
                amount=70_000_000,
                date=dt.date(2026, 5, 10),
                voucher_no=voucher,
                recorded_by_id=staff.pk,
            )
            row.save()
            return row

        return call

    outcomes = run_together(pay("PC-1"), pay("PC-2"))

    assert sum(isinstance(o, Disbursement) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Refused) for o in outcomes) == 1, outcomes
    totals = funding.disbursements.totals()
    assert totals["paid"] == 70_000_000 <= APPROVED
    assert funding.disbursements.count() == 1


def test_two_advances_within_the_share_only_together_are_refused(project, staff):
    # 30 % of 120,000,000 = 36,000,000; each advance alone fits.
    funding = funding_of(project)

    def advance(voucher: str):
        def call():
            row = Disbursement(
                funding_id=funding.pk,
                kind=DisbursementKind.ADVANCE,
                amount=20_000_000,
                date=dt.date(2026, 4, 10),
                voucher_no=voucher,
                recorded_by_id=staff.pk,
            )
            row.save()
            return row

        return call

    outcomes = run_together(advance("TU-1"), advance("TU-2"))

    assert sum(isinstance(o, Disbursement) for o in outcomes) == 1, outcomes
    assert funding.disbursements.totals()["advanced"] == 20_000_000


def test_two_projects_supporting_the_same_invoice_at_once_make_one(
    project, staff, reviewer, establishment
):
    later = running(staff, reviewer, make_plan("KCQG", year=2027), establishment)

    def add(target, serial: str):
        def call():
            row = EquipmentInvestment(
                project_id=target.pk,
                establishment_id=establishment.pk,
                item="Máy bào gỗ 4 mặt",
                supplier_name="Công ty TNHH Cơ khí Việt",
                supplier_tax_code="2800123456",
                quantity=1,
                unit_price=200_000_000,
                supported=100_000_000,
                invoice_no="00000123",
                invoice_date=dt.date(2026, 5, 2),
                recorded_by_id=staff.pk,
            )
            return row.store(serials=[serial], by=type(staff).objects.get(pk=staff.pk))

        return call

    outcomes = run_together(add(project, "A-1"), add(later, "B-1"))

    assert sum(isinstance(o, EquipmentInvestment) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Refused) for o in outcomes) == 1, outcomes
    assert EquipmentInvestment.objects.count() == 1
