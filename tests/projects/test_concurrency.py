"""Two reviewers acting at the same moment (PostgreSQL row locks)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from projects import services
from projects.models import (
    Project,
    ProjectCodeCounter,
    Refused,
    Source,
    Status,
    Transition,
)
from tests.builders import SUBMIT_DAY, make_plan, make_project, review

pytestmark = [
    pytest.mark.postgres,
    # Seeded reference data (communes, contents, rules, role groups) is put
    # back by post_migrate after each flush (see the apps' ready()).
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL row locks (set DATABASE_URL); SQLite serialises "
        "writers, so the race cannot happen there",
    ),
]


def run_together(*calls) -> list:
    """Run the calls in threads released at the same instant; return outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def worker(index: int, call) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_reviewers_approving_at_once_make_one_approval(
    staff, reviewer, establishment
):
    from django.contrib.auth.models import Group

    from enterprises.roles import GROUP_NAMES, Role

    second = type(reviewer).objects.create_user("reviewer2")
    second.groups.add(Group.objects.get(name=GROUP_NAMES[Role.REVIEWER]))
    plan = make_plan(Source.LOCAL)
    project = make_project(staff, {plan: 120_000_000}, beneficiaries=[establishment])
    services.project_submit(project=project, by=staff, day=SUBMIT_DAY)
    review(project, reviewer)

    def approve(user):
        return lambda: services.project_approve(
            project=Project.objects.get(pk=project.pk),
            by=type(user).objects.get(pk=user.pk),
            decision_no=f"{user.pk}/QĐ-UBND",
            decision_date=dt.date(2026, 3, 25),
            approved={Source.LOCAL: 120_000_000},
        )

    outcomes = run_together(approve(reviewer), approve(second))

    assert sum(isinstance(o, Project) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Refused) for o in outcomes) == 1, outcomes
    project.refresh_from_db()
    assert project.status == Status.APPROVED
    assert Transition.objects.filter(project=project, action="approve").count() == 1


def test_two_approvals_racing_for_the_last_of_a_plan_leave_it_not_overspent(
    staff, reviewer, establishment
):
    plan = make_plan(Source.LOCAL, allocated=150_000_000)
    projects = [
        make_project(staff, {plan: 100_000_000}, beneficiaries=[establishment])
        for _ in range(2)
    ]
    for p in projects:
        services.project_submit(project=p, by=staff, day=SUBMIT_DAY)
        review(p, reviewer)

    def approve(p):
        return lambda: services.project_approve(
            project=Project.objects.get(pk=p.pk),
            by=type(reviewer).objects.get(pk=reviewer.pk),
            decision_no="7/QĐ-UBND",
            decision_date=dt.date(2026, 3, 25),
            approved={Source.LOCAL: 100_000_000},
        )

    outcomes = run_together(*(approve(p) for p in projects))

    assert sum(isinstance(o, Project) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Refused) for o in outcomes) == 1, outcomes
    assert Project.objects.filter(status=Status.APPROVED).count() == 1


def test_projects_created_at_once_get_distinct_codes(staff):
    plan = make_plan(Source.LOCAL)
    outcomes = run_together(
        *(lambda: make_project(staff, {plan: 1}).code for _ in range(4))
    )
    assert sorted(outcomes) == [f"KCĐP-2026-00{i}" for i in range(1, 5)], outcomes
    assert ProjectCodeCounter.objects.get(source="KCDP", year=2026).last_number == 4
