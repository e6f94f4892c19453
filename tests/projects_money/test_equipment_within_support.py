"""Equipment within support (issue 13, point 4): what a project's machines
are supported with adds up to no more than the support approved for it, and
no more than the support settled once it is settled."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects import services
from projects.models import EquipmentInvestment, Refused, Status
from tests.builders import (
    advance,
    equipment_post,
    machine,
    make_plan,
    make_project,
    pay,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(staff, reviewer, local_plan, establishment):
    """A local machinery project in progress with 240,000,000 đ approved."""
    project = make_project(
        staff,
        {local_plan: 240_000_000},
        beneficiaries=[establishment],
        counterpart=400_000_000,
    )
    return advance(project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)


def test_equipment_support_adds_up_to_the_approved_support(big, staff):
    machine(big, staff, supported=170_000_000, unit_price=340_000_000)
    with pytest.raises(Refused, match="240,000,000") as refused:
        machine(
            big,
            staff,
            serials=["SN-2"],
            invoice_no="2",
            supported=100_000_000,
            unit_price=200_000_000,
        )
    assert "supported" in {f for fs in refused.value.fields.values() for f in fs}
    assert big.equipment.count() == 1
    # What is left fits exactly.
    machine(
        big,
        staff,
        serials=["SN-3"],
        invoice_no="3",
        supported=70_000_000,
        unit_price=200_000_000,
    )
    assert sum(e.supported for e in big.equipment.all()) == 240_000_000


def test_one_machine_above_the_approved_support_is_refused(
    staff, reviewer, local_plan, establishment
):
    project = make_project(
        staff,
        {local_plan: 200_000_000},
        beneficiaries=[establishment],
        counterpart=2_000_000_000,
    )
    advance(project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    with pytest.raises(Refused, match="approved support"):
        machine(project, staff, supported=1_000_000_000, unit_price=2_000_000_000)
    assert not EquipmentInvestment.objects.exists()


def test_editing_a_row_counts_it_once(big, staff):
    row = machine(big, staff, supported=200_000_000, unit_price=400_000_000)
    row.supported = 240_000_000
    row.store(serials=["SN-001"], by=staff)
    row.refresh_from_db()
    assert row.supported == 240_000_000


def test_both_sources_count_towards_the_limit(
    staff, reviewer, local_plan, establishment
):
    national = make_plan("KCQG")
    project = make_project(
        staff,
        {local_plan: 100_000_000, national: 100_000_000},
        beneficiaries=[establishment],
        counterpart=400_000_000,
    )
    advance(project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    machine(project, staff, supported=200_000_000, unit_price=400_000_000)
    with pytest.raises(Refused):
        machine(project, staff, serials=["SN-9"], invoice_no="9", supported=1)


def test_settling_below_the_equipment_support_is_refused(big, staff, reviewer):
    machine(big, staff, supported=200_000_000, unit_price=400_000_000)
    pay(big, staff, 70_000_000, kind="advance")
    accepted = advance(big, Status.ACCEPTED, staff=staff, reviewer=reviewer)
    with pytest.raises(Refused, match="200,000,000"):
        services.project_settle(
            project=accepted,
            by=staff,
            decision_no="QT-01/QĐ",
            settled_on=accepted.acceptance_date,
            voucher_no="PC-QT-01",
            settled={"KCDP": 190_000_000},
        )
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED
    services.project_settle(
        project=accepted,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=accepted.acceptance_date,
        voucher_no="PC-QT-01",
        settled={"KCDP": 200_000_000},
    )


def test_the_equipment_page_refuses_support_above_the_approved_next_to_the_field(
    big, staff, as_user
):
    client = as_user(staff)
    first = equipment_post(big, supported="170000000", unit_price="340000000")
    assert (
        client.post(reverse("money:equipment_add", args=[big.pk]), first).status_code
        == 302
    )
    second = equipment_post(
        big,
        supported="100000000",
        unit_price="200000000",
        serials="SN-778",
        invoice_no="778",
    )
    response = client.post(reverse("money:equipment_add", args=[big.pk]), second)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["supported"])
    assert "kinh phí hỗ trợ được duyệt" in errors
    assert "240.000.000" in errors
    assert big.equipment.count() == 1
