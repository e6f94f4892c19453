"""The lifecycle table, walked by the right roles and refused for the wrong ones.

Who may do what (projects/lifecycle.py):
- staff submit, resubmit, start, ask for adjustments, accept, settle and cancel
  their drafts;
- reviewers return, approve (local), appraise and record the ministry's decision
  (national), reject, decide adjustments and cancel once the Sở has the project;
- managers, administrators and users without a role take no step at all.
"""

from __future__ import annotations

import datetime as dt

import pytest

from enterprises.roles import Role
from projects import lifecycle, services
from projects.forms.projects import ActionForm
from projects.lifecycle import LIFECYCLE
from projects.models import Adjustment, Project, Refused, Status
from tests.builders import SUBMIT_DAY, advance, approved_amounts

pytestmark = pytest.mark.django_db

ROLE_FIXTURES = {
    Role.STAFF: "staff",
    Role.REVIEWER: "reviewer",
    Role.MANAGER: "manager",
    Role.ADMIN: "admin_user",
    None: "nobody",
}


def timeline(project: Project) -> list[tuple[str, str, str, str]]:
    return [
        (t.action, t.from_status, t.to_status, t.actor.username)
        for t in project.transitions.select_related("actor")
    ]


def test_every_step_of_the_table_names_its_form_and_service():
    for step in LIFECYCLE:
        assert issubclass(step.form_class, ActionForm), step.action
        assert callable(step.run), step.action


def test_it_walks_a_local_project_through_every_state(local_project, staff, reviewer):
    p = local_project
    assert p.code == "KCĐP-2026-001"
    assert p.status == Status.DRAFT and not p.is_national

    services.project_submit(project=p, by=staff, day=SUBMIT_DAY)
    assert p.status == Status.SUBMITTED and p.submitted_on == SUBMIT_DAY
    services.project_return(project=p, by=reviewer, comment="Bổ sung báo giá máy")
    assert p.status == Status.RETURNED
    services.project_resubmit(project=p, by=staff, day=SUBMIT_DAY)
    assert p.status == Status.SUBMITTED
    services.project_approve(
        project=p,
        by=reviewer,
        decision_no="1234/QĐ-UBND",
        decision_date=dt.date(2026, 3, 20),
        approved={"KCDP": 100_000_000},
    )
    assert p.status == Status.APPROVED and p.decision_no == "1234/QĐ-UBND"
    assert p.fundings.get().approved == 100_000_000
    services.project_start(
        project=p, by=staff, contract_no="45/HĐ", contract_date=dt.date(2026, 4, 1)
    )
    assert p.status == Status.IN_PROGRESS and p.contract_no == "45/HĐ"
    services.project_request_adjustment(
        project=p,
        by=staff,
        reason="Nhà cung cấp giao máy chậm",
        changes={"end_date": dt.date(2026, 12, 20)},
    )
    services.project_decide_adjustment(
        project=p, by=reviewer, approve=True, comment="Đồng ý"
    )
    assert p.end_date == dt.date(2026, 12, 20)
    adjustment = Adjustment.objects.get(project=p)
    assert adjustment.before == {"end_date": "2026-11-30"}
    assert adjustment.after == {"end_date": "2026-12-20"}
    assert adjustment.status == "approved" and adjustment.decided_by == reviewer
    services.project_accept(
        project=p, by=staff, acceptance_date=dt.date(2026, 11, 27), minutes_no="12/BB"
    )
    assert p.status == Status.ACCEPTED
    services.project_settle(
        project=p,
        by=staff,
        settled_on=dt.date(2026, 12, 1),
        voucher_no="PC-QT-01",
        settled={"KCDP": 95_000_000},
    )
    assert p.status == Status.SETTLED
    assert p.fundings.get().settled == 95_000_000

    assert timeline(p) == [
        ("submit", "draft", "submitted", "staff"),
        ("return", "submitted", "returned", "reviewer"),
        ("resubmit", "returned", "submitted", "staff"),
        ("approve", "submitted", "approved", "reviewer"),
        ("start", "approved", "in_progress", "staff"),
        ("request_adjustment", "in_progress", "in_progress", "staff"),
        ("decide_adjustment", "in_progress", "in_progress", "reviewer"),
        ("accept", "in_progress", "accepted", "staff"),
        ("settle", "accepted", "settled", "staff"),
    ]
    assert p.transitions.get(action="return").comment == "Bổ sung báo giá máy"
    # Money fields keep their history, with who changed them.
    funding_history = p.fundings.get().history.order_by("history_date")
    assert [h.approved for h in funding_history][-2:] == [100_000_000, 100_000_000]
    assert funding_history.last().history_user == staff
    assert p.history.count() >= 9


def test_it_walks_a_national_project_through_appraisal_and_the_ministry(
    national_project, staff, reviewer
):
    p = national_project
    assert p.code == "KCQG-2026-001" and p.is_national
    services.project_submit(project=p, by=staff, day=SUBMIT_DAY)
    # A national project is not approved by the Sở directly.
    with pytest.raises(Refused):
        services.project_approve(
            project=p,
            by=reviewer,
            decision_no="1",
            decision_date=dt.date(2026, 3, 20),
            approved=approved_amounts(p),
        )
    services.project_appraise(project=p, by=reviewer, opinion="Đủ điều kiện")
    assert p.status == Status.APPRAISED and p.appraisal_opinion == "Đủ điều kiện"
    services.project_record_decision(
        project=p,
        by=reviewer,
        decision_no="88/QĐ-BCT",
        decision_date=dt.date(2026, 3, 31),
        approved=approved_amounts(p),
    )
    assert p.status == Status.APPROVED and p.decision_no == "88/QĐ-BCT"
    advance(p, Status.SETTLED, staff=staff, reviewer=reviewer)
    assert [t[0] for t in timeline(p)] == [
        "submit",
        "appraise",
        "record_decision",
        "start",
        "accept",
        "settle",
    ]


def test_a_project_with_both_sources_takes_the_national_route(
    staff, reviewer, local_plan, national_plan, establishment
):
    from tests.builders import make_project

    p = make_project(
        staff,
        {local_plan: 50_000_000, national_plan: 70_000_000},
        beneficiaries=[establishment],
    )
    assert p.code.startswith("KCQG-2026-") and p.is_national
    advance(p, Status.APPROVED, staff=staff, reviewer=reviewer)
    assert {f.source: f.approved for f in p.fundings.all()} == {
        "KCDP": 50_000_000,
        "KCQG": 70_000_000,
    }


@pytest.mark.parametrize("target", [Status.REJECTED, Status.CANCELLED])
def test_reviewer_rejects_or_cancels_with_a_reason(
    local_project, staff, reviewer, target
):
    advance(local_project, target, staff=staff, reviewer=reviewer)
    local_project.refresh_from_db()
    reason = (
        local_project.rejection_reason
        if target == Status.REJECTED
        else local_project.cancellation_reason
    )
    assert reason
    assert local_project.transitions.last().comment == reason


def test_staff_may_cancel_their_draft(local_project, staff):
    services.project_cancel(project=local_project, by=staff, reason="Trùng đề án")
    assert local_project.status == Status.CANCELLED


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        ("return", {"comment": "  "}),
        ("reject", {"reason": ""}),
        ("cancel", {"reason": ""}),
    ],
)
def test_a_missing_comment_or_reason_is_refused(
    local_project, staff, reviewer, action, kwargs
):
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    with pytest.raises(Refused):
        lifecycle.steps_for(action)[0].run(project=local_project, by=reviewer, **kwargs)
    assert local_project.status == Status.SUBMITTED
    assert local_project.transitions.count() == 1


# --- every wrong role and every wrong state, from the table ---------------------

REACHABLE = {
    "local": [
        s for s in Status.values if s != Status.APPRAISED
    ],
    "national": list(Status.values),
}  # fmt: skip


def valid_kwargs(action: str, project: Project) -> dict:
    """Arguments that would be accepted if role and state were right."""
    day = dt.date(2026, 4, 10)
    return {
        "submit": {"day": SUBMIT_DAY},
        "resubmit": {"day": SUBMIT_DAY},
        "return": {"comment": "Bổ sung"},
        "approve": {
            "decision_no": "9/QĐ",
            "decision_date": day,
            "approved": approved_amounts(project),
        },
        "record_decision": {
            "decision_no": "9/QĐ-BCT",
            "decision_date": day,
            "approved": approved_amounts(project),
        },
        "appraise": {"opinion": "Đạt"},
        "reject": {"reason": "Không đạt"},
        "start": {"contract_no": "1/HĐ", "contract_date": day},
        "request_adjustment": {
            "reason": "Lùi tiến độ",
            "changes": {"end_date": dt.date(2026, 12, 31)},
        },
        "decide_adjustment": {"approve": True, "comment": ""},
        "accept": {"acceptance_date": day, "minutes_no": "2/BB"},
        "settle": {
            "settled_on": day,
            "settled": {f.source: f.approved or 0 for f in project.fundings.all()},
        },
        "cancel": {"reason": "Rút đề án"},
        "correct_decision": {
            "reason": "Ghi nhầm số",
            "changes": {"decision_no": "124/QĐ"},
        },
        "correct_contract": {
            "reason": "Ghi nhầm số",
            "changes": {"contract_no": "46/HĐ-KC"},
        },
        "correct_acceptance": {
            "reason": "Ghi nhầm số",
            "changes": {"acceptance_minutes_no": "13/BB-NT"},
        },
        "correct_settlement": {
            "reason": "Ghi nhầm ngày",
            "changes": {"settled_on": dt.date(2026, 12, 2)},
        },
    }[action]


def snapshot(project: Project) -> tuple:
    project = Project.objects.get(pk=project.pk)
    return (
        project.status,
        project.updated_at,
        project.transitions.count(),
        project.history.count(),
        project.adjustments.filter(status="pending").count(),
        list(project.fundings.values_list("requested", "approved", "settled")),
    )


def statically_allowed(route: str, status: str, action: str, role) -> bool:
    return any(
        status in step.sources
        and role in step.roles
        and step.route in (None, lifecycle.NATIONAL if route == "national" else "local")
        for step in lifecycle.steps_for(action)
    )


# Read-only roles are tried on every state where someone may act; a user
# without any role once per state, on submit.
ACTIVE_STATES = {s for step in LIFECYCLE for s in step.sources}


def refusal_cases() -> list:
    cases = []
    for route, statuses in REACHABLE.items():
        for status in statuses:
            for action in lifecycle.ACTIONS:
                for role in ROLE_FIXTURES:
                    if role is None and action != "submit":
                        continue
                    if role in (Role.MANAGER, Role.ADMIN) and (
                        status not in ACTIVE_STATES
                    ):
                        continue
                    if statically_allowed(route, status, action, role):
                        continue
                    cases.append(
                        pytest.param(
                            route,
                            status,
                            action,
                            role,
                            id=f"{route}-{status}-{action}-{role}",
                        )
                    )
    return cases


def build(route: str, status: str, action: str, request) -> Project:
    staff = request.getfixturevalue("staff")
    reviewer = request.getfixturevalue("reviewer")
    project = request.getfixturevalue(f"{route}_project")
    advance(project, status, staff=staff, reviewer=reviewer)
    if action == "decide_adjustment" and status == Status.IN_PROGRESS:
        # Deciding needs an open request; asking needs none. Give deciding
        # its precondition so that only the role can make it fail.
        services.project_request_adjustment(
            project=project,
            by=staff,
            reason="Đổi địa điểm",
            changes={"objectives": "Mục tiêu mới"},
        )
    return project


@pytest.mark.parametrize(("route", "status", "action", "role"), refusal_cases())
def test_wrong_role_or_wrong_state_is_refused_and_changes_nothing(
    request, route, status, action, role
):
    project = build(route, status, action, request)
    user = request.getfixturevalue(ROLE_FIXTURES[role])
    allowed = any(
        step.applies_to(project) and role in step.roles
        for step in lifecycle.steps_for(action)
    )
    assert not allowed
    before = snapshot(project)
    with pytest.raises(Refused) as refused:
        lifecycle.steps_for(action)[0].run(
            project=project, by=user, **valid_kwargs(action, project)
        )
    assert refused.value.messages
    assert snapshot(project) == before


@pytest.mark.parametrize(
    "step", LIFECYCLE, ids=[f"{s.action}-{'-'.join(s.sources)}" for s in LIFECYCLE]
)
def test_each_step_of_the_table_is_offered_only_to_its_roles(request, step):
    """The detail page's buttons come from `available`, which reads the table."""
    route = "national" if step.route == lifecycle.NATIONAL else "local"
    status = step.sources[0]
    project = build(route, status, step.action, request)
    for role, fixture in ROLE_FIXTURES.items():
        user = request.getfixturevalue(fixture)
        offered = [s.action for s in lifecycle.available(project, user)]
        assert (step.action in offered) == (role in step.roles), (role, offered)


def test_an_approved_adjustment_can_change_the_beneficiaries(
    local_project, staff, reviewer, commune
):
    from tests.builders import make_establishment

    advance(local_project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    old = local_project.beneficiaries.get()
    new = make_establishment(
        commune, "HTX Chiếu cói Nga Sơn", business_registration_no="C"
    )
    services.project_request_adjustment(
        project=local_project,
        by=staff,
        reason="Đổi đơn vị thụ hưởng",
        changes={"beneficiaries": [new], "commune": commune},
    )
    adjustment = local_project.adjustments.get()
    assert adjustment.before["beneficiaries"] == [old.pk]
    assert adjustment.after["beneficiaries"] == [new.pk]
    labels = [label for label, _before, _after in adjustment.changes()]
    assert len(labels) == 2
    assert "HTX Chiếu cói Nga Sơn" in [a for _l, _b, a in adjustment.changes()]
    services.project_decide_adjustment(project=local_project, by=reviewer, approve=True)
    assert list(local_project.beneficiaries.all()) == [new]
    assert local_project.commune == commune


def test_an_adjustment_to_an_ineligible_beneficiary_is_refused(
    local_project, staff, reviewer, commune
):
    from tests.builders import make_establishment

    advance(local_project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    big = make_establishment(commune, "Tập đoàn lớn", kind="other")
    services.project_request_adjustment(
        project=local_project, by=staff, reason="Đổi", changes={"beneficiaries": [big]}
    )
    with pytest.raises(Refused):
        services.project_decide_adjustment(
            project=local_project, by=reviewer, approve=True
        )
    assert local_project.adjustments.get().status == "pending"
    assert big not in local_project.beneficiaries.all()


def test_a_refused_adjustment_changes_nothing_but_is_kept(
    local_project, staff, reviewer
):
    advance(local_project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    services.project_request_adjustment(
        project=local_project,
        by=staff,
        reason="Lùi",
        changes={"end_date": dt.date(2027, 3, 1)},
    )
    services.project_decide_adjustment(
        project=local_project, by=reviewer, approve=False, comment="Không có căn cứ"
    )
    assert local_project.end_date == dt.date(2026, 11, 30)
    adjustment = local_project.adjustments.get()
    assert adjustment.status == "refused"
    assert adjustment.decision_comment == "Không có căn cứ"
