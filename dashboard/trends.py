"""The dashboard's multi-year trends (dashboard.board puts them on the board,
dashboard.views draws them): the read-model's plan figures per year and
source, and approved projects per year and content, one query each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count

from projects.models import (
    COMMITTED_STATUSES,
    Plan,
    ProjectFunding,
    Source,
    measures,
    source_short,
)

if TYPE_CHECKING:
    from .board import Scope


@dataclass
class TrendRow(measures.Money):
    """The read-model's figures of one source in one year."""

    key: str = ""
    label: str = ""


# The board's year and the years before it that the trends show.
TREND_YEARS = 6


def trend_years(scope: Scope) -> range:
    return range(scope.year - TREND_YEARS + 1, scope.year + 1)


@dataclass
class MoneyTrend:
    """Per source (and for the scope's source only when it has one): the
    read-model's plan figures of each trend year that has a plan."""

    years: list[int]
    # source -> year -> figures
    by_source: dict[str, dict[int, TrendRow]]

    def rows(self) -> list[TrendRow]:
        return [
            row for per_year in self.by_source.values() for row in per_year.values()
        ]


def money_trend(scope: Scope) -> MoneyTrend:
    """Allocated, approved, disbursed (every measure of the read-model) per
    plan year and source, in one query: Plan.objects.with_money() over the
    trend years' plans (grouped per plan in the database), added up per year
    and source the way the budget page adds up its plans."""
    plans = Plan.objects.filter(year__in=trend_years(scope))
    if scope.source:
        plans = plans.filter(programme__source=scope.source)
    by_source: dict[str, dict[int, TrendRow]] = {
        s.value: {} for s in Source if not scope.source or s.value == scope.source
    }
    years: set[int] = set()
    for plan in plans.with_money().select_related("programme").order_by("year"):
        years.add(plan.year)
        row = by_source[plan.source].setdefault(
            plan.year,
            TrendRow(key=f"{plan.year}-{plan.source}", label=source_short(plan.source)),
        )
        row.add(measures.Money.of_plan(plan))
    for source, per_year in by_source.items():
        for year in years:
            per_year.setdefault(
                year, TrendRow(key=f"{year}-{source}", label=source_short(source))
            )
        by_source[source] = dict(sorted(per_year.items()))
    return MoneyTrend(years=sorted(years), by_source=by_source)


@dataclass
class ContentTrend:
    """Approved projects per plan year and activity content."""

    years: list[int]
    # (code, "code. name") of the contents with projects in some year
    contents: list[tuple[str, str]]
    counts: dict[tuple[int, str], int]

    def count(self, year: int, code: str) -> int:
        return self.counts.get((year, code), 0)

    @property
    def rows(self) -> list[tuple[str, str, list[int]]]:
        """(code, label, count per year) for the table under the chart."""
        return [
            (code, label, [self.count(year, code) for year in self.years])
            for code, label in self.contents
        ]


def content_trend(scope: Scope) -> ContentTrend:
    """Approved projects (approval standing: COMMITTED_STATUSES, the
    read-model's condition for approved support) per plan year and content,
    in one grouped query over the funding rows; a project funded from both
    sources in a year counts once in it."""
    fundings = ProjectFunding.objects.filter(
        plan__year__in=trend_years(scope),
        project__status__in=COMMITTED_STATUSES,
    )
    if scope.source:
        fundings = fundings.filter(source=scope.source)
    rows = list(
        fundings.order_by()
        .values("plan__year", "project__content__code", "project__content__name")
        .annotate(n=Count("project", distinct=True))
    )
    names = {r["project__content__code"]: r["project__content__name"] for r in rows}
    return ContentTrend(
        years=sorted({r["plan__year"] for r in rows}),
        contents=[(code, f"{code}. {names[code]}") for code in sorted(names)],
        counts={(r["plan__year"], r["project__content__code"]): r["n"] for r in rows},
    )
