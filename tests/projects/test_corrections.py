"""Controlled corrections ("Sửa thông tin", issue 13 point 3).

Who may correct what (projects/lifecycle.py, the correct_* steps):
- reviewers the approval decision (number, date) they recorded;
- staff the contract, the acceptance minutes and the settlement date;
- nobody else; the wrong role or state is refused by the table-wide tests
  in test_lifecycle.py.

A correction asks for a reason, checks the date rules again (projects/models/dates.py)
and leaves a timeline entry with the old and new values.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from projects import lifecycle
from projects.models import Disbursement, DisbursementKind, Project, Refused, Status
from projects.models.dates import date_problems
from tests.builders import advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(local_project, staff, reviewer) -> Project:
    """Decision 20/03/2026, contract 01/04/2026, minutes 12/BB-NT of 20/11/2026."""
    return advance(local_project, Status.ACCEPTED, staff=staff, reviewer=reviewer)


def action_url(project: Project, action: str) -> str:
    return reverse("projects:action", args=[project.pk, action])


def detail(project: Project) -> str:
    return reverse("projects:detail", args=[project.pk])


def test_staff_correct_the_acceptance_date_through_the_page(as_user, staff, accepted):
    client = as_user(staff)
    response = client.post(
        action_url(accepted, "correct_acceptance"),
        {
            "acceptance_minutes_no": "12/BB-NT",
            "acceptance_date": "22/11/2026",
            "reason": "Biên bản ký ngày 22, ghi nhầm ngày 20",
        },
        follow=True,
    )
    accepted.refresh_from_db()
    assert accepted.acceptance_date == dt.date(2026, 11, 22)
    assert accepted.status == Status.ACCEPTED
    entry = accepted.transitions.last()
    assert (entry.action, entry.from_status, entry.to_status, entry.actor) == (
        "correct_acceptance",
        Status.ACCEPTED,
        Status.ACCEPTED,
        staff,
    )
    assert entry.comment == (
        "Lý do: Biên bản ký ngày 22, ghi nhầm ngày 20\n"
        "Ngày nghiệm thu: 20/11/2026 → 22/11/2026"
    )
    page = response.content.decode()
    assert "Sửa thông tin nghiệm thu" in page
    assert "Ngày nghiệm thu: 20/11/2026 → 22/11/2026" in page
    # The project's own history keeps the value before, for the audit trail.
    assert [h.acceptance_date for h in accepted.history.order_by("history_date")][
        -2:
    ] == [dt.date(2026, 11, 20), dt.date(2026, 11, 22)]


def test_a_reviewer_corrects_the_decision_number_and_date(reviewer, accepted):
    lifecycle.steps_for("correct_decision")[0].run(
        project=accepted,
        by=reviewer,
        reason="Số quyết định đúng là 124/QĐ-UBND",
        changes={"decision_no": "124/QĐ-UBND", "decision_date": dt.date(2026, 3, 21)},
    )
    accepted.refresh_from_db()
    assert (accepted.decision_no, accepted.decision_date) == (
        "124/QĐ-UBND",
        dt.date(2026, 3, 21),
    )
    assert accepted.transitions.last().comment.splitlines()[1:] == [
        "Số quyết định phê duyệt: 123/QĐ → 124/QĐ-UBND",
        "Ngày quyết định phê duyệt: 20/03/2026 → 21/03/2026",
    ]


def refused(action: str, project: Project, by, **changes) -> list[str]:
    before = (
        Project.objects.get(pk=project.pk).__dict__.copy(),
        project.transitions.count(),
    )
    with pytest.raises(Refused) as error:
        lifecycle.steps_for(action)[0].run(
            project=project, by=by, reason="Sửa cho đúng hồ sơ", changes=changes
        )
    after = Project.objects.get(pk=project.pk).__dict__
    assert {k: v for k, v in after.items() if k != "_state"} == {
        k: v for k, v in before[0].items() if k != "_state"
    }
    assert project.transitions.count() == before[1]
    return error.value.messages


def test_a_decision_date_after_the_contract_is_refused(reviewer, accepted):
    assert refused(
        "correct_decision", accepted, reviewer, decision_date=dt.date(2026, 4, 2)
    ) == [
        "Ngày ký hợp đồng (01/04/2026) không được trước ngày quyết định phê duyệt "
        "(02/04/2026)."
    ]


def test_a_decision_dated_in_the_future_is_refused(reviewer, local_project, staff):
    approved = advance(local_project, Status.APPROVED, staff=staff, reviewer=reviewer)
    messages = refused(
        "correct_decision", approved, reviewer, decision_date=dt.date(2099, 1, 1)
    )
    assert len(messages) == 1
    assert messages[0].startswith("Ngày quyết định phê duyệt (01/01/2099) không được")


def test_an_acceptance_before_the_contract_is_refused(staff, accepted):
    assert refused(
        "correct_acceptance", accepted, staff, acceptance_date=dt.date(2026, 3, 31)
    ) == [
        "Ngày nghiệm thu (31/03/2026) không được trước ngày ký hợp đồng (01/04/2026)."
    ]


def test_a_contract_after_a_payment_is_refused(staff, reviewer, local_project):
    running = advance(local_project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    fundings = running.fundings.get()
    Disbursement(
        funding=fundings,
        kind=DisbursementKind.PAYMENT,
        amount=10_000_000,
        date=dt.date(2026, 5, 10),
        voucher_no="PC-01",
        recorded_by=staff,
    ).save()
    assert refused(
        "correct_contract", running, staff, contract_date=dt.date(2026, 5, 11)
    ) == ["Ngày chi 10/05/2026 trước ngày ký hợp đồng (11/05/2026)."]


def test_a_settlement_before_its_own_payment_is_refused(staff, reviewer, accepted):
    settled = advance(accepted, Status.SETTLED, staff=staff, reviewer=reviewer)
    # Settling paid the remainder on the settlement date (01/12/2026).
    assert refused(
        "correct_settlement", settled, staff, settled_on=dt.date(2026, 11, 25)
    ) == ["Ngày chi 01/12/2026 sau ngày quyết toán 25/11/2026."]
    lifecycle.steps_for("correct_settlement")[0].run(
        project=settled,
        by=staff,
        reason="Quyết toán ký ngày 02/12",
        changes={"settled_on": dt.date(2026, 12, 2)},
    )
    settled.refresh_from_db()
    assert settled.settled_on == dt.date(2026, 12, 2)
    assert settled.status == Status.SETTLED


def test_a_correction_needs_a_reason_and_a_change(staff, accepted):
    with pytest.raises(Refused) as no_reason:
        lifecycle.steps_for("correct_acceptance")[0].run(
            project=accepted,
            by=staff,
            reason="  ",
            changes={"acceptance_minutes_no": "13/BB"},
        )
    assert no_reason.value.messages == ["Hãy nêu lý do sửa thông tin."]
    assert refused(
        "correct_acceptance", accepted, staff, acceptance_minutes_no="12/BB-NT"
    ) == ["Thông tin sửa không khác thông tin đã ghi."]


def test_a_correction_changes_only_its_own_fields(staff, accepted):
    assert refused("correct_acceptance", accepted, staff, decision_no="999/QĐ") == [
        "Không thể sửa các trường này ở đây."
    ]


def test_an_old_flaw_elsewhere_does_not_block_a_correction(staff, accepted):
    # A record from before the date rules: contract dated before the decision.
    Project.objects.filter(pk=accepted.pk).update(contract_date=dt.date(2026, 3, 1))
    accepted.refresh_from_db()
    assert [p.key for p in date_problems(accepted)] == ["contract_date<decision_date"]
    lifecycle.steps_for("correct_acceptance")[0].run(
        project=accepted,
        by=staff,
        reason="Số biên bản đúng là 13/BB-NT",
        changes={"acceptance_minutes_no": "13/BB-NT"},
    )
    accepted.refresh_from_db()
    assert accepted.acceptance_minutes_no == "13/BB-NT"


def test_the_project_page_offers_each_role_its_own_corrections(
    as_user, staff, reviewer, manager, accepted
):
    def offered(user) -> list[str]:
        response = as_user(user).get(detail(accepted))
        return [step.action for step, _form in response.context["corrections"]]

    assert offered(staff) == ["correct_contract", "correct_acceptance"]
    assert offered(reviewer) == ["correct_decision"]
    assert offered(manager) == []


def test_the_correction_form_shows_what_is_recorded(as_user, staff, accepted):
    page = as_user(staff).get(detail(accepted)).content.decode()
    assert 'data-correction="correct_acceptance"' in page
    assert 'value="12/BB-NT"' in page
    assert 'value="2026-11-20"' in page


# --- no silent no-op on the acceptance page ----------------------------------------


def test_the_acceptance_page_of_an_accepted_project_has_no_date_it_would_ignore(
    as_user, staff, accepted
):
    url = reverse("money:acceptance", args=[accepted.pk])
    client = as_user(staff)
    response = client.get(url)
    form = response.context["form"]
    assert "acceptance_date" not in form.fields
    assert "minutes_no" not in form.fields
    page = response.content.decode()
    assert "Biên bản 12/BB-NT ngày 20/11/2026 đã được ghi" in page
    assert "Sửa thông tin nghiệm thu" in page
    # Posting a date anyway changes nothing, and the outputs are saved.
    response = client.post(
        url,
        {
            "acceptance_date": "25/11/2026",
            "machines_achieved": "2",
            "trainees_achieved": "0",
            "products_achieved": "0",
            "counterpart_contributed": "180.000.000",
            "other_sources_contributed": "0",
        },
    )
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.acceptance_date == dt.date(2026, 11, 20)
    assert accepted.acceptance.machines_achieved == 2
