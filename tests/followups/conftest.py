"""A project settled on 1 December 2026 (tests.builders.settled, one machine)
for establishment A, with its proposal's baseline; establishment B's own
settled project; and A's verified account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from followups.models import FollowUp
from followups.services import followup_open_due
from projects.models import Project, Source
from tests.builders import (
    make_establishment,
    make_plan,
    reloaded,
    settled,
    shared_for_the_scope,
)
from tests.factories import (
    home_commune,
    make_applicant,
    reviewer_user,
    staff_user,
)

from .opening import OPENING_DAY, M

# The builders' settlement day is 1 December 2026: 12 months later.


@dataclass
class World:
    a: Any
    b: Any
    project_a: Project
    project_b: Project
    applicant_a: Any
    applicant_b: Any

    def open(self, day: dt.date = OPENING_DAY) -> list[FollowUp]:
        return followup_open_due(today=day)

    def followup_a(self) -> FollowUp:
        return FollowUp.objects.get(project=self.project_a)

    def followup_b(self) -> FollowUp:
        return FollowUp.objects.get(project=self.project_b)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker) -> World:
    """Built once per module, in a transaction rolled back after its last
    test (tests.builders.shared_for_the_scope): each test changes it only in
    its own savepoint and gets its records read afresh."""
    with shared_for_the_scope(django_db_blocker):
        yield _world(staff_user(), reviewer_user())


@pytest.fixture
def world(shared_world, db) -> World:
    return reloaded(shared_world)


def _world(staff, reviewer) -> World:
    commune = home_commune()
    a = make_establishment(commune, "Cơ sở mộc Hoằng Hóa")
    b = make_establishment(
        commune, "Cơ sở mây tre Nga Sơn", business_registration_no="HKD-002"
    )
    plan = make_plan(Source.LOCAL)
    project_a = settled(staff, reviewer, plan, a)
    project_b = settled(staff, reviewer, plan, b)
    # The proposal's baseline (the builders' projects leave it empty).
    Project.objects.filter(pk__in=[project_a.pk, project_b.pk]).update(
        baseline_jobs=20, baseline_revenue=900 * M, baseline_energy_kwh=12000
    )
    project_a.refresh_from_db()
    return World(
        a=a,
        b=b,
        project_a=project_a,
        project_b=project_b,
        applicant_a=make_applicant("coso-a", a),
        applicant_b=make_applicant("coso-b", b),
    )
