"""Early warnings: lagging disbursement, overdue projects and inspections,
plans at risk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Min, Q, QuerySet, Sum

from projects.models import (
    RUNNING_STATUSES,
    Inspection,
    Plan,
    Project,
    measures,
)


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
    """Approved or running projects paid less than their checkpoint asks
    (approved and disbursed: the read-model's measures over the project's
    funding rows, one join — each funding row once)."""
    projects = Project.objects.filter(status__in=RUNNING_STATUSES).annotate(
        plan_year=Min("fundings__plan__year"),
        approved_sum=measures.zero(Sum(measures.approved("fundings__"))),
        paid_sum=measures.zero(Sum(measures.disbursed("fundings__"))),
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
    """This year's and later plans nearly used up (what they hold reaches
    KC_BUDGET_RISK_PERCENT of the allocation), or asked for more than
    remains on them."""
    share = settings.KC_BUDGET_RISK_PERCENT
    return (
        Plan.objects.filter(year__gte=today.year)
        .with_money()
        .annotate(committed_x100=F("committed_sum") * 100)
        .filter(
            Q(committed_x100__gte=F("allocated") * share)
            | Q(waiting_sum__gt=F("remaining"))
        )
        .select_related("programme")
        .order_by("year", "programme__source")
    )


def overdue_settlements(today: dt.date) -> QuerySet[Project]:
    """Accepted projects past their settlement deadline (deadlines.py)."""
    return (
        Project.objects.settlement_overdue(today)
        .select_related("content")
        .order_by("settlement_due_on", "code")
    )


@dataclass
class Warnings:
    lagging: list[Project]
    overdue: list[Project]
    inspections: list[Inspection]
    plans: list[Plan]
    settlements: list[Project]

    @property
    def total(self) -> int:
        return (
            len(self.lagging)
            + len(self.overdue)
            + len(self.inspections)
            + len(self.plans)
            + len(self.settlements)
        )


def warnings(today: dt.date) -> Warnings:
    return Warnings(
        lagging=list(lagging_projects(today)),
        overdue=list(overdue_projects(today)),
        inspections=list(overdue_inspections(today)),
        plans=list(plans_at_risk(today)),
        settlements=list(overdue_settlements(today)),
    )
