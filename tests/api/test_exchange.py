"""The national exchange file: one documented JSON layout (validated against
docs/exchange.schema.json), the period rule of the reports, and a round trip
through an empty database that gives back the same bytes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import models
from openpyxl import load_workbook

from api.exchange import exchange_export, exchange_json
from dashboard.board import Scope, dashboard
from enterprises.models import Establishment, EstablishmentKind
from projects.models import (
    CarryForward,
    Disbursement,
    EquipmentInvestment,
    Plan,
    Programme,
    Project,
    Source,
    Status,
)
from projects.models.year_ends import store_year_ends
from public.models import Withholding
from reports.periods import Period
from tests.builders import (
    M,
    accepted,
    advance,
    make_establishment,
    make_plan,
    make_project,
    running_with_payments,
    settled,
    three_communes,
)

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(settings.BASE_DIR) / "docs" / "exchange.schema.json").read_text("utf-8")
)


@pytest.fixture
def province(staff, reviewer):
    """A settled, an accepted and a running local project, a national one
    waiting for the ministry, a rejected one, and a draft (never exchanged)."""
    communes = three_communes()
    local = make_plan(Source.LOCAL)
    national = make_plan(Source.NATIONAL)
    people = [
        make_establishment(
            communes[i % 3], name=f"Cơ sở mộc {i}", business_registration_no=f"HKD-{i}"
        )
        for i in range(4)
    ]
    company = make_establishment(
        communes[1],
        name="Công ty TNHH Gốm Lam Sơn",
        kind=EstablishmentKind.SMALL_ENTERPRISE,
        tax_code="2801112223",
    )
    settled(staff, reviewer, local, people[0])
    accepted(staff, reviewer, local, company)
    running_with_payments(staff, reviewer, local, people[1])
    advance(
        make_project(staff, {national: 150 * M}, beneficiaries=[people[2]]),
        Status.APPRAISED,
        staff=staff,
        reviewer=reviewer,
    )
    advance(
        make_project(staff, {local: 30 * M}, beneficiaries=[people[3]]),
        Status.REJECTED,
        staff=staff,
        reviewer=reviewer,
    )
    make_project(staff, {local: 20 * M}, beneficiaries=[people[3]], title="Nháp")


def empty_the_database() -> None:
    """What an instance that never saw these projects holds: reference data
    (communes, contents, sectors, rules) and users only."""
    Withholding.objects.all().delete()
    # Emptying a database, not correcting money: settled projects are
    # reopened (PostgreSQL's trigger keeps a settled project's money) and the
    # plain QuerySet delete passes the guard of the model's own.
    Project.objects.filter(status=Status.SETTLED).update(status=Status.ACCEPTED)
    for model in (Disbursement, EquipmentInvestment):
        models.QuerySet.delete(model.objects.all())
    CarryForward.objects.all().delete()
    Project.objects.all().delete()
    Establishment.objects.all().delete()
    Plan.objects.all().delete()
    Programme.objects.all().delete()
    # Deleted around the frame: the dashboard's year totals follow, as after
    # a loader (projects.models.year_totals).
    store_year_ends()


def test_the_file_follows_its_schema_and_the_period_rule(province):
    data = exchange_export(period=Period.parse("2026"))
    jsonschema.validate(data, SCHEMA)
    statuses = sorted(p["status"] for p in data["projects"])
    assert statuses == ["accepted", "appraised", "in_progress", "rejected", "settled"]
    assert "Nháp" not in exchange_json(data)
    settled_row = next(p for p in data["projects"] if p["status"] == "settled")
    money = settled_row["fundings"][0]["as_at_period_end"]
    assert money["approved"] == 120 * M
    assert money["settled"] == 100 * M
    assert money["released"] == 20 * M
    assert settled_row["acceptance"]["machines_achieved"] == 2
    assert settled_row["equipment"][0]["serials"]
    # A period without these plans' years holds nothing.
    assert exchange_export(period=Period.parse("2025"))["projects"] == []


def test_round_trip_through_an_empty_database_is_byte_identical(
    province, staff, tmp_path
):
    first = tmp_path / "38-2026.json"
    call_command("export_exchange", "--period", "2026", "--output", str(first))
    board_before = dashboard(Scope(2026))
    empty_the_database()
    assert not Project.objects.exists()
    call_command(
        "import_exchange", str(first), "--user", staff.username, stdout=io.StringIO()
    )
    second = tmp_path / "again.json"
    call_command("export_exchange", "--period", "2026", "--output", str(second))
    assert second.read_bytes() == first.read_bytes()
    # Imported without a timeline, the projects still count on the dashboard
    # of their year: today's status stands at every year end, as in reports.
    board_after = dashboard(Scope(2026))
    assert board_after.statuses == board_before.statuses
    assert board_after.budget == board_before.budget
    # The money went in through the disbursement gate: stored totals agree.
    project = Project.objects.get(status=Status.SETTLED)
    funding = project.fundings.get()
    assert funding.paid_total + funding.advanced_total == 100 * M


def test_a_half_year_follows_the_reports_rule(province, tmp_path):
    out = tmp_path / "h1.json"
    call_command("export_exchange", "--period", "2026-H1", "--output", str(out))
    data = json.loads(out.read_text("utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["period"] == {
        "code": "2026-H1",
        "start": "2026-01-01",
        "end": "2026-06-30",
    }


def test_a_project_already_present_is_refused(province, staff, tmp_path):
    out = tmp_path / "f.json"
    call_command("export_exchange", "--period", "2026", "--output", str(out))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="đã có"):
        call_command("import_exchange", str(out), stdout=io.StringIO())


def test_the_api_serves_the_file_and_its_workbook(province, manager, as_token):
    client = as_token(manager)
    response = client.get("/api/v1/exchange/?period=2026")
    assert response.status_code == 200
    assert response.json() == json.loads(
        exchange_json(exchange_export(period=Period.parse("2026")))
    )
    response = client.get("/api/v1/exchange/?period=2026&output=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert {"projects", "fundings", "disbursements", "establishments"} <= set(
        book.sheetnames
    )
    response = client.get("/api/v1/exchange/?period=2026-H3")
    assert response.status_code == 400
    assert response.json()["errors"]["period"]
