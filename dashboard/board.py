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
    Count,
    F,
    OuterRef,
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
    Disbursement,
    Plan,
    Project,
    ProjectFunding,
    Source,
    Status,
    source_short,
)
from projects.models.money import SIGNED_AMOUNT

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
    count negative, refunds still due not at all (projects.models.money)."""
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
