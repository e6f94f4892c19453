"""The manager dashboard, coverage by commune and early warnings.

The board costs five database queries whatever the number of projects: the
status, budget, content and region widgets share one grouped pass over the
year's funding rows and one over their disbursements (a project counts once
per group, a disbursement once), impact and beneficiaries have one each, and
the Python side only adds up a few hundred result rows. The computed board is
cached for KC_DASHBOARD_CACHE_SECONDS (cached_dashboard). Elsewhere (coverage,
warnings, the home page's budget) sums come from correlated subqueries, so
that a project with two funding rows, or a funding row with many
disbursements, is never counted twice.

Definitions shown on the pages:
- a project belongs to a year (and a source) through its funding rows' plans;
- approved support counts once a project is approved (COMMITTED_STATUSES);
- disbursed is the net money paid out on those funding rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext

from enterprises.models import Commune, Establishment, Region
from projects.models import (
    COMMITTED_STATUSES,
    RUNNING_STATUSES,
    Disbursement,
    Inspection,
    Plan,
    Project,
    ProjectFunding,
    Source,
    Status,
)
from projects.money import SIGNED_AMOUNT

# Projects whose request is with the Sở: what they ask may still be approved.
WAITING_STATUSES = (Status.SUBMITTED, Status.APPRAISED)

BIG = models.BigIntegerField()


def _zero(expression: Any) -> Coalesce:
    return Coalesce(expression, Value(0), output_field=BIG)


def _subsum(rows: QuerySet, group: str, amount: Any) -> Coalesce:
    """Sum of `amount` over `rows` (already correlated with OuterRef)."""
    return _zero(
        Subquery(
            rows.order_by()
            .values(group)
            .annotate(total=Sum(amount, output_field=BIG))
            .values("total")[:1],
            output_field=BIG,
        )
    )


def _subcount(rows: QuerySet, group: str, counted: str = "pk") -> Coalesce:
    return _zero(
        Subquery(
            rows.order_by()
            .values(group)
            .annotate(n=Count(counted, distinct=True))
            .values("n")[:1],
            output_field=BIG,
        )
    )


def paid_on_funding(funding_ref: str = "pk") -> Coalesce:
    """Net money paid out on the funding row `OuterRef(funding_ref)`: refunds
    count negative, refunds still due not at all (projects.money)."""
    return _subsum(
        Disbursement.objects.filter(funding=OuterRef(funding_ref)),
        "funding",
        SIGNED_AMOUNT,
    )


def paid_on_project(project_ref: str = "pk") -> Coalesce:
    """Net money paid out on all funding rows of `OuterRef(project_ref)`."""
    return _subsum(
        Disbursement.objects.filter(project=OuterRef(project_ref)),
        "project",
        SIGNED_AMOUNT,
    )


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole in percent, one decimal; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


# --- scope ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The dashboard's choice: a plan year and a source ("" for both)."""

    year: int
    source: str = ""

    def on_fundings(self, prefix: str = "") -> Q:
        """The scope as a condition on funding rows reached through `prefix`."""
        condition = Q(**{f"{prefix}plan__year": self.year})
        if self.source:
            condition &= Q(**{f"{prefix}source": self.source})
        return condition

    def fundings(self) -> QuerySet[ProjectFunding]:
        return ProjectFunding.objects.filter(self.on_fundings())

    def projects(self) -> QuerySet[Project]:
        # pk__in rather than a join: a project funded from both sources in
        # the year must count once.
        return Project.objects.filter(
            pk__in=self.fundings().values("project_id")
        ).order_by()

    def plans(self) -> QuerySet[Plan]:
        plans = Plan.objects.filter(year=self.year)
        if self.source:
            plans = plans.filter(programme__source=self.source)
        return plans


# --- the rows the money widgets share ---------------------------------------------

# Columns of funding_groups: one pair per source, so that a project funded from
# both sources stays one project in the group's count.
SOURCE_COLUMNS = {
    s.value: (f"approved_{i}", f"requested_{i}") for i, s in enumerate(Source)
}


def funding_groups(scope: Scope) -> list[dict]:
    """The scope's funding rows grouped by their project's status, content and
    region: `n` distinct projects, and approved and requested per source
    (SOURCE_COLUMNS). One query for the status, budget, content and region
    widgets; a project has one status, content and region, so the groups'
    counts add up without counting a project twice."""
    sums = {}
    for source, (approved, requested) in SOURCE_COLUMNS.items():
        sums[approved] = _zero(Sum("approved", filter=Q(source=source)))
        sums[requested] = _zero(Sum("requested", filter=Q(source=source)))
    return list(
        scope.fundings()
        .order_by()
        .values(
            "project__status",
            "project__content__code",
            "project__content__name",
            "project__commune__region",
        )
        .annotate(n=Count("project", distinct=True), **sums)
    )


def paid_groups(scope: Scope) -> list[dict]:
    """Net money paid out on the scope's committed funding rows, by source,
    content and region: one pass over their disbursements (each counted once)
    instead of a correlated "paid" subquery per funding row."""
    return list(
        Disbursement.objects.filter(
            scope.on_fundings("funding__"),
            funding__project__status__in=COMMITTED_STATUSES,
        )
        .order_by()
        .values(
            "funding__source",
            "funding__project__content__code",
            "funding__project__commune__region",
        )
        .annotate(paid=_zero(Sum(SIGNED_AMOUNT)))
    )


def allocated_by_source(scope: Scope) -> dict[str, int]:
    return dict(
        scope.plans()
        .order_by()
        .values("programme__source")
        .annotate(total=_zero(Sum("allocated")))
        .values_list("programme__source", "total")
    )


def _region_key(region: str | None) -> str:
    # A blank region and no commune fall together.
    return region or NO_REGION


# --- widgets ----------------------------------------------------------------------


@dataclass
class StatusRow:
    status: str
    label: str
    count: int


def projects_by_status(groups: list[dict]) -> list[StatusRow]:
    counts: dict[str, int] = {}
    for row in groups:
        status = row["project__status"]
        counts[status] = counts.get(status, 0) + row["n"]
    return [StatusRow(s.value, str(s.label), counts.get(s.value, 0)) for s in Status]


@dataclass
class MoneyRow:
    """Allocated, approved and disbursed for one source (or the total)."""

    key: str
    label: str
    allocated: int = 0
    approved: int = 0
    disbursed: int = 0
    waiting: int = 0

    @property
    def left(self) -> int:
        return self.allocated - self.approved

    @property
    def approved_rate(self) -> Decimal | None:
        return rate(self.approved, self.allocated)

    @property
    def disbursement_rate(self) -> Decimal | None:
        return rate(self.disbursed, self.approved)


def plans_with_money(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """Annotate plans with approved, disbursed and waiting support."""
    on_plan = ProjectFunding.objects.filter(plan=OuterRef("pk"))
    committed = on_plan.filter(project__status__in=COMMITTED_STATUSES)
    return plans.annotate(
        approved_total=_subsum(committed, "plan", "approved"),
        disbursed_total=_subsum(
            committed.annotate(paid=paid_on_funding()), "plan", "paid"
        ),
        waiting_total=_subsum(
            on_plan.filter(project__status__in=WAITING_STATUSES), "plan", "requested"
        ),
    ).annotate(budget_left=F("allocated") - F("approved_total"))


def plans_with_money_joined(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """The sums of plans_with_money, from one join of the plans' funding rows
    (each row once, so nothing is counted twice) instead of three subqueries
    per plan, each of which hashed every committed project again: half the
    time on 100,000 projects (issue 8). Only the sums: plans_with_money
    stays for the filters on budget_left."""
    committed = Q(fundings__project__status__in=COMMITTED_STATUSES)
    waiting = Q(fundings__project__status__in=WAITING_STATUSES)
    return plans.annotate(
        approved_total=_zero(Sum("fundings__approved", filter=committed)),
        disbursed_total=_zero(
            Sum(paid_on_funding("fundings__id"), filter=committed, output_field=BIG)
        ),
        waiting_total=_zero(Sum("fundings__requested", filter=waiting)),
    )


def _with_total(rows: dict[str, MoneyRow]) -> list[MoneyRow]:
    result = list(rows.values())
    if len(result) > 1:
        total = MoneyRow("total", "")
        for row in result:
            total.allocated += row.allocated
            total.approved += row.approved
            total.disbursed += row.disbursed
            total.waiting += row.waiting
        result.append(total)
    return result


def _money_rows(scope: Scope) -> dict[str, MoneyRow]:
    return {
        s.value: MoneyRow(s.value, str(s.label))
        for s in Source
        if not scope.source or s.value == scope.source
    }


def budget(scope: Scope) -> list[MoneyRow]:
    """One row per source in the scope, then the total, in one query (the
    home page's figure; the dashboard reads the same sums from its shared
    rows, budget_from)."""
    rows = _money_rows(scope)
    for plan in plans_with_money_joined(scope.plans()).values(
        "programme__source",
        "allocated",
        "approved_total",
        "disbursed_total",
        "waiting_total",
    ):
        row = rows[plan["programme__source"]]
        row.allocated += plan["allocated"]
        row.approved += plan["approved_total"]
        row.disbursed += plan["disbursed_total"]
        row.waiting += plan["waiting_total"]
    return _with_total(rows)


def budget_from(
    scope: Scope,
    allocated: dict[str, int],
    groups: list[dict],
    paid: list[dict],
) -> list[MoneyRow]:
    """The budget widget from allocated_by_source, funding_groups and
    paid_groups (no query)."""
    rows = _money_rows(scope)
    for source, total in allocated.items():
        rows[source].allocated += total
    for group in groups:
        status = group["project__status"]
        for source, row in rows.items():
            approved, requested = SOURCE_COLUMNS[source]
            if status in COMMITTED_STATUSES:
                row.approved += group[approved]
            elif status in WAITING_STATUSES:
                row.waiting += group[requested]
    for group in paid:
        rows[group["funding__source"]].disbursed += group["paid"]
    return _with_total(rows)


@dataclass
class GroupRow:
    key: Any
    label: str
    projects: int
    approved: int
    disbursed: int

    @property
    def disbursement_rate(self) -> Decimal | None:
        return rate(self.disbursed, self.approved)


def _committed_sums(groups: list[dict], key) -> dict[Any, list[int]]:
    """[projects, approved] of the committed groups by key(group)."""
    sums: dict[Any, list[int]] = {}
    for group in groups:
        if group["project__status"] not in COMMITTED_STATUSES:
            continue
        entry = sums.setdefault(key(group), [0, 0])
        entry[0] += group["n"]
        entry[1] += sum(group[approved] for approved, _ in SOURCE_COLUMNS.values())
    return sums


def by_content(groups: list[dict], paid: list[dict]) -> list[GroupRow]:
    """Committed support by activity content (no query)."""
    names = {g["project__content__code"]: g["project__content__name"] for g in groups}
    sums = _committed_sums(groups, lambda g: g["project__content__code"])
    disbursed: dict[int, int] = {}
    for group in paid:
        code = group["funding__project__content__code"]
        disbursed[code] = disbursed.get(code, 0) + group["paid"]
    return [
        GroupRow(code, f"{code}. {names[code]}", n, approved, disbursed.get(code, 0))
        for code, (n, approved) in sorted(sums.items())
    ]


NO_REGION = "none"


def region_label(region: str) -> str:
    if region in Region.values:
        return str(Region(region).label)
    return gettext("Region not set")


def by_region(groups: list[dict], paid: list[dict]) -> list[GroupRow]:
    """By the region of the project's place; projects without one together
    (no query)."""
    sums = _committed_sums(groups, lambda g: _region_key(g["project__commune__region"]))
    disbursed: dict[str, int] = {}
    for group in paid:
        key = _region_key(group["funding__project__commune__region"])
        disbursed[key] = disbursed.get(key, 0) + group["paid"]
    return [
        GroupRow(key, region_label(key), *sums.get(key, (0, 0)), disbursed.get(key, 0))
        for key in [*Region.values, NO_REGION]
    ]


@dataclass
class Impact:
    projects: int = 0
    target_machines: int = 0
    target_trainees: int = 0
    target_products: int = 0
    baseline_jobs: int = 0
    accepted: int = 0
    machines_achieved: int = 0
    trainees_achieved: int = 0
    products_achieved: int = 0
    jobs_created: int = 0
    # Where both the proposal's baseline and the acceptance recorded them.
    energy_saved_kwh: Decimal = Decimal(0)
    revenue_increase: int = 0


def impact(scope: Scope) -> Impact:
    """Targets of the committed projects of the scope and what their
    acceptance records say was achieved (one query; an acceptance is one row
    per project, so the join never counts a project twice)."""
    accepted = Q(acceptance__isnull=False)
    jobs_known = Q(acceptance__jobs_after__isnull=False)
    totals = (
        scope.projects()
        .filter(status__in=COMMITTED_STATUSES)
        .aggregate(
            projects=Count("pk"),
            target_machines=_zero(Sum("target_machines")),
            target_trainees=_zero(Sum("target_trainees")),
            target_products=_zero(Sum("target_products")),
            # Not called baseline_jobs: that alias would shadow the field
            # in jobs_created below.
            jobs_before=_zero(Sum("baseline_jobs")),
            accepted=Count("pk", filter=accepted),
            machines_achieved=_zero(Sum("acceptance__machines_achieved")),
            trainees_achieved=_zero(Sum("acceptance__trainees_achieved")),
            products_achieved=_zero(Sum("acceptance__products_achieved")),
            # Jobs created: jobs after the project less the jobs before it,
            # where the acceptance recorded them.
            jobs_created=_zero(
                Sum(F("acceptance__jobs_after") - F("baseline_jobs"), filter=jobs_known)
            ),
            energy_saved_kwh=Coalesce(
                Sum(
                    F("baseline_energy_kwh") - F("acceptance__energy_after_kwh"),
                    filter=Q(
                        baseline_energy_kwh__isnull=False,
                        acceptance__energy_after_kwh__isnull=False,
                    ),
                ),
                Value(Decimal(0)),
                output_field=models.DecimalField(max_digits=16, decimal_places=2),
            ),
            revenue_increase=_zero(
                Sum(
                    F("acceptance__revenue_after") - F("baseline_revenue"),
                    filter=Q(
                        baseline_revenue__isnull=False,
                        acceptance__revenue_after__isnull=False,
                    ),
                )
            ),
        )
    )
    return Impact(baseline_jobs=totals.pop("jobs_before"), **totals)


@dataclass
class Beneficiaries:
    """Distinct establishments named in the scope's approved projects, with
    the priority groups the regulations name (women-owned, ethnic-minority)."""

    total: int = 0
    women_owned: int = 0
    ethnic_minority_owned: int = 0
    mountain: int = 0


def beneficiaries(scope: Scope) -> Beneficiaries:
    """From the year's beneficiary links of committed projects, joined to
    their establishments by pk (not a semi-join over every establishment)."""
    committed = scope.projects().filter(status__in=COMMITTED_STATUSES)
    named = "establishment"
    totals = Project.beneficiaries.through.objects.filter(
        project_id__in=committed.values("pk")
    ).aggregate(
        total=Count(named, distinct=True),
        women_owned=Count(
            named, distinct=True, filter=Q(establishment__women_owned=True)
        ),
        ethnic_minority_owned=Count(
            named, distinct=True, filter=Q(establishment__ethnic_minority_owned=True)
        ),
        mountain=Count(
            named,
            distinct=True,
            filter=Q(establishment__commune__region=Region.MOUNTAIN),
        ),
    )
    return Beneficiaries(**totals)


@dataclass
class Dashboard:
    scope: Scope
    statuses: list[StatusRow]
    budget: list[MoneyRow]
    contents: list[GroupRow]
    regions: list[GroupRow]
    impact: Impact
    beneficiaries: Beneficiaries
    # When these figures were read from the database (the page says so).
    computed_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def project_count(self) -> int:
        return sum(r.count for r in self.statuses)


def dashboard(scope: Scope) -> Dashboard:
    """The board in five queries: the status, budget, content and region
    widgets share funding_groups, paid_groups and allocated_by_source."""
    groups = funding_groups(scope)
    paid = paid_groups(scope)
    return Dashboard(
        scope=scope,
        statuses=projects_by_status(groups),
        budget=budget_from(scope, allocated_by_source(scope), groups, paid),
        contents=by_content(groups, paid),
        regions=by_region(groups, paid),
        impact=impact(scope),
        beneficiaries=beneficiaries(scope),
    )


# --- the board's cache ----------------------------------------------------------------

# Seconds a computed board is reused for the same year, source and language;
# 0 computes it on every request.
DEFAULT_CACHE_SECONDS = 120


def cache_seconds() -> int:
    return int(getattr(settings, "KC_DASHBOARD_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def cache_key(scope: Scope) -> str:
    # The labels in the board are translated, hence the language; quote()
    # keeps "KCĐP" to the ASCII that every cache backend accepts.
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"kc:dashboard:v1:{scope.year}:{quote(scope.source)}:{language}"


def cached_dashboard(scope: Scope, *, refresh: bool = False) -> Dashboard:
    """dashboard(scope), reused for cache_seconds() from Django's default
    cache (per process with the default LocMem backend). The live board costs
    five aggregates over the year's rows (~0.3-0.5 s at 100,000 projects);
    `refresh` recomputes it and replaces the cached copy."""
    seconds = cache_seconds()
    if seconds <= 0:
        return dashboard(scope)
    key = cache_key(scope)
    if not refresh:
        board = cache.get(key)
        if board is not None:
            return board
    board = dashboard(scope)
    cache.set(key, board, seconds)
    return board


def plan_years() -> list[int]:
    return list(
        Plan.objects.order_by("-year").values_list("year", flat=True).distinct()
    )


# --- coverage ---------------------------------------------------------------------


@dataclass
class CoverageRow:
    code: int
    name: str
    region: str
    registered: int
    supported: int
    projects: int
    amount: int
    per_establishment: int | None

    @property
    def region_label(self) -> str:
        return region_label(self.region or NO_REGION)

    @property
    def unsupported(self) -> bool:
        return self.registered > 0 and not self.projects and not self.supported


COVERAGE_SORTS = {
    "name": "name",
    "region": "region",
    "registered": "registered",
    "supported": "supported",
    "projects": "project_count",
    "amount": "amount",
    "per_establishment": "per_establishment",
}


def coverage_since(today: dt.date, years: int) -> int:
    """First plan year of "the last `years` years" (the current one included)."""
    return today.year - years + 1


def coverage(*, today: dt.date, years: int, sort: str = "name") -> list[CoverageRow]:
    """One row per commune of the home province, in one query.

    Support counts approved projects funded from plans of the last `years`
    years: the projects placed in the commune and their approved support, and
    the commune's establishments named as beneficiaries of any of them.
    """
    since = coverage_since(today, years)
    fundings = ProjectFunding.objects.filter(
        plan__year__gte=since, project__status__in=COMMITTED_STATUSES
    )
    supported_projects = fundings.values("project_id")
    active = Establishment.objects.active()
    communes = Commune.objects.in_province(settings.HOME_PROVINCE_CODE).annotate(
        registered=_subcount(active.filter(commune=OuterRef("pk")), "commune"),
        supported=_subcount(
            active.filter(
                commune=OuterRef("pk"), projects__in=Subquery(supported_projects)
            ),
            "commune",
        ),
        project_count=_subcount(
            Project.objects.filter(
                commune=OuterRef("pk"), pk__in=Subquery(supported_projects)
            ),
            "commune",
        ),
        amount=_subsum(
            fundings.filter(project__commune=OuterRef("pk")),
            "project__commune",
            "approved",
        ),
    )
    communes = communes.annotate(
        per_establishment=Case(
            When(registered__gt=0, then=F("amount") / F("registered")),
            default=None,
            output_field=BIG,
        )
    )
    descending = sort.startswith("-")
    key = COVERAGE_SORTS.get(sort.lstrip("-"), "name")
    order = F(key).desc(nulls_last=True) if descending else F(key).asc(nulls_last=True)
    return [
        CoverageRow(projects=row.pop("project_count"), **row)
        for row in communes.order_by(order, "name").values(
            "code",
            "name",
            "region",
            "registered",
            "supported",
            "project_count",
            "amount",
            "per_establishment",
        )
    ]


@dataclass
class RegionCoverage:
    region: str
    label: str
    communes: int = 0
    registered: int = 0
    supported: int = 0
    projects: int = 0
    amount: int = 0
    unsupported: int = 0
    tiles: list[CoverageRow] = field(default_factory=list)

    @property
    def per_establishment(self) -> int | None:
        return self.amount // self.registered if self.registered else None


def coverage_by_region(rows: list[CoverageRow]) -> list[RegionCoverage]:
    """The coverage rows summed by region (no query)."""
    groups = {
        key: RegionCoverage(key, region_label(key))
        for key in [*Region.values, NO_REGION]
    }
    for row in sorted(rows, key=lambda r: r.name):
        group = groups[row.region or NO_REGION]
        group.communes += 1
        group.registered += row.registered
        group.supported += row.supported
        group.projects += row.projects
        group.amount += row.amount
        group.unsupported += row.unsupported
        group.tiles.append(row)
    return [g for g in groups.values() if g.communes]


# --- early warnings -----------------------------------------------------------------


def required_paid_percent(year: int, today: dt.date) -> int:
    """Share of approved support a project of plan `year` should have been
    paid by `today`, from the checkpoints in settings (0 before the first)."""
    if year > today.year:
        return 0
    passed = [
        percent
        for month, percent in settings.KC_DISBURSEMENT_CHECKPOINTS
        if year < today.year or today.month > month
    ]
    return max(passed, default=0)


def lagging_projects(today: dt.date) -> QuerySet[Project]:
    """Approved or running projects paid less than their checkpoint asks."""
    own = ProjectFunding.objects.filter(project=OuterRef("pk"))
    projects = Project.objects.filter(status__in=RUNNING_STATUSES).annotate(
        plan_year=Subquery(
            own.order_by("plan__year").values("plan__year")[:1],
            output_field=models.IntegerField(),
        ),
        approved_sum=_subsum(own, "project", "approved"),
        paid_sum=paid_on_project(),
    )
    current = required_paid_percent(today.year, today)
    past = required_paid_percent(today.year - 1, today)
    lagging = Q(pk__in=[])
    if past:
        lagging |= Q(plan_year__lt=today.year, paid_x100__lt=F("approved_sum") * past)
    if current:
        lagging |= Q(plan_year=today.year, paid_x100__lt=F("approved_sum") * current)
    return (
        projects.annotate(paid_x100=F("paid_sum") * 100)
        .filter(lagging, approved_sum__gt=0)
        .select_related("content")
        .order_by("plan_year", "code")
    )


def overdue_projects(today: dt.date) -> QuerySet[Project]:
    return (
        Project.objects.overdue(today)
        .select_related("content")
        .order_by("end_date", "code")
    )


def overdue_inspections(today: dt.date) -> QuerySet[Inspection]:
    """Planned inspections of running projects whose date has passed."""
    return Inspection.objects.overdue(today)


def plans_at_risk(today: dt.date) -> QuerySet[Plan]:
    """This year's and later plans nearly used up, or asked for more than left."""
    share = settings.KC_BUDGET_RISK_PERCENT
    return (
        plans_with_money(Plan.objects.filter(year__gte=today.year))
        .annotate(approved_x100=F("approved_total") * 100)
        .filter(
            Q(approved_x100__gte=F("allocated") * share)
            | Q(waiting_total__gt=F("budget_left"))
        )
        .select_related("programme")
        .order_by("year", "programme__source")
    )


@dataclass
class Warnings:
    lagging: list[Project]
    overdue: list[Project]
    inspections: list[Inspection]
    plans: list[Plan]

    @property
    def total(self) -> int:
        return (
            len(self.lagging)
            + len(self.overdue)
            + len(self.inspections)
            + len(self.plans)
        )


def warnings(today: dt.date) -> Warnings:
    return Warnings(
        lagging=list(lagging_projects(today)),
        overdue=list(overdue_projects(today)),
        inspections=list(overdue_inspections(today)),
        plans=list(plans_at_risk(today)),
    )
