"""Each money invariant, through the model layer (Disbursement.save/delete)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from projects import services
from projects.models import (
    ActivityContent,
    Disbursement,
    DisbursementKind,
    DisbursementState,
    Refused,
    Status,
)
from tests.builders import (
    APPROVED,
    advance,
    decision,
    funding_of,
    make_project,
    pay,
    running,
)

ADVANCE = DisbursementKind.ADVANCE
REFUND = DisbursementKind.REFUND
SETTLEMENT = DisbursementKind.SETTLEMENT


def paid(project) -> int:
    return funding_of(project).disbursements.totals()["paid"]


def test_nothing_is_disbursed_before_the_contract(
    staff, reviewer, local_plan, establishment
):
    project = make_project(staff, {local_plan: APPROVED}, beneficiaries=[establishment])
    advance(project, Status.APPROVED, staff=staff, reviewer=reviewer)
    with pytest.raises(Refused, match="before the contract"):
        pay(project, staff, 10_000_000, kind=ADVANCE)
    assert Disbursement.objects.count() == 0


def test_a_disbursement_dated_before_the_contract_is_refused(project, staff):
    with pytest.raises(Refused, match="before the contract date"):
        pay(project, staff, 10_000_000, date=dt.date(2026, 3, 31))
    pay(project, staff, 10_000_000, date=dt.date(2026, 4, 1))
    assert paid(project) == 10_000_000


def test_paid_never_exceeds_approved_support(project, staff):
    pay(project, staff, 100_000_000)
    pay(project, staff, 20_000_000)
    with pytest.raises(Refused, match="above the approved support"):
        pay(project, staff, 1)
    assert paid(project) == APPROVED


def test_a_refund_makes_room_and_never_exceeds_what_was_paid(project, staff):
    pay(project, staff, APPROVED)
    with pytest.raises(Refused, match="exceed what was paid"):
        pay(project, staff, APPROVED + 1, kind=REFUND)
    pay(project, staff, 5_000_000, kind=REFUND)
    pay(project, staff, 5_000_000)
    assert paid(project) == APPROVED


def test_editing_a_row_is_checked_against_the_others(project, staff):
    first = pay(project, staff, 60_000_000)
    pay(project, staff, 60_000_000)
    first.amount = 60_000_001
    with pytest.raises(Refused):
        first.save()
    first.amount = 50_000_000
    first.save()
    assert paid(project) == 110_000_000


def test_deleting_a_payment_cannot_leave_refunds_above_payments(project, staff):
    payment = pay(project, staff, 50_000_000)
    pay(project, staff, 20_000_000, kind=REFUND)
    with pytest.raises(Refused, match="exceed what was paid"):
        payment.delete()
    assert Disbursement.objects.count() == 2


def test_advances_stay_within_the_contents_share(project, staff):
    # Machinery: 30 % of 120,000,000 = 36,000,000.
    assert project.content.max_advance_share == 30
    pay(project, staff, 30_000_000, kind=ADVANCE)
    with pytest.raises(Refused, match="30% of the approved support"):
        pay(project, staff, 6_000_001, kind=ADVANCE)
    pay(project, staff, 6_000_000, kind=ADVANCE)
    # Payments are not advances.
    pay(project, staff, 50_000_000)


def test_training_contents_advance_seventy_percent(
    staff, reviewer, local_plan, establishment
):
    training = ActivityContent.objects.get(code=1)
    assert training.max_advance_share == 70
    project = running(staff, reviewer, local_plan, establishment, content=training)
    pay(project, staff, 84_000_000, kind=ADVANCE)
    with pytest.raises(Refused):
        pay(project, staff, 1, kind=ADVANCE)


def test_the_share_is_data_staff_can_change(project, staff):
    """Machinery advances 30 % (36 M of 120 M) until staff raise the share to
    50 %: then 60 M may be advanced, and not a đồng more."""
    with pytest.raises(Refused):
        pay(project, staff, 60_000_000, kind=ADVANCE)
    project.content.max_advance_share = 50
    project.content.save()
    pay(project, staff, 60_000_000, kind=ADVANCE)
    assert funding_of(project).disbursements.get().amount == 60_000_000
    with pytest.raises(Refused):
        pay(project, staff, 1, kind=ADVANCE)


def test_each_source_is_checked_on_its_own(
    staff, reviewer, local_plan, national_plan, establishment
):
    project = make_project(
        staff,
        {local_plan: 50_000_000, national_plan: 70_000_000},
        beneficiaries=[establishment],
    )
    advance(project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    pay(project, staff, 70_000_000, source="KCQG")
    with pytest.raises(Refused, match="KCĐP"):
        pay(project, staff, 50_000_001, source="KCDP")
    pay(project, staff, 50_000_000, source="KCDP")


def test_a_settlement_payment_needs_acceptance(project, staff):
    with pytest.raises(Refused, match="accepted first"):
        pay(project, staff, 10_000_000, kind=SETTLEMENT)
    advance(project, Status.ACCEPTED, staff=staff, reviewer=None)
    pay(project, staff, 10_000_000, kind=SETTLEMENT, date=dt.date(2026, 11, 25))


def test_the_database_refuses_a_non_positive_amount(project, staff):
    row = pay(project, staff, 10_000_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=row.pk).update(amount=0)


def test_the_database_refuses_a_due_payment(project, staff):
    row = pay(project, staff, 10_000_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=row.pk).update(state=DisbursementState.DUE)


def test_every_money_row_keeps_its_history_with_who(project, staff):
    row = pay(project, staff, 10_000_000)
    row._history_user = staff
    row.amount = 12_000_000
    row.save()
    history = list(row.history.order_by("history_date"))
    assert [h.amount for h in history] == [10_000_000, 12_000_000]
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[1].history_user == staff


# --- settlement and cancellation ------------------------------------------------


def test_settlement_pays_the_remainder_and_fixes_settled_to_paid(
    project, staff, reviewer
):
    pay(project, staff, 30_000_000, kind=ADVANCE)
    pay(project, staff, 50_000_000)
    advance(project, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    services.project_settle(
        project=project,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=dt.date(2026, 12, 1),
        voucher_no="PC-QT-01",
        settled={"KCDP": 110_000_000},
    )
    funding = funding_of(project)
    assert funding.settled == 110_000_000 == paid(project)
    last = funding.disbursements.order_by("pk").last()
    assert (last.kind, last.amount) == (SETTLEMENT, 30_000_000)


def test_settlement_below_what_was_paid_is_refused(project, staff, reviewer):
    pay(project, staff, 100_000_000)
    advance(project, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    with pytest.raises(Refused, match="record the refund first"):
        services.project_settle(
            project=project,
            by=staff,
            decision_no="QT-01/QĐ",
            settled_on=dt.date(2026, 12, 1),
            voucher_no="PC-QT-01",
            settled={"KCDP": 90_000_000},
        )
    project.refresh_from_db()
    assert project.status == Status.ACCEPTED
    assert funding_of(project).settled is None


def test_cancellation_turns_paid_money_into_a_refund_due(project, staff, reviewer):
    pay(project, staff, 30_000_000, kind=ADVANCE)
    services.project_cancel(
        project=project, by=reviewer, reason="Cơ sở rút", **decision(project)
    )
    due = Disbursement.objects.get(state=DisbursementState.DUE)
    assert (due.kind, due.amount) == (REFUND, 30_000_000)
    # Due is not yet returned: the money is still out.
    assert paid(project) == 30_000_000
    with pytest.raises(Refused, match="only refunds"):
        pay(project, staff, 1_000_000)
    with pytest.raises(Refused, match="only refunds"):
        due.delete()
    due.confirm_refund(date=dt.date(2026, 6, 1), voucher_no="PT-09", by=staff)
    assert paid(project) == 0
    with pytest.raises(Refused, match="exceed what was paid"):
        pay(project, staff, 1, kind=REFUND)


def test_cancelling_a_project_without_money_records_no_refund(
    staff, reviewer, local_plan, establishment
):
    project = make_project(staff, {local_plan: APPROVED}, beneficiaries=[establishment])
    advance(project, Status.CANCELLED, staff=staff, reviewer=reviewer)
    assert not Disbursement.objects.exists()
