"""List pages: the query count is pinned and does not grow with the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from projects.models import DisbursementKind, Inspection
from tests.builders import machine, make_plan, pay, running

PROJECT_PAGE = 14  # the money page of one project, whatever its rows


@pytest.fixture(autouse=True)
def english():
    yield


def add_projects(n, staff, reviewer, establishment, start):
    for i in range(n):
        plan = make_plan("KCDP", year=start + i)
        project = running(staff, reviewer, plan, establishment)
        pay(project, staff, 10_000_000, kind=DisbursementKind.ADVANCE)
        machine(project, staff, serials=[f"S{start + i}"], invoice_no=str(start + i))
        Inspection(
            project=project, planned_date=dt.date(2026, 5, 1), recorded_by=staff
        ).save()


def get(client, url) -> None:
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "pinned"),
    # each includes the unread-notification badge of the navigation; the
    # execution list also its filter form's three lists, the page count and
    # one aggregate for both totals (paid comes from the stored totals)
    [("list", 10), ("overdue", 5), ("establishment_equipment", 7)],
)
def test_list_pages_pin_their_queries(
    name,
    pinned,
    staff,
    reviewer,
    manager,
    establishment,
    as_user,
    django_assert_num_queries,
):
    args = [establishment.pk] if name == "establishment_equipment" else []
    url = reverse(f"money:{name}", args=args)
    client = as_user(manager)
    add_projects(1, staff, reviewer, establishment, 2030)
    get(client, url)  # the session's first request loads it
    with django_assert_num_queries(pinned):
        get(client, url)
    add_projects(3, staff, reviewer, establishment, 2040)
    with django_assert_num_queries(pinned):
        get(client, url)


def test_the_project_page_does_not_grow_with_its_rows(
    project, staff, manager, as_user, django_assert_num_queries
):
    client = as_user(manager)
    url = reverse("money:project", args=[project.pk])
    pay(project, staff, 10_000_000, kind=DisbursementKind.ADVANCE)
    machine(project, staff, serials=["A1"], invoice_no="1")
    get(client, url)
    with django_assert_num_queries(PROJECT_PAGE):
        get(client, url)
    for i in range(3):
        pay(project, staff, 1_000_000)
        machine(
            project,
            staff,
            serials=[f"B{i}"],
            invoice_no=f"2{i}",
            item=f"M{i}",
            supported=1_000_000,
        )
    with django_assert_num_queries(PROJECT_PAGE):
        get(client, url)
