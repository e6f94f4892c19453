"""The manager dashboard through the client, checked against Python sums.

Who may see what: managers, administrators and the Sở's reviewers open the
dashboard; staff and users without a role are refused.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.board import Scope, funding_groups
from enterprises.models import Region
from projects.models import (
    COMMITTED_STATUSES,
    Acceptance,
    ActivityContent,
    Project,
    ProjectFunding,
    Source,
    Status,
    Transition,
)
from projects.models.year_ends import store_year_ends
from tests.builders import make_project

# One dataset for the module (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_dataset")]

URL = reverse("dashboard:dashboard")


def carried_over(f: ProjectFunding, year: int) -> bool:
    """A row of an earlier plan whose project still runs (approved, not yet
    settled or cancelled: the dataset records every step today)."""
    return f.plan.year < year and f.project.status in (
        Status.APPROVED,
        Status.IN_PROGRESS,
        Status.ACCEPTED,
    )


def fundings_in(
    year: int, source: str = "", *, carried: bool = False
) -> list[ProjectFunding]:
    """The year's funding rows by the reports' rule: the year's plans, and
    with `carried` the rows of earlier plans still running; never drafts."""
    rows = [
        f
        for f in ProjectFunding.objects.select_related("plan", "project__commune")
        if (f.plan.year == year or (carried and carried_over(f, year)))
        and (not source or f.source == source)
        and f.project.status != Status.DRAFT
    ]
    return rows


def paid(funding: ProjectFunding) -> int:
    return sum(d.signed_amount for d in funding.disbursements.all())


def expected(year: int, source: str = "") -> dict:
    """Projects (by status, approved ones by content and region, their impact
    and beneficiaries) include the carried-over ones; money is the year's
    plans' only."""
    rows = fundings_in(year, source, carried=True)
    projects = {f.project_id: f.project for f in rows}
    committed = [f for f in rows if f.project.status in COMMITTED_STATUSES]
    by_status = {s.value: 0 for s in Status}
    for project in projects.values():
        by_status[project.status] += 1
    by_content: dict[int, dict] = {}
    by_region: dict[str, dict] = {}
    for f in committed:
        code = f.project.content.code
        region = (f.project.commune.region if f.project.commune else "") or "none"
        for table, key in ((by_content, code), (by_region, region)):
            entry = table.setdefault(key, {"projects": set(), "approved": 0, "paid": 0})
            entry["projects"].add(f.project_id)
            if not carried_over(f, year):
                entry["approved"] += f.approved
                entry["paid"] += paid(f)
    committed_projects = {f.project_id: f.project for f in committed}.values()
    accepted = [
        a
        for a in Acceptance.objects.select_related("project")
        if a.project_id in {p.pk for p in committed_projects}
    ]
    return {
        "statuses": by_status,
        "approved": sum(f.approved for f in committed if not carried_over(f, year)),
        "paid": sum(paid(f) for f in committed if not carried_over(f, year)),
        "contents": {
            k: (len(v["projects"]), v["approved"], v["paid"])
            for k, v in by_content.items()
        },
        "regions": {
            k: (len(v["projects"]), v["approved"], v["paid"])
            for k, v in by_region.items()
        },
        "impact": {
            "projects": len(committed_projects),
            "target_machines": sum(p.target_machines for p in committed_projects),
            "target_trainees": sum(p.target_trainees for p in committed_projects),
            "target_products": sum(p.target_products for p in committed_projects),
            "baseline_jobs": sum(p.baseline_jobs for p in committed_projects),
            "accepted": len(accepted),
            "machines_achieved": sum(a.machines_achieved for a in accepted),
            "trainees_achieved": sum(a.trainees_achieved for a in accepted),
            "products_achieved": sum(a.products_achieved for a in accepted),
            "jobs_created": sum(
                a.jobs_after - a.project.baseline_jobs
                for a in accepted
                if a.jobs_after is not None
            ),
            "energy_saved_kwh": sum(
                (
                    a.project.baseline_energy_kwh - a.energy_after_kwh
                    for a in accepted
                    if a.energy_after_kwh is not None
                    and a.project.baseline_energy_kwh is not None
                ),
                Decimal(0),
            ),
            "revenue_increase": sum(
                a.revenue_after - a.project.baseline_revenue
                for a in accepted
                if a.revenue_after is not None
                and a.project.baseline_revenue is not None
            ),
        },
        "beneficiaries": {
            e.pk: e for p in committed_projects for e in p.beneficiaries.all()
        },
    }


@pytest.mark.parametrize("source", ["", Source.LOCAL, Source.NATIONAL])
def test_every_dashboard_number_matches_python_sums(as_user, manager, dataset, source):
    response = as_user(manager).get(URL, {"year": dataset.year, "source": source})
    assert response.status_code == 200
    board = response.context["board"]
    want = expected(dataset.year, source)

    assert {r.status: r.count for r in board.statuses} == want["statuses"]
    assert board.project_count == sum(want["statuses"].values())

    plans = [
        p
        for p in dataset.plans.values()
        if p.year == dataset.year and (not source or p.source == source)
    ]
    total = board.budget[-1]
    assert total.allocated == sum(p.allocated for p in plans)
    assert total.approved == want["approved"]
    # Nothing settled or cancelled this year: nothing released.
    assert total.released == 0
    assert total.remaining == total.allocated - want["approved"]
    assert total.disbursed == want["paid"]
    assert total.rate_of_approved == (
        round(Decimal(want["paid"]) * 100 / want["approved"], 1)
    )
    for row in board.budget[:-1] if len(board.budget) > 1 else board.budget:
        mine = list(fundings_in(dataset.year, row.key))
        assert row.allocated == sum(p.allocated for p in plans if p.source == row.key)
        assert row.approved == sum(
            f.approved for f in mine if f.project.status in COMMITTED_STATUSES
        )
        assert row.disbursed == sum(
            paid(f) for f in mine if f.project.status in COMMITTED_STATUSES
        )
        assert row.waiting == sum(
            f.requested
            for f in mine
            if f.project.status in (Status.SUBMITTED, Status.APPRAISED)
        )

    contents = {r.key: (r.projects, r.approved, r.disbursed) for r in board.contents}
    assert contents == want["contents"]
    regions = {r.key: (r.projects, r.approved, r.disbursed) for r in board.regions}
    assert [r.key for r in board.regions] == [*Region.values, "none"]
    for key, value in regions.items():
        assert value == want["regions"].get(key, (0, 0, 0))

    impact = board.impact
    for name, value in want["impact"].items():
        assert getattr(impact, name) == value, name

    named = want["beneficiaries"].values()
    assert board.beneficiaries.total == len(named)
    assert board.beneficiaries.women_owned == sum(e.women_owned for e in named)
    assert board.beneficiaries.ethnic_minority_owned == sum(
        e.ethnic_minority_owned for e in named
    )
    assert board.beneficiaries.mountain == sum(
        e.commune.region == Region.MOUNTAIN for e in named
    )


def test_a_row_of_an_earlier_plan_that_is_not_the_years_adds_no_group(
    as_user, manager, dataset, staff
):
    # Approved on last year's plan and cancelled last year: the cheap test
    # the board's groups start from (may_belong) keeps its row, the rule
    # does not; it changes no figure and no group is made of it alone.
    last_year = dt.date(dataset.year - 1, 3, 1)
    content = ActivityContent.objects.exclude(
        pk__in=Project.objects.values("content")
    ).first()
    project = make_project(
        staff,
        {dataset.plans["local_old"]: 60_000_000},
        commune=dataset.communes["plain"],
        content=content,
    )
    Project.objects.filter(pk=project.pk).update(
        status=Status.CANCELLED, decision_date=last_year
    )
    for day, before, after in [
        (1, Status.DRAFT, Status.SUBMITTED),
        (2, Status.SUBMITTED, Status.APPROVED),
        (3, Status.APPROVED, Status.CANCELLED),
    ]:
        Transition.objects.create(
            project=project,
            action="step",
            actor=staff,
            from_status=before,
            to_status=after,
            at=timezone.make_aware(dt.datetime(dataset.year - 1, 3, day, 9)),
        )
    # A timeline written around the frame, as a loader writes it.
    store_year_ends([project.pk])

    board = as_user(manager).get(URL, {"year": dataset.year}).context["board"]

    want = expected(dataset.year)
    assert {r.status: r.count for r in board.statuses} == want["statuses"]
    contents = {r.key: (r.projects, r.approved, r.disbursed) for r in board.contents}
    assert contents == want["contents"]
    groups = funding_groups(Scope(year=dataset.year))
    assert content.code not in {g["project__content__code"] for g in groups}


def test_the_dataset_counts_a_project_funded_from_both_sources_once(
    as_user, manager, dataset
):
    board = as_user(manager).get(URL, {"year": dataset.year}).context["board"]
    # running, approved, both, submitted, returned: five projects of this
    # year's plans (the draft is not one yet), and old and old_paid carried
    # over from last year's plan
    assert board.project_count == 5 + 2
    # running 120 + approved 150 + both 100 + 80 (million đồng)
    assert board.budget[-1].approved == 450_000_000
    # and the two carried-over ones, still running
    old = [dataset.projects[k] for k in ("old", "old_paid")]
    assert board.impact.projects == 3 + 2
    assert board.impact.baseline_jobs == 12 + 8 + 20 + sum(p.baseline_jobs for p in old)
    assert board.impact.jobs_created == 26 - 20
    assert board.impact.energy_saved_kwh == Decimal("2500.25")
    assert board.impact.revenue_increase == 150_000_000
    # e1 (running), e3 (approved and old_paid), e4 (both), e2 (old, carried
    # over, in the mountains); e6's project was returned
    b = board.beneficiaries
    assert (b.total, b.women_owned, b.ethnic_minority_owned, b.mountain) == (
        4,
        2,
        1,
        2,
    )
    assert board.budget[-1].disbursed == 30_000_000 + 100_000_000 + 35_000_000
    coastal = next(r for r in board.regions if r.key == Region.COASTAL)
    assert (coastal.projects, coastal.approved, coastal.disbursed) == (
        1,
        180_000_000,
        135_000_000,
    )


def test_the_page_shows_charts_as_svg_with_tables(as_user, manager, dataset):
    body = as_user(manager).get(URL).content.decode()
    assert body.count("<svg") == 7  # 4 widgets, 2 money trends, 1 content trend
    assert "<script>" not in body and "style=" not in body
    assert "<style" not in body
    for table in ("budget", "statuses", "contents", "regions", "impact"):
        assert f'data-testid="{table}"' in body
    assert "450.000.000 đ" in body


def test_a_bad_year_falls_back_to_this_year(as_user, manager, dataset):
    response = as_user(manager).get(URL, {"year": "abc", "source": "x"})
    assert response.status_code == 200
    assert response.context["board"].scope == Scope(dataset.year, "")
    response = as_user(manager).get(URL, {"year": "1999", "source": Source.LOCAL})
    assert response.context["board"].scope == Scope(dataset.year, Source.LOCAL)
    response = as_user(manager).get(URL, {"year": dataset.year - 1})
    assert response.context["board"].scope == Scope(dataset.year - 1, "")


@pytest.mark.parametrize("role", ["staff", "nobody"])
def test_only_managers_admins_and_reviewers_open_the_dashboard(as_user, request, role):
    user = request.getfixturevalue(role)
    assert as_user(user).get(URL).status_code == 403


def test_the_admin_opens_the_dashboard(as_user, admin_user):
    assert as_user(admin_user).get(URL).status_code == 200


def test_a_reviewer_of_the_so_reads_the_dashboard(as_user, reviewer):
    assert as_user(reviewer).get(URL).status_code == 200


# --- query count -------------------------------------------------------------------

_codes = itertools.count(1)


def bulk_projects(staff, plans, content, commune, count: int) -> None:
    """`count` approved projects with one or two funding rows, quickly."""
    projects = Project.objects.bulk_create(
        [
            Project(
                code=f"BULK-{next(_codes):05d}",
                title="Đề án hàng loạt",
                content=content,
                commune=commune,
                status=Status.APPROVED if i % 3 else Status.IN_PROGRESS,
                total_cost=300,
                support_requested=100,
                counterpart=200,
                target_machines=1,
                created_by=staff,
            )
            for i in range(count)
        ]
    )
    rows = []
    for i, project in enumerate(projects):
        rows.append(
            ProjectFunding(
                project=project,
                plan=plans[0],
                source=plans[0].source,
                requested=60 if i % 2 else 100,
                approved=60 if i % 2 else 100,
            )
        )
        if i % 2:
            rows.append(
                ProjectFunding(
                    project=project,
                    plan=plans[1],
                    source=plans[1].source,
                    requested=40,
                    approved=40,
                )
            )
    ProjectFunding.objects.bulk_create(rows)
    # Written around the frame, as a loader writes: the statuses at year end
    # and the dashboard's year totals are stored as the loaders store them.
    store_year_ends([p.pk for p in projects])


# session, user, roles, unread count (navigation), plan years, then the board:
# funding groups from the year totals kept on write (shared by statuses,
# budget, contents, regions and impact), the follow-ups done in the year,
# beneficiaries, the money trend (plans with their allocation and the year
# totals' money), the content trend
DASHBOARD_QUERIES = 10


@pytest.mark.parametrize("count", [10, 1000])
def test_the_query_count_is_the_same_for_10_and_1000_projects(
    as_user, manager, staff, dataset, count, django_assert_num_queries
):
    plans = [dataset.plans["local"], dataset.plans["national"]]
    content = dataset.projects["running"].content
    bulk_projects(staff, plans, content, dataset.communes["lowland"], count)
    client = as_user(manager)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(URL, {"year": dataset.year})
    board = response.context["board"]
    assert board.project_count == 5 + 2 + count
    assert board.impact.projects == 3 + 2 + count


@pytest.mark.parametrize("query", ["", "?source=kcdp", "?year=abc"])
def test_the_year_select_shows_the_year_the_page_is_about(
    dataset, manager, as_user, query
):
    from projects.models import Plan

    Plan.objects.create(
        programme=dataset.plans["local"].programme,
        year=dataset.year + 1,
        allocated=1,
    )
    body = as_user(manager).get(URL + query).content.decode()
    assert f'<option value="{dataset.year}" selected>' in body
    assert f'<option value="{dataset.year + 1}">' in body
