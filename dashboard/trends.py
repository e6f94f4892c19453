"""The dashboard's multi-year trends (dashboard.board puts them on the board,
dashboard.views draws them): the read-model's plan figures per year and
source, and approved projects per year and content, one query each, read
from the year totals kept on write (projects.models.year_totals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import JSONField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import JSONObject

from projects.models import (
    COMMITTED_STATUSES,
    Plan,
    Source,
    YearTotal,
    measures,
    source_short,
)

from . import statements

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
    plan year and source, in one query: the trend years' plans added up per
    year and source (allocated, carried forward), each with the money of its
    year's funding rows from the year totals kept on write
    (projects.models.year_totals: the row measures of the year's plans, as
    the budget page adds up its plans)."""
    rows = statements.values(
        ("money_trend", scope.year, scope.source), lambda: _money_trend_query(scope)
    )
    by_source: dict[str, dict[int, TrendRow]] = {
        s.value: {} for s in Source if not scope.source or s.value == scope.source
    }
    years: set[int] = set()
    for row in rows:
        year, source = row["year"], row["programme__source"]
        years.add(year)
        trend = by_source[source].setdefault(
            year, TrendRow(key=f"{year}-{source}", label=source_short(source))
        )
        figures = measures.Money.of_row(row["money"] or {}, suffix="")
        figures.allocated = row["allocated_sum"]
        figures.carried_forward = row["carried_forward_sum"]
        trend.add(figures)
    for source, per_year in by_source.items():
        for year in years:
            per_year.setdefault(
                year, TrendRow(key=f"{year}-{source}", label=source_short(source))
            )
        by_source[source] = dict(sorted(per_year.items()))
    return MoneyTrend(years=sorted(years), by_source=by_source)


def _money_trend_query(scope: Scope) -> QuerySet:
    plans = Plan.objects.filter(year__in=trend_years(scope))
    if scope.source:
        plans = plans.filter(programme__source=scope.source)
    # The money of a year and source in one subquery (a JSON object of the
    # measures' sums) rather than one per measure.
    money = Subquery(
        YearTotal.objects.filter(
            year=OuterRef("year"), onward=False, scope=OuterRef("programme__source")
        )
        .order_by()
        .values("year")
        .annotate(
            sums=JSONObject(**{name: Sum(name) for name in measures.ROW_MEASURES})
        )
        .values("sums")[:1],
        output_field=JSONField(),
    )
    return (
        plans.order_by()
        .values("year", "programme__source")
        .annotate(
            allocated_sum=measures.zero(Sum("allocated")),
            carried_forward_sum=measures.zero(
                Sum(measures.carry_forward_sum(), output_field=measures.BIG)
            ),
            money=money,
        )
        .order_by("year")
    )


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
    in one grouped query over the year totals: the projects holding a
    funding row on the year's plans (of the source, or of either: a project
    funded from both sources in a year counts once in it)."""
    rows = [
        row
        for row in statements.values(
            ("content_trend", scope.year, scope.source),
            lambda: (
                YearTotal.objects.filter(
                    year__in=trend_years(scope),
                    onward=False,
                    scope=scope.source,
                    status__in=COMMITTED_STATUSES,
                )
                .order_by()
                .values("year", "content__code", "content__name")
                .annotate(n=Sum("holders"))
            ),
        )
        if row["n"]
    ]
    names = {r["content__code"]: r["content__name"] for r in rows}
    return ContentTrend(
        years=sorted({r["year"] for r in rows}),
        contents=[(code, f"{code}. {names[code]}") for code in sorted(names)],
        counts={(r["year"], r["content__code"]): r["n"] for r in rows},
    )
