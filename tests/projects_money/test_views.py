"""The execution and money pages through the Django client.

Who may see what: staff and administrators record; reviewers and managers read.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from projects import services
from projects.models import (
    Disbursement,
    EquipmentInvestment,
    EquipmentSerial,
    Inspection,
    Status,
)
from tests.builders import (
    advance,
    decision,
    equipment_post,
    machine,
    make_plan,
    money_post,
    pay,
    running,
)


@pytest.fixture(autouse=True)
def english():
    """Pages are checked in the portal's own language (Vietnamese)."""
    yield


def url(name: str, *args) -> str:
    return reverse(f"money:{name}", args=args)


def test_staff_record_a_disbursement(project, staff, as_user):
    client = as_user(staff)
    response = client.post(url("disbursement_add", project.pk), money_post(project))
    assert response.status_code == 302
    row = Disbursement.objects.get()
    assert (row.amount, row.recorded_by, row.voucher_no) == (10_000_000, staff, "PC-10")
    assert row.history.get().history_user == staff
    page = client.get(url("project", project.pk))
    assert "10.000.000 đ" in page.content.decode()


def test_a_disbursement_above_approved_is_refused_in_vietnamese(
    project, staff, as_user
):
    client = as_user(staff)
    response = client.post(
        url("disbursement_add", project.pk), money_post(project, amount="120000001")
    )
    assert response.status_code == 400
    assert "vượt kinh phí hỗ trợ được duyệt" in response.content.decode()
    assert not Disbursement.objects.exists()


def test_a_non_positive_amount_is_refused_by_the_form(project, staff, as_user):
    response = as_user(staff).post(
        url("disbursement_add", project.pk), money_post(project, amount="0")
    )
    assert response.status_code == 400
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize("role", ["reviewer", "manager"])
def test_readers_see_but_cannot_record(project, role, request, as_user):
    client = as_user(request.getfixturevalue(role))
    assert client.get(url("project", project.pk)).status_code == 200
    assert client.get(url("budget")).status_code == 200
    response = client.post(url("disbursement_add", project.pk), money_post(project))
    assert response.status_code == 403
    response = client.post(url("equipment_add", project.pk), equipment_post(project))
    assert response.status_code == 403
    assert (
        not Disbursement.objects.exists() and not EquipmentInvestment.objects.exists()
    )


def test_someone_without_a_role_sees_nothing(project, nobody, as_user):
    client = as_user(nobody)
    assert client.get(url("project", project.pk)).status_code == 403
    assert client.get(url("budget")).status_code == 403


def test_staff_add_equipment_and_a_later_project_is_refused_with_a_link(
    project, staff, reviewer, establishment, as_user
):
    client = as_user(staff)
    response = client.post(url("equipment_add", project.pk), equipment_post(project))
    assert response.status_code == 302, response.content.decode()
    later = running(staff, reviewer, make_plan("KCQG", year=2027), establishment)
    response = client.post(
        url("equipment_add", later.pk),
        equipment_post(later, serials="sn 777", invoice_no="1"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Số sê-ri SN-777 đã được hỗ trợ trong đề án" in html
    assert url("project", project.pk) in html
    response = client.post(
        url("equipment_add", later.pk), equipment_post(later, serials="X-1")
    )
    assert "Hóa đơn 0000777" in response.content.decode()
    assert later.equipment.count() == 0


def test_a_near_match_is_shown_to_the_reviewer(
    project, staff, reviewer, establishment, as_user
):
    machine(project, staff, serials=["ABC12345"])
    later = running(staff, reviewer, make_plan("KCQG", year=2027), establishment)
    as_user(staff).post(
        url("equipment_add", later.pk),
        equipment_post(later, serials="ABC12346", supplier_tax_code="0101234567"),
    )
    page = as_user(reviewer).get(url("project", later.pk)).content.decode()
    assert 'data-testid="review-flag"' in page and "ABC12345" in page


@pytest.fixture
def settled(project, staff, reviewer):
    pay(project, staff, 50_000_000)
    machine(project, staff, serials=["SN-1"])
    advance(project, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    services.project_settle(
        project=project,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=dt.date(2026, 12, 1),
        voucher_no="PC-QT-01",
        settled={"KCDP": 100_000_000},
    )
    project.refresh_from_db()
    return project


def state(project) -> tuple:
    return (
        list(project.disbursements.values_list("kind", "amount", "date", "voucher_no")),
        list(project.equipment.values_list("item", "supported", "total")),
        list(EquipmentSerial.objects.values_list("serial", flat=True)),
    )


def test_after_settlement_every_write_through_the_views_is_refused(
    settled, staff, admin_user, as_user
):
    before = state(settled)
    disbursement = settled.disbursements.first()
    equipment = settled.equipment.get()
    for user in (staff, admin_user):
        client = as_user(user)
        for name, args, data in [
            ("disbursement_add", (settled.pk,), money_post(settled)),
            (
                "disbursement_edit",
                (settled.pk, disbursement.pk),
                money_post(settled, amount="1"),
            ),
            ("equipment_add", (settled.pk,), equipment_post(settled)),
            (
                "equipment_edit",
                (settled.pk, equipment.pk),
                equipment_post(settled, supported="1", serials="SN-1"),
            ),
        ]:
            response = client.post(url(name, *args), data)
            assert response.status_code == 400, name
            assert "đã quyết toán" in response.content.decode(), name
        for name, pk in [
            ("disbursement_delete", disbursement.pk),
            ("equipment_delete", equipment.pk),
        ]:
            response = client.post(url(name, settled.pk, pk), follow=True)
            assert "đã quyết toán" in response.content.decode(), name
    assert state(settled) == before
    page = as_user(staff).get(url("project", settled.pk)).content.decode()
    assert url("disbursement_add", settled.pk) not in page


def test_acceptance_form_runs_the_accept_step_with_outputs(project, staff, as_user):
    response = as_user(staff).post(
        url("acceptance", project.pk),
        {
            "acceptance_date": "2026-11-20",
            "minutes_no": "12/BB-NT",
            "machines_achieved": "2",
            "trainees_achieved": "0",
            "products_achieved": "500",
            "jobs_after": "14",
            "revenue_after": "2500000000",
            "productivity_after": "",
            "energy_after_kwh": "",
            "lessons_learned": "Chọn nhà cung cấp có bảo hành tại tỉnh.",
            "counterpart_contributed": "180.000.000",
            "other_sources_contributed": "0",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.ACCEPTED
    assert project.acceptance_minutes_no == "12/BB-NT"
    assert project.acceptance.machines_achieved == 2
    assert project.acceptance.jobs_after == 14


def test_inspections_progress_and_the_overdue_list(project, staff, manager, as_user):
    client = as_user(staff)
    client.post(
        url("inspection_add", project.pk),
        {"planned_date": "2026-06-01", "inspectors": "Lê Thị Hoa"},
    )
    client.post(
        url("progress_add", project.pk),
        {"date": "2026-06-15", "progress_percent": "40", "note": "Đã lắp máy"},
    )
    inspection = Inspection.objects.get()
    assert Inspection.objects.overdue(today=dt.date(2026, 6, 2)).get() == inspection
    page = as_user(manager).get(url("overdue")).content.decode()
    assert project.code in page
    client = as_user(staff)
    client.post(
        url("inspection_edit", project.pk, inspection.pk),
        {
            "planned_date": "2026-06-01",
            "actual_date": "2026-06-03",
            "inspectors": "Lê Thị Hoa",
            "findings": "Đúng tiến độ",
            "progress_percent": "45",
        },
    )
    assert not Inspection.objects.overdue(today=dt.date(2026, 7, 1)).exists()
    assert project.progress_updates.get().progress_percent == 40


def test_the_history_page_says_who_changed_money(project, staff, manager, as_user):
    as_user(staff).post(url("disbursement_add", project.pk), money_post(project))
    page = as_user(manager).get(url("history", project.pk)).content.decode()
    assert "Lê Thị Hoa" in page or "staff" in page
    assert "khoản giải ngân" in page.lower()


def test_the_establishment_page_lists_equipment_across_years(
    project, staff, reviewer, establishment, as_user
):
    machine(project, staff, serials=["A1"])
    later = running(staff, reviewer, make_plan("KCQG", year=2027), establishment)
    machine(
        later,
        staff,
        serials=["B1"],
        invoice_no="9",
        item="Máy sấy gỗ",
        supplier_tax_code="0101234567",
    )
    page = as_user(reviewer).get(url("establishment_equipment", establishment.pk))
    html = page.content.decode()
    assert project.code in html and later.code in html and "Máy sấy gỗ" in html


def test_a_refund_due_is_confirmed_not_edited(project, staff, reviewer, as_user):
    pay(project, staff, 30_000_000, kind="advance")
    services.project_cancel(
        project=project, by=reviewer, reason="Rút", **decision(project)
    )
    due = Disbursement.objects.get(state="due")
    client = as_user(staff)
    edit = url("disbursement_edit", project.pk, due.pk)
    assert client.post(edit, money_post(project, kind="refund")).status_code == 404
    response = client.post(
        url("refund_confirm", project.pk, due.pk),
        {"date": "2026-06-01", "voucher_no": "PT-3"},
    )
    assert response.status_code == 302
    due.refresh_from_db()
    assert (due.state, due.voucher_no) == ("recorded", "PT-3")
