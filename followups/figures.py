"""What the follow-ups say, summed: the "after 12 months" figures of the
dashboard's impact card and of the yearly summary.

Which follow-ups: those done within a window of days (a year on the
dashboard, the report's period in the summary), of projects with funding
from the chosen source. Figures are added up per project first (a group
project's baseline is the project's, its follow-ups one per beneficiary), in
one query: each project carries sub-query sums of its follow-ups.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from projects.models import Project

from .models import FollowUp, FollowUpEquipment

BIG = models.BigIntegerField()
KWH = models.DecimalField(max_digits=16, decimal_places=2)


@dataclass
class AfterFigures:
    """Sums over the follow-ups done in the window."""

    followups_done: int = 0
    machines_checked: int = 0
    machines_in_use: int = 0
    jobs_now: int = 0
    # Where the follow-up and the proposal both give them.
    jobs_created: int = 0
    revenue_increase: int = 0
    energy_saved_kwh: Decimal = Decimal(0)
    products: int = 0


def window(start: dt.date, end: dt.date) -> Q:
    """Follow-ups done from `start` to `end`, calendar days in local time."""
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return Q(done_at__gte=first, done_at__lt=after)


def _sum(rows: models.QuerySet, expression, output=BIG) -> Subquery:
    return Subquery(
        rows.order_by()
        .values("project_id")
        .annotate(total=Sum(expression))
        .values("total")[:1],
        output_field=output,
    )


def after_figures(*, start: dt.date, end: dt.date, source: str = "") -> AfterFigures:
    """One query: the projects with a follow-up done in the window, each
    with its follow-ups' sums, added up."""
    return AfterFigures(**after_totals(start=start, end=end, source=source))


def after_totals(*, start: dt.date, end: dt.date, source: str = "") -> dict:
    """after_figures' one query, its aggregate's dict."""
    done = FollowUp.objects.filter(window(start, end))
    projects = Project.objects.filter(pk__in=done.values("project_id"))
    if source:
        projects = projects.filter(fundings__source=source).distinct()
    mine = done.filter(project_id=OuterRef("pk"))
    machines = FollowUpEquipment.objects.filter(
        followup__in=done, followup__project_id=OuterRef("pk")
    )
    annotated = projects.order_by().annotate(
        f_done=Subquery(
            mine.order_by()
            .values("project_id")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=BIG,
        ),
        f_jobs=_sum(mine.filter(jobs__isnull=False), "jobs"),
        f_revenue=_sum(mine.filter(revenue__isnull=False), "revenue"),
        f_products=_sum(mine.filter(products__isnull=False), "products"),
        f_energy=_sum(mine.filter(energy_kwh__isnull=False), "energy_kwh", KWH),
        m_checked=Subquery(
            machines.filter(in_use__isnull=False)
            .values("followup__project_id")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=BIG,
        ),
        m_in_use=Subquery(
            machines.filter(in_use=True)
            .values("followup__project_id")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=BIG,
        ),
    )

    def zero(expression):
        return Coalesce(expression, Value(0), output_field=BIG)

    totals = annotated.aggregate(
        followups_done=zero(Sum("f_done")),
        machines_checked=zero(Sum("m_checked")),
        machines_in_use=zero(Sum("m_in_use")),
        jobs_now=zero(Sum("f_jobs")),
        jobs_created=zero(
            Sum(F("f_jobs") - F("baseline_jobs"), filter=Q(f_jobs__isnull=False))
        ),
        revenue_increase=zero(
            Sum(
                F("f_revenue") - F("baseline_revenue"),
                filter=Q(f_revenue__isnull=False, baseline_revenue__isnull=False),
            )
        ),
        energy_saved_kwh=Coalesce(
            Sum(
                F("baseline_energy_kwh") - F("f_energy"),
                filter=Q(f_energy__isnull=False, baseline_energy_kwh__isnull=False),
            ),
            Value(Decimal(0)),
            output_field=KWH,
        ),
        products=zero(Sum("f_products")),
    )
    return totals


def year_figures(year: int, source: str = "") -> AfterFigures:
    return after_figures(
        start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), source=source
    )
