"""A known dataset for the dashboard, coverage and warning tests.

Projects are built with the real services (tests/builders.py), so
every state is one the portal can reach. The expected figures are computed by
the tests in Python from these objects, independently of reports/dashboard.py.

This year (Y = today's year), home province:
- c_mountain: e1, e2 registered; p_running (local, in progress, e1) and
  p_submitted (waiting) take place here;
- c_lowland: e3, e6 registered; p_approved (national, approved, e3) and
  p_draft take place here;
- c_coastal: e4 registered; p_both (local + national, accepted, e4) takes
  place here;
- c_plain (no region): e5 registered, nothing else -> "no support";
- last year (Y-1): p_old (local, in progress, e2, place c_mountain), ended
  ten days ago -> overdue, and lagging (18 % paid); p_old_paid (in progress,
  half paid, ends next month) -> neither.

Money: p_running paid 30 M of 120 M; p_both paid 100 M (local) and 40 M less
a 5 M refund (national), accepted with outputs; inspections: one overdue for
p_running, one done late for p_approved, one due in five days for p_running.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from enterprises.models import Commune, Establishment, Region
from projects import services
from projects.models import (
    Acceptance,
    ActivityContent,
    DisbursementKind,
    Inspection,
    Plan,
    Project,
    Source,
    Status,
)
from tests.builders import (
    advance,
    make_establishment,
    make_plan,
    make_project,
    pay,
    shared_for_the_scope,
)
from tests.factories import reviewer_user, staff_user


@dataclass
class Dataset:
    year: int
    communes: dict[str, Commune]
    establishments: dict[str, Establishment]
    plans: dict[str, Plan]
    projects: dict[str, Project]

    def fresh(self) -> Dataset:
        """The same records read again from the database, so that what a
        test does to its copies never reaches the next test."""

        def again(rows: dict) -> dict:
            return {k: type(row).objects.get(pk=row.pk) for k, row in rows.items()}

        return Dataset(
            self.year,
            again(self.communes),
            again(self.establishments),
            again(self.plans),
            again(self.projects),
        )


def _commune(index: int, region: str) -> Commune:
    unit = Commune.objects.in_province(settings.HOME_PROVINCE_CODE).order_by("code")[
        index
    ]
    unit.region = region
    unit.save(update_fields=["region"])
    return unit


# --- built for each test, or once for a module ---------------------------------
#
# A module whose tests all read the dataset without building on an empty
# database first opts in with `pytest.mark.usefixtures("module_dataset")` in
# its pytestmark: the dataset is then built once, in a transaction rolled back
# after the module's last test (tests.builders.shared_for_the_scope), and every
# test runs in a savepoint of its own within it; `dataset` reads its records
# afresh and `staff` and `reviewer` are the users who built it. Building it
# takes a few seconds (every step through the real services); some fifty
# tests read it.


@pytest.fixture(scope="module")
def module_dataset(django_db_setup, django_db_blocker) -> Iterator[Dataset]:
    with shared_for_the_scope(django_db_blocker):
        yield build_dataset(staff_user(), reviewer_user())


def _shared(request) -> bool:
    return "module_dataset" in request.fixturenames


@pytest.fixture
def staff(request, db) -> User:
    return User.objects.get(username="staff") if _shared(request) else staff_user()


@pytest.fixture
def reviewer(request, db) -> User:
    if _shared(request):
        return User.objects.get(username="reviewer")
    return reviewer_user()


@pytest.fixture
def dataset(request, staff, reviewer) -> Dataset:
    if _shared(request):
        return request.getfixturevalue("module_dataset").fresh()
    return build_dataset(staff, reviewer)


def build_dataset(staff: User, reviewer: User) -> Dataset:
    today = timezone.localdate()
    year = today.year
    communes = {
        "mountain": _commune(0, Region.MOUNTAIN),
        "lowland": _commune(1, Region.LOWLAND),
        "coastal": _commune(2, Region.COASTAL),
        "plain": _commune(3, ""),
    }
    est = {}
    for key, place, n in [
        ("e1", "mountain", 1),
        ("e2", "mountain", 2),
        ("e3", "lowland", 3),
        ("e6", "lowland", 6),
        ("e4", "coastal", 4),
        ("e5", "plain", 5),
    ]:
        est[key] = make_establishment(
            communes[place], name=f"Cơ sở {key}", business_registration_no=f"HKD-{n}"
        )
    Establishment.objects.filter(pk=est["e1"].pk).update(women_owned=True)
    Establishment.objects.filter(pk=est["e4"].pk).update(
        women_owned=True, ethnic_minority_owned=True
    )
    Establishment.objects.filter(pk=est["e6"].pk).update(ethnic_minority_owned=True)
    # An inactive establishment counts nowhere.
    make_establishment(
        communes["plain"],
        name="Cơ sở đã nghỉ",
        business_registration_no="HKD-9",
        is_active=False,
    )

    plans = {
        "local": make_plan(Source.LOCAL, year, allocated=1_000_000_000),
        "national": make_plan(Source.NATIONAL, year, allocated=500_000_000),
        "local_old": make_plan(Source.LOCAL, year - 1, allocated=800_000_000),
    }
    training = ActivityContent.objects.get(code=1)
    soon = today + dt.timedelta(days=20)
    p = {}
    p["running"] = make_project(
        staff,
        {plans["local"]: 120_000_000},
        beneficiaries=[est["e1"]],
        commune=communes["mountain"],
        target_machines=3,
        baseline_jobs=12,
        start_date=today - dt.timedelta(days=100),
        end_date=soon,
    )
    p["approved"] = make_project(
        staff,
        {plans["national"]: 150_000_000},
        beneficiaries=[est["e3"]],
        commune=communes["lowland"],
        target_machines=2,
        target_products=5,
        baseline_jobs=8,
        start_date=today,
        end_date=today + dt.timedelta(days=200),
    )
    p["both"] = make_project(
        staff,
        {plans["local"]: 100_000_000, plans["national"]: 80_000_000},
        beneficiaries=[est["e4"]],
        commune=communes["coastal"],
        content=training,
        target_trainees=40,
        baseline_jobs=20,
        baseline_energy_kwh=Decimal("10000.50"),
        baseline_revenue=500_000_000,
        counterpart=200_000_000,
    )
    p["submitted"] = make_project(
        staff,
        {plans["local"]: 90_000_000},
        beneficiaries=[est["e1"]],
        commune=communes["mountain"],
        target_machines=7,
    )
    p["draft"] = make_project(
        staff, {plans["local"]: 60_000_000}, commune=communes["lowland"]
    )
    p["returned"] = make_project(
        staff, {plans["local"]: 70_000_000}, beneficiaries=[est["e6"]]
    )
    p["old"] = make_project(
        staff,
        {plans["local_old"]: 110_000_000},
        beneficiaries=[est["e2"]],
        commune=communes["mountain"],
        start_date=today - dt.timedelta(days=300),
        end_date=today - dt.timedelta(days=10),
    )
    p["old_paid"] = make_project(
        staff,
        {plans["local_old"]: 100_000_000},
        beneficiaries=[est["e3"]],
        commune=communes["lowland"],
        start_date=today - dt.timedelta(days=300),
        end_date=today + dt.timedelta(days=40),
    )
    advance(p["running"], Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    advance(p["approved"], Status.APPROVED, staff=staff, reviewer=reviewer)
    advance(p["both"], Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    advance(p["submitted"], Status.SUBMITTED, staff=staff, reviewer=reviewer)
    advance(p["returned"], Status.RETURNED, staff=staff, reviewer=reviewer)
    advance(p["old"], Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    advance(p["old_paid"], Status.IN_PROGRESS, staff=staff, reviewer=reviewer)

    # The old plan's projects are paid after its budget year, under a
    # carry-forward decision (chuyển nguồn) of the plan.
    services.carry_forward_record(
        plan=plans["local_old"],
        project=None,
        decision_no="12/QĐ-UBND",
        decision_date=dt.date(2026, 1, 15),
        amount=210_000_000,
        by=staff,
    )
    pay(p["running"], staff, 30_000_000)
    pay(p["both"], staff, 100_000_000, source=Source.LOCAL)
    pay(p["both"], staff, 40_000_000, source=Source.NATIONAL)
    pay(
        p["both"],
        staff,
        5_000_000,
        source=Source.NATIONAL,
        kind=DisbursementKind.REFUND,
    )
    pay(p["old"], staff, 20_000_000)
    pay(p["old_paid"], staff, 50_000_000)
    advance(p["both"], Status.ACCEPTED, staff=staff, reviewer=reviewer)
    Acceptance.of(p["both"]).store(
        by=staff,
        outputs={
            "trainees_achieved": 38,
            "products_achieved": 2,
            "jobs_after": 26,
            "energy_after_kwh": Decimal("7500.25"),
            "revenue_after": 650_000_000,
        },
    )
    Inspection.objects.create(
        project=p["running"],
        planned_date=today - dt.timedelta(days=3),
        recorded_by=staff,
    )
    Inspection.objects.create(
        project=p["approved"],
        planned_date=today - dt.timedelta(days=30),
        actual_date=today - dt.timedelta(days=2),
        recorded_by=staff,
    )
    Inspection.objects.create(
        project=p["running"],
        planned_date=today + dt.timedelta(days=5),
        recorded_by=staff,
    )
    for project in p.values():
        project.refresh_from_db()
    return Dataset(year, communes, est, plans, p)


@pytest.fixture
def tasks_in_process(monkeypatch):
    """Run Celery tasks in this process even when CI sets a broker, so that
    their e-mails land in `mailoutbox`; tests/test_celery_worker.py covers the
    real worker path."""
    from khuyencong.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "task_eager_propagates", True)


@pytest.fixture(autouse=True)
def no_dashboard_cache(settings):
    """Every test here computes the board afresh, except the cache's own tests
    (test_dashboard_cache.py), which switch it on."""
    settings.KC_DASHBOARD_CACHE_SECONDS = 0
