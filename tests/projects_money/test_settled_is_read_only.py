"""After settlement every write of a money or equipment row is refused.

The model layer here; the views in test_views.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from projects import services
from projects.models import (
    Disbursement,
    DisbursementKind,
    EquipmentInvestment,
    EquipmentSerial,
    Inspection,
    Refused,
    Status,
)
from tests.builders import advance, machine, pay


@pytest.fixture
def settled(project, staff, reviewer):
    """A settled project with one payment and one machine."""
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
    assert project.status == Status.SETTLED
    return project


def snapshot(project) -> tuple:
    return (
        list(project.disbursements.values_list("kind", "amount", "date")),
        list(project.equipment.values_list("item", "supported", "total")),
        list(EquipmentSerial.objects.values_list("serial", flat=True)),
    )


def test_adding_a_disbursement_is_refused(settled, staff):
    before = snapshot(settled)
    for kind in DisbursementKind.values:
        with pytest.raises(Refused, match="settled"):
            pay(settled, staff, 1_000, kind=kind, date=dt.date(2026, 12, 5))
    assert snapshot(settled) == before


def test_editing_or_deleting_a_disbursement_is_refused(settled):
    before = snapshot(settled)
    row = settled.disbursements.first()
    row.amount = 1
    with pytest.raises(Refused, match="settled"):
        row.save()
    with pytest.raises(Refused, match="settled"):
        Disbursement.objects.get(pk=row.pk).delete()
    with pytest.raises(Refused, match="settled"):
        Disbursement.objects.filter(project=settled).delete()
    assert snapshot(settled) == before


def test_adding_editing_or_deleting_equipment_is_refused(settled, staff):
    before = snapshot(settled)
    with pytest.raises(Refused, match="settled"):
        machine(settled, staff, serials=["NEW-1"], invoice_no="77")
    row = EquipmentInvestment.objects.get(project=settled)
    row.supported = 1
    with pytest.raises(Refused, match="settled"):
        row.save()
    with pytest.raises(Refused, match="settled"):
        row.store(serials=["OTHER"], by=staff)
    with pytest.raises(Refused, match="settled"):
        EquipmentInvestment.objects.get(pk=row.pk).delete()
    with pytest.raises(Refused, match="settled"):
        EquipmentSerial.objects.get(normalised="SN1").delete()
    with pytest.raises(Refused, match="settled"):
        EquipmentSerial(equipment=row, serial="X2").save()
    assert snapshot(settled) == before


def test_inspections_are_closed_too(settled, staff):
    with pytest.raises(Refused):
        Inspection.objects.create(
            project=settled, planned_date=dt.date(2026, 12, 9), recorded_by=staff
        )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database trigger exists on PostgreSQL only; SQLite relies on "
    "the model layer",
)
def test_the_database_refuses_bulk_writes_that_skip_the_model_layer(settled):
    before = snapshot(settled)
    attempts = [
        lambda: Disbursement.objects.filter(project=settled).update(amount=1),
        lambda: EquipmentInvestment.objects.filter(project=settled).update(supported=1),
        lambda: EquipmentInvestment.objects.filter(project=settled)._raw_delete(
            connection.alias
        ),
        lambda: Disbursement.objects.bulk_create(
            [
                Disbursement(
                    project=settled,
                    funding=settled.fundings.get(),
                    kind=DisbursementKind.PAYMENT,
                    amount=5,
                    date=dt.date(2026, 12, 9),
                    recorded_by=settled.created_by,
                )
            ]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    assert snapshot(settled) == before


def test_the_acceptance_record_is_closed_too(settled, staff):
    acceptance = settled.acceptance
    acceptance.machines_achieved = 9
    with pytest.raises(Refused, match="settled"):
        acceptance.save()
