"""Coverage by commune and region: where support went, and where none did."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, QuerySet, Sum

from enterprises.models import NO_REGION, Commune, Establishment, Region, region_label
from projects.models import COMMITTED_STATUSES, measures, year_ends
from reports.periods import Period
from reports.queries import year_end_fundings

from .board import BIG


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
    "projects": "projects",
    "amount": "amount",
    "per_establishment": "per_establishment",
}


def coverage_since(today: dt.date, years: int) -> int:
    """First plan year of "the last `years` years" (the current one included)."""
    return today.year - years + 1


def coverage_period(today: dt.date, years: int) -> Period:
    """The last `years` years, the current one included, as a report period:
    "the last 3 years" in 2026 covers what the report 2024..2026 covers."""
    return Period.parse(f"{coverage_since(today, years)}..{today.year}")


def coverage(
    *,
    today: dt.date,
    years: int,
    sort: str = "name",
    projects: QuerySet | None = None,
) -> list[CoverageRow]:
    """One row per commune of the home province, in four queries, each one
    pass grouped by commune (the communes, their active establishments, the
    supported ones, the projects and their money) whatever the number of
    projects and establishments.

    Which projects count is the reports' one membership rule
    (reports.queries.period_fundings) for the last `years` years
    (`coverage_period`): the projects of those years' plans and those of
    earlier plans still running in them, approved (not cancelled) at the
    period's end — what the yearly summary of the same period counts as
    approved, commune by commune, with the same approved support. It is read
    from the statuses at year end stored on the projects
    (reports.queries.year_end_fundings): a condition on each funding row and
    its project, not the timeline's subqueries per row, which took 15 s at
    100,000 projects. A commune's row: the projects placed there and their
    approved support, and the commune's establishments named as
    beneficiaries of any of them. `projects` (a query of projects) narrows
    what counts, e.g. to what the public page may publish.
    """
    period = coverage_period(today, years)
    fundings = year_end_fundings(period).filter(
        year_ends.status_at_year_end(period.end.year, COMMITTED_STATUSES, "project__")
    )
    if projects is not None:
        fundings = fundings.filter(project__in=projects.values("pk"))
    communes = (
        Commune.objects.in_province(settings.HOME_PROVINCE_CODE)
        .order_by("name")
        .values_list("code", "name", "region")
    )
    active = Establishment.objects.active().order_by()
    # COUNT(*): read from the index of active establishments by commune
    # (establishment_active_idx) alone.
    registered = dict(
        active.values("commune").annotate(n=Count("*")).values_list("commune", "n")
    )
    supported = dict(
        active.filter(projects__in=fundings.values("project_id"))
        .values("commune")
        .annotate(n=Count("pk", distinct=True))
        .values_list("commune", "n")
    )
    placed = {
        commune: (count, amount)
        for commune, count, amount in fundings.order_by()
        .values("project__commune")
        .annotate(
            n=Count("project", distinct=True),
            amount=Sum(measures.approved(), output_field=BIG),
        )
        .values_list("project__commune", "n", "amount")
    }
    rows = []
    for code, name, region in communes:
        count, amount = placed.get(code, (0, 0))
        there = registered.get(code, 0)
        rows.append(
            CoverageRow(
                code=code,
                name=name,
                region=region,
                registered=there,
                supported=supported.get(code, 0),
                projects=count,
                amount=amount or 0,
                per_establishment=amount // there if there else None,
            )
        )
    return sort_coverage(rows, sort)


def sort_coverage(rows: list[CoverageRow], sort: str) -> list[CoverageRow]:
    """`rows` (in the database's order of names) by a column of
    COVERAGE_SORTS, "-" first for descending, communes without a value last
    either way, ties by name."""
    key = COVERAGE_SORTS.get(sort.lstrip("-"), "name")
    if key == "name":
        return rows[::-1] if sort.startswith("-") else rows
    known = [row for row in rows if getattr(row, key) is not None]
    unknown = [row for row in rows if getattr(row, key) is None]
    # Stable either way: equal values keep the names' order.
    known.sort(key=lambda row: getattr(row, key), reverse=sort.startswith("-"))
    return known + unknown


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
