"""The fast membership rule returns what the plain one returned (issue 20).

`reports.queries.period_fundings` prefilters the rows of earlier plans on the
approval and settlement dates, skips `status_before` where it is not needed
and reads the paper dates of the timeline from the outer row. Here the rule
as it stood before those changes is kept verbatim (`reference_fundings`) and
both are asked about many periods and sources, over projects whose histories
are drawn at random along the lifecycle across 2023–2026: carried over,
returned and resubmitted, rejected, cancelled at every stage, settled and
then corrected (an earlier or a later settlement date, a corrected decision
date), paper dates before or after the day they were recorded, and records
loaded as they stand with no timeline at all. Each seed is one data set.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Least, NullIf, TruncDate

from projects.models import (
    EXECUTION_STATUSES,
    ProjectFunding,
    Source,
    Status,
    Transition,
)
from reports.periods import Period
from reports.queries import CLOSED_STATUSES, PAPER_DATES, period_fundings
from tests.histories import YEARS, build

pytestmark = pytest.mark.django_db

S = Status


# --- the rule as it was (reports/queries.py before the prefilter) -------------------


def reference_step_day() -> Coalesce:
    recorded = TruncDate("at")
    return Coalesce(
        Case(
            *(
                When(to_status=status, then=Least(recorded, F(field)))
                for status, field in PAPER_DATES.items()
            ),
            default=None,
            output_field=models.DateField(),
        ),
        recorded,
        output_field=models.DateField(),
    )


def reference_status_at(day: dt.date) -> Coalesce:
    steps = Transition.objects.filter(project=OuterRef("project_id")).order_by()
    last = (
        steps.annotate(took_effect=reference_step_day())
        .filter(took_effect__lte=day)
        .order_by("-at", "-pk")
    )
    first = steps.order_by("at", "pk")
    return Coalesce(
        Subquery(last.values("to_status")[:1]),
        NullIf(Subquery(first.values("from_status")[:1]), Value("")),
        Case(
            When(Exists(steps), then=Value(Status.DRAFT)),
            default=F("project__status"),
        ),
        output_field=models.CharField(),
    )


def reference_fundings(*, period: Period, source: str = ""):
    rows = ProjectFunding.objects.filter(plan__year__lte=period.end.year).exclude(
        project__status=Status.DRAFT
    )
    if source:
        rows = rows.filter(source=source)
    rows = rows.annotate(
        status_at_end=reference_status_at(period.end),
        status_before=reference_status_at(period.start - dt.timedelta(days=1)),
    )
    running = (
        Q(project__decision_date__lte=period.end)
        & Q(status_at_end__in=EXECUTION_STATUSES)
        & ~Q(status_before__in=CLOSED_STATUSES)
    )
    own = Q(plan__year__gte=period.start.year)
    if not period.whole_years:
        rows = rows.annotate(
            window_start=Coalesce("project__start_date", "project__decision_date"),
            window_end=Coalesce(
                "project__end_date", "project__start_date", "project__decision_date"
            ),
        )
        own &= Q(window_start__lte=period.end, window_end__gte=period.start) | running
    carried = Q(plan__year__lt=period.start.year) & running
    return (
        rows.filter(own | carried)
        .exclude(status_at_end=Status.DRAFT)
        .annotate(
            carried_over=Case(
                When(plan__year__lt=period.start.year, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
    )


PERIODS = [
    *(Period.year(y) for y in YEARS),
    *(Period.half(y, h) for y in (2024, 2025, 2026) for h in (1, 2)),
    *(Period.quarter(y, q) for y in (2025, 2026) for q in (1, 2, 3, 4)),
    *(Period.month(2025, m) for m in (1, 6, 7, 12)),
    Period.parse("2024..2025"),
    Period.parse("2025..2026-H1"),
    Period.parse("2023-Q4..2024-Q2"),
]


def rows(queryset) -> list[tuple]:
    return sorted(queryset.values_list("pk", "status_at_end", "carried_over"))


@pytest.mark.parametrize("seed", range(8))
def test_it_returns_the_rows_of_the_plain_rule(seed):
    build(seed)
    held = 0
    for period in PERIODS:
        for source in ("", Source.LOCAL):
            expected = rows(reference_fundings(period=period, source=source))
            assert rows(period_fundings(period=period, source=source)) == expected, (
                period.code,
                source,
            )
            held += len(expected)
    # The data set is not empty and has carried-over rows in some period.
    assert held
    assert any(
        period_fundings(period=period).filter(carried_over=True).exists()
        for period in PERIODS
    )
