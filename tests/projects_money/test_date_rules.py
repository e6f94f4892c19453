"""Dates follow the paper trail (issue 13, point 2): every rule of
projects/models/dates.py refused at the service, and through the page with its
Vietnamese message next to the field it is about.

Who may do what is not the subject here: staff record, reviewers decide, as
the lifecycle table says.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.lifecycle import decision_authority
from projects.models import (
    Disbursement,
    DisbursementKind,
    EquipmentInvestment,
    Plan,
    Project,
    Refused,
    Status,
)
from projects.models.dates import date_problems, payment_problems
from tests.builders import (
    CONTRACT_DAY,
    SUBMIT_DAY,
    advance,
    approved_amounts,
    decision,
    equipment_post,
    machine,
    make_project,
    money_post,
    pay,
    review,
)

pytestmark = pytest.mark.django_db

DECISION_DAY = dt.date(2026, 3, 20)  # the decision `advance` records
ACCEPTANCE_DAY = dt.date(2026, 11, 20)


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def iso(day: dt.date) -> str:
    return day.isoformat()


@pytest.fixture
def submitted(staff, reviewer, local_project):
    """Submitted and taken through the review steps: waiting for the decision."""
    services.project_submit(project=local_project, by=staff, day=SUBMIT_DAY)
    return review(local_project, reviewer)


@pytest.fixture
def approved(staff, reviewer, local_project):
    return advance(local_project, Status.APPROVED, staff=staff, reviewer=reviewer)


def approve(project, reviewer, day):
    return services.project_approve(
        project=project,
        by=reviewer,
        decision_no="9/QĐ-UBND",
        decision_date=day,
        approved=approved_amounts(project),
    )


def refused_fields(refused) -> set[str]:
    return {f for fields in refused.value.fields.values() for f in fields}


# --- at the service ------------------------------------------------------------------


def test_a_decision_dated_after_today_is_refused(submitted, reviewer):
    with pytest.raises(Refused, match="after today") as refused:
        approve(submitted, reviewer, tomorrow())
    assert "decision_date" in refused_fields(refused)
    submitted.refresh_from_db()
    assert submitted.status == Status.APPRAISED and submitted.decision_date is None


def test_a_decision_before_the_submission_is_refused(submitted, reviewer):
    with pytest.raises(Refused, match="cannot be before") as refused:
        approve(submitted, reviewer, SUBMIT_DAY - dt.timedelta(days=1))
    assert "decision_date" in refused_fields(refused)
    submitted.refresh_from_db()
    assert submitted.status == Status.APPRAISED


def test_a_decision_on_the_submission_day_passes(submitted, reviewer):
    assert approve(submitted, reviewer, SUBMIT_DAY).status == Status.APPROVED


def test_a_national_decision_follows_the_same_rule(staff, reviewer, national_project):
    project = advance(
        national_project, Status.APPRAISED, staff=staff, reviewer=reviewer
    )
    with pytest.raises(Refused, match="after today"):
        services.project_record_decision(
            project=project,
            by=reviewer,
            decision_no="1/QĐ-BCT",
            decision_date=tomorrow(),
            approved=approved_amounts(project),
        )


def test_a_contract_before_the_decision_is_refused(approved, staff):
    with pytest.raises(Refused, match="cannot be before") as refused:
        services.project_start(
            project=approved,
            by=staff,
            contract_no="1/HĐ",
            contract_date=DECISION_DAY - dt.timedelta(days=1),
        )
    assert "contract_date" in refused_fields(refused)
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED and approved.contract_date is None


def test_a_contract_dated_after_today_is_refused(approved, staff):
    with pytest.raises(Refused, match="after today"):
        services.project_start(
            project=approved, by=staff, contract_no="1/HĐ", contract_date=tomorrow()
        )


def test_an_invoice_before_the_contract_is_refused(project, staff):
    with pytest.raises(Refused, match="before the contract") as refused:
        machine(project, staff, invoice_date=CONTRACT_DAY - dt.timedelta(days=1))
    assert "invoice_date" in refused_fields(refused)
    assert not EquipmentInvestment.objects.exists()


def test_an_invoice_dated_after_today_is_refused(project, staff):
    with pytest.raises(Refused, match="after today"):
        machine(project, staff, invoice_date=tomorrow())


@pytest.mark.parametrize("kind", [DisbursementKind.ADVANCE, DisbursementKind.PAYMENT])
def test_money_paid_before_the_contract_is_refused(project, staff, kind):
    with pytest.raises(Refused, match="before the contract") as refused:
        pay(project, staff, 10_000_000, kind=kind, date=CONTRACT_DAY - dt.timedelta(1))
    assert "date" in refused_fields(refused)
    assert not Disbursement.objects.exists()


def test_money_paid_after_today_is_refused(project, staff):
    with pytest.raises(Refused, match="after today"):
        pay(project, staff, 10_000_000, date=tomorrow())


def test_a_payment_is_also_checked_against_the_approval_decision(project):
    # A record from before the rules where the contract predates the decision:
    # the payment rule still names the decision.
    project.contract_date = DECISION_DAY - dt.timedelta(days=30)
    keys = {p.key for p in payment_problems(project, DECISION_DAY - dt.timedelta(1))}
    assert keys == {"payment<decision_date"}


def test_an_acceptance_before_the_contract_is_refused(project, staff):
    with pytest.raises(Refused, match="cannot be before") as refused:
        services.project_accept(
            project=project,
            by=staff,
            acceptance_date=CONTRACT_DAY - dt.timedelta(days=1),
            minutes_no="1/BB-NT",
        )
    assert "acceptance_date" in refused_fields(refused)
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS and project.acceptance_date is None


def test_an_acceptance_before_the_last_invoice_is_refused(project, staff):
    machine(project, staff, invoice_date=dt.date(2026, 5, 2))
    machine(
        project,
        staff,
        serials=["SN-2"],
        invoice_no="456",
        supported=10_000_000,
        invoice_date=dt.date(2026, 6, 15),
    )
    with pytest.raises(Refused, match="invoice of") as refused:
        services.project_accept(
            project=project,
            by=staff,
            acceptance_date=dt.date(2026, 6, 14),
            minutes_no="1/BB-NT",
        )
    assert "acceptance_date" in refused_fields(refused)
    services.project_accept(
        project=project,
        by=staff,
        acceptance_date=dt.date(2026, 6, 15),
        minutes_no="1/BB-NT",
    )


def test_an_invoice_after_the_acceptance_is_refused(project, staff):
    services.project_accept(
        project=project, by=staff, acceptance_date=ACCEPTANCE_DAY, minutes_no="1"
    )
    with pytest.raises(Refused, match="invoice of"):
        machine(project, staff, invoice_date=ACCEPTANCE_DAY + dt.timedelta(days=1))


def test_a_settlement_before_the_acceptance_is_refused(project, staff, reviewer):
    accepted = advance(project, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    with pytest.raises(Refused, match="cannot be before") as refused:
        services.project_settle(
            project=accepted,
            by=staff,
            decision_no="QT-01/QĐ",
            settled_on=ACCEPTANCE_DAY - dt.timedelta(days=1),
            voucher_no="PC-QT-01",
            settled={f.source: f.approved for f in accepted.fundings.all()},
        )
    assert "settled_on" in refused_fields(refused)
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED
    assert not accepted.disbursements.exists()


def test_a_payment_after_the_settlement_date_is_refused_by_the_rule(project):
    project.settled_on = dt.date(2026, 11, 25)
    keys = {p.key for p in payment_problems(project, dt.date(2026, 11, 26))}
    assert keys == {"settled_on<payment"}


def test_a_draft_ending_before_it_starts_is_refused_in_words(staff, local_plan):
    with pytest.raises(Refused, match="cannot end") as refused:
        make_project(
            staff,
            {local_plan: 100_000_000},
            start_date=dt.date(2026, 6, 1),
            end_date=dt.date(2026, 5, 31),
        )
    assert refused_fields(refused) == {"start_date", "end_date"}
    assert not Project.objects.exists()


def test_an_adjustment_ending_before_the_start_is_refused(project, staff, reviewer):
    services.project_request_adjustment(
        project=project,
        by=staff,
        reason="Lùi thời gian",
        changes={"end_date": dt.date(2026, 3, 1)},
    )
    with pytest.raises(Refused, match="cannot end"):
        services.project_decide_adjustment(
            project=project,
            by=reviewer,
            approve=True,
            **decision(project, "adjustment"),
        )


def test_a_plan_decision_after_today_is_refused(local_plan):
    local_plan.decision_date = tomorrow()
    with pytest.raises(ValidationError) as refused:
        local_plan.full_clean()
    assert "decision_date" in refused.value.message_dict


def test_a_programme_decision_after_today_is_refused(local_plan):
    programme = local_plan.programme
    programme.decision_date = tomorrow()
    with pytest.raises(ValidationError) as refused:
        programme.full_clean()
    assert "decision_date" in refused.value.message_dict


def test_a_complete_project_in_order_has_no_date_problem(project, staff, reviewer):
    machine(project, staff)
    pay(project, staff, 30_000_000, kind=DisbursementKind.ADVANCE)
    settled = advance(project, Status.SETTLED, staff=staff, reviewer=reviewer)
    assert date_problems(settled) == []


def test_a_record_that_already_breaks_a_rule_can_still_move_on(
    project, staff, reviewer
):
    """Old rows are not held hostage: a step is refused only for what it adds."""
    Project.objects.filter(pk=project.pk).update(decision_date=dt.date(2026, 4, 2))
    project.refresh_from_db()
    assert [p.key for p in date_problems(project)] == ["contract_date<decision_date"]
    services.project_accept(
        project=project, by=staff, acceptance_date=ACCEPTANCE_DAY, minutes_no="1"
    )


# --- through the pages ----------------------------------------------------------------


def action(project: Project, name: str) -> str:
    return reverse("projects:action", args=[project.pk, name])


def money(name: str, *args) -> str:
    return reverse(f"money:{name}", args=args)


def field_errors(response, form_key: str = "form") -> dict[str, list[str]]:
    return {
        k: [str(e) for e in v] for k, v in response.context[form_key].errors.items()
    }


def test_the_page_shows_a_future_decision_next_to_its_field(
    submitted, reviewer, as_user
):
    response = as_user(reviewer).post(
        action(submitted, "approve"),
        {
            "decision_no": "9/QĐ-UBND",
            "decision_date": iso(tomorrow()),
            "amount_KCDP": "120000000",
        },
    )
    assert response.status_code == 400
    errors = field_errors(response, "refused_form")
    assert "sau ngày hôm nay" in " ".join(errors["decision_date"])
    html = response.content.decode()
    assert "invalid-feedback" in html and "sau ngày hôm nay" in html
    submitted.refresh_from_db()
    assert submitted.status == Status.APPRAISED


def test_the_page_refuses_a_contract_before_the_decision(approved, staff, as_user):
    response = as_user(staff).post(
        action(approved, "start"),
        {"contract_no": "1/HĐ", "contract_date": "2026-03-19"},
    )
    assert response.status_code == 400
    errors = field_errors(response, "refused_form")
    assert "không được trước" in " ".join(errors["contract_date"])


def test_the_page_refuses_a_settlement_before_the_acceptance(
    project, staff, reviewer, as_user
):
    accepted = advance(project, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    response = as_user(staff).post(
        action(accepted, "settle"),
        {
            "settled_on": "2026-11-19",
            "amount_KCDP": "120000000",
            "voucher_no": "PC-QT-01",
            "decision_no": "QT-01/QĐ",
            "authority": decision_authority(accepted, "settlement").pk,
        },
    )
    assert response.status_code == 400
    assert "không được trước" in " ".join(
        field_errors(response, "refused_form")["settled_on"]
    )


def test_the_project_form_says_the_period_is_reversed_in_vietnamese(
    staff, local_plan, establishment, as_user
):
    response = as_user(staff).post(
        reverse("projects:create"),
        {
            "title": "Hỗ trợ máy sấy",
            "content": "4",
            "implementing_unit": "Trung tâm Khuyến công",
            "beneficiaries": [establishment.pk],
            "start_date": "2026-06-01",
            "end_date": "2026-05-31",
            "total_cost": "300000000",
            "counterpart": "200000000",
            "other_sources": "0",
            "target_machines": "1",
            "target_trainees": "0",
            "target_products": "0",
            "baseline_jobs": "5",
            "fundings-TOTAL_FORMS": "2",
            "fundings-INITIAL_FORMS": "0",
            "fundings-MIN_NUM_FORMS": "0",
            "fundings-MAX_NUM_FORMS": "2",
            "fundings-0-plan": local_plan.pk,
            "fundings-0-requested": "100000000",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "project_dates_ordered" not in html and "Constraint" not in html
    errors = field_errors(response)
    assert "Thời gian thực hiện không thể kết thúc" in " ".join(errors["end_date"])
    assert not Project.objects.exists()


def test_the_equipment_page_refuses_an_invoice_before_the_contract(
    project, staff, as_user
):
    response = as_user(staff).post(
        money("equipment_add", project.pk),
        equipment_post(project, invoice_date="2026-03-31"),
    )
    assert response.status_code == 400
    assert "trước ngày hợp đồng" in " ".join(field_errors(response)["invoice_date"])


def test_the_disbursement_page_refuses_a_payment_before_the_contract(
    project, staff, as_user
):
    response = as_user(staff).post(
        money("disbursement_add", project.pk), money_post(project, date="2026-03-31")
    )
    assert response.status_code == 400
    assert "trước ngày ký hợp đồng" in " ".join(field_errors(response)["date"])


def test_the_acceptance_page_refuses_a_date_before_the_last_invoice(
    project, staff, as_user
):
    machine(project, staff, invoice_date=dt.date(2026, 6, 15))
    response = as_user(staff).post(
        money("acceptance", project.pk),
        {
            "acceptance_date": "2026-06-14",
            "minutes_no": "12/BB-NT",
            "machines_achieved": "1",
            "trainees_achieved": "0",
            "products_achieved": "0",
            "counterpart_contributed": "180.000.000",
            "other_sources_contributed": "0",
        },
    )
    assert response.status_code == 400
    assert "hóa đơn" in " ".join(field_errors(response)["acceptance_date"])
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS


def test_the_admin_refuses_a_plan_decided_after_today(local_plan, admin_user, as_user):
    response = as_user(admin_user).post(
        reverse("admin:projects_plan_change", args=[local_plan.pk]),
        {
            "programme": local_plan.programme_id,
            "year": local_plan.year,
            "allocated": local_plan.allocated,
            "decision_no": local_plan.decision_no,
            "decision_date": iso(tomorrow()),
        },
    )
    assert response.status_code == 200
    assert "sau ngày hôm nay" in response.content.decode()
    assert Plan.objects.get(pk=local_plan.pk).decision_date != tomorrow()
