"""A plan's allocation cannot go below the support already approved from it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import Status
from tests.builders import advance, make_project

pytestmark = pytest.mark.django_db

APPROVED = 120_000_000


@pytest.fixture
def committed_plan(staff, reviewer, local_plan, establishment):
    project = make_project(staff, {local_plan: APPROVED}, beneficiaries=[establishment])
    advance(project, Status.APPROVED, staff=staff, reviewer=reviewer)
    return local_plan


def plan_form(plan, allocated: int) -> dict:
    return {
        "programme": plan.programme_id,
        "year": plan.year,
        "allocated": allocated,
        "decision_no": plan.decision_no,
        "decision_date": "",
    }


def test_the_admin_cannot_lower_an_allocation_below_what_is_approved(
    as_user, admin_user, committed_plan
):
    url = reverse("admin:projects_plan_change", args=[committed_plan.pk])
    before = committed_plan.allocated
    response = as_user(admin_user).post(url, plan_form(committed_plan, 100_000_000))
    assert response.status_code == 200
    body = response.content.decode()
    assert "không thể thấp hơn" in body
    assert "120.000.000 đ" in body
    committed_plan.refresh_from_db()
    assert committed_plan.allocated == before


def test_the_admin_may_lower_it_down_to_what_is_approved(
    as_user, admin_user, committed_plan
):
    url = reverse("admin:projects_plan_change", args=[committed_plan.pk])
    response = as_user(admin_user).post(url, plan_form(committed_plan, APPROVED))
    assert response.status_code == 302
    committed_plan.refresh_from_db()
    assert committed_plan.allocated == APPROVED


def test_the_programme_page_refuses_it_too(as_user, admin_user, committed_plan):
    programme = committed_plan.programme
    plans = list(programme.plans.order_by("pk"))
    data = {
        "source": programme.source,
        "name": programme.name,
        "start_year": programme.start_year,
        "end_year": programme.end_year,
        "decision_no": programme.decision_no,
        "decision_date": "",
        "plans-TOTAL_FORMS": len(plans),
        "plans-INITIAL_FORMS": len(plans),
        "plans-MIN_NUM_FORMS": 0,
        "plans-MAX_NUM_FORMS": 1000,
    }
    for i, plan in enumerate(plans):
        data.update(
            {
                f"plans-{i}-id": plan.pk,
                f"plans-{i}-programme": programme.pk,
                f"plans-{i}-year": plan.year,
                f"plans-{i}-allocated": 1 if plan == committed_plan else plan.allocated,
                f"plans-{i}-decision_no": plan.decision_no,
                f"plans-{i}-decision_date": "",
            }
        )
    url = reverse("admin:projects_programme_change", args=[programme.pk])
    response = as_user(admin_user).post(url, data)
    assert response.status_code == 200
    assert "không thể thấp hơn" in response.content.decode()
    committed_plan.refresh_from_db()
    assert committed_plan.allocated != 1
