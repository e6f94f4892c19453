"""The lifecycle table, walked by the right roles and refused for the wrong ones.

Who may do what (projects/lifecycle.py):
- staff submit, withdraw (their own, before the Sở receives it), resubmit,
  start, ask for adjustments, accept, settle and cancel their drafts;
- reviewers take the review steps the project's route lists (local: receive,
  council, appraise, approve; national: propose, the ministry's appraisal and
  decision), return and reject at any level, decide adjustments and cancel
  once the Sở has the project;
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
from tests.builders import SUBMIT_DAY, advance, approved_amounts, council, decision

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
        # A step taken on a page of its own (the council) has that page
        # instead of a form on the project page.
        assert step.page or issubclass(step.form_class, ActionForm), step.action
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
    services.project_receive(project=p, by=reviewer)
    assert p.status == Status.RECEIVED
    council(p, reviewer)
    assert p.status == Status.SCORED
    services.project_appraise(project=p, by=reviewer, opinion="Đạt yêu cầu")
    assert p.status == Status.APPRAISED
    services.project_approve(
        project=p,
        by=reviewer,
        decision_no="1234/QĐ-UBND",
        decision_date=dt.date(2026, 3, 20),
        approved={"KCDP": 100_000_000},
    )
    assert p.status == Status.APPROVED and p.decision_no == "1234/QĐ-UBND"
    approval = p.decisions.get()
    assert (approval.kind, approval.number, approval.issued_on) == (
        "approval",
        "1234/QĐ-UBND",
        dt.date(2026, 3, 20),
    )
    assert (approval.authority_name, approval.signer_title) == (
        "Ủy ban nhân dân tỉnh",
        "CHỦ TỊCH",
    )
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
        project=p,
        by=reviewer,
        approve=True,
        comment="Đồng ý",
        **decision(p, "adjustment"),
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
        decision_no="QT-01/QĐ",
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
        ("receive", "submitted", "received", "reviewer"),
        ("council", "received", "scored", "reviewer"),
        ("appraise", "scored", "appraised", "reviewer"),
        ("approve", "appraised", "approved", "reviewer"),
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
    # Nor does it take the local route's steps.
    with pytest.raises(Refused):
        services.project_receive(project=p, by=reviewer)
    services.project_propose(
        project=p, by=reviewer, proposal_no="15/SCT-QLCN", proposal_date=SUBMIT_DAY
    )
    assert p.status == Status.PROPOSED
    with pytest.raises(Refused):
        services.project_appraise(project=p, by=reviewer, opinion="Đạt")
    services.project_appraise_ministry(project=p, by=reviewer, opinion="Đủ điều kiện")
    assert p.status == Status.APPRAISED and p.appraisal_opinion == "Đủ điều kiện"
    services.project_record_decision(
        project=p,
        by=reviewer,
        decision_no="88/QĐ-BCT",
        decision_date=dt.date(2026, 3, 31),
        approved=approved_amounts(p),
    )
    assert p.status == Status.APPROVED and p.decision_no == "88/QĐ-BCT"
    assert p.decisions.get().authority_name == "Bộ Công Thương"
    advance(p, Status.SETTLED, staff=staff, reviewer=reviewer)
    assert [t[0] for t in timeline(p)] == [
        "submit",
        "propose",
        "appraise_ministry",
        "record_decision",
        "start",
        "accept",
        "settle",
    ]


def test_a_return_after_appraisal_takes_the_opinion_off_the_project(
    staff, reviewer, national_project
):
    p = national_project
    services.project_submit(project=p, by=staff, day=SUBMIT_DAY)
    services.project_propose(
        project=p, by=reviewer, proposal_no="15/SCT-QLCN", proposal_date=SUBMIT_DAY
    )
    services.project_appraise_ministry(project=p, by=reviewer, opinion="Đủ điều kiện")
    services.project_return(project=p, by=reviewer, comment="Bổ sung báo giá")
    p.refresh_from_db()
    assert p.status == Status.RETURNED and p.appraisal_opinion == ""
    # The opinion given stays on the timeline.
    assert p.transitions.get(action="appraise_ministry").comment == "Đủ điều kiện"


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


# The review steps of the shipped routes (projects/reference_data.py).
ROUTE_ACTIONS = {
    "local": {"receive", "council", "appraise", "approve"},
    "national": {"propose", "appraise_ministry", "record_decision"},
}

# --- each step offered to its roles only (the refusals: test_lifecycle_refusals) --


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


@pytest.mark.parametrize(
    "step", LIFECYCLE, ids=[f"{s.action}-{'-'.join(s.sources)}" for s in LIFECYCLE]
)
def test_each_step_of_the_table_is_offered_only_to_its_roles(request, step):
    """The detail page's buttons come from `available`, which reads the table."""
    route = "national" if step.action in ROUTE_ACTIONS["national"] else "local"
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
    services.project_decide_adjustment(
        project=local_project,
        by=reviewer,
        approve=True,
        **decision(local_project, "adjustment"),
    )
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
            project=local_project,
            by=reviewer,
            approve=True,
            **decision(local_project, "adjustment"),
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
