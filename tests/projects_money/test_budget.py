"""The budget view: figures equal sums computed here, queries pinned."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from projects import services
from projects.models import Disbursement, DisbursementKind, Plan, Source, Status
from tests.builders import (
    advance,
    decision,
    make_establishment,
    make_plan,
    make_project,
    pay,
    running,
)

ADVANCE = DisbursementKind.ADVANCE
REFUND = DisbursementKind.REFUND


@pytest.fixture(autouse=True)
def english():
    yield


@pytest.fixture
def year_of_money(staff, reviewer, establishment):
    """Two plans of 2026 with projects in several states and money in them."""
    local = make_plan(Source.LOCAL, allocated=900_000_000)
    national = make_plan(Source.NATIONAL, allocated=1_500_000_000)
    a = running(staff, reviewer, local, establishment, amount=120_000_000)
    pay(a, staff, 36_000_000, kind=ADVANCE, date=dt.date(2026, 4, 15))
    pay(a, staff, 50_000_000, date=dt.date(2026, 6, 3))
    pay(a, staff, 6_000_000, kind=REFUND, date=dt.date(2026, 6, 20))
    # Another establishment: one may not receive more than 300 million đ of
    # machinery support in a year from all projects together.
    b = running(
        staff,
        reviewer,
        national,
        make_establishment(
            establishment.commune, "Cơ sở cơ khí Đông Sơn", business_registration_no="B"
        ),
        amount=300_000_000,
        counterpart=300_000_000,
    )
    pay(b, staff, 90_000_000, kind=ADVANCE, date=dt.date(2026, 5, 5))
    advance(b, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    services.project_settle(
        project=b,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=dt.date(2026, 12, 1),
        voucher_no="PC-QT-01",
        settled={Source.NATIONAL: 280_000_000},
    )
    c = running(staff, reviewer, local, establishment, amount=80_000_000)
    pay(c, staff, 20_000_000, kind=ADVANCE, date=dt.date(2026, 4, 20))
    services.project_cancel(project=c, by=reviewer, reason="Cơ sở rút", **decision(c))
    c.disbursements.get(state="due").confirm_refund(
        date=dt.date(2026, 7, 1), voucher_no="PT-1", by=staff
    )
    # A draft commits nothing.
    make_project(staff, {local: 50_000_000}, beneficiaries=[establishment])
    # Another year's plan is not shown.
    other = make_plan(Source.LOCAL, year=2027, allocated=10)
    return [local, national, other]


def expected(plan: Plan) -> dict:
    """Sums computed in Python from the rows, not by the view's queries."""
    approved = sum(
        f.approved or 0
        for f in plan.fundings.all()
        if f.project.status in ("approved", "in_progress", "accepted", "settled")
    )
    # What the plan's projects hold on it: approved support while they run,
    # the settled amount once settled; cancelled projects hold nothing.
    committed = sum(
        (f.settled if f.project.status == "settled" else f.approved) or 0
        for f in plan.fundings.all()
        if f.project.status in ("approved", "in_progress", "accepted", "settled")
    )
    disbursed = 0
    months: dict[int, int] = {}
    for row in Disbursement.objects.filter(funding__plan=plan):
        if row.state == "due":
            continue
        value = -row.amount if row.kind == "refund" else row.amount
        disbursed += value
        months[row.date.month] = months.get(row.date.month, 0) + value
    return {
        "allocated": plan.allocated,
        "approved": approved,
        "disbursed": disbursed,
        "remaining": plan.allocated - committed,
        "rate": (Decimal(disbursed) * 100 / plan.allocated).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        ),
        "months": months,
    }


def test_the_budget_figures_equal_independent_sums(
    year_of_money, manager, as_user, django_assert_num_queries
):
    local, national, _other = year_of_money
    client = as_user(manager)
    client.get(reverse("money:budget"))  # warm the session
    # session, user, roles and unread notifications (navigation), years,
    # plans, months
    with django_assert_num_queries(7):
        response = client.get(reverse("money:budget"), {"year": 2026})
    rows = {row["plan"].pk: row for row in response.context["rows"]}
    assert set(rows) == {local.pk, national.pk}
    for plan in (local, national):
        want, row = expected(plan), rows[plan.pk]
        got = row["money"]
        assert got.allocated == want["allocated"]
        assert got.approved == want["approved"]
        assert got.disbursed == want["disbursed"]
        assert got.remaining == want["remaining"]
        assert got.rate_of_allocated == want["rate"]
        assert row["months"] == [want["months"].get(m, 0) for m in range(1, 13)]
    # The figures worked out by hand, so the test cannot agree with a wrong sum.
    assert rows[local.pk]["money"].approved == 120_000_000
    assert rows[local.pk]["money"].disbursed == 80_000_000
    assert rows[national.pk]["money"].disbursed == 280_000_000
    # Settled at 280 of 300 approved: 20 back on the national plan.
    assert rows[national.pk]["money"].released == 20_000_000
    assert rows[national.pk]["money"].remaining == 1_500_000_000 - 280_000_000
    assert rows[national.pk]["months"][11] == 190_000_000
    totals = response.context["totals"]
    assert totals.disbursed == 360_000_000
    assert totals.allocated == 2_400_000_000
    html = response.content.decode()
    assert "280.000.000 đ" in html and "18,7 %" in html


def test_the_query_count_does_not_grow_with_plans(
    year_of_money, manager, as_user, django_assert_num_queries
):
    for n in range(5):
        make_plan(Source.LOCAL, year=2026 + n + 10, allocated=1)
    client = as_user(manager)
    client.get(reverse("money:budget"))
    with django_assert_num_queries(7):
        client.get(reverse("money:budget"), {"year": 2026})
    with django_assert_num_queries(7):
        client.get(reverse("money:budget"), {"year": "không-phải-số"})
