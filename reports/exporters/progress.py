"""Report 1: project progress (báo cáo tiến độ thực hiện đề án khuyến công).

Which projects: the rule shared by the progress, disbursement and yearly
summary reports (reports.queries.period_fundings) — a project belongs to the
period when one of its funding rows comes from a plan of a year within
[period.start.year, period.end.year] (of the chosen source and programme), it
has been submitted (no drafts), and, for a period that is not whole years,
its implementation window (start date, or approval date, to end date)
overlaps the period.

Progress is as known at the end of the period: the latest inspection or
progress update dated by then (100 % once accepted), inspections carried out
by then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.models import Establishment
from projects.models import (
    RUNNING_STATUSES,
    Adjustment,
    AdjustmentStatus,
    Inspection,
    ProgressUpdate,
    Project,
    Source,
    Status,
    source_short,
)
from reports.models import ReportKind

from . import register
from .base import DATE, INT, PERCENT, TEXT, Column, PeriodProjectsExporter, Row

DONE_STATUSES = (Status.ACCEPTED, Status.SETTLED)


def _day(value: dt.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def document(number: str, day: dt.date | None) -> str:
    """ "123/QĐ-UBND, 20/03/2026": a decision or contract as reports cite it."""
    return ", ".join(part for part in (number, _day(day)) if part)


@register
class ProgressExporter(PeriodProjectsExporter):
    kind = ReportKind.PROGRESS
    title = _("Report on the progress of industrial extension projects")
    file_stem = "bao-cao-tien-do"
    totals_label = _("Total")
    # Widths: Excel characters, and the PDF's share of an A4 landscape page
    # (about 270 mm at 8 pt) — numbers never wrap there, so they get room.
    columns = (
        Column(_("No."), INT, 6),
        Column(_("Code"), TEXT, 21),
        Column(_("Project"), TEXT, 24),
        Column(_("Activity content"), TEXT, 18),
        Column(_("Source"), TEXT, 11),
        Column(_("Beneficiaries"), TEXT, 22),
        Column(_("Commune / ward"), TEXT, 16),
        Column(_("Stage"), TEXT, 14),
        Column(_("Start date"), DATE, 12),
        Column(_("End date"), DATE, 12),
        Column(_("Approval decision"), TEXT, 16),
        Column(_("Contract"), TEXT, 16),
        Column(_("Progress"), PERCENT, 15),
        Column(_("Inspections done"), INT, 10, total=True),
        Column(_("Last inspection"), DATE, 12),
        Column(_("Outputs achieved / target"), TEXT, 18),
        Column(_("Acceptance date"), DATE, 12),
        Column(_("Remarks"), TEXT, 16),
    )

    def queryset(self) -> QuerySet[Project]:
        end = self.period.end
        fundings = self.fundings()
        inspected = Inspection.objects.filter(
            project=OuterRef("pk"), actual_date__lte=end
        ).order_by()
        measured = inspected.filter(progress_percent__isnull=False).order_by(
            "-actual_date", "-pk"
        )
        updates = ProgressUpdate.objects.filter(
            project=OuterRef("pk"), date__lte=end
        ).order_by("-date", "-pk")
        done = inspected.values("project")
        return (
            Project.objects.filter(pk__in=fundings.values("project_id"))
            .select_related("content", "commune", "acceptance")
            .annotate(
                inspections_done=Subquery(
                    done.annotate(n=Count("pk")).values("n")[:1],
                    output_field=models.IntegerField(),
                ),
                last_inspection=Subquery(
                    done.annotate(last=Max("actual_date")).values("last")[:1]
                ),
                inspection_percent=Subquery(measured.values("progress_percent")[:1]),
                inspection_date=Subquery(measured.values("actual_date")[:1]),
                update_percent=Subquery(updates.values("progress_percent")[:1]),
                update_date=Subquery(updates.values("date")[:1]),
                adjustment_pending=Exists(
                    Adjustment.objects.filter(
                        project=OuterRef("pk"), status=AdjustmentStatus.PENDING
                    )
                ),
            )
            .prefetch_related(
                Prefetch(
                    "beneficiaries",
                    queryset=Establishment.objects.only("name").order_by("name", "pk"),
                    to_attr="beneficiary_list",
                ),
                Prefetch(
                    "fundings",
                    queryset=fundings.only("project_id", "source"),
                    to_attr="period_fundings",
                ),
            )
            .order_by("code")
        )

    def count(self) -> int:
        return self.fundings().aggregate(n=Count("project", distinct=True))["n"]

    def rows(self) -> Iterator[Row]:
        statuses = {value: str(label) for value, label in Status.choices}
        # As of the end of the period, or today when the period is not over.
        as_of = min(self.period.end, timezone.localdate())
        projects = self.queryset().iterator(chunk_size=2000)
        for number, p in enumerate(projects, start=1):
            yield (
                number,
                p.code,
                p.title,
                f"{p.content.code}. {p.content.name}",
                # The short codes (KCQG, KCĐP) read best in a narrow column.
                ", ".join(
                    source_short(source)
                    for source in sorted(
                        (f.source for f in p.period_fundings), key=_national_first
                    )
                ),
                "; ".join(e.name for e in p.beneficiary_list),
                p.commune.name if p.commune else "",
                statuses.get(p.status, p.status),
                p.start_date,
                p.end_date,
                document(p.decision_no, p.decision_date),
                document(p.contract_no, p.contract_date),
                _progress(p, self.period.end),
                p.inspections_done or 0,
                p.last_inspection,
                _outputs(p),
                p.acceptance_date if _on_or_before(p.acceptance_date, as_of) else None,
                _remarks(p, as_of),
            )


def _national_first(source: str) -> bool:
    return source != Source.NATIONAL


def _on_or_before(day: dt.date | None, limit: dt.date) -> bool:
    return day is not None and day <= limit


def _progress(p: Project, end: dt.date) -> Decimal | None:
    """The latest progress recorded by the end of the period, as a fraction;
    complete once accepted by then."""
    if p.status in DONE_STATUSES and _on_or_before(p.acceptance_date, end):
        return Decimal(1)
    known = [
        (day, percent)
        for day, percent in (
            (p.inspection_date, p.inspection_percent),
            (p.update_date, p.update_percent),
        )
        if day is not None and percent is not None
    ]
    if not known:
        return None
    _latest, percent = max(known, key=lambda pair: pair[0])
    return Decimal(percent) / 100


def _outputs(p: Project) -> str:
    """ "Máy móc 3/4; Học viên 30/30": achieved over target, where a target
    or an achievement was recorded."""
    acceptance = getattr(p, "acceptance", None)
    parts = []
    for label, target, field in (
        (gettext("Machines"), p.target_machines, "machines_achieved"),
        (gettext("Trainees"), p.target_trainees, "trainees_achieved"),
        (gettext("Products"), p.target_products, "products_achieved"),
    ):
        achieved = getattr(acceptance, field, 0) if acceptance else 0
        if target or achieved:
            parts.append(f"{label} {achieved}/{target}")
    return "; ".join(parts)


def _remarks(p: Project, as_of: dt.date) -> str:
    notes = []
    if p.status in RUNNING_STATUSES and p.end_date and p.end_date < as_of:
        notes.append(
            gettext("Overdue by %(days)s days") % {"days": (as_of - p.end_date).days}
        )
    if p.adjustment_pending:
        notes.append(gettext("Adjustment waiting for decision"))
    if p.status == Status.CANCELLED and p.cancellation_reason:
        notes.append(
            gettext("Cancelled: %(reason)s") % {"reason": p.cancellation_reason}
        )
    if p.status == Status.REJECTED and p.rejection_reason:
        notes.append(gettext("Rejected: %(reason)s") % {"reason": p.rejection_reason})
    return "; ".join(notes)
