"""The test factories and builders make what the portal itself would: every
row passes the model's validation, every situation is in the state and holds
the money its docstring says."""

from __future__ import annotations

import pytest

from enterprises.roles import GROUP_NAMES, Role
from projects.models import DisbursementKind, Source, Status
from tests import factories
from tests.builders import (
    M,
    accepted,
    make_establishment,
    make_plan,
    running_with_payments,
    settled,
    started_with_advance,
)

pytestmark = pytest.mark.django_db


def running_project(staff, reviewer, establishment):
    return started_with_advance(staff, reviewer, make_plan(Source.LOCAL), establishment)


@pytest.mark.parametrize(
    "factory",
    [
        factories.UserFactory,
        factories.EstablishmentFactory,
        factories.ProgrammeFactory,
        factories.PlanFactory,
        factories.ProjectFactory,
        factories.ProjectFundingFactory,
        factories.ReportJobFactory,
        factories.ReportScheduleFactory,
        factories.NotificationFactory,
    ],
)
def test_a_factory_makes_a_valid_row(factory):
    row = factory()
    row.full_clean(exclude=["password"])
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    "factory",
    [
        factories.DisbursementFactory,
        factories.EquipmentInvestmentFactory,
        factories.InspectionFactory,
        factories.ProgressUpdateFactory,
        factories.ExecutionPhotoFactory,
    ],
)
def test_an_execution_factory_makes_a_valid_row_of_a_running_project(
    factory, staff, reviewer, establishment
):
    project = running_project(staff, reviewer, establishment)
    row = factory(project=project)
    row.full_clean()
    assert row.project_id == project.pk


def test_a_draft_with_two_sources_adds_up(staff):
    project = factories.ProjectFactory(created_by=staff)
    factories.ProjectFundingFactory(project=project, requested=80 * M)
    project.refresh_from_db()
    assert sorted(project.fundings.values_list("source", flat=True)) == sorted(
        [Source.LOCAL, Source.NATIONAL]
    )
    assert project.support_requested == 200 * M
    assert project.total_cost == 200 * M + project.counterpart


def test_the_user_factory_gives_the_role_and_the_known_password():
    user = factories.UserFactory(username="hoa", role=Role.STAFF)
    assert user.check_password("pw-hoa")
    assert list(user.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.STAFF]]


def test_the_acceptance_factory_records_outputs_of_an_accepted_project(
    staff, reviewer, establishment
):
    project = accepted(staff, reviewer, make_plan(Source.LOCAL), establishment)
    row = factories.AcceptanceFactory(project=project, trainees_achieved=12)
    assert (row.machines_achieved, row.trainees_achieved) == (2, 12)


def test_the_situations_hold_their_money(staff, reviewer, establishment, commune):
    def money(project):
        rows = list(project.disbursements.all())
        return {
            kind: sum(r.amount for r in rows if r.kind == kind)
            for kind in DisbursementKind.values
        }

    plan = make_plan(Source.LOCAL)
    started = started_with_advance(staff, reviewer, plan, establishment)
    assert started.status == Status.IN_PROGRESS
    assert money(started)["advance"] == 30 * M

    others = iter(
        make_establishment(commune, business_registration_no=f"HKD-{i}")
        for i in range(10, 13)
    )
    paying = running_with_payments(staff, reviewer, plan, next(others))
    assert (money(paying)["advance"], money(paying)["payment"]) == (30 * M, 50 * M)
    assert paying.equipment.count() == paying.inspections.count() == 1
    assert paying.progress_updates.get().progress_percent == 60

    done = accepted(staff, reviewer, plan, next(others))
    assert done.status == Status.ACCEPTED
    assert done.acceptance.machines_achieved == 2

    closed = settled(staff, reviewer, plan, next(others))
    funding = closed.fundings.get()
    assert closed.status == Status.SETTLED
    assert (funding.approved, funding.settled) == (120 * M, 100 * M)
    assert money(closed)["settlement"] == 20 * M
