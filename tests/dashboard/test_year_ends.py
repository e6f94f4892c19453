"""The statuses at year end stored on the projects (projects.models.year_ends)
and the dashboard's membership read from them (issue 20).

The stored letters are computed in Python from the timeline; here they are
compared with the reports' SQL definition (reports.queries.status_at) at
every year end, and the dashboard's year (Scope.members, Scope.projects, the
board's figures) with the reports' rule (period_fundings, period_projects)
recomputed independently, over histories drawn at random (tests.histories).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest

from dashboard import board as dash
from projects import services
from projects.models import (
    COMMITTED_STATUSES,
    Project,
    ProjectFunding,
    Source,
    Status,
)
from projects.models.year_ends import (
    STATUS_CODES,
    status_at_year_end,
    store_year_ends,
    year_end_aliases,
)
from reports.periods import Period
from reports.queries import (
    period_fundings,
    period_projects,
    status_at,
    year_end_fundings,
)
from tests.builders import (
    advance,
    decision,
    make_establishment,
    make_plan,
    make_project,
    shared_for_the_scope,
    three_communes,
)
from tests.histories import build

pytestmark = pytest.mark.django_db

# Before the first history starts to after the last one ends.
YEARS = range(2021, 2029)


@pytest.fixture(scope="module")
def history(request, django_db_setup, django_db_blocker) -> Iterator[int]:
    """The histories drawn with the seed `request.param` (tests.histories),
    built once for the tests of that seed, which only read them: in a
    transaction rolled back after the last of them, each test in a savepoint
    of its own. pytest runs a seed's tests one after the other, and
    pytest-xdist keeps them in one process (`seeds`)."""
    with shared_for_the_scope(django_db_blocker):
        build(request.param)
        yield request.param


def seeds(n: int) -> list:
    return [
        pytest.param(seed, marks=pytest.mark.xdist_group(f"year-ends-{seed}"))
        for seed in range(n)
    ]


@pytest.mark.parametrize("history", seeds(4), indirect=True)
def test_it_stores_the_status_at_every_year_end_the_timeline_gives(history):
    for year in YEARS:
        projects = Project.objects.alias(**year_end_aliases(year)).annotate(
            at_end=status_at(dt.date(year, 12, 31), project="pk")
        )
        truth = dict(projects.values_list("pk", "at_end"))
        for status in Status:
            stored = set(
                projects.filter(status_at_year_end(year, [status])).values_list(
                    "pk", flat=True
                )
            )
            assert stored == {pk for pk, s in truth.items() if s == status}, (
                year,
                status,
            )


@pytest.mark.parametrize("history", seeds(4), indirect=True)
def test_the_dashboards_year_is_the_reports_year(history):
    held = carried = 0
    for year in YEARS:
        for source in ("", Source.LOCAL, Source.NATIONAL):
            scope = dash.Scope(year, source)
            period = Period.year(year)
            rows = period_fundings(period=period, source=source)
            assert set(scope.members().values_list("pk", flat=True)) == set(
                rows.values_list("pk", flat=True)
            ), (year, source)
            projects = period_projects(period=period, source=source)
            assert set(scope.projects().values_list("pk", flat=True)) == set(
                projects.values_list("pk", flat=True)
            ), (year, source)
            held += rows.count()
            carried += rows.filter(carried_over=True).count()
    # The data set is not empty and has carried-over rows.
    assert held
    assert carried


@pytest.mark.parametrize("history", seeds(4), indirect=True)
def test_a_span_of_years_read_from_year_ends_is_the_reports_span(history):
    # The coverage's last years (dashboard.coverage): several whole years.
    held = 0
    for first in YEARS:
        for last in range(first + 1, min(first + 3, YEARS[-1]) + 1):
            period = Period.parse(f"{first}..{last}")
            rows = period_fundings(period=period)
            committed = rows.filter(status_at_end__in=COMMITTED_STATUSES)
            stored = year_end_fundings(period)
            assert set(stored.values_list("pk", flat=True)) == set(
                rows.values_list("pk", flat=True)
            ), period
            at_end = stored.filter(
                status_at_year_end(last, COMMITTED_STATUSES, "project__")
            )
            assert set(at_end.values_list("pk", flat=True)) == set(
                committed.values_list("pk", flat=True)
            ), period
            held += committed.count()
    assert held


@pytest.mark.parametrize("history", seeds(3), indirect=True)
def test_the_boards_figures_are_those_of_the_reports_rule(history):
    for year in YEARS:
        for source in ("", Source.LOCAL):
            board = dash.dashboard(dash.Scope(year, source))
            projects = list(
                period_projects(period=Period.year(year), source=source).values_list(
                    "pk", "status"
                )
            )
            counts = Counter(status for _pk, status in projects)
            assert {r.status: r.count for r in board.statuses} == {
                s.value: counts.get(s.value, 0) for s in Status
            }, (year, source)
            committed = {pk for pk, s in projects if s in COMMITTED_STATUSES}
            assert board.impact.projects == len(committed)
            named = set(
                Project.beneficiaries.through.objects.filter(
                    project_id__in=committed
                ).values_list("establishment_id", flat=True)
            )
            assert board.beneficiaries.total == len(named)
            # Money of the year's own plans, read from the funding rows.
            own = ProjectFunding.objects.filter(plan__year=year).exclude(
                project__status=Status.DRAFT
            )
            if source:
                own = own.filter(source=source)
            approved = sum(
                f.approved or 0
                for f in own.select_related("project")
                if f.project.status in COMMITTED_STATUSES
            )
            assert board.budget[-1].approved == approved


def test_every_step_through_the_frame_stores_the_year_ends(staff, reviewer):
    commune = three_communes()[0]
    plan = make_plan(Source.LOCAL, 2026)
    project = make_project(
        staff,
        {plan: 50_000_000},
        commune=commune,
        beneficiaries=[make_establishment(commune)],
    )
    assert (project.year_ends_from, project.year_ends) == (None, "")

    project = advance(project, Status.APPROVED, staff=staff, reviewer=reviewer)

    project.refresh_from_db()
    steps = list(project.transitions.order_by("at", "pk"))
    assert steps
    assert project.year_ends[-1] == STATUS_CODES[Status.APPROVED]
    assert project.year_ends[0] == STATUS_CODES[Status.DRAFT]
    # Recomputing changes nothing: the frame stored what the timeline says.
    assert store_year_ends([project.pk]) == 0

    services.project_cancel(
        project=project, by=reviewer, reason="Không thực hiện", **decision(project)
    )
    project.refresh_from_db()
    assert project.year_ends[-1] == STATUS_CODES[Status.CANCELLED]
    assert store_year_ends([project.pk]) == 0
