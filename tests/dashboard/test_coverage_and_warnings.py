"""Coverage by commune and early warnings, checked row by row.

Who may see what: coverage is for managers, administrators and the Sở's
reviewers; warnings also for centre staff.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from dashboard import coverage as cov
from enterprises.models import Commune, Establishment
from projects.models import COMMITTED_STATUSES, Project, ProjectFunding, Status
from reports.exporters.summary import YearlySummaryExporter
from tests.builders import advance, make_plan, make_project, status_on

# One dataset for the module (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_dataset")]

COVERAGE = reverse("dashboard:coverage")
WARNINGS = reverse("dashboard:warnings")


def counted_fundings(since: int) -> list[ProjectFunding]:
    """The funding rows coverage counts, worked out here from the records by
    the reports' membership rule for the years since..this year: the plans of
    those years, and earlier plans' projects running in them (approved by
    the end, not closed before the start); approved at the end — today's
    status, as nothing in the dataset is dated later."""
    today = timezone.localdate()
    start, end = dt.date(since, 1, 1), dt.date(today.year, 12, 31)
    closed = (Status.SETTLED, Status.CANCELLED, Status.REJECTED)
    found = []
    for f in ProjectFunding.objects.select_related("plan", "project"):
        project = f.project
        if project.status not in COMMITTED_STATUSES or f.plan.year > today.year:
            continue
        carried = (
            f.plan.year < since
            and project.decision_date is not None
            and project.decision_date <= end
            and status_on(project, start - dt.timedelta(days=1)) not in closed
        )
        if f.plan.year >= since or carried:
            found.append(f)
    return found


def expected_coverage(since: int) -> dict[int, tuple]:
    """(registered, supported, projects, amount, per establishment) per commune."""
    fundings = counted_fundings(since)
    supported_projects = {f.project_id for f in fundings}
    result = {}
    for commune in Commune.objects.in_province(settings.HOME_PROVINCE_CODE):
        active = list(Establishment.objects.filter(commune=commune, is_active=True))
        supported = [
            e
            for e in active
            if set(e.projects.values_list("pk", flat=True)) & supported_projects
        ]
        projects = Project.objects.filter(
            commune=commune, pk__in=supported_projects
        ).count()
        amount = sum(f.approved for f in fundings if f.project.commune_id == commune.pk)
        result[commune.pk] = (
            len(active),
            len(supported),
            projects,
            amount,
            amount // len(active) if active else None,
        )
    return result


@pytest.mark.parametrize("years", [None, 1])
def test_every_coverage_row_matches_python_counts(as_user, manager, dataset, years):
    params = {"years": years} if years else {}
    response = as_user(manager).get(COVERAGE, params)
    assert response.status_code == 200
    n = years or settings.KC_COVERAGE_DEFAULT_YEARS
    since = timezone.localdate().year - n + 1
    want = expected_coverage(since)
    rows = response.context["rows"]
    assert len(rows) == Commune.objects.in_province(settings.HOME_PROVINCE_CODE).count()
    got = {
        r.code: (r.registered, r.supported, r.projects, r.amount, r.per_establishment)
        for r in rows
    }
    assert got == want


def test_coverage_figures_of_the_dataset(as_user, manager, dataset):
    rows = as_user(manager).get(COVERAGE).context["rows"]
    by_code = {r.code: r for r in rows}
    mountain = by_code[dataset.communes["mountain"].pk]
    # e1 (running) and e2 (last year's project) supported; running + old placed
    # there; the submitted project does not count.
    assert (mountain.registered, mountain.supported, mountain.projects) == (2, 2, 2)
    assert mountain.amount == 120_000_000 + 110_000_000
    assert mountain.per_establishment == 115_000_000
    lowland = by_code[dataset.communes["lowland"].pk]
    # p_approved (150 M) this year and p_old_paid (100 M) last year, both
    # for e3; e6's project was returned, so e6 counts as not supported.
    assert (lowland.registered, lowland.supported, lowland.amount) == (
        2,
        1,
        250_000_000,
    )


def test_last_years_running_project_counts_in_a_one_year_window(
    as_user, manager, dataset
):
    """p_old, on last year's plan and still in progress, is carried over into
    this year (the reports' rule): it counts in a one-year window too."""
    rows = as_user(manager).get(COVERAGE, {"years": 1}).context["rows"]
    mountain = next(r for r in rows if r.code == dataset.communes["mountain"].pk)
    assert (mountain.supported, mountain.projects, mountain.amount) == (
        2,
        2,
        120_000_000 + 110_000_000,
    )


@pytest.mark.parametrize("years", [1, 3])
def test_coverage_equals_the_yearly_summary_of_the_same_period(dataset, years):
    """One membership rule: per commune, the projects coverage counts and
    their approved support are the yearly summary's approved projects and
    approved money for the same years."""
    today = timezone.localdate()
    period = cov.coverage_period(today, years)
    assert period.start == dt.date(today.year - years + 1, 1, 1)
    exporter = YearlySummaryExporter(period=period)
    by_commune = {
        row[1]: (row[3], row[5])
        for row in exporter.iter_rows()
        if row[0] == "Theo địa bàn (xã / phường)" and row[1]
    }
    rows = cov.coverage(today=today, years=years)
    counted = {r.name: (r.projects, r.amount) for r in rows if r.projects}
    assert counted
    assert counted == {name: v for name, v in by_commune.items() if v[0]}


def test_communes_with_establishments_but_no_support_are_listed(
    as_user, manager, dataset
):
    response = as_user(manager).get(COVERAGE)
    unsupported = {r.code for r in response.context["unsupported"]}
    assert unsupported == {dataset.communes["plain"].pk}
    body = response.content.decode()
    assert f'data-code="{dataset.communes["plain"].pk}"' in body
    assert "<svg" in body and "style=" not in body


def test_the_table_sorts_by_support(as_user, manager, dataset):
    rows = as_user(manager).get(COVERAGE, {"sort": "-amount"}).context["rows"]
    amounts = [r.amount for r in rows]
    assert amounts == sorted(amounts, reverse=True)
    assert rows[0].code == dataset.communes["lowland"].pk  # 250 M
    rows = as_user(manager).get(COVERAGE, {"sort": "per_establishment"}).context["rows"]
    values = [r.per_establishment for r in rows if r.per_establishment is not None]
    assert values == sorted(values)


def test_coverage_query_count_is_fixed(
    as_user, manager, dataset, django_assert_num_queries
):
    client = as_user(manager)
    # session, user, roles, unread count, the coverage's four grouped queries
    # (communes, registered, supported, placed)
    with django_assert_num_queries(8):
        client.get(COVERAGE)


@pytest.mark.parametrize("role", ["staff", "nobody"])
def test_coverage_is_for_managers_admins_and_reviewers(as_user, request, role):
    assert as_user(request.getfixturevalue(role)).get(COVERAGE).status_code == 403


# --- warnings ------------------------------------------------------------------------


def test_warnings_list_exactly_the_lagging_and_overdue_projects(
    as_user, manager, staff, reviewer, dataset
):
    today = timezone.localdate()
    # A running project of last year that has nothing to pay (approved 0 is
    # impossible), and one of next year: neither lags.
    future = make_plan("KCDP", today.year + 1, allocated=100_000_000)
    later = make_project(
        staff,
        {future: 50_000_000},
        beneficiaries=[dataset.establishments["e3"]],
        start_date=today + dt.timedelta(days=400),
        end_date=today + dt.timedelta(days=500),
    )
    advance(later, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    response = as_user(manager).get(WARNINGS)
    assert response.status_code == 200
    w = response.context["warnings"]

    def required(year: int) -> int:
        passed = [
            pct
            for month, pct in settings.KC_DISBURSEMENT_CHECKPOINTS
            if year < today.year or (year == today.year and today.month > month)
        ]
        return max(passed, default=0)

    expected_lagging = set()
    for project in Project.objects.filter(
        status__in=(Status.APPROVED, Status.IN_PROGRESS)
    ):
        fundings = list(project.fundings.select_related("plan"))
        approved = sum(f.approved or 0 for f in fundings)
        paid = sum(d.signed_amount for d in project.disbursements.all())
        year = min(f.plan.year for f in fundings)
        if approved and paid * 100 < approved * required(year):
            expected_lagging.add(project.code)
    # whatever today's month, last year's p_old (18 % paid) lags and
    # p_old_paid (50 %) does not
    assert dataset.projects["old"].code in expected_lagging
    assert dataset.projects["old_paid"].code not in expected_lagging
    assert later.code not in expected_lagging
    assert {p.code for p in w.lagging} == expected_lagging
    assert [p.code for p in w.overdue] == [dataset.projects["old"].code]
    assert [(i.project.code, i.planned_date) for i in w.inspections] == [
        (dataset.projects["running"].code, today - dt.timedelta(days=3))
    ]
    body = response.content.decode()
    for code in expected_lagging:
        assert f'data-code="{code}"' in body


def test_plans_at_risk(as_user, manager, staff, reviewer, dataset):
    today = timezone.localdate()
    tight = make_plan("KCDP", today.year + 1, allocated=200_000_000)
    # approved 185 of 200 = 92.5 % >= 90 %
    a = make_project(
        staff,
        {tight: 185_000_000},
        content=dataset.projects["both"].content,
        beneficiaries=[dataset.establishments["e3"]],
    )
    advance(a, Status.APPROVED, staff=staff, reviewer=reviewer)
    roomy = make_plan("KCQG", today.year + 1, allocated=1_000_000_000)
    # waiting 300 > left 1000 - 800
    b = make_project(
        staff,
        {roomy: 800_000_000},
        content=dataset.projects["both"].content,
        beneficiaries=[dataset.establishments["e3"]],
    )
    advance(b, Status.APPROVED, staff=staff, reviewer=reviewer)
    c = make_project(
        staff,
        {roomy: 150_000_000},
        content=dataset.projects["both"].content,
        beneficiaries=[dataset.establishments["e4"]],
    )
    advance(c, Status.SUBMITTED, staff=staff, reviewer=reviewer)
    plans = as_user(manager).get(WARNINGS).context["warnings"].plans
    ids = {p.pk for p in plans}
    assert tight.pk in ids
    assert roomy.pk not in ids  # 150 waiting < 200 left
    d = make_project(
        staff,
        {roomy: 100_000_000},
        content=dataset.projects["both"].content,
        beneficiaries=[dataset.establishments["e1"]],
    )
    advance(d, Status.SUBMITTED, staff=staff, reviewer=reviewer)
    plans = as_user(manager).get(WARNINGS).context["warnings"].plans
    assert {p.pk for p in plans} == {tight.pk, roomy.pk}
    # this year's plans: local 220 of 1000, national 230 of 500; not at risk
    assert dataset.plans["local"].pk not in {p.pk for p in plans}


@pytest.mark.parametrize("role", ["staff", "manager", "admin_user", "reviewer"])
def test_warnings_are_for_staff_managers_admins_and_reviewers(as_user, request, role):
    assert as_user(request.getfixturevalue(role)).get(WARNINGS).status_code == 200


@pytest.mark.parametrize("role", ["nobody"])
def test_users_without_a_role_do_not_see_warnings(as_user, request, role):
    assert as_user(request.getfixturevalue(role)).get(WARNINGS).status_code == 403


def test_the_warnings_query_count_does_not_grow_with_projects(
    as_user, staff, reviewer, manager, dataset, django_assert_num_queries
):
    client = as_user(manager)
    # session, user, roles, unread count, then lagging, overdue, inspections,
    # plans at risk, overdue settlements
    with django_assert_num_queries(9):
        client.get(WARNINGS)
    today = timezone.localdate()
    for _ in range(5):
        extra = make_project(
            staff,
            {dataset.plans["local_old"]: 10_000_000},
            beneficiaries=[dataset.establishments["e1"]],
            start_date=today - dt.timedelta(days=200),
            end_date=today - dt.timedelta(days=1),
        )
        advance(extra, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    with django_assert_num_queries(9):
        response = client.get(WARNINGS)
    assert len(response.context["warnings"].overdue) == 6


@pytest.mark.parametrize(
    ("year", "today", "percent"),
    [
        (2026, dt.date(2026, 6, 30), 0),  # no checkpoint passed yet
        (2026, dt.date(2026, 7, 1), 10),  # after month 6
        (2026, dt.date(2026, 9, 30), 10),
        (2026, dt.date(2026, 10, 1), 30),  # after month 9
        (2025, dt.date(2026, 2, 1), 30),  # last year's plan: every checkpoint
        (2027, dt.date(2026, 12, 31), 0),  # next year's plan: none
    ],
)
def test_the_expected_share_follows_the_checkpoints_in_settings(
    settings, year, today, percent
):
    from dashboard.warnings import required_paid_percent

    settings.KC_DISBURSEMENT_CHECKPOINTS = [(6, 10), (9, 30)]
    assert required_paid_percent(year, today) == percent


def test_a_project_lags_only_once_its_checkpoint_has_passed(dataset):
    from dashboard.warnings import lagging_projects

    year = dataset.year
    running = dataset.projects["running"].code  # 25 % paid
    approved = dataset.projects["approved"].code  # nothing paid

    def lagging(day):
        return {p.code for p in lagging_projects(day)} - {dataset.projects["old"].code}

    assert lagging(dt.date(year, 6, 30)) == set()
    assert lagging(dt.date(year, 7, 1)) == {approved}
    assert lagging(dt.date(year, 10, 1)) == {approved, running}


def test_a_bad_sort_keeps_the_years(as_user, manager, dataset):
    response = as_user(manager).get(COVERAGE, {"years": 1, "sort": "bogus"})
    assert response.context["years"] == 1
    assert response.context["sort"] == "name"
