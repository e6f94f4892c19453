"""Projects in progress, and money and equipment rows, for the issue 5 tests.

Everything is built through the real services and model methods, so each
fixture state is one the portal itself can reach.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from projects.models import (
    Disbursement,
    DisbursementKind,
    EquipmentInvestment,
    Project,
    ProjectFunding,
    Status,
)
from tests.projects import conftest as project_fixtures
from tests.projects.conftest import (
    SUBMIT_DAY,
    advance,
    make_establishment,
    make_plan,
    make_project,
)

# The project tests' fixtures, shared rather than copied.
commune = project_fixtures.commune
establishment = project_fixtures.establishment
local_plan = project_fixtures.local_plan
national_plan = project_fixtures.national_plan
__all__ = ["SUBMIT_DAY", "advance", "make_establishment", "make_plan", "make_project"]

CONTRACT_DAY = dt.date(2026, 4, 1)  # the contract date `advance` signs
APPROVED = 120_000_000


def running(staff, reviewer, plan, establishment, amount=APPROVED, **kw) -> Project:
    project = make_project(staff, {plan: amount}, beneficiaries=[establishment], **kw)
    return advance(project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)


@pytest.fixture
def project(staff, reviewer, local_plan, establishment) -> Project:
    """A local machinery project in progress: 120,000,000 đ approved."""
    return running(staff, reviewer, local_plan, establishment)


def funding_of(project: Project, source: str | None = None) -> ProjectFunding:
    fundings = project.fundings.all()
    return fundings.get(source=source) if source else fundings.get()


def pay(
    project: Project,
    by,
    amount: int,
    kind: str = DisbursementKind.PAYMENT,
    date: dt.date = dt.date(2026, 5, 10),
    source: str | None = None,
    **kw,
) -> Disbursement:
    row = Disbursement(
        funding=funding_of(project, source),
        kind=kind,
        amount=amount,
        date=date,
        voucher_no=kw.pop("voucher_no", "PC-01"),
        recorded_by=by,
        **kw,
    )
    row.save()
    return row


def machine(project: Project, by, *, serials=("SN-001",), **kw) -> EquipmentInvestment:
    quantity = kw.pop("quantity", 1)
    unit_price = kw.pop("unit_price", 200_000_000)
    row = EquipmentInvestment(
        project=project,
        establishment=kw.pop("establishment", None) or project.beneficiaries.get(),
        item=kw.pop("item", "Máy bào gỗ 4 mặt"),
        supplier_name=kw.pop("supplier_name", "Công ty TNHH Cơ khí Việt"),
        supplier_tax_code=kw.pop("supplier_tax_code", "2800123456"),
        quantity=quantity,
        unit_price=unit_price,
        supported=kw.pop("supported", 100_000_000),
        invoice_no=kw.pop("invoice_no", "00000123"),
        invoice_date=kw.pop("invoice_date", dt.date(2026, 5, 2)),
        recorded_by=by,
        **kw,
    )
    return row.store(serials=serials, by=by)


@pytest.fixture(autouse=True)
def english():
    """Model-layer messages are matched in English; view tests check Vietnamese."""
    with translation.override("en"):
        yield
