"""Adjustments with money and a decision, cancellation by decision, and
voiding records entered by mistake (issue 14, points 4, 5 and 6).

- an adjustment may change the approved support within the caps, the plan's
  balance and never below what is disbursed; approving it records a Decision
  with its authority, and every version of the support stays readable;
- an approved or running project is cancelled by a decision; accepted and
  settled projects are not cancelled at all;
- a voided payment, inspection or progress update stays on the page, struck
  through, and counts in no figure.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation

from dashboard import board
from enterprises.roles import Role
from projects import services
from projects.lifecycle import decision_authority
from projects.models import (
    Adjustment,
    Decision,
    DecisionKind,
    Disbursement,
    DisbursementKind,
    Inspection,
    IssuingAuthority,
    Plan,
    ProgressUpdate,
    ProjectFunding,
    Refused,
    Source,
    Status,
    measures,
)
from projects.models.decisions import support_versions
from tests.builders import (
    CHANGE_DAY,
    M,
    advance,
    decision,
    make_plan,
    make_project,
    pay,
    running,
)
from tests.factories import InspectionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def state(project) -> tuple:
    """Everything a refused step must leave as it was."""
    project.refresh_from_db()
    return (
        project.status,
        project.transitions.count(),
        project.decisions.count(),
        list(project.fundings.values_list("requested", "approved")),
        list(project.beneficiaries.values_list("pk", flat=True)),
        project.end_date,
        project.target_machines,
    )


# --- cancellation: each state × role -------------------------------------------------

# (state, role, how it goes): "reason" — cancelled on a reason alone;
# "decision" — refused without a decision, cancelled with one; "refused".
CANCEL_TABLE = [
    (Status.DRAFT, Role.STAFF, "reason"),
    (Status.DRAFT, Role.REVIEWER, "refused"),
    (Status.SUBMITTED, Role.REVIEWER, "reason"),
    (Status.SUBMITTED, Role.STAFF, "refused"),
    (Status.RETURNED, Role.REVIEWER, "reason"),
    (Status.APPROVED, Role.REVIEWER, "decision"),
    (Status.APPROVED, Role.STAFF, "refused"),
    (Status.APPROVED, Role.MANAGER, "refused"),
    (Status.IN_PROGRESS, Role.REVIEWER, "decision"),
    (Status.IN_PROGRESS, Role.STAFF, "refused"),
    (Status.ACCEPTED, Role.REVIEWER, "refused"),
    (Status.ACCEPTED, Role.STAFF, "refused"),
    (Status.SETTLED, Role.REVIEWER, "refused"),
    (Status.REJECTED, Role.REVIEWER, "refused"),
    (Status.CANCELLED, Role.REVIEWER, "refused"),
]
USERS = {Role.STAFF: "staff", Role.REVIEWER: "reviewer", Role.MANAGER: "manager"}


@pytest.mark.parametrize(
    ("status", "role", "outcome"),
    CANCEL_TABLE,
    ids=[f"{s}-{r}-{o}" for s, r, o in CANCEL_TABLE],
)
def test_cancellation_by_state_and_role(
    request, local_project, staff, reviewer, status, role, outcome
):
    p = advance(local_project, status, staff=staff, reviewer=reviewer)
    user = request.getfixturevalue(USERS[role])
    before = state(p)
    if outcome == "refused":
        with pytest.raises(Refused):
            services.project_cancel(
                project=p, by=user, reason="Rút", **decision(p, "cancellation")
            )
        assert state(p) == before
        return
    if outcome == "decision":
        with translation.override("vi"), pytest.raises(Refused) as refused:
            services.project_cancel(project=p, by=user, reason="Cơ sở rút")
        assert "Cần nhập số quyết định." in refused.value.messages
        assert state(p) == before
        services.project_cancel(
            project=p, by=user, reason="Cơ sở rút", **decision(p, "cancellation")
        )
        cancellation = p.decisions.get(kind=DecisionKind.CANCELLATION)
        assert cancellation.authority_name == "Ủy ban nhân dân tỉnh"
        assert cancellation.issued_on == CHANGE_DAY
        # The timeline prints the decision with its authority.
        assert "Ủy ban nhân dân tỉnh" in p.transitions.last().comment
    else:
        services.project_cancel(project=p, by=user, reason="Cơ sở rút")
        assert not p.decisions.exists()
    assert p.status == Status.CANCELLED and p.cancellation_reason == "Cơ sở rút"


def test_a_running_project_cancelled_by_decision_owes_back_what_it_was_paid(
    staff, reviewer, local_plan, establishment
):
    p = running(staff, reviewer, local_plan, establishment)
    pay(p, staff, 30 * M, kind=DisbursementKind.ADVANCE)
    services.project_cancel(project=p, by=reviewer, reason="Rút", **decision(p))
    due = p.disbursements.get(state="due")
    assert due.amount == 30 * M


def test_the_authority_offered_follows_the_route(local_project, national_project):
    assert decision_authority(local_project, "cancellation").level == "province"
    assert decision_authority(national_project, "adjustment").level == "ministry"


# --- adjustments with money -----------------------------------------------------------


def ask(p, staff, **changes):
    services.project_request_adjustment(
        project=p, by=staff, reason="Bổ sung máy", changes=changes
    )


def decide(p, reviewer, **kw):
    return services.project_decide_adjustment(
        project=p, by=reviewer, approve=True, **{**decision(p, "adjustment"), **kw}
    )


def test_an_adjustment_raises_the_support_within_cap_and_plan_with_a_decision(
    staff, reviewer, local_plan, establishment
):
    p = running(staff, reviewer, local_plan, establishment)
    # 20 M more support, 20 M more total cost: the parts still add up.
    ask(
        p,
        staff,
        approved={Source.LOCAL: 140 * M},
        total_cost=320 * M,
        target_machines=3,
    )
    with translation.override("vi"), pytest.raises(Refused) as refused:
        services.project_decide_adjustment(project=p, by=reviewer, approve=True)
    assert "Cần nhập số quyết định." in refused.value.messages
    decide(p, reviewer)
    funding = p.fundings.get()
    assert (funding.approved, funding.requested) == (140 * M, 140 * M)
    assert p.target_machines == 3
    adjustment = p.adjustments.get()
    assert adjustment.decision.kind == DecisionKind.ADJUSTMENT
    assert adjustment.decision.authority.level == "province"
    # Both versions, each with its decision.
    versions = support_versions(p)
    assert [v["approved"] for v in versions] == [120 * M, 140 * M]
    # The first version is the approval's, recorded as a Decision too.
    assert versions[0]["decision"].kind == DecisionKind.APPROVAL
    assert versions[0]["decision"].number == "123/QĐ"
    assert versions[1]["decision"] == adjustment.decision
    p.refresh_from_db()
    assert (p.total_cost, p.support_requested, p.counterpart) == (
        320 * M,
        140 * M,
        180 * M,
    )


def test_support_raised_without_the_parts_adding_up_changes_nothing(
    staff, reviewer, local_plan, establishment
):
    p = running(staff, reviewer, local_plan, establishment)
    before = state(p)
    # 20 M more support, the total cost and counterpart as they were: the
    # request is refused at once …
    with translation.override("vi"), pytest.raises(Refused) as refused:
        ask(p, staff, approved={Source.LOCAL: 140 * M}, target_machines=3)
    [message] = refused.value.messages
    assert message.startswith("Các nguồn không khớp tổng kinh phí"), message
    assert state(p) == before and not p.adjustments.exists()
    # … and a request recorded before that check is refused at the decision.
    Adjustment.objects.create(
        project=p,
        reason="Bổ sung máy",
        before={"approved": {Source.LOCAL: 120 * M}},
        after={"approved": {Source.LOCAL: 140 * M}},
        requested_by=staff,
    )
    before = state(p)
    with translation.override("vi"), pytest.raises(Refused) as refused:
        decide(p, reviewer)
    [message] = refused.value.messages
    assert message.startswith("Các nguồn không khớp tổng kinh phí"), message
    assert state(p) == before
    assert p.support_requested == 120 * M
    assert not Decision.objects.filter(kind=DecisionKind.ADJUSTMENT).exists()


def test_an_adjustment_above_the_plans_balance_changes_nothing(
    staff, reviewer, establishment
):
    plan = make_plan(Source.LOCAL, allocated=130 * M)
    p = make_project(staff, {plan: 120 * M}, beneficiaries=[establishment])
    advance(p, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    ask(
        p,
        staff,
        approved={Source.LOCAL: 140 * M},
        total_cost=320 * M,
        end_date=dt.date(2026, 12, 20),
    )
    before = state(p)
    with translation.override("vi"), pytest.raises(Refused) as refused:
        decide(p, reviewer)
    assert "kế hoạch" in str(refused.value)
    assert state(p) == before
    assert p.adjustments.get().status == "pending"


def test_an_adjustment_above_the_support_cap_changes_nothing(
    staff, reviewer, national_plan, establishment
):
    # The national machinery cap per establishment (the province leaves its
    # own uncapped); the plan (2 billion) would have room.
    p = running(staff, reviewer, national_plan, establishment)
    ask(p, staff, approved={Source.NATIONAL: 1_000 * M}, total_cost=1_180 * M)
    before = state(p)
    with translation.override("vi"), pytest.raises(Refused) as refused:
        decide(p, reviewer)
    assert "vượt" in str(refused.value)
    assert state(p) == before
    assert not Decision.objects.filter(kind=DecisionKind.ADJUSTMENT).exists()


def test_an_adjustment_below_what_is_disbursed_is_refused(
    staff, reviewer, local_plan, establishment
):
    p = running(staff, reviewer, local_plan, establishment)
    pay(p, staff, 50 * M)
    ask(p, staff, approved={Source.LOCAL: 40 * M})
    before = state(p)
    with translation.override("vi"), pytest.raises(Refused) as refused:
        decide(p, reviewer)
    assert "đã giải ngân" in str(refused.value)
    assert state(p) == before
    # Down to what is paid is fine; the plan gets the rest back.
    services.project_decide_adjustment(project=p, by=reviewer, approve=False)
    ask(p, staff, approved={Source.LOCAL: 50 * M})
    decide(p, reviewer)
    assert p.fundings.get().approved == 50 * M
    plan = Plan.objects.with_money().get(pk=local_plan.pk)
    assert plan.committed_sum == 50 * M


def test_the_page_and_the_dossier_show_the_versions_and_decisions(
    staff, reviewer, local_plan, establishment, as_user
):
    p = running(staff, reviewer, local_plan, establishment)
    ask(p, staff, approved={Source.LOCAL: 140 * M}, counterpart=160 * M)
    decide(p, reviewer, decision_no="77/QĐ-UBND")
    page = as_user(reviewer).get(p.get_absolute_url()).content.decode()
    assert 'data-testid="support-versions"' in page
    assert "77/QĐ-UBND" in page and "Ủy ban nhân dân tỉnh" in page
    assert "140.000.000" in page and "120.000.000" in page


# --- voiding --------------------------------------------------------------------------


def figures(year: int = 2026) -> dict[str, int]:
    """Disbursed as the budget, the dashboard, the period report and the
    execution list read it."""
    plans = Plan.objects.filter(year=year).with_money()
    fundings = measures.fundings_money_at(
        ProjectFunding.objects.all(),
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
    )
    dashboard = board.dashboard(board.Scope(year))
    return {
        "budget": sum(p.disbursed_sum for p in plans),
        "home": board.budget(board.Scope(year))[-1].disbursed,
        "dashboard": dashboard.budget[-1].disbursed,
        "report": sum(f.disbursed for f in fundings),
        "list": ProjectFunding.objects.aggregate(
            s=measures.zero(Sum(measures.disbursed()))
        )["s"],
    }


def independent_sum() -> int:
    """Net money out, added up here from the rows that are not voided."""
    total = 0
    for d in Disbursement.objects.all():
        if d.state == "recorded":
            total += -d.amount if d.kind == "refund" else d.amount
    return total


def test_a_voided_payment_disappears_from_every_figure(
    staff, reviewer, local_plan, establishment
):
    p = running(staff, reviewer, local_plan, establishment)
    pay(p, staff, 30 * M, kind=DisbursementKind.ADVANCE)
    wrong = pay(p, staff, 20 * M, voucher_no="PC-9")
    assert set(figures().values()) == {50 * M} == {independent_sum()}
    wrong.void(by=staff, reason="Nhập trùng chứng từ")
    assert set(figures().values()) == {30 * M} == {independent_sum()}
    funding = p.fundings.get()
    assert funding.paid_total == 0 and funding.advanced_total == 30 * M
    wrong.refresh_from_db()
    assert (wrong.state, wrong.voided_by, wrong.void_reason) == (
        "voided",
        staff,
        "Nhập trùng chứng từ",
    )
    # The right payment may carry the same voucher.
    pay(p, staff, 25 * M, voucher_no="PC-9")
    assert independent_sum() == 55 * M == figures()["budget"]


def test_a_voided_payment_no_longer_blocks_the_settlement(
    staff, reviewer, local_plan, establishment
):
    p = running(staff, reviewer, local_plan, establishment)
    wrong = pay(p, staff, 100 * M)
    wrong.void(by=staff, reason="Sai số tiền")
    advance(p, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    services.project_settle(
        project=p,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=dt.date(2026, 12, 1),
        settled={Source.LOCAL: 60 * M},
        voucher_no="PC-QT",
    )
    assert p.fundings.get().settled == 60 * M


def test_what_cannot_be_voided(staff, reviewer, local_plan, establishment):
    p = running(staff, reviewer, local_plan, establishment)
    paid = pay(p, staff, 20 * M)
    with translation.override("vi"), pytest.raises(Refused) as refused:
        paid.void(by=staff, reason="  ")
    assert "Cần nêu lý do hủy bỏ." in refused.value.messages
    services.project_cancel(project=p, by=reviewer, reason="Rút", **decision(p))
    due = p.disbursements.get(state="due")
    with pytest.raises(Refused):
        due.void(by=staff, reason="Nhầm")
    paid.refresh_from_db()
    with pytest.raises(Refused):  # a cancelled project takes refunds only
        paid.void(by=staff, reason="Nhầm")
    assert not Disbursement.objects.filter(state="voided").exists()


def test_a_stale_copy_cannot_void_a_payment_twice(
    staff, reviewer, local_plan, establishment
):
    """Two people void the same payment from pages read before either did:
    the second sees the stored state under the lock and is refused."""
    p = running(staff, reviewer, local_plan, establishment)
    paid = pay(p, staff, 20 * M)
    stale = Disbursement.objects.get(pk=paid.pk)
    paid.void(by=staff, reason="Ghi nhầm")
    with translation.override("vi"), pytest.raises(Refused) as refused:
        stale.void(by=reviewer, reason="Ghi trùng")
    assert refused.value.messages == ["Bản ghi này đã bị hủy bỏ."]
    paid.refresh_from_db()
    assert (paid.void_reason, paid.voided_by) == ("Ghi nhầm", staff)
    assert paid.history.filter(state="voided").count() == 1


def test_the_database_wants_a_reason_on_a_voided_row(
    staff, reviewer, local_plan, establishment
):
    p = running(staff, reviewer, local_plan, establishment)
    row = InspectionFactory(project=p, recorded_by=staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.filter(pk=row.pk).update(voided_at=row.project.created_at)


def test_voided_inspections_and_progress_count_nowhere(
    staff, reviewer, local_plan, establishment, as_user
):
    p = running(staff, reviewer, local_plan, establishment)
    planned = InspectionFactory(
        project=p, planned_date=dt.date(2026, 5, 1), actual_date=None, recorded_by=staff
    )
    update = ProgressUpdateFactory(
        project=p, date=dt.date(2026, 7, 20), progress_percent=60, by=staff
    )
    assert Inspection.next_date(p) == dt.date(2026, 5, 1)
    assert Inspection.objects.overdue(dt.date(2026, 6, 1)).count() == 1
    for name, row in (("inspection_void", planned), ("progress_void", update)):
        url = reverse(f"money:{name}", args=[p.pk, row.pk])
        assert as_user(reviewer).post(url, {"reason": "Nhầm"}).status_code == 403
        client = as_user(staff)
        assert client.post(url, {"reason": ""}).status_code == 302
        row.refresh_from_db()
        assert not row.is_voided
        assert client.post(url, {"reason": "Nhập nhầm đề án"}).status_code == 302
    assert Inspection.next_date(p) is None
    assert Inspection.objects.overdue(dt.date(2026, 6, 1)).count() == 0
    assert not ProgressUpdate.objects.live().filter(project=p).exists()
    page = client.get(reverse("money:project", args=[p.pk])).content.decode()
    assert page.count("data-voided-row") == 2
    assert page.count("Nhập nhầm đề án") == 2


def test_the_page_voids_a_payment_with_its_reason(
    staff, reviewer, local_plan, establishment, as_user
):
    p = running(staff, reviewer, local_plan, establishment)
    row = pay(p, staff, 20 * M)
    url = reverse("money:disbursement_void", args=[p.pk, row.pk])
    response = as_user(staff).post(url, {"reason": "Trùng chứng từ"})
    assert response.status_code == 302
    assert p.fundings.get().paid_total == 0
    page = as_user(staff).get(reverse("money:project", args=[p.pk])).content.decode()
    assert "data-voided-row" in page and "Trùng chứng từ" in page
    # Nobody can void twice, and no authority list goes without its body.
    assert as_user(staff).post(url, {"reason": "Lại"}).status_code == 302
    row.refresh_from_db()
    assert row.void_reason == "Trùng chứng từ"
    assert IssuingAuthority.objects.filter(active=True).count() == 3


def test_the_page_asks_for_money_and_wants_the_decision_next_to_its_fields(
    staff, reviewer, local_plan, establishment, as_user
):
    p = running(staff, reviewer, local_plan, establishment)
    url = reverse("projects:action", args=[p.pk, "request_adjustment"])
    data = {
        "reason": "Bổ sung máy",
        f"approved_{Source.LOCAL}": "140.000.000",
        "total_cost": "320.000.000",
    }
    assert as_user(staff).post(url, data).status_code == 302
    url = reverse("projects:action", args=[p.pk, "decide_adjustment"])
    client = as_user(reviewer)
    page = client.get(p.get_absolute_url()).content.decode()
    # The authority offered first is the province's.
    authority = decision_authority(p, "adjustment")
    assert f'<option value="{authority.pk}" selected>' in page
    response = client.post(url, {"approve": "1", "authority": authority.pk})
    assert response.status_code == 400
    form = response.context["actions"]
    errors = {
        step.action: f.errors for step, f in form if step.action == "decide_adjustment"
    }["decide_adjustment"]
    assert errors["decision_no"] == ["Cần nhập số quyết định."]
    assert errors["decision_date"] == ["Cần nhập ngày quyết định."]
    assert p.fundings.get().approved == 120 * M
    response = client.post(
        url,
        {
            "approve": "1",
            "authority": authority.pk,
            "decision_no": "31/QĐ-UBND",
            "decision_date": "2026-06-01",
            "signer_title": "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH",
        },
    )
    assert response.status_code == 302
    assert p.fundings.get().approved == 140 * M
    made = p.decisions.get(kind=DecisionKind.ADJUSTMENT)
    assert made.signer_title == "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH"
    assert made.authority_name == "Ủy ban nhân dân tỉnh"


def test_a_decision_dated_in_the_future_is_refused(
    staff, reviewer, local_plan, establishment
):
    p = running(staff, reviewer, local_plan, establishment)
    before = state(p)
    with translation.override("vi"), pytest.raises(Refused) as refused:
        services.project_cancel(
            project=p, by=reviewer, reason="Rút", **decision(p, day=dt.date(2099, 1, 1))
        )
    # The one date rule for decisions (projects.models.dates).
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert refused.value.messages == [
        f"Ngày quyết định (01/01/2099) không được sau ngày hôm nay ({today})."
    ]
    assert state(p) == before
