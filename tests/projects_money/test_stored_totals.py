"""The per-funding money totals the disbursement gate stores (issue 20).

ProjectFunding keeps advanced, paid, refunded, due and carried totals so that
the dashboard reads sums instead of every disbursement. They are written by
the one gate every disbursement goes through, under its row lock; on
PostgreSQL a deferred constraint trigger refuses a commit where they differ
from the disbursement rows. A hypothesis test drives random sequences of
payments, refunds, deletions, refund confirmations, settlements and
cancellations and recomputes the totals from the rows after each.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects import services
from projects.models import (
    Disbursement,
    DisbursementKind,
    DisbursementState,
    ProjectFunding,
    Refused,
    Source,
    Status,
)
from tests.builders import advance, decision, make_plan, pay, running

M = 1_000_000
KINDS = (DisbursementKind.ADVANCE, DisbursementKind.PAYMENT, DisbursementKind.REFUND)


def recomputed(funding: ProjectFunding) -> dict[str, int]:
    """The totals from the disbursement rows, in Python."""
    totals = dict.fromkeys(
        ("advanced_total", "paid_total", "refunded_total", "due_total"), 0
    )
    totals["carried_total"] = 0
    for row in Disbursement.objects.filter(funding=funding):
        if row.state == DisbursementState.DUE:
            totals["due_total"] += row.amount
            continue
        if row.kind == DisbursementKind.ADVANCE:
            totals["advanced_total"] += row.amount
        elif row.kind == DisbursementKind.REFUND:
            totals["refunded_total"] += row.amount
        else:
            totals["paid_total"] += row.amount
        if row.kind != DisbursementKind.REFUND and row.date.year > funding.plan.year:
            totals["carried_total"] += row.amount
    return totals


def stored(funding: ProjectFunding) -> dict[str, int]:
    funding.refresh_from_db()
    return {name: getattr(funding, name) for name in recomputed(funding)}


class Rollback(Exception):
    """Leaves an example's atomic block so that its rows are rolled back."""


operation = st.tuples(
    st.sampled_from(
        ["advance", "payment", "refund", "delete", "confirm", "settle", "cancel"]
    ),
    st.integers(min_value=0, max_value=1),  # which project
    st.integers(min_value=1, max_value=60),  # percent of approved support
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(operation, min_size=1, max_size=12))
def test_stored_totals_equal_the_disbursements_after_any_sequence(
    steps, staff, reviewer, establishment, django_db_blocker
):
    try:
        with transaction.atomic():
            plan = make_plan(Source.LOCAL, allocated=1_000 * M)
            projects = [
                running(staff, reviewer, plan, establishment, amount=150 * M),
                running(staff, reviewer, plan, establishment, amount=120 * M),
            ]
            day = dt.date(2026, 5, 1)
            for op, which, percent in steps:
                project = projects[which]
                project.refresh_from_db()
                funding = project.fundings.get()
                amount = funding.approved * percent // 100
                day += dt.timedelta(days=3)
                try:
                    with transaction.atomic():
                        _apply(op, project, funding, amount, day, staff, reviewer)
                except Refused:
                    pass
                for f in ProjectFunding.objects.filter(plan=plan):
                    assert stored(f) == recomputed(f), (op, steps)
            if connection.vendor == "postgresql":
                # Run the deferred trigger now: it recomputes every touched
                # funding row and would refuse a difference.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            raise Rollback
    except Rollback:
        pass


def _apply(op, project, funding, amount, day, staff, reviewer) -> None:
    if op in ("advance", "payment", "refund"):
        kind = {
            "advance": DisbursementKind.ADVANCE,
            "payment": DisbursementKind.PAYMENT,
            "refund": DisbursementKind.REFUND,
        }[op]
        pay(project, staff, max(amount, 1), kind=kind, date=day)
    elif op == "delete":
        row = project.disbursements.order_by("-pk").first()
        if row:
            row.delete()
    elif op == "confirm":
        row = project.disbursements.filter(state=DisbursementState.DUE).first()
        if row:
            row.confirm_refund(date=day, voucher_no="PT-9", by=staff)
    elif op == "settle":
        if project.status == Status.IN_PROGRESS:
            advance(project, Status.ACCEPTED, staff=staff, reviewer=reviewer)
        paid = funding.advanced_total + funding.paid_total - funding.refunded_total
        services.project_settle(
            voucher_no="PC-QT-01",
            project=project,
            by=staff,
            decision_no="QT-01/QĐ",
            settled_on=dt.date(2026, 12, 1),
            settled={funding.source: min(funding.approved, paid + amount)},
        )
    elif op == "cancel":
        services.project_cancel(
            project=project, by=reviewer, reason="Rút", **decision(project)
        )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's"
)
def test_the_database_refuses_totals_that_differ_from_the_rows(project, staff):
    pay(project, staff, 30 * M)
    funding = project.fundings.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        ProjectFunding.objects.filter(pk=funding.pk).update(paid_total=1)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError), transaction.atomic():
        # A row written around the gate leaves the totals behind.
        Disbursement.objects.filter(funding=funding).update(amount=31 * M)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert stored(funding) == recomputed(funding)
