"""The synthetic data set of the benchmark holds the invariants the models hold."""

from __future__ import annotations

import io

import pytest
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum

from devdata.stress import seed_scale, stress_counts
from enterprises.models import Establishment
from projects.models import (
    COMMITTED_STATUSES,
    Disbursement,
    DisbursementKind,
    Project,
    ProjectCodeCounter,
    ProjectFunding,
    Status,
)
from projects.models.money import SIGNED_AMOUNT

pytestmark = pytest.mark.django_db

N = 50


@pytest.fixture
def seeded() -> str:
    out = io.StringIO()
    seed_scale(n=N, stdout=out)
    return out.getvalue()


def test_it_seeds_the_counts_of_the_scale(seeded):
    counts = stress_counts()
    assert counts["projects"] == N
    assert counts["establishments"] == 10 * N
    assert N <= counts["fundings"] <= 2 * N
    assert N <= counts["beneficiaries"] <= 3 * N
    assert 3 * N <= counts["disbursements"] <= 6 * N
    assert "Seeded 50 projects" in seeded


def test_paid_stays_within_approved_on_every_funding_row(seeded):
    fundings = ProjectFunding.objects.annotate(
        paid=Subquery(
            Disbursement.objects.filter(funding=OuterRef("pk"))
            .order_by()
            .values("funding")
            .annotate(s=Sum(SIGNED_AMOUNT))
            .values("s")
        ),
        advanced=Subquery(
            Disbursement.objects.filter(
                funding=OuterRef("pk"), kind=DisbursementKind.ADVANCE
            )
            .order_by()
            .values("funding")
            .annotate(s=Sum("amount"))
            .values("s")
        ),
    ).select_related("project__content")
    with_money = [f for f in fundings if f.paid]
    assert with_money
    for f in with_money:
        assert f.paid <= f.approved
        assert f.advanced * 100 <= f.approved * f.project.content.max_advance_share
        assert f.project.status in (Status.IN_PROGRESS, Status.ACCEPTED, Status.SETTLED)
        if f.project.status == Status.SETTLED:
            assert f.settled == f.paid
    assert not ProjectFunding.objects.filter(approved__gt=F("requested")).exists()
    # Money is approved exactly when the project is committed.
    assert not ProjectFunding.objects.filter(
        Q(approved__isnull=True, project__status__in=COMMITTED_STATUSES)
        | Q(approved__isnull=False) & ~Q(project__status__in=COMMITTED_STATUSES)
    ).exists()


def test_statuses_dates_and_codes_are_plausible(seeded):
    statuses = dict(
        Project.objects.values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    assert {Status.DRAFT, Status.IN_PROGRESS, Status.SETTLED} <= set(statuses)
    sent = Project.objects.exclude(status__in=[Status.DRAFT, Status.RETURNED])
    assert not sent.exclude(
        total_cost=F("support_requested") + F("counterpart") + F("other_sources")
    ).exists()
    assert not Disbursement.objects.filter(
        date__lt=F("project__contract_date")
    ).exists()
    codes = list(Project.objects.values_list("code", flat=True))
    assert len(set(codes)) == len(codes) == N
    # A project created by hand afterwards takes a code the stress set left free.
    for counter in ProjectCodeCounter.objects.all():
        taken = f"{counter.source}-{counter.year}-"
        numbers = [int(c.rsplit("-", 1)[1]) for c in codes if c.startswith(taken)]
        assert max(numbers, default=0) <= counter.last_number
    assert Establishment.objects.filter(tax_code="").count() == 0


def test_it_does_nothing_the_second_time_at_the_same_scale(seeded):
    before = stress_counts()
    out = io.StringIO()
    seed_scale(n=N, stdout=out)
    assert "nothing to do" in out.getvalue()
    assert stress_counts() == before


def test_another_scale_replaces_the_stress_data(seeded):
    seed_scale(n=20, stdout=io.StringIO())
    counts = stress_counts()
    assert counts["projects"] == 20
    assert counts["establishments"] == 200
