"""Report 1: project progress (báo cáo tiến độ thực hiện đề án khuyến công).

Which projects: the rule every report shares (reports.queries.period_fundings)
— the projects of the period's plans that touch the period, and the projects
of earlier plans still running in it (đề án chuyển tiếp), listed after the
others under a heading of their own, with their original plan year. No drafts.

Everything is as at the end of the period (nothing recorded later leaks in):
the stage (reports.queries.status_at, from the timeline), the decision and
contract dated by then, progress (the latest inspection or progress update
dated by then; 100 % once accepted by then), inspections carried out by then,
outputs of an acceptance dated by then, and the money (reports.queries.
with_money): approved support, disbursed in the period and to date, and what
remains to be disbursed (0 once settled or cancelled by then), summed over
the project's funding rows of the period in one grouped query.

Projects recorded before 1/7/2025 print the commune and district of the time
next to today's commune (reports.queries.place_as_recorded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.models import Establishment
from projects.models import (
    RUNNING_STATUSES,
    Adjustment,
    Inspection,
    ProgressUpdate,
    Project,
    Source,
    Status,
    measures,
    source_short,
)
from reports.models import ReportKind
from reports.queries import day_after, place_as_recorded, status_at, with_money

from . import register
from .base import (
    DATE,
    INT,
    MONEY,
    PERCENT,
    TEXT,
    Column,
    PeriodProjectsExporter,
    Row,
    Subtotal,
)

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
        Column(_("No."), INT, 5),
        Column(_("Code"), TEXT, 14),
        Column(_("Project"), TEXT, 24),
        Column(_("Activity content"), TEXT, 16),
        Column(_("Source"), TEXT, 8),
        # Text: a year is not a count, and must not print as "2.025".
        Column(_("Plan year"), TEXT, 7),
        Column(_("Beneficiaries"), TEXT, 20),
        Column(_("Commune / ward"), TEXT, 16),
        Column(_("Stage"), TEXT, 12),
        Column(_("Start date"), DATE, 11),
        Column(_("End date"), DATE, 11),
        Column(_("Approval decision"), TEXT, 14),
        Column(_("Contract"), TEXT, 14),
        Column(_("Progress"), PERCENT, 9),
        Column(_("Inspections done"), INT, 8, total=True),
        Column(_("Last inspection"), DATE, 11),
        Column(_("Outputs achieved / target"), TEXT, 16),
        Column(_("Acceptance date"), DATE, 11),
        Column(_("Approved support (đồng)"), MONEY, 15, total=True),
        Column(_("Disbursed in the period (đồng)"), MONEY, 15, total=True),
        Column(_("Disbursed to date (đồng)"), MONEY, 15, total=True),
        Column(_("Remaining to disburse (đồng)"), MONEY, 15, total=True),
        Column(_("Remarks"), TEXT, 16),
    )
    # Where a section heading (own plans / carried over) is written.
    label_column = 2

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
        after_end = day_after(end)
        return (
            Project.objects.filter(pk__in=fundings.values("project_id"))
            .select_related("content", "commune", "acceptance")
            .annotate(
                status_at_end=status_at(end, project="pk"),
                # Carried over: no funding row of the period's own plans.
                on_own_plan=Exists(
                    fundings.filter(project_id=OuterRef("pk"), carried_over=False)
                ),
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
                # Asked by the end of the period and not decided by then.
                adjustment_pending=Exists(
                    Adjustment.objects.filter(
                        Q(decided_at__isnull=True) | Q(decided_at__gte=after_end),
                        project=OuterRef("pk"),
                        requested_at__lt=after_end,
                    )
                ),
            )
            .prefetch_related(
                Prefetch(
                    "beneficiaries",
                    queryset=Establishment.objects.only(
                        "name", "legacy_address", "commune_id"
                    ).order_by("name", "pk"),
                    to_attr="beneficiary_list",
                ),
                Prefetch(
                    "fundings",
                    queryset=fundings.annotate(plan_year=F("plan__year")).only(
                        "project_id", "source"
                    ),
                    to_attr="period_fundings",
                ),
            )
            .order_by("-on_own_plan", "code")
        )

    def money(self) -> dict[int, dict[str, int]]:
        """Each project's money as at the end of the period, summed over its
        funding rows of the period: one grouped query for the whole report."""
        return {
            row["project_id"]: row
            for row in with_money(self.fundings(), period=self.period)
            .order_by()
            .values("project_id")
            .annotate(
                approved_sum=measures.zero(Sum("approved_amount")),
                in_period_sum=measures.zero(Sum("disbursed_in_period")),
                to_date_sum=measures.zero(Sum("disbursed")),
                to_pay_sum=measures.zero(Sum("to_pay_amount")),
            )
        }

    def count(self) -> int:
        return self.fundings().aggregate(n=Count("project", distinct=True))["n"]

    def rows(self) -> Iterator[Row]:
        statuses = {value: str(label) for value, label in Status.choices}
        end = self.period.end
        # As of the end of the period, or today when the period is not over.
        as_of = min(end, timezone.localdate())
        money = self.money()
        nothing = {"approved_sum": 0, "in_period_sum": 0, "to_date_sum": 0}
        width = len(self.columns)
        section = False
        projects = self.queryset().iterator(chunk_size=2000)
        for number, p in enumerate(projects, start=1):
            carried = not p.on_own_plan
            if carried and not section:
                # The carried-over projects come last, under their heading.
                yield _heading(width, gettext("Carried-over projects"))
            section = carried
            plan_years = sorted({f.plan_year for f in p.period_fundings})
            figures = money.get(p.pk, nothing)
            approved = figures["approved_sum"]
            yield (
                number,
                p.code,
                p.title,
                f"{p.content.code}. {p.content.name}",
                # The short codes (KCQG, KCĐP) read best in a narrow column.
                ", ".join(
                    source_short(source)
                    for source in sorted(
                        {f.source for f in p.period_fundings}, key=_national_first
                    )
                ),
                ", ".join(str(year) for year in plan_years),
                "; ".join(e.name for e in p.beneficiary_list),
                _place(p),
                statuses.get(p.status_at_end, p.status_at_end),
                p.start_date,
                p.end_date,
                _dated(document(p.decision_no, p.decision_date), p.decision_date, end),
                _dated(document(p.contract_no, p.contract_date), p.contract_date, end),
                _progress(p, end),
                p.inspections_done or 0,
                p.last_inspection,
                _outputs(p, end),
                p.acceptance_date if _on_or_before(p.acceptance_date, as_of) else None,
                approved,
                figures["in_period_sum"],
                figures["to_date_sum"],
                figures.get("to_pay_sum", 0),
                _remarks(p, as_of, carried=carried, plan_years=plan_years),
            )


def _heading(width: int, label: str) -> Subtotal:
    values: list = [None] * width
    values[ProgressExporter.label_column] = label
    return Subtotal(values)


def _dated(text: str, day: dt.date | None, end: dt.date) -> str:
    """A decision or contract only once it exists at the end of the period."""
    return text if day is None or day <= end else ""


def _place(p: Project) -> str:
    """Today's commune, with the commune and district of the time for a
    project recorded before 1/7/2025 (its beneficiaries' old address, those
    in the project's commune first)."""
    record_day = p.decision_date or p.submitted_on or p.start_date
    named = sorted(p.beneficiary_list, key=lambda e: e.commune_id != p.commune_id)
    return place_as_recorded(
        p.commune.name if p.commune else "",
        record_day,
        [e.legacy_address for e in named],
    )


def _national_first(source: str) -> bool:
    return source != Source.NATIONAL


def _on_or_before(day: dt.date | None, limit: dt.date) -> bool:
    return day is not None and day <= limit


def _progress(p: Project, end: dt.date) -> Decimal | None:
    """The latest progress recorded by the end of the period, as a fraction;
    complete once accepted by then."""
    if p.status_at_end in DONE_STATUSES and _on_or_before(p.acceptance_date, end):
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


def _outputs(p: Project, end: dt.date) -> str:
    """ "Máy móc 3/4; Học viên 30/30": achieved over target, where a target
    or an achievement was recorded; achieved as the acceptance recorded it,
    once accepted by the end of the period (0 before)."""
    acceptance = getattr(p, "acceptance", None)
    if not _on_or_before(p.acceptance_date, end):
        acceptance = None
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


def _remarks(
    p: Project, as_of: dt.date, *, carried: bool, plan_years: list[int]
) -> str:
    notes = []
    status = p.status_at_end
    if carried:
        notes.append(
            gettext("Carried over from the %(year)s plan")
            % {"year": ", ".join(str(y) for y in plan_years)}
        )
    if status in RUNNING_STATUSES and p.end_date and p.end_date < as_of:
        notes.append(
            gettext("Overdue by %(days)s days") % {"days": (as_of - p.end_date).days}
        )
    if p.adjustment_pending:
        notes.append(gettext("Adjustment waiting for decision"))
    if status == Status.CANCELLED and p.cancellation_reason:
        notes.append(
            gettext("Cancelled: %(reason)s") % {"reason": p.cancellation_reason}
        )
    if status == Status.REJECTED and p.rejection_reason:
        notes.append(gettext("Rejected: %(reason)s") % {"reason": p.rejection_reason})
    return "; ".join(notes)
