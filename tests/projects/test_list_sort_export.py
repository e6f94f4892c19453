"""The project list sorts on its main columns, totals its money columns over
everything filtered, colours statuses and exports what is filtered (issue 17)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from projects.models import Project
from tests.builders import make_project

pytestmark = pytest.mark.django_db

LIST = reverse("projects:list")


@pytest.fixture
def three(staff, local_plan, establishment):
    made = []
    for title, cost in [("Bê tông", 500_000_000), ("Áo dệt", 300_000_000)]:
        made.append(
            make_project(
                staff,
                {local_plan: 100_000_000},
                beneficiaries=[establishment],
                title=title,
                total_cost=cost,
            )
        )
    made.append(
        make_project(
            staff, {local_plan: 50_000_000}, title="Chè", total_cost=400_000_000
        )
    )
    return made


def codes(response) -> list[str]:
    return [p.code for p in response.context["page"]]


def test_it_sorts_by_total_cost_both_ways(three, as_user, staff):
    client = as_user(staff)
    by_cost = sorted(three, key=lambda p: p.total_cost)
    assert codes(client.get(LIST, {"sort": "total"})) == [p.code for p in by_cost]
    assert codes(client.get(LIST, {"sort": "-total"})) == [
        p.code for p in reversed(by_cost)
    ]


def test_an_unknown_sort_keeps_the_default_order(three, as_user, staff):
    response = as_user(staff).get(LIST, {"sort": "password"})
    assert response.status_code == 200
    assert codes(response) == [p.code for p in reversed(three)]


def test_totals_cover_every_filtered_project(three, as_user, staff):
    page = as_user(staff).get(LIST, {"q": "bê tông"}).content.decode()
    totals = page[page.index('data-testid="totals"') :]
    assert "500.000.000 đ" in totals and "100.000.000 đ" in totals
    page = as_user(staff).get(LIST).content.decode()
    totals = page[page.index('data-testid="totals"') :]
    assert "1.200.000.000 đ" in totals and "250.000.000 đ" in totals


def test_status_badges_carry_their_status(three, as_user, staff):
    page = as_user(staff).get(LIST).content.decode()
    assert page.count('class="badge kc-status kc-status-draft"') == 3


def test_the_export_holds_what_is_filtered_in_the_order_shown(three, as_user, staff):
    response = as_user(staff).get(
        reverse("projects:export"), {"q": "t", "sort": "-total"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Mã", "Tên đề án")
    wanted = Project.objects.filter(title__in=["Bê tông", "Áo dệt"]).order_by(
        "-total_cost"
    )
    assert [r[0] for r in rows[1:]] == [p.code for p in wanted]
    assert rows[1][5] == 500_000_000
