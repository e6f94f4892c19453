"""A group project gathers requests from several establishments: the centre
accepts a second request into the draft made from the first, and each
establishment follows the same project."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applicants.models import RequestStatus
from projects.models import Source, Status
from tests.builders import approve_and_pay, make_plan, support_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(coso_a, staff, local_plan):
    return support_request(
        coso_a, status=RequestStatus.ACCEPTED, staff=staff, plan=local_plan
    )


def test_a_second_request_joins_the_draft_project(
    client, first, coso_b, est_a, est_b, staff, local_plan
):
    second = support_request(
        coso_b, status=RequestStatus.SUBMITTED, requested=80_000_000
    )
    project = first.project
    client.force_login(staff)
    page = client.get(reverse("applicants:staff_request", args=[second.pk]))
    assert 'data-testid="join-form"' in page.content.decode()
    response = client.post(
        reverse("applicants:staff_join", args=[second.pk]),
        {"join-project": project.pk, "join-plan": local_plan.pk},
    )
    assert response.url == project.get_absolute_url()
    second.refresh_from_db()
    project.refresh_from_db()
    assert second.status == RequestStatus.ACCEPTED and second.project == project
    assert set(project.beneficiaries.all()) == {est_a, est_b}
    assert project.is_group and project.status == Status.DRAFT
    assert project.support_requested == 180_000_000
    assert project.total_cost == 250_000_000 + 230_000_000
    assert project.counterpart == 150_000_000 * 2
    assert list(project.support_requests.order_by("pk")) == [first, second]

    # Each establishment follows the one project.
    client.force_login(coso_b)
    assert (
        client.get(reverse("applicants:project", args=[project.pk])).status_code == 200
    )


def test_a_project_past_its_draft_takes_no_request(
    client, first, coso_b, staff, reviewer, local_plan
):
    approve_and_pay(first.project, staff=staff, reviewer=reviewer)
    second = support_request(coso_b, status=RequestStatus.SUBMITTED)
    client.force_login(staff)
    response = client.post(
        reverse("applicants:staff_join", args=[second.pk]),
        {"join-project": first.project.pk, "join-plan": local_plan.pk},
    )
    # Not offered, so not a valid choice: the page again, nothing changed.
    assert response.status_code == 400
    second.refresh_from_db()
    assert second.status == RequestStatus.SUBMITTED and second.project is None


def test_a_second_plan_of_the_same_source_is_refused(client, first, coso_b, staff):
    second = support_request(coso_b, status=RequestStatus.SUBMITTED)
    other = make_plan(Source.LOCAL, year=2027)
    client.force_login(staff)
    response = client.post(
        reverse("applicants:staff_join", args=[second.pk]),
        {"join-project": first.project.pk, "join-plan": other.pk},
    )
    assert response.status_code == 400
    assert "join-plan" in response.content.decode()
    assert "kế hoạch" in str(response.context["join_form"].errors["plan"]).lower()
    second.refresh_from_db()
    assert second.project is None
    assert list(first.project.beneficiaries.all()) == [first.establishment]
