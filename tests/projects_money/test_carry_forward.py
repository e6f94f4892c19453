"""Budget year and carry-forward (chuyển nguồn), issue 13 point 6.

A plan's money is spent in its year: a payment dated after it needs a
carry-forward decision recorded on the plan or on the project, for at least
what is paid late; otherwise it is refused with the reason. Refunds are never
refused for the date. The dashboard and the disbursement report show the
carried-forward money apart.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from projects import services
from projects.models import DisbursementKind, Refused, Source, Status
from reports.exporters import get_exporter
from reports.periods import Period
from tests.builders import advance, make_plan, pay, running

M = 1_000_000
LATE = dt.date(2026, 5, 10)  # in 2026, after the 2025 plan's year


@pytest.fixture
def old_plan(db):
    return make_plan(Source.LOCAL, year=2025, allocated=500 * M)


@pytest.fixture
def late_project(staff, reviewer, old_plan, establishment):
    """A project of the 2025 plan whose contract was signed in April 2026."""
    return running(staff, reviewer, old_plan, establishment, amount=120 * M)


def carry(plan, *, by, amount, project=None, day=dt.date(2026, 1, 20)):
    return services.carry_forward_record(
        plan=plan,
        project=project,
        decision_no="15/QĐ-UBND",
        decision_date=day,
        amount=amount,
        by=by,
    )


def test_a_payment_after_the_budget_year_is_refused_without_a_carry_forward(
    late_project, staff
):
    with pytest.raises(Refused) as refused:
        pay(late_project, staff, 30 * M, date=LATE)
    message = " ".join(refused.value.messages)
    assert "2025" in message and "carry-forward" in message
    assert late_project.disbursements.count() == 0


def test_a_payment_within_the_project_carry_forward_is_recorded(
    late_project, old_plan, staff
):
    carry(old_plan, project=late_project, by=staff, amount=50 * M)
    pay(late_project, staff, 36 * M, kind=DisbursementKind.ADVANCE, date=LATE)
    with pytest.raises(Refused) as refused:
        # 36 + 20 > 50 carried forward
        pay(late_project, staff, 20 * M, date=dt.date(2026, 6, 1))
    assert "50.000.000" in " ".join(refused.value.messages) or "50,000,000" in " ".join(
        refused.value.messages
    )
    pay(late_project, staff, 14 * M, date=dt.date(2026, 6, 1))
    funding = late_project.fundings.get()
    assert funding.carried_total == 50 * M


def test_a_plan_carry_forward_covers_the_plans_projects(
    late_project, old_plan, staff, reviewer, establishment
):
    carry(old_plan, by=staff, amount=60 * M)
    other = running(staff, reviewer, old_plan, establishment, amount=100 * M)
    pay(late_project, staff, 30 * M, date=LATE)
    pay(other, staff, 30 * M, date=LATE)
    with pytest.raises(Refused):
        pay(other, staff, 1 * M, date=LATE)


def test_a_carry_forward_dated_after_the_payment_does_not_cover_it(
    late_project, old_plan, staff
):
    carry(
        old_plan, project=late_project, by=staff, amount=50 * M, day=dt.date(2026, 6, 1)
    )
    with pytest.raises(Refused):
        pay(late_project, staff, 10 * M, date=LATE)


def test_a_refund_after_the_year_needs_no_carry_forward(late_project, old_plan, staff):
    carry(old_plan, project=late_project, by=staff, amount=30 * M)
    pay(late_project, staff, 30 * M, date=LATE)
    pay(
        late_project,
        staff,
        5 * M,
        kind=DisbursementKind.REFUND,
        date=dt.date(2026, 6, 1),
    )
    assert late_project.fundings.get().refunded_total == 5 * M


def test_a_carry_forward_needs_its_decision_and_a_positive_amount(old_plan, staff):
    with pytest.raises(Refused):
        services.carry_forward_record(
            plan=old_plan,
            project=None,
            decision_no="",
            decision_date=dt.date(2026, 1, 20),
            amount=10 * M,
            by=staff,
        )
    with pytest.raises(Refused):
        carry(old_plan, by=staff, amount=0)


def test_the_dashboard_and_the_report_show_carried_forward_money_apart(
    late_project, old_plan, staff, reviewer, manager, as_user
):
    carry(old_plan, project=late_project, by=staff, amount=50 * M)
    pay(late_project, staff, 40 * M, date=LATE)
    client = as_user(manager)
    html = client.get(
        reverse("dashboard:dashboard"), {"year": 2025, "refresh": 1}
    ).content.decode()
    assert 'data-measure="carried_forward"' in html
    board = client.get(reverse("dashboard:dashboard"), {"year": 2025}).context["board"]
    local = next(row for row in board.budget if row.key == Source.LOCAL)
    assert (local.carried_forward, local.carried, local.disbursed) == (
        50 * M,
        40 * M,
        40 * M,
    )
    with translation.override("en"):
        # Money as known at the end of 2026, of the plans of 2025 and 2026.
        exporter = get_exporter("disbursement")(period=Period.parse("2025..2026"))
        headers = [str(c.header) for c in exporter.columns]
        list(exporter.iter_rows())
        totals = dict(zip(headers, exporter.totals(), strict=True))
    assert totals["Of which from carried-forward funds (đồng)"] == 40 * M
    assert totals["Disbursed to date (đồng)"] == 40 * M


def test_settlement_after_the_year_is_covered_like_a_payment(
    late_project, old_plan, staff, reviewer
):
    carry(old_plan, project=late_project, by=staff, amount=100 * M)
    pay(late_project, staff, 36 * M, kind=DisbursementKind.ADVANCE, date=LATE)
    advance(late_project, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    with pytest.raises((Refused, Refused)):
        # The remainder of 120 would bring the late money to 120 > 100.
        services.project_settle(
            voucher_no="PC-QT-01",
            project=late_project,
            by=staff,
            decision_no="QT-01/QĐ",
            settled_on=dt.date(2026, 12, 1),
            settled={Source.LOCAL: 120 * M},
        )
    services.project_settle(
        voucher_no="PC-QT-01",
        project=late_project,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=dt.date(2026, 12, 1),
        settled={Source.LOCAL: 100 * M},
    )
    assert late_project.fundings.get().carried_total == 100 * M


def test_the_administrator_records_a_carry_forward_in_the_admin(
    as_user, admin_user, old_plan, late_project, staff
):
    client = as_user(admin_user)
    url = reverse("admin:projects_carryforward_add")
    assert client.get(url).status_code == 200
    data = {
        "plan": old_plan.pk,
        "project": late_project.pk,
        "decision_no": "",
        "decision_date": "20/01/2026",
        "amount": "50000000",
        "note": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Nhập số quyết định chuyển nguồn." in refused.content.decode()
    client.post(url, {**data, "decision_no": "15/QĐ-UBND"})
    recorded = late_project.carry_forwards.get()
    assert (recorded.amount, recorded.recorded_by) == (50 * M, admin_user)
    pay(late_project, staff, 30 * M, date=LATE)
