"""Equipment rows: double support refused or flagged, the establishment's list."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from projects import services
from projects.models import (
    EquipmentInvestment,
    EquipmentSerial,
    Refused,
    Status,
    normalise_serial,
)
from tests.builders import decision, machine, make_plan, running


@pytest.fixture
def later(staff, reviewer, establishment):
    """A project of the next year's national plan for the same establishment."""
    return running(staff, reviewer, make_plan("KCQG", year=2027), establishment)


def test_serials_are_normalised():
    assert normalise_serial("  ab-12 34–x ") == "AB1234X"


def test_a_machine_is_stored_with_its_serials_and_total(project, staff):
    row = machine(
        project, staff, serials=["sn 001", "SN-002"], quantity=2, unit_price=90_000_000
    )
    assert row.total == 180_000_000
    assert row.serial_list == ["SN-002", "sn 001"]
    assert not row.needs_review


def test_a_serial_is_kept_as_typed_and_compared_normalised(project, later, staff):
    row = machine(project, staff, serials=["CNC4H-2026-0012", "cnc4h 2026 0012"])
    assert row.serial_list == ["CNC4H-2026-0012"]
    assert EquipmentSerial.objects.get().normalised == "CNC4H20260012"
    with pytest.raises(Refused, match="CNC4H-2026-0012"):
        machine(
            later,
            staff,
            serials=["cnc4h20260012"],
            invoice_no="999",
            supplier_tax_code="0101234567",
        )
    # Retyping the same serial differently keeps one row, now as typed last.
    row.store(serials=["CNC4H 2026 0012"], by=staff)
    assert row.serial_list == ["CNC4H 2026 0012"]


def test_an_already_supported_serial_is_refused_in_a_later_project(
    project, later, staff
):
    machine(project, staff, serials=["SN-001"])
    with pytest.raises(Refused) as refused:
        machine(
            later,
            staff,
            serials=[" sn 001 "],
            invoice_no="999",
            supplier_tax_code="0101234567",
        )
    # The earlier project's serial as it was typed there.
    assert "SN-001" in str(refused.value) and project.code in str(refused.value)
    assert refused.value.projects == [project]
    assert later.equipment.count() == 0


def test_an_already_supported_invoice_is_refused_in_a_later_project(
    project, later, staff
):
    machine(project, staff, serials=["A1"], invoice_no="00000123")
    with pytest.raises(Refused, match=project.code):
        machine(later, staff, serials=["B2"], invoice_no="123")
    assert later.equipment.count() == 0


def test_the_same_invoice_may_carry_several_machines_of_one_project(project, staff):
    machine(project, staff, serials=["A1"])
    machine(project, staff, serials=["A2"], item="Máy chà nhám", supported=20_000_000)
    assert project.equipment.count() == 2


def test_a_serial_twice_in_one_project_is_refused(project, staff):
    machine(project, staff, serials=["A1"])
    with pytest.raises(Refused, match="already listed in this project"):
        machine(project, staff, serials=["a-1"], item="Máy khác", supported=10_000_000)


def test_the_database_holds_one_live_support_per_serial(project, later, staff):
    row = machine(project, staff, serials=["A1"])
    other = machine(
        later, staff, serials=["B1"], invoice_no="7", supplier_tax_code="0101234567"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EquipmentSerial.objects.filter(equipment=other).update(normalised="A1")
    assert row.serial_list == ["A1"]


def test_a_cancelled_projects_machine_may_be_supported_again(
    project, later, staff, reviewer
):
    machine(project, staff, serials=["A1"])
    services.project_cancel(
        project=project, by=reviewer, reason="Rút", **decision(project)
    )
    row = machine(later, staff, serials=["A1"])
    assert row.serial_list == ["A1"] and not row.needs_review


def test_a_serial_one_character_away_is_flagged_not_refused(project, later, staff):
    machine(project, staff, serials=["ABC12345"])
    row = machine(
        later,
        staff,
        serials=["ABC12346"],
        invoice_no="55",
        supplier_tax_code="0101234567",
    )
    assert row.needs_review
    assert "ABC12345" in row.review_notes and project.code in row.review_notes


def test_same_supplier_item_and_amount_is_flagged(project, later, staff):
    machine(project, staff, serials=["A1"], invoice_no="1")
    row = machine(later, staff, serials=["Z9"], invoice_no="2")
    assert row.needs_review and project.code in row.review_notes


def test_supported_above_total_is_refused(project, staff):
    with pytest.raises(Refused, match="exceeds the total"):
        machine(project, staff, supported=200_000_001)


def test_the_database_checks_total_is_quantity_times_price(project, staff):
    row = machine(project, staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        EquipmentInvestment.objects.filter(pk=row.pk).update(total=1)


def test_only_a_beneficiary_of_the_project_gets_equipment(project, staff, commune):
    from tests.builders import make_establishment

    stranger = make_establishment(
        commune, name="Cơ sở khác", business_registration_no="HKD-999"
    )
    with pytest.raises(Refused, match="not a beneficiary"):
        machine(project, staff, establishment=stranger)


def test_the_establishments_equipment_across_years(
    project, later, staff, establishment
):
    first = machine(project, staff, serials=["A1"])
    second = machine(
        later,
        staff,
        serials=["B1"],
        invoice_no="9",
        item="Máy sấy",
        supplier_tax_code="0101234567",
    )
    rows = list(EquipmentInvestment.objects.for_establishment(establishment))
    assert set(rows) == {first, second}


def test_equipment_needs_an_approved_project(staff, local_plan, establishment):
    from tests.builders import make_project

    draft = make_project(staff, {local_plan: 1_000}, beneficiaries=[establishment])
    with pytest.raises(Refused):
        machine(draft, staff)
    assert draft.status == Status.DRAFT


def test_equipment_is_named_without_its_projects_id(project, staff):
    """Its name in the photo form's choice and the change log (issue 17)."""
    row = machine(project, staff, serials=["A1"], item="Máy dệt kim")
    assert str(row) == "Máy dệt kim"
