"""The home page: what waits for each role, in counts linking to the work.

Who sees what: staff and reviewers their to-do count; staff, managers and
administrators the projects being carried out and what is late; managers and
administrators this year's budget. Figures are recounted here from the rows.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import COMMITTED_STATUSES, Inspection, Project, Status

pytestmark = pytest.mark.django_db


def figure(body: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</', body, re.S)
    assert match, f"{testid} not on the page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_staff_see_their_to_do_count_and_what_is_late(dataset, staff, as_user):
    body = as_user(staff).get(reverse("home")).content.decode()
    today = timezone.localdate()
    assert figure(body, "todo-count") == str(Project.objects.todo_for(staff).count())
    running = [
        p
        for p in Project.objects.all()
        if p.status in (Status.APPROVED, Status.IN_PROGRESS)
    ]
    assert figure(body, "running-count") == str(len(running))
    late = [p for p in running if p.end_date and p.end_date < today]
    assert len(late) >= 1  # the dataset's p_old
    assert figure(body, "overdue-projects").startswith(str(len(late)))
    overdue = [
        i
        for i in Inspection.objects.select_related("project")
        if i.actual_date is None
        and i.planned_date < today
        and i.project.status in (Status.APPROVED, Status.IN_PROGRESS)
    ]
    assert figure(body, "overdue-inspections").startswith(str(len(overdue)))
    assert reverse("projects:create") in body
    assert 'data-testid="home-budget"' not in body


def test_reviewers_see_what_waits_for_appraisal_and_the_figures_they_read(
    dataset, reviewer, as_user
):
    """The Sở's reviewers read the dashboard and the warnings (issue 16):
    the home page gives them the same figures, and nothing to write."""
    body = as_user(reviewer).get(reverse("home")).content.decode()
    waiting = Project.objects.filter(
        status__in=(Status.SUBMITTED, Status.APPRAISED)
    ).count()
    assert waiting >= 1
    assert figure(body, "todo-count") == str(waiting)
    assert "running-count" in body
    assert "home-budget" in body
    assert reverse("projects:create") not in body


def test_managers_see_this_years_budget(dataset, manager, as_user):
    body = as_user(manager).get(reverse("home")).content.decode()
    year = dataset.year
    allocated = sum(p.allocated for p in dataset.plans.values() if p.year == year)
    approved = sum(
        f.approved
        for p in Project.objects.filter(status__in=COMMITTED_STATUSES)
        for f in p.fundings.select_related("plan")
        if f.plan.year == year
    )
    block = body.split('data-testid="home-budget"')[1].split("</dl>")[0]
    money = re.findall(r"([\d.]+) đ", block)
    assert [int(m.replace(".", "")) for m in money[:2]] == [allocated, approved]
    assert "todo-count" not in body


def test_a_user_without_role_sees_no_work(nobody, as_user):
    body = as_user(nobody).get(reverse("home")).content.decode()
    for testid in ("todo-count", "running-count", "home-budget"):
        assert testid not in body


# the overdue-settlement count adds one query for both.
@pytest.mark.parametrize(("role", "queries"), [("staff", 11), ("manager", 10)])
def test_the_home_page_costs_the_same_queries_whatever_the_data(
    request, role, queries, as_user, django_assert_num_queries, staff, reviewer
):
    client = as_user(request.getfixturevalue(role))
    with django_assert_num_queries(queries):
        client.get(reverse("home"))
    request.getfixturevalue("dataset")
    with django_assert_num_queries(queries):
        client.get(reverse("home"))
