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
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import chain
from typing import Any

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enterprises.sql import AllTrue, Collect, Joined
from projects.models import (
    RUNNING_STATUSES,
    Adjustment,
    Inspection,
    ProgressUpdate,
    Project,
    ProjectFunding,
    Source,
    Status,
    measures,
)
from reports.models import ReportKind
from reports.queries import (
    ChunkedQuery,
    day_after,
    place_as_recorded,
    recorded_before_two_levels,
    with_money,
    with_status_at_end,
)

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
from .progress_text import RowText

DONE_STATUSES = (Status.ACCEPTED, Status.SETTLED)
# The paged formats' heading over the money columns (reports.writers.paged).
SUPPORT = pgettext_lazy("report column", "Support")


def _day(value: dt.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def document(
    number: str, day: dt.date | None, formatted: Callable[[dt.date], str] = _day
) -> str:
    """ "123/QĐ-UBND, 20/03/2026": a decision or contract as reports cite it."""
    return ", ".join(part for part in (number, formatted(day) if day else "") if part)


@register
class ProgressExporter(PeriodProjectsExporter):
    kind = ReportKind.PROGRESS
    title = _("Report on the progress of industrial extension projects")
    file_stem = "bao-cao-tien-do"
    totals_label = _("Total")
    # Widths: Excel characters, and the paged formats' weights. Excel keeps
    # every column; on an A4 landscape page (reports.writers.paged) the plan
    # year goes under the source, the commune under the beneficiaries, the
    # end date under the start date, the contract under the decision, the
    # last inspection under the number of inspections, the acceptance date
    # under the outputs, and the money under one heading: 16 columns, the
    # title the widest, or on a line of its own when the figures in đồng
    # leave it no room.
    columns = (
        Column(_("No."), INT, 5),
        Column(_("Code"), TEXT, 14),
        Column(_("Project"), TEXT, 30, own_line=True),
        Column(_("Activity content"), TEXT, 16, stack="\n"),
        Column(_("Source"), TEXT, 8, short=pgettext_lazy("report column", "Source")),
        # Text: a year is not a count, and must not print as "2.025".
        Column(
            _("Plan year"),
            TEXT,
            7,
            stack="\n",
            short=pgettext_lazy("report column", "Plan year"),
        ),
        Column(_("Beneficiaries"), TEXT, 20),
        Column(
            _("Commune / ward"),
            TEXT,
            16,
            stack="\n",
            short=pgettext_lazy("report column", "Place"),
        ),
        Column(_("Stage"), TEXT, 12),
        Column(_("Start date"), DATE, 11),
        Column(_("End date"), DATE, 11, stack="\n"),
        Column(_("Approval decision"), TEXT, 14),
        Column(_("Contract"), TEXT, 14, stack="\n"),
        Column(_("Progress"), PERCENT, 9),
        Column(_("Inspections done"), INT, 8, total=True),
        Column(
            _("Last inspection"),
            DATE,
            11,
            stack="\n",
            short=pgettext_lazy("report column", "Latest"),
        ),
        Column(
            _("Outputs achieved / target"),
            TEXT,
            16,
            short=pgettext_lazy("report column", "Outputs (achieved / target)"),
        ),
        Column(_("Acceptance date"), DATE, 11, stack="\n"),
        Column(
            _("Approved support (đồng)"),
            MONEY,
            15,
            total=True,
            group=SUPPORT,
            short=pgettext_lazy("report column", "Approved"),
        ),
        Column(
            _("Disbursed in the period (đồng)"),
            MONEY,
            15,
            total=True,
            group=SUPPORT,
            short=pgettext_lazy("report column", "Disbursed in the period"),
        ),
        Column(
            _("Disbursed to date (đồng)"),
            MONEY,
            15,
            total=True,
            group=SUPPORT,
            short=pgettext_lazy("report column", "Disbursed to date"),
        ),
        Column(
            _("Remaining to disburse (đồng)"),
            MONEY,
            15,
            total=True,
            group=SUPPORT,
            short=pgettext_lazy("report column", "Remaining"),
        ),
        Column(_("Remarks"), TEXT, 12),
    )
    # Where a section heading (own plans / carried over) is written.
    label_column = 2
    _details_query: ChunkedQuery | None = None
    _money_query: ChunkedQuery | None = None

    def spine(self) -> QuerySet:
        """The period's projects in the report's order — the projects of the
        period's own plans, then the carried-over ones, each by code — one
        row each with what the membership rule decides: whether the project
        is carried over (no funding row of the period's own plans), its
        status at the end of the period, and the sources and plan years of
        its funding rows of the period.

        One grouped query for the whole report, streamed: the rule is
        evaluated in it alone, not again for the count and the membership
        (issue 20, docs/benchmarks.md). Nothing in it is read row by row
        from other tables: the report's first rows wait for this query to
        finish (it is sorted after grouping), so the money, which sums each
        funding row's disbursements, is read with each chunk (`money`),
        while the writer writes the chunk before (reports.readahead).
        `total` (the number of projects, the same on every row) feeds the
        progress bar."""
        return (
            self.fundings()
            .order_by()
            # The acceptance is the project's own (one to one): joined once
            # here rather than hashed whole again for every chunk's details.
            .values("project_id", "project__code", *ACCEPTANCE)
            .annotate(
                carried=AllTrue("carried_over"),
                # The project's status, the same on each of its rows.
                status=Max("status_at_end"),
                sources=Collect("source"),
                plan_years=Collect("plan__year"),
                # The funding rows the money of `money` sums.
                fundings=Collect("id"),
                total=Window(Count("*")),
            )
            .order_by("carried", "project__code")
            .values_list(*SPINE, named=True)
        )

    def money(self, fundings: list[int]) -> dict[int, Any]:
        """The money of a chunk's projects as at the end of the period, summed
        over their funding rows of the period (`fundings`, the spine's:
        reports.queries.with_money), by project id. One grouped query per
        chunk, over those funding rows only: the membership rule is not
        evaluated again, and the query is built and compiled once per report
        (reports.queries.ChunkedQuery)."""
        if self._money_query is None:
            rows = with_status_at_end(ProjectFunding.objects.all(), period=self.period)
            self._money_query = ChunkedQuery(
                with_money(rows, period=self.period)
                .order_by()
                .values("project_id")
                .annotate(
                    approved_sum=measures.zero(Sum("approved_amount")),
                    in_period_sum=measures.zero(Sum("disbursed_in_period")),
                    to_date_sum=measures.zero(Sum("disbursed")),
                    to_pay_sum=measures.zero(Sum("to_pay_amount")),
                )
                .values_list(*MONEY_SUMS),
                step=CHUNK,
            )
        return {m.project_id: m for m in self._money_query.rows(fundings)}

    def details(self, ids: list[int]) -> dict[int, Any]:
        """What the report prints about each project of a chunk itself, as at
        the end of the period, as plain values (FIELDS) by project id: one
        query per chunk, its subqueries run for the chunk's projects only."""
        return {p.id: p for p in self._details().rows(ids)}

    def _details(self) -> ChunkedQuery:
        """The projects annotated with what `details` reads, built once per
        report and compiled once per size of chunk: building and compiling
        these subqueries cost more than running them, for each of a
        report's ~200 chunks (issue 20)."""
        if self._details_query is not None:
            return self._details_query
        end = self.period.end
        # Voided inspections and updates (entered by mistake) count nowhere.
        inspected = (
            Inspection.objects.live()
            .filter(project=OuterRef("pk"), actual_date__lte=end)
            .order_by()
        )
        measured = inspected.filter(progress_percent__isnull=False).order_by(
            "-actual_date", "-pk"
        )
        updates = (
            ProgressUpdate.objects.live()
            .filter(project=OuterRef("pk"), date__lte=end)
            .order_by("-date", "-pk")
        )
        done = inspected.values("project")
        after_end = day_after(end)
        links = Project.beneficiaries.through.objects.filter(
            project_id=OuterRef("pk")
        ).order_by()
        first_written = links.exclude(establishment__legacy_address="").order_by(
            "establishment__name", "establishment_id"
        )
        projects = Project.objects.order_by().annotate(
            # The beneficiaries' names in name order.
            beneficiary_names=Subquery(
                links.values("project_id")
                .annotate(
                    names=Joined(
                        "establishment__name",
                        "; ",
                        order_by=("establishment__name", "establishment_id"),
                    )
                )
                .values("names")[:1]
            ),
            # The first old address written, of those in the project's
            # commune first, then in name order (_place).
            # (Two subqueries rather than one ordered by a CASE on the outer
            # row: SQLite cannot read an outer column in a subquery's ORDER BY.)
            # Only where _place prints it: a CASE's subqueries run only for
            # the rows that take its branch.
            legacy_address=Case(
                When(
                    recorded_before_two_levels(),
                    then=Coalesce(
                        Subquery(
                            first_written.filter(
                                establishment__commune_id=OuterRef("commune_id")
                            ).values("establishment__legacy_address")[:1]
                        ),
                        Subquery(
                            first_written.values("establishment__legacy_address")[:1]
                        ),
                    ),
                ),
                default=None,
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
        self._details_query = ChunkedQuery(projects.values_list(*FIELDS), step=CHUNK)
        return self._details_query

    def count(self) -> int:
        """The number of projects, read with the first chunk of the spine
        (its `total`), which `rows()` then goes on with: no query of its own."""
        spine = self._spine()
        first = next(spine, None)
        self._opened = chain([first], spine) if first else iter(())
        return first.total if first else 0

    def _spine(self) -> Iterator[Any]:
        return self.spine().iterator(chunk_size=CHUNK)

    def rows(self) -> Iterator[Row]:
        """Streamed: the spine CHUNK projects at a time from a server-side
        cursor, each chunk's details (with the beneficiaries) and money read
        for it; nothing
        is kept once a chunk is written."""
        spine = getattr(self, "_opened", None) or self._spine()
        text = RowText()
        chunk: list = []
        number = 0
        section = [False]
        for project in spine:
            chunk.append(project)
            if len(chunk) == CHUNK:
                yield from self._chunk_rows(chunk, number, section, text)
                number += len(chunk)
                chunk = []
        if chunk:
            yield from self._chunk_rows(chunk, number, section, text)

    def _chunk_rows(
        self, chunk: list, number: int, section: list[bool], text: RowText
    ) -> Iterator[Row]:
        end = self.period.end
        # As of the end of the period, or today when the period is not over.
        as_of = min(end, timezone.localdate())
        width = len(self.columns)
        ids = [s.project_id for s in chunk]
        details = self.details(ids)
        money = self.money([f for s in chunk for f in s.fundings])
        for number, s in enumerate(chunk, start=number + 1):  # noqa: B020
            p = details[s.project_id]
            m = money[s.project_id]
            status = s.status
            carried = s.carried
            if carried and not section[0]:
                # The carried-over projects come last, under their heading.
                yield _heading(width, text.carried_heading)
            section[0] = carried
            plan_years = sorted(set(s.plan_years))
            yield (
                number,
                p.code,
                p.title,
                f"{p.content__code}. {p.content__name}",
                # The short codes (KCQG, KCĐP) read best in a narrow column.
                ", ".join(
                    text.source(source)
                    for source in sorted(set(s.sources), key=_national_first)
                ),
                ", ".join(str(year) for year in plan_years),
                p.beneficiary_names or "",
                _place(p),
                text.status(status),
                p.start_date,
                p.end_date,
                _dated(
                    document(p.decision_no, p.decision_date, text.day),
                    p.decision_date,
                    end,
                ),
                _dated(
                    document(p.contract_no, p.contract_date, text.day),
                    p.contract_date,
                    end,
                ),
                _progress(p, status, end),
                p.inspections_done or 0,
                p.last_inspection,
                _outputs(p, s, end, text),
                p.acceptance_date if _on_or_before(p.acceptance_date, as_of) else None,
                m.approved_sum,
                m.in_period_sum,
                m.to_date_sum,
                m.to_pay_sum,
                _remarks(
                    p, status, as_of, text, carried=carried, plan_years=plan_years
                ),
            )


# Projects read per round trip (and per details and per money query).
CHUNK = 500

# What a row of ProgressExporter.spine() holds.
ACCEPTANCE = (
    # Its pk says whether there is one (a reverse one-to-one).
    "project__acceptance__id",
    "project__acceptance__machines_achieved",
    "project__acceptance__trainees_achieved",
    "project__acceptance__products_achieved",
)

SPINE = (
    "project_id",
    *ACCEPTANCE,
    "carried",
    "status",
    "sources",
    "plan_years",
    "fundings",
    "total",
)

# What a row of ProgressExporter.money() holds.
MONEY_SUMS = (
    "project_id",
    "approved_sum",
    "in_period_sum",
    "to_date_sum",
    "to_pay_sum",
)

# What a row of ProgressExporter.details() holds.
FIELDS = (
    "id",
    "code",
    "title",
    "content__code",
    "content__name",
    "commune__name",
    "commune_id",
    "start_date",
    "end_date",
    "decision_no",
    "decision_date",
    "contract_no",
    "contract_date",
    "submitted_on",
    "inspections_done",
    "last_inspection",
    "inspection_percent",
    "inspection_date",
    "update_percent",
    "update_date",
    "acceptance_date",
    "target_machines",
    "target_trainees",
    "target_products",
    "adjustment_pending",
    "cancellation_reason",
    "rejection_reason",
    "beneficiary_names",
    "legacy_address",
)


def _heading(width: int, label: str) -> Subtotal:
    values: list = [None] * width
    values[ProgressExporter.label_column] = label
    return Subtotal(values)


def _dated(text: str, day: dt.date | None, end: dt.date) -> str:
    """A decision or contract only once it exists at the end of the period."""
    return text if day is None or day <= end else ""


def _place(p: Any) -> str:
    """Today's commune, with the commune and district of the time for a
    project recorded before 1/7/2025 (its beneficiaries' old address, those
    in the project's commune first: `legacy_address` of the details)."""
    record_day = p.decision_date or p.submitted_on or p.start_date
    return place_as_recorded(
        p.commune__name or "", record_day, [p.legacy_address or ""]
    )


def _national_first(source: str) -> bool:
    return source != Source.NATIONAL


def _on_or_before(day: dt.date | None, limit: dt.date) -> bool:
    return day is not None and day <= limit


def _progress(p: Any, status: str, end: dt.date) -> Decimal | None:
    """The latest progress recorded by the end of the period, as a fraction;
    complete once accepted by then (`status`: at the end of the period)."""
    if status in DONE_STATUSES and _on_or_before(p.acceptance_date, end):
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


def _outputs(p: Any, s: Any, end: dt.date, text: RowText) -> str:
    """ "Máy móc 3/4; Học viên 30/30": achieved over target, where a target
    or an achievement was recorded; achieved as the acceptance recorded it,
    once accepted by the end of the period (0 before). `p`: the project's
    details, `s`: its spine row (the acceptance)."""
    accepted = s.project__acceptance__id is not None and _on_or_before(
        p.acceptance_date, end
    )
    machines, trainees, products = text.outputs
    parts = []
    for label, target, achieved_then in (
        (machines, p.target_machines, s.project__acceptance__machines_achieved),
        (trainees, p.target_trainees, s.project__acceptance__trainees_achieved),
        (products, p.target_products, s.project__acceptance__products_achieved),
    ):
        achieved = achieved_then if accepted else 0
        if target or achieved:
            parts.append(f"{label} {achieved}/{target}")
    return "; ".join(parts)


def _remarks(
    p: Any,
    status: str,
    as_of: dt.date,
    text: RowText,
    *,
    carried: bool,
    plan_years: list[int],
) -> str:
    notes = []
    if carried:
        notes.append(
            text.carried_over % {"year": ", ".join(str(y) for y in plan_years)}
        )
    if status in RUNNING_STATUSES and p.end_date and p.end_date < as_of:
        notes.append(text.overdue % {"days": (as_of - p.end_date).days})
    if p.adjustment_pending:
        notes.append(text.adjustment)
    if status == Status.CANCELLED and p.cancellation_reason:
        notes.append(text.cancelled % {"reason": p.cancellation_reason})
    if status == Status.REJECTED and p.rejection_reason:
        notes.append(text.rejected % {"reason": p.rejection_reason})
    return "; ".join(notes)
