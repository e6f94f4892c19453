"""The manager dashboard: the year's board of widgets and its cache.

The board costs five database queries whatever the number of projects, and
reads sums kept on write instead of the year's funding rows: the status,
budget, content, region and impact widgets share one grouped query over the
year totals (projects.models.year_totals: per year, source, status, content
and region, the year's projects by the reports' rule, the read-model's money
of the year's plans, the members' targets and results), a few hundred rows;
the money trend is one more (the trend years' plans with their allocation
and carry-forwards, and the year totals' money), and so are the content
trend, the follow-ups (followups.figures) and the beneficiaries (the
establishments' supported years counted on write:
enterprises.models.supported); the Python side only adds up the result rows.
Their SQL is built once per process and scope (dashboard.statements). Every
money figure is a measure of the read-model (projects.models.measures), with
its definition there.

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
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from enterprises.models import NO_REGION, Region, SupportedTotal, region_label
from followups.figures import AfterFigures, after_totals

# data_changed and VERSION_KEY are also read from here (public.apps, tests).
from projects.dataversion import VERSION_KEY, data_changed, data_version  # noqa: F401
from projects.models import (
    COMMITTED_STATUSES,
    EXECUTION_STATUSES,
    Plan,
    Project,
    ProjectFunding,
    Source,
    Status,
    YearTotal,
    measures,
    source_short,
    year_ends,
    year_totals,
)
from reports.periods import Period
from reports.queries import (
    NOT_CLOSED,
    NOT_DRAFT,
    is_year_end_member,
    period_fundings,
    year_end_fundings,
    year_end_member_aliases,
)

from . import statements
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

    def with_year_ends(self, rows: QuerySet[ProjectFunding]) -> QuerySet:
        """Funding rows with the aliases `is_member` reads."""
        return rows.alias(**year_end_member_aliases(Period.year(self.year)))

    def is_member(self) -> Q:
        """The reports' membership rule for the year (period_fundings), read
        from the statuses at year end stored on the projects instead of
        their timelines (reports.queries.is_year_end_member). Needs
        with_year_ends."""
        return is_year_end_member(Period.year(self.year), source=self.source)

    def members(self) -> QuerySet[ProjectFunding]:
        """The year's funding rows (the rows of `fundings`), by is_member."""
        return year_end_fundings(Period.year(self.year), source=self.source)

    def projects(self) -> QuerySet[Project]:
        """The projects of the year's rows (is_member), each once: the
        conditions on the project are tested on the project, and its
        funding rows are only asked which plan years (and source) they are
        of — two hashed lists of project ids rather than a lookup of the
        rows of each project."""
        end = dt.date(self.year, 12, 31)
        rows = ProjectFunding.objects.order_by()
        if self.source:
            rows = rows.filter(source=self.source)
        own = Q(
            pk__in=rows.filter(plan__year=self.year).values("project_id")
        ) & year_ends.status_at_year_end(self.year, NOT_DRAFT)
        carried = (
            Q(
                pk__in=rows.filter(plan__year__lt=self.year).values("project_id"),
                decision_date__lte=end,
            )
            & year_ends.status_at_year_end(self.year, EXECUTION_STATUSES)
            & year_ends.status_at_year_end(self.year - 1, NOT_CLOSED)
        )
        return (
            Project.objects.alias(
                **year_ends.year_end_aliases(self.year),
                **year_ends.year_end_aliases(self.year - 1),
            )
            .filter(~Q(status=Status.DRAFT) & (own | carried))
            .order_by()
        )

    def in_year(self) -> Q:
        """The year totals (and projects' shares of them) of the year: its
        own, and those standing for every year from an earlier one
        (projects.models.year_totals)."""
        return Q(year=self.year, onward=False) | Q(year__lte=self.year, onward=True)

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


# The impact card's figures, summed per group with the members (IMPACT_COLUMNS).
IMPACT_COLUMNS = {name: f"impact_{name}" for name in year_totals.IMPACT}


def funding_groups(scope: Scope) -> list[dict]:
    """The scope's year grouped by the projects' status, content and region,
    from the year totals kept on write (projects.models.year_totals): `n`
    projects of the year (the reports' membership rule, is_member), each
    money measure per source (SOURCE_COLUMNS: the read-model's row measures
    of the year's plans' funding rows, also of projects that are not the
    year's members, as the plans' allocation and the budget pages count
    them), and the members' targets and results (IMPACT_COLUMNS). One query
    over a few hundred totals serves the status, budget, content, region and
    impact widgets; a project has one status, content and region, so the
    groups' counts add up without counting a project twice."""
    groups = statements.values(
        ("funding_groups", scope.year, scope.source),
        lambda: _funding_groups_query(scope),
    )
    return [
        {
            "project__status": g.pop("status"),
            "project__content__code": g.pop("content__code"),
            "project__content__name": g.pop("content__name"),
            "project__commune__region": g.pop("region"),
            **g,
        }
        for g in groups
    ]


def _funding_groups_query(scope: Scope) -> QuerySet:
    counted = Q(scope=scope.source)
    sums = {"n": measures.zero(Sum("members", filter=counted))}
    for name, column in IMPACT_COLUMNS.items():
        sums[column] = measures.zero(Sum(name, filter=counted))
    for source, columns in SOURCE_COLUMNS.items():
        mine = Q(scope=source)
        for name, column in columns.items():
            sums[column] = measures.zero(Sum(name, filter=mine))
    scopes = {scope.source, *([scope.source] if scope.source else Source.values)}
    return (
        YearTotal.objects.filter(scope.in_year(), scope__in=scopes)
        .order_by()
        .values("status", "content__code", "content__name", "region")
        .annotate(**sums)
    )


def plan_figures_by_source(money: MoneyTrend, year: int) -> dict[str, dict[str, int]]:
    """Allocated and carried forward per source, over the year's plans (read
    from the money trend, which has them: no query)."""
    return {
        source: {
            "allocated_sum": per_year[year].allocated,
            "carried_forward_sum": per_year[year].carried_forward,
        }
        for source, per_year in money.by_source.items()
        if year in per_year
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


def impact(groups: list[dict]) -> Impact:
    """Targets of the committed projects of the scope and what their
    acceptance records say was achieved, from funding_groups (no query; an
    acceptance is one per project)."""
    totals = Impact()
    for group in groups:
        if group["project__status"] not in COMMITTED_STATUSES:
            continue
        totals.projects += group["n"]
        for name, column in IMPACT_COLUMNS.items():
            if name == "energy_saved_centi":
                totals.energy_saved_kwh += Decimal(group[column]) / 100
            else:
                setattr(totals, name, getattr(totals, name) + group[column])
    return totals


@dataclass
class Beneficiaries:
    """Distinct establishments named in the scope's approved projects, with
    the priority groups the regulations name (women-owned, ethnic-minority)."""

    total: int = 0
    women_owned: int = 0
    ethnic_minority_owned: int = 0
    mountain: int = 0


def beneficiaries(scope: Scope) -> Beneficiaries:
    """From the establishments' supported years kept on write
    (enterprises.models.supported: each establishment named by a committed
    project of the year — the year's members of the projects' shares of the
    year totals — counts in one row of the year, or none), a few rows."""
    totals = statements.aggregate(
        ("beneficiaries", scope.year, scope.source),
        lambda: SupportedTotal.objects.filter(
            scope.in_year(), scope=scope.source
        ).aggregate(
            total=measures.zero(Sum("establishments")),
            **{
                name: measures.zero(Sum("establishments", filter=Q(**{name: True})))
                for name in ("women_owned", "ethnic_minority_owned", "mountain")
            },
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
    # What the follow-ups done in the year report ("sau 12 tháng").
    after: AfterFigures
    beneficiaries: Beneficiaries
    money_trend: MoneyTrend
    content_trend: ContentTrend
    # When these figures were read from the database (the page says so).
    computed_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def project_count(self) -> int:
        return sum(r.count for r in self.statuses)


def after_figures(scope: Scope) -> AfterFigures:
    """What the follow-ups done in the year report (followups.figures)."""
    start, end = dt.date(scope.year, 1, 1), dt.date(scope.year, 12, 31)
    return AfterFigures(
        **statements.aggregate(
            ("after", scope.year, scope.source),
            lambda: after_totals(start=start, end=end, source=scope.source),
        )
    )


def dashboard(scope: Scope) -> Dashboard:
    """The board in five queries: the status, budget, content, region and
    impact widgets share funding_groups (the year totals kept on write), the
    budget's allocation comes with the money trend; the follow-ups' figures,
    beneficiaries and the content trend have one each."""
    groups = funding_groups(scope)
    money = money_trend(scope)
    return Dashboard(
        scope=scope,
        statuses=projects_by_status(groups),
        budget=budget_from(scope, plan_figures_by_source(money, scope.year), groups),
        contents=by_content(groups),
        regions=by_region(groups),
        impact=impact(groups),
        after=after_figures(scope),
        beneficiaries=beneficiaries(scope),
        money_trend=money,
        content_trend=content_trend(scope),
    )


# --- the board's cache ----------------------------------------------------------------

# The cache (Redis when configured, shared by every worker) keeps a computed
# board until the data it reads changes: every money or lifecycle write bumps
# the data version on commit (projects.dataversion), which retires every
# cached board at once. The age limit is only a backstop for writes made
# around the models (raw SQL, QuerySet.update()); 0 computes the board on
# every request.
DEFAULT_CACHE_SECONDS = 24 * 3600


def cache_seconds() -> int:
    return int(getattr(settings, "KC_DASHBOARD_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


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
