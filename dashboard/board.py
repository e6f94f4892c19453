"""The manager dashboard: the year's board of widgets and its cache.

The board costs six database queries whatever the number of projects: the
status, budget, content and region widgets share one grouped pass over the
year's funding rows, reading the money totals stored on them (a project
counts once per group), the plans' allocations and carry-forwards are one
more, impact and beneficiaries have one each, and so have the two multi-year
trends (the plans of the last TREND_YEARS years with their money, approved
projects per year and content); the Python side only adds up a few hundred
result rows. Every money figure is a measure of the read-model
(projects.models.measures), with its definition there.

- a project belongs to a year (and a source) by the reports' rule
  (reports.queries.period_fundings): its plan's year, or running in the year
  on an earlier plan (carried over); never a draft. The money widgets count
  the year's own plans only — all their projects that are not drafts, also
  one approved only the next year — so that they match the plans'
  allocation and the budget pages;
- approved support counts once a project is approved (COMMITTED_STATUSES).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext

from enterprises.models import Region
from projects.models import (
    COMMITTED_STATUSES,
    Plan,
    Project,
    ProjectFunding,
    Source,
    Status,
    measures,
    source_short,
)
from reports.periods import Period
from reports.queries import period_fundings

from .trends import ContentTrend, MoneyTrend, content_trend, money_trend

logger = logging.getLogger(__name__)

BIG = models.BigIntegerField()


def _subcount(rows: QuerySet, group: str, counted: str = "pk") -> Coalesce:
    return measures.zero(
        Subquery(
            rows.order_by()
            .values(group)
            .annotate(n=Count(counted, distinct=True))
            .values("n")[:1],
            output_field=BIG,
        )
    )


# --- scope ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The dashboard's choice: a plan year and a source ("" for both)."""

    year: int
    source: str = ""

    @property
    def source_short(self) -> str:
        return source_short(self.source)

    def on_fundings(self, prefix: str = "") -> Q:
        """The scope as a condition on funding rows reached through `prefix`."""
        condition = Q(**{f"{prefix}plan__year": self.year})
        if self.source:
            condition &= Q(**{f"{prefix}source": self.source})
        return condition

    def fundings(self) -> QuerySet[ProjectFunding]:
        """The year's funding rows by the one membership rule of the reports,
        with `carried_over` (rows of earlier plans still running)."""
        return period_fundings(period=Period.year(self.year), source=self.source)

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

# Columns of funding_groups: one per (measure, source), so that a project
# funded from both sources stays one project in the group's count.
MEASURES = tuple(measures.ROW_MEASURES)
SOURCE_COLUMNS = {
    s.value: {m: f"{m}_{i}" for m in (*MEASURES, "requested")}
    for i, s in enumerate(Source)
}


def funding_groups(scope: Scope) -> list[dict]:
    """The scope's funding rows grouped by their project's status, content and
    region: `n` distinct projects, and each money measure per source
    (SOURCE_COLUMNS) from the read-model's row measures — the disbursements
    are read from the totals stored on the funding rows, so one pass over the
    year's funding rows serves the status, budget, content and region
    widgets; a project has one status, content and region, so the groups'
    counts add up without counting a project twice."""
    sums = {}
    for source, columns in SOURCE_COLUMNS.items():
        # Money of the year's plans: a carried-over project's money is its
        # own plan's, and counts in that plan's year — also when the project
        # is not the year's by the membership rule (approved only the next
        # year, its money paid from carried-forward funds), as the plans'
        # allocation and the budget pages count it.
        mine = Q(source=source, plan__year=scope.year)
        for name, build in measures.ROW_MEASURES.items():
            sums[columns[name]] = measures.zero(Sum(build(), filter=mine))
        sums[columns["requested"]] = measures.zero(Sum("requested", filter=mine))
    members = scope.fundings().values("pk")
    rows = ProjectFunding.objects.filter(
        Q(pk__in=members) | (scope.on_fundings() & ~Q(project__status=Status.DRAFT))
    )
    return list(
        rows.order_by()
        .values(
            "project__status",
            "project__content__code",
            "project__content__name",
            "project__commune__region",
        )
        .annotate(
            # The projects the year counts are its members only.
            n=Count("project", distinct=True, filter=Q(pk__in=members)),
            **sums,
        )
    )


def plan_figures_by_source(scope: Scope) -> dict[str, dict[str, int]]:
    """Allocated and carried forward per source, over the scope's plans."""
    return {
        row["programme__source"]: row
        for row in scope.plans()
        .order_by()
        .values("programme__source")
        .annotate(
            allocated_sum=measures.zero(Sum("allocated")),
            carried_forward_sum=measures.zero(
                Sum(measures.carry_forward_sum(), output_field=BIG)
            ),
        )
    }


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
class MoneyRow(measures.Money):
    """The read-model's figures for one source (or the total)."""

    key: str = ""
    label: str = ""

    @property
    def short(self) -> str:
        """The source's code (KCQG, KCĐP) for narrow columns; the label else."""
        return source_short(self.key) if self.key in Source.values else self.label


def _with_total(rows: dict[str, MoneyRow]) -> list[MoneyRow]:
    result = list(rows.values())
    if len(result) > 1:
        total = MoneyRow(key="total")
        for row in result:
            total.add(row)
        result.append(total)
    return result


def _money_rows(scope: Scope) -> dict[str, MoneyRow]:
    return {
        s.value: MoneyRow(key=s.value, label=str(s.label))
        for s in Source
        if not scope.source or s.value == scope.source
    }


def budget(scope: Scope) -> list[MoneyRow]:
    """One row per source in the scope, then the total, in one query (the
    home page's figure; the dashboard reads the same sums from its shared
    rows, budget_from)."""
    rows = _money_rows(scope)
    for plan in scope.plans().with_money().select_related("programme"):
        rows[plan.source].add(measures.Money.of_plan(plan))
    return _with_total(rows)


def budget_from(
    scope: Scope, plans: dict[str, dict[str, int]], groups: list[dict]
) -> list[MoneyRow]:
    """The budget widget from plan_figures_by_source and funding_groups (no
    query)."""
    rows = _money_rows(scope)
    for source, figures in plans.items():
        rows[source].allocated += figures["allocated_sum"]
        rows[source].carried_forward += figures["carried_forward_sum"]
    for group in groups:
        for source, row in rows.items():
            columns = SOURCE_COLUMNS[source]
            for name in MEASURES:
                setattr(row, name, getattr(row, name) + group[columns[name]])
    return _with_total(rows)


@dataclass
class GroupRow:
    key: Any
    label: str
    projects: int = 0
    approved: int = 0
    disbursed: int = 0

    @property
    def rate_of_approved(self) -> Decimal | None:
        return measures.rate(self.disbursed, self.approved)


def _group_sums(groups: list[dict], key) -> dict[Any, GroupRow]:
    """Projects (approved ones), approved and disbursed by key(group)."""
    rows: dict[Any, GroupRow] = {}
    for group in groups:
        row = rows.setdefault(key(group), GroupRow(key(group), ""))
        if group["project__status"] in COMMITTED_STATUSES:
            row.projects += group["n"]
        for columns in SOURCE_COLUMNS.values():
            row.approved += group[columns["approved"]]
            row.disbursed += group[columns["disbursed"]]
    return rows


def by_content(groups: list[dict]) -> list[GroupRow]:
    """Support by activity content, of the contents with approved projects
    (no query)."""
    names = {g["project__content__code"]: g["project__content__name"] for g in groups}
    rows = _group_sums(groups, lambda g: g["project__content__code"])
    result = []
    for code, row in sorted(rows.items()):
        if row.projects:
            row.label = f"{code}. {names[code]}"
            result.append(row)
    return result


NO_REGION = "none"


def region_label(region: str) -> str:
    if region in Region.values:
        return str(Region(region).label)
    return gettext("Region not set")


def by_region(groups: list[dict]) -> list[GroupRow]:
    """By the region of the project's place; projects without one together
    (no query)."""
    rows = _group_sums(groups, lambda g: _region_key(g["project__commune__region"]))
    return [
        GroupRow(
            key,
            region_label(key),
            rows[key].projects if key in rows else 0,
            rows[key].approved if key in rows else 0,
            rows[key].disbursed if key in rows else 0,
        )
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
            target_machines=measures.zero(Sum("target_machines")),
            target_trainees=measures.zero(Sum("target_trainees")),
            target_products=measures.zero(Sum("target_products")),
            # Not called baseline_jobs: that alias would shadow the field
            # in jobs_created below.
            jobs_before=measures.zero(Sum("baseline_jobs")),
            accepted=Count("pk", filter=accepted),
            machines_achieved=measures.zero(Sum("acceptance__machines_achieved")),
            trainees_achieved=measures.zero(Sum("acceptance__trainees_achieved")),
            products_achieved=measures.zero(Sum("acceptance__products_achieved")),
            # Jobs created: jobs after the project less the jobs before it,
            # where the acceptance recorded them.
            jobs_created=measures.zero(
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
            revenue_increase=measures.zero(
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
    money_trend: MoneyTrend
    content_trend: ContentTrend
    # When these figures were read from the database (the page says so).
    computed_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def project_count(self) -> int:
        return sum(r.count for r in self.statuses)


def dashboard(scope: Scope) -> Dashboard:
    """The board in six queries: the status, budget, content and region
    widgets share funding_groups (the stored money totals of the year's
    funding rows) and plan_figures_by_source; impact, beneficiaries and the
    two trends have one each."""
    groups = funding_groups(scope)
    return Dashboard(
        scope=scope,
        statuses=projects_by_status(groups),
        budget=budget_from(scope, plan_figures_by_source(scope), groups),
        contents=by_content(groups),
        regions=by_region(groups),
        impact=impact(scope),
        beneficiaries=beneficiaries(scope),
        money_trend=money_trend(scope),
        content_trend=content_trend(scope),
    )


# --- the board's cache ----------------------------------------------------------------

# The cache (Redis when configured, shared by every worker) keeps a computed
# board until the data it reads changes: every money or lifecycle write bumps
# VERSION_KEY on commit (dashboard.apps), which retires every cached board at
# once. The age limit is only a backstop for writes made around the models
# (raw SQL, QuerySet.update()); 0 computes the board on every request.
DEFAULT_CACHE_SECONDS = 24 * 3600
VERSION_KEY = "kc:dashboard:version"


def cache_seconds() -> int:
    return int(getattr(settings, "KC_DASHBOARD_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def data_changed() -> None:
    """Retire every cached board (called on commit of a write it reads)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or the cache was cleared)
        cache.add(VERSION_KEY, 1, None)
    except Exception:
        logger.warning("Could not retire the cached dashboards", exc_info=True)


def cache_key(scope: Scope) -> str:
    # The labels in the board are translated, hence the language; quote()
    # keeps the source to the ASCII that every cache backend accepts.
    language = translation.get_language() or settings.LANGUAGE_CODE
    return (
        f"kc:dashboard:v3:{data_version()}:{scope.year}:"
        f"{quote(scope.source)}:{language}"
    )


def cached_dashboard(scope: Scope, *, refresh: bool = False) -> Dashboard:
    """dashboard(scope), reused from Django's default cache until the data
    changes; `refresh` recomputes it and replaces the cached copy. A cache
    that cannot be reached is skipped: the board is then computed live."""
    seconds = cache_seconds()
    if seconds <= 0:
        return dashboard(scope)
    try:
        key = cache_key(scope)
        board = None if refresh else cache.get(key)
    except Exception:
        logger.warning("Dashboard cache unavailable", exc_info=True)
        return dashboard(scope)
    if board is not None:
        return board
    board = dashboard(scope)
    try:
        cache.set(key, board, seconds)
    except Exception:
        logger.warning("Dashboard cache unavailable", exc_info=True)
    return board


def plan_years() -> list[int]:
    return list(
        Plan.objects.order_by("-year").values_list("year", flat=True).distinct()
    )
