"""Every wrong role and every wrong state, from the lifecycle table: each step
refused, and nothing changed.

The table's refusals are over a thousand cases on a handful of situations: a
local or national project in each state (and, to decide an adjustment, one
in progress with a request open). Those projects are built once for the
module through the real services (`shared_for_the_scope`), as are the
users of each role. One test tries every wrong role on one step in one
state, each role in a savepoint of its own on a fresh copy of the project:
what an attempt might write is gone before the next one, as with a project
and a user built per case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest

from enterprises.roles import Role
from projects import lifecycle, services
from projects.lifecycle import LIFECYCLE
from projects.models import Project, Refused, Source, Status
from tests.builders import (
    SUBMIT_DAY,
    advance,
    approved_amounts,
    decision,
    make_establishment,
    make_plan,
    make_project,
    rolled_back,
    shared_for_the_scope,
)
from tests.factories import home_commune, make_user

pytestmark = pytest.mark.django_db

# The roles tried, None being a user holding no role.
ROLES = (Role.STAFF, Role.REVIEWER, Role.MANAGER, Role.ADMIN, None)

# The review steps of the shipped routes (projects/reference_data.py).
ROUTE_ACTIONS = {
    "local": {"receive", "council", "appraise", "approve"},
    "national": {"propose", "appraise_ministry", "record_decision"},
}
REACHABLE = {
    "local": [s for s in Status.values if s != Status.PROPOSED],
    "national": [
        s for s in Status.values if s not in (Status.RECEIVED, Status.SCORED)
    ],
}  # fmt: skip


def valid_kwargs(action: str, project: Project) -> dict:
    """Arguments that would be accepted if role and state were right: only
    the asked action's are built (several read the database)."""
    day = dt.date(2026, 4, 10)
    arguments = {
        "submit": lambda: {"day": SUBMIT_DAY},
        "resubmit": lambda: {"day": SUBMIT_DAY},
        "return": lambda: {"comment": "Bổ sung"},
        "withdraw": lambda: {"comment": ""},
        "receive": lambda: {"comment": ""},
        "propose": lambda: {"proposal_no": "15/SCT-QLCN", "proposal_date": day},
        "appraise_ministry": lambda: {"opinion": "Đạt"},
        "approve": lambda: {
            "decision_no": "9/QĐ",
            "decision_date": day,
            "approved": approved_amounts(project),
        },
        "record_decision": lambda: {
            "decision_no": "9/QĐ-BCT",
            "decision_date": day,
            "approved": approved_amounts(project),
        },
        "appraise": lambda: {"opinion": "Đạt"},
        "council": lambda: {
            "total": Decimal("82.5"),
            "threshold": Decimal("70"),
            "recommended": True,
            "minutes_no": "1/BB-TTKC",
        },
        "reject": lambda: {"reason": "Không đạt"},
        "start": lambda: {"contract_no": "1/HĐ", "contract_date": day},
        "request_adjustment": lambda: {
            "reason": "Lùi tiến độ",
            "changes": {"end_date": dt.date(2026, 12, 31)},
        },
        "decide_adjustment": lambda: {
            "approve": True,
            "comment": "",
            **decision(project, "adjustment"),
        },
        "accept": lambda: {"acceptance_date": day, "minutes_no": "2/BB"},
        "settle": lambda: {
            **decision(project, "settlement", day),
            "settled_on": day,
            "settled": {f.source: f.approved or 0 for f in project.fundings.all()},
        },
        "cancel": lambda: {"reason": "Rút đề án", **decision(project)},
        "correct_decision": lambda: {
            "reason": "Ghi nhầm số",
            "changes": {"decision_no": "124/QĐ"},
        },
        "correct_contract": lambda: {
            "reason": "Ghi nhầm số",
            "changes": {"contract_no": "46/HĐ-KC"},
        },
        "correct_acceptance": lambda: {
            "reason": "Ghi nhầm số",
            "changes": {"acceptance_minutes_no": "13/BB-NT"},
        },
        "correct_settlement": lambda: {
            "reason": "Ghi nhầm ngày",
            "changes": {"settled_on": dt.date(2026, 12, 2)},
        },
    }
    return arguments[action]()


def snapshot(project: Project) -> tuple:
    project = Project.objects.get(pk=project.pk)
    return (
        project.status,
        project.updated_at,
        project.transitions.count(),
        project.history.count(),
        project.adjustments.filter(status="pending").count(),
        list(project.fundings.values_list("requested", "approved", "settled")),
        project.decisions.count(),
    )


def statically_allowed(route: str, status: str, action: str, role) -> bool:
    """The role may take the step in that state; an author's step (withdraw)
    never, since no user tried wrote the project: their role is right, but
    only the author takes it back."""
    return any(
        status in step.sources
        and role in step.roles
        and step.guard != "author"
        and (not step.routed or action in ROUTE_ACTIONS[route])
        for step in lifecycle.steps_for(action)
    )


# Read-only roles are tried on every state where someone may act; a user
# without any role once per state, on submit.
ACTIVE_STATES = {s for step in LIFECYCLE for s in step.sources}


def refusal_cases() -> list[tuple[str, str, str, str | None]]:
    cases = []
    for route, statuses in REACHABLE.items():
        for status in statuses:
            for action in lifecycle.ACTIONS:
                for role in ROLES:
                    if role is None and action != "submit":
                        continue
                    if role in (Role.MANAGER, Role.ADMIN) and (
                        status not in ACTIVE_STATES
                    ):
                        continue
                    if statically_allowed(route, status, action, role):
                        continue
                    cases.append((route, status, action, role))
    return cases


def situation(route: str, status: str, action: str) -> tuple[str, str, bool]:
    """Which shared project a case needs: deciding an adjustment needs an open
    request (asking needs none), so that only the role can make it fail."""
    return route, status, action == "decide_adjustment" and status == Status.IN_PROGRESS


CASES = refusal_cases()
# The wrong roles of each step in each state, tried by one test.
WRONG_ROLES: dict[tuple[str, str, str], list] = {}
for *_step, _role in CASES:
    WRONG_ROLES.setdefault(tuple(_step), []).append(_role)


@pytest.fixture(scope="module")
def situations(django_db_setup, django_db_blocker) -> dict[tuple, int]:
    """The project of each situation the cases need, by primary key."""
    with shared_for_the_scope(django_db_blocker):
        staff = make_user("lifecycle-staff", Role.STAFF)
        reviewer = make_user("lifecycle-reviewer", Role.REVIEWER)
        plans = {
            "local": make_plan(Source.LOCAL),
            "national": make_plan(Source.NATIONAL),
        }
        built = {}
        needed = sorted({situation(*case[:3]) for case in CASES})
        for i, (route, status, adjustment) in enumerate(needed):
            # One beneficiary each: earlier support of the same content must
            # not be what refuses a case.
            establishment = make_establishment(
                home_commune(), f"Cơ sở {i}", business_registration_no=f"HKD-L{i}"
            )
            project = make_project(
                staff, {plans[route]: 120_000_000}, beneficiaries=[establishment]
            )
            advance(project, status, staff=staff, reviewer=reviewer)
            if adjustment:
                services.project_request_adjustment(
                    project=project,
                    by=staff,
                    reason="Đổi địa điểm",
                    changes={"objectives": "Mục tiêu mới"},
                )
            built[(route, status, adjustment)] = project.pk
        yield built


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """A user of each role (none of them the projects' author), built once."""
    with shared_for_the_scope(django_db_blocker):
        yield {
            role: make_user(
                f"refused-{role or 'nobody'}", role, is_staff=role == Role.ADMIN
            )
            for role in ROLES
        }


@pytest.mark.parametrize(
    ("route", "status", "action"),
    [pytest.param(*step, id="-".join(step)) for step in WRONG_ROLES],
)
def test_wrong_role_or_wrong_state_is_refused_and_changes_nothing(
    situations, people, route, status, action
):
    # The same for every role: the project is the same, rolled back each time.
    kwargs = None
    for role in WRONG_ROLES[(route, status, action)]:
        with rolled_back():
            project = Project.objects.get(
                pk=situations[situation(route, status, action)]
            )
            assert project.status == status
            user = people[role]
            allowed = any(
                step.applies_to(project) and step.allows(project, user)
                for step in lifecycle.steps_for(action)
            )
            assert not allowed, role
            before = snapshot(project)
            kwargs = kwargs or valid_kwargs(action, project)
            with pytest.raises(Refused) as refused:
                lifecycle.steps_for(action)[0].run(project=project, by=user, **kwargs)
            assert refused.value.messages, role
            assert snapshot(project) == before, role


def test_every_step_and_role_is_tried_on_both_routes():
    """The cases cover every step of the table on each route, each role on
    some step, and the author's step (withdraw) by staff who did not write
    the project."""
    for route in REACHABLE:
        tried = {(action, role) for r, _s, action, role in CASES if r == route}
        assert {action for action, _role in tried} == set(lifecycle.ACTIONS)
        assert {role for _action, role in tried} == set(ROLES)
        assert ("withdraw", Role.STAFF) in tried
        # A route's review steps are refused to everyone on the other route.
        other = "national" if route == "local" else "local"
        for action in ROUTE_ACTIONS[other]:
            assert {role for a, role in tried if a == action} >= {
                Role.STAFF,
                Role.REVIEWER,
            }, action
