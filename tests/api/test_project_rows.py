"""The API's project list renders values() rows (api.rows), not instances:
each of its rows must be the JSON ProjectSerializer gives the same project
(the detail endpoint still serializes the instance), money, dates, decimals,
choices, nested rows and an absent acceptance included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from projects.models import Acceptance, Source
from tests.builders import M, accepted, make_establishment, make_plan, running, settled
from tests.factories import home_commune

pytestmark = pytest.mark.django_db


def test_each_listed_project_is_what_its_detail_serializes(
    as_token, staff, reviewer, manager
):
    plan = make_plan(Source.LOCAL, year=2026)
    places = [
        make_establishment(
            home_commune(i), name=f"Cơ sở {i}", business_registration_no=f"R{i}"
        )
        for i in range(3)
    ]
    done = accepted(staff, reviewer, plan, places[0])
    Acceptance.objects.filter(project=done).update(
        productivity_after=Decimal("12.5"), energy_after_kwh=Decimal("3")
    )
    settled(staff, reviewer, plan, places[1])
    running(staff, reviewer, plan, places[2], 10 * M)
    client = as_token(manager)

    rows = client.get("/api/v1/projects/?page_size=10").json()["results"]

    assert len(rows) == 3
    assert any(r["equipment"] and r["disbursements"] for r in rows)
    assert {r["acceptance"] is None for r in rows} == {True, False}
    for row in rows:
        assert row == client.get(f"/api/v1/projects/{row['id']}/").json()
    assert rows[0]["acceptance"]["productivity_after"] == "12.50"
