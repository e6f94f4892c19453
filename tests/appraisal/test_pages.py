"""The council pages cost a fixed number of queries however many councils,
members and sheets there are; the criteria are in the administrator's admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from appraisal import services
from appraisal.models import Criterion, Function

from .sessions import SCORES, score_all

pytestmark = pytest.mark.django_db

LIST_QUERIES = 8
DETAIL_QUERIES = 16


def test_the_list_and_the_council_page_do_not_grow_with_the_rows(
    session, as_user, reviewer, django_assert_num_queries
):
    score_all(session, SCORES)
    client = as_user(reviewer)
    detail = reverse("appraisal:detail", args=[session.council.pk])
    listing = reverse("appraisal:list")
    with django_assert_num_queries(LIST_QUERIES):
        client.get(listing)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(detail)
    for n in range(3):
        other = services.council_create(
            by=reviewer,
            name=f"Hội đồng {n}",
            established_by="",
            meeting_date=dt.date(2026, 4, 1),
        )
        services.council_add_member(
            council=other, function=Function.MEMBER, name=f"Ông {n}"
        )
    services.council_add_member(
        council=session.council, function=Function.MEMBER, name="Bà Năm"
    )
    with django_assert_num_queries(LIST_QUERIES):
        client.get(listing)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(detail)


def test_the_administrator_opens_the_criteria_in_the_admin(admin_user, as_user):
    criterion = Criterion.objects.order_by("pk").first()
    client = as_user(admin_user)
    url = reverse(
        "admin:appraisal_criteriaset_change", args=[criterion.criteria_set_id]
    )
    assert client.get(url).status_code == 200
