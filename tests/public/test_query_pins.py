"""The query counts `make bench` reports for the open data (devdata/
bench_public.py), pinned here: the public page and the API's project list
cost the same number of queries whatever the page size and the data size.
"""

from __future__ import annotations

import pytest

from api.models import ApiToken, Scope
from projects.models import Source
from tests.builders import M, make_establishment, make_plan, running
from tests.factories import home_commune

pytestmark = pytest.mark.django_db

# Computed (cache off): the filters' choices, the page, its rows and their
# fundings and beneficiaries, the filtered total, the tiles' four coverage
# queries (communes, registered, supported, placed: dashboard.coverage);
# nothing per row.
PUBLIC_QUERIES = 13
# The key with its user's groups, the page of projects, one query per
# related list (fundings, beneficiaries, equipment, disbursements).
API_QUERIES = 6


def more_projects(staff, reviewer, n: int) -> None:
    plan = make_plan(Source.LOCAL, year=2026)
    for i in range(n):
        est = make_establishment(
            home_commune(i % 3),
            name=f"Cơ sở thêm {i}",
            business_registration_no=f"T{i}",
        )
        running(staff, reviewer, plan, est, 10 * M)


@pytest.mark.parametrize(
    "params",
    [{}, {"year": 2026, "source": "KCDP", "q": "may"}],
    ids=["all", "filtered"],
)
def test_the_public_page_costs_the_same_whatever_the_page_and_data_size(
    client, world, staff, reviewer, settings, django_assert_num_queries, params
):
    settings.KC_PUBLIC_CACHE_SECONDS = 0
    for size in (1, 50):
        settings.KC_PUBLIC_PAGE_SIZE = size
        with django_assert_num_queries(PUBLIC_QUERIES):
            assert client.get("/cong-khai/", params).status_code == 200
    more_projects(staff, reviewer, 3)
    for size in (1, 50):
        settings.KC_PUBLIC_PAGE_SIZE = size
        with django_assert_num_queries(PUBLIC_QUERIES):
            assert client.get("/cong-khai/", params).status_code == 200


def test_the_api_project_list_costs_the_same_whatever_the_page_and_data_size(
    client, world, staff, reviewer, manager, admin_user, django_assert_num_queries
):
    token = ApiToken(user=manager, name="Bộ", scope=Scope.READ, created_by=admin_user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token.set_new_key()}"}
    token.save()
    client.get("/api/v1/programmes/", **auth)  # the key's first use is recorded once
    for grown in (False, True):
        if grown:
            more_projects(staff, reviewer, 3)
        for size in (1, 50):
            with django_assert_num_queries(API_QUERIES):
                response = client.get(f"/api/v1/projects/?page_size={size}", **auth)
            assert response.status_code == 200
            assert 1 <= len(response.json()["results"]) <= size
