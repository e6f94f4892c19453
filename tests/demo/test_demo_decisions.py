"""The demo's decisions (issue 14): each national project the demo approved
went through the Sở's proposal and the ministry's appraisal and decision,
issued by the ministry; each local one was decided by the provincial
committee; settlement, cancellation after approval, approved adjustments and
project carry-forwards each carry their own decision."""

from __future__ import annotations

import pytest

from projects.models import (
    Adjustment,
    CarryForward,
    Decision,
    Project,
    Source,
    Status,
)

pytestmark = pytest.mark.django_db

DECIDED = (Status.APPROVED, Status.IN_PROGRESS, Status.ACCEPTED, Status.SETTLED)


def approvals(national: bool) -> dict[int, Decision]:
    projects = Project.objects.filter(status__in=DECIDED)
    projects = (
        projects.filter(fundings__source=Source.NATIONAL)
        if national
        else projects.exclude(fundings__source=Source.NATIONAL)
    )
    rows = Decision.objects.filter(
        kind="approval", project__in=projects.distinct()
    ).select_related("authority")
    found = {d.project_id: d for d in rows}
    assert set(found) == set(projects.values_list("pk", flat=True))
    return found


def test_every_approved_national_project_was_decided_by_the_ministry(demo):
    decided = approvals(national=True)
    assert len(decided) >= 5
    for project_id, decision in decided.items():
        assert decision.authority.level == "ministry", decision
        assert decision.number.endswith("(demo)")
        steps = list(
            Project.objects.get(pk=project_id)
            .transitions.filter(
                action__in=("propose", "appraise_ministry", "record_decision")
            )
            .values_list("action", "body")
        )
        assert [action for action, _body in steps][-3:] == [
            "propose",
            "appraise_ministry",
            "record_decision",
        ]
        assert steps[-1][1] == steps[-2][1] == "Bộ Công Thương"


def test_every_approved_local_project_was_decided_by_the_province(demo):
    decided = approvals(national=False)
    assert len(decided) > 30
    assert {d.authority.level for d in decided.values()} == {"province"}
    assert {d.signer_title for d in decided.values()} == {"CHỦ TỊCH"}


def test_settlements_cancellations_adjustments_and_carry_forwards_carry_theirs(
    demo,
):
    settled = Project.objects.filter(status=Status.SETTLED)
    assert settled.exists()
    assert set(settled.values_list("pk", flat=True)) == set(
        Decision.objects.filter(kind="settlement").values_list("project", flat=True)
    )
    for adjustment in Adjustment.objects.filter(status="approved"):
        assert adjustment.decision.kind == "adjustment"
    cancelled_by_decision = Project.objects.filter(
        status=Status.CANCELLED,
        transitions__action="cancel",
        transitions__from_status__in=(Status.APPROVED, Status.IN_PROGRESS),
    )
    assert set(cancelled_by_decision.values_list("pk", flat=True)) <= set(
        Decision.objects.filter(kind="cancellation").values_list("project", flat=True)
    )
    carried = CarryForward.objects.filter(project__isnull=False)
    assert carried.exists()
    for row in carried:
        assert row.project.decisions.filter(
            kind="carry_forward", number=row.decision_no
        ).exists()
