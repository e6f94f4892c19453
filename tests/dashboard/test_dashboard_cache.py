"""The dashboard's short-lived cache: one computed board per year, source and
language, for KC_DASHBOARD_CACHE_SECONDS; "Làm mới" (?refresh=1) recomputes it.
The page says when its figures were read from the database."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse

from dashboard.board import Scope, cache_key
from projects.models import Plan, Source

# One dataset for the module (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_dataset")]

URL = reverse("dashboard:dashboard")
TTL = 120


@pytest.fixture(autouse=True)
def dashboard_cache(settings):
    settings.KC_DASHBOARD_CACHE_SECONDS = TTL
    cache.clear()
    yield
    cache.clear()


def allocated(response) -> int:
    return response.context["board"].budget[-1].allocated


def raise_allocation(dataset, amount: int = 1_000_000) -> None:
    Plan.objects.filter(pk=dataset.plans["local"].pk).update(
        allocated=F("allocated") + amount
    )


def test_a_second_request_reuses_the_board_with_the_same_numbers(
    as_user, manager, dataset, django_assert_max_num_queries
):
    client = as_user(manager)
    first = client.get(URL, {"year": dataset.year})
    raise_allocation(dataset)
    # session, user, roles, unread count, plan years: no widget query
    with django_assert_max_num_queries(5):
        second = client.get(URL, {"year": dataset.year})
    a, b = first.context["board"], second.context["board"]
    assert (a.statuses, a.budget, a.contents, a.regions) == (
        b.statuses,
        b.budget,
        b.contents,
        b.regions,
    )
    assert (a.impact, a.beneficiaries) == (b.impact, b.beneficiaries)
    assert b.computed_at == a.computed_at
    assert allocated(second) == allocated(first)


def test_refresh_recomputes_and_replaces_the_cached_board(as_user, manager, dataset):
    client = as_user(manager)
    before = allocated(client.get(URL, {"year": dataset.year}))
    raise_allocation(dataset)
    fresh = client.get(URL, {"year": dataset.year, "refresh": "1"})
    assert allocated(fresh) == before + 1_000_000
    # the next plain request gets the refreshed board
    assert allocated(client.get(URL, {"year": dataset.year})) == before + 1_000_000


def test_the_board_is_recomputed_once_its_time_is_up(
    as_user, manager, dataset, monkeypatch
):
    client = as_user(manager)
    before = allocated(client.get(URL, {"year": dataset.year}))
    raise_allocation(dataset)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + TTL - 5)
    assert allocated(client.get(URL, {"year": dataset.year})) == before
    monkeypatch.setattr(time, "time", lambda: now + TTL + 1)
    assert allocated(client.get(URL, {"year": dataset.year})) == before + 1_000_000


def test_years_and_sources_have_their_own_boards(as_user, manager, dataset):
    client = as_user(manager)
    both = client.get(URL, {"year": dataset.year}).context["board"]
    local = client.get(URL, {"year": dataset.year, "source": Source.LOCAL})
    national = client.get(URL, {"year": dataset.year, "source": Source.NATIONAL})
    last_year = client.get(URL, {"year": dataset.year - 1}).context["board"]
    assert local.context["board"].scope == Scope(dataset.year, Source.LOCAL)
    assert national.context["board"].scope == Scope(dataset.year, Source.NATIONAL)
    assert last_year.scope == Scope(dataset.year - 1, "")
    assert [r.key for r in local.context["board"].budget] == [Source.LOCAL]
    assert [r.key for r in national.context["board"].budget] == [Source.NATIONAL]
    assert len(both.budget) == 3
    # five of this year's plans (not the draft) and two carried over
    assert both.project_count == 5 + 2
    assert last_year.project_count != both.project_count
    # served again from the cache, each still its own
    again = client.get(URL, {"year": dataset.year, "source": Source.LOCAL})
    assert again.context["board"].budget == local.context["board"].budget
    keys = {
        cache_key(Scope(dataset.year, "")),
        cache_key(Scope(dataset.year, Source.LOCAL)),
        cache_key(Scope(dataset.year, Source.NATIONAL)),
        cache_key(Scope(dataset.year - 1, "")),
    }
    assert len(keys) == 4
    assert all(key.isascii() for key in keys)


def test_the_page_says_when_its_figures_were_computed(as_user, manager, dataset):
    response = as_user(manager).get(URL, {"year": dataset.year, "source": Source.LOCAL})
    body = response.content.decode()
    board = response.context["board"]
    from django.utils import timezone

    shown = timezone.localtime(board.computed_at).strftime("%H:%M, %d/%m/%Y")
    assert f"Số liệu lúc {shown}" in body
    assert "Làm mới" in body
    assert f'href="?year={dataset.year}&amp;refresh=1&amp;source=KCDP"' in body


def test_a_zero_time_computes_every_request(as_user, manager, dataset, settings):
    settings.KC_DASHBOARD_CACHE_SECONDS = 0
    client = as_user(manager)
    before = allocated(client.get(URL, {"year": dataset.year}))
    raise_allocation(dataset)
    assert allocated(client.get(URL, {"year": dataset.year})) == before + 1_000_000
