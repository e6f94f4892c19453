"""Report 2: disbursement (báo cáo giải ngân).

Which projects: the rule shared by the progress, disbursement and yearly
summary reports (reports.queries.period_fundings) — a project belongs to the
period when one of its funding rows comes from a plan of a year within
[period.start.year, period.end.year] (of the chosen source and programme), it
has been submitted (no drafts), and, for a period that is not whole years,
its implementation window (start date, or approval date, to end date)
overlaps the period.

One row per funding row, so a project funded from both sources appears under
each source with that source's money. Rows are grouped by source, then by
activity content; each group opens with a bold heading row and ends with a
bold subtotal. The totals row sums
the detail rows only. Money is as known at the end of the period
(reports.queries.with_money, the read-model's measures): approved counts once
the project is approved and while it is not cancelled; refunds subtract from
what was disbursed; a settled project has nothing still to pay, and what it
did not use (or a cancelled project's support) is shown as returned to the
plan; money paid after the plan's budget year is shown apart, as paid from
carried-forward funds.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.models import COMMITTED_STATUSES, ProjectFunding, Source, Status, measures
from reports.models import ReportKind
from reports.queries import with_money

from . import register
from .base import (
    INT,
    MONEY,
    PERCENT,
    TEXT,
    Column,
    PeriodProjectsExporter,
    Row,
    Subtotal,
)

# The annotations of reports.queries.with_money (the read-model's measures as
# at the period's end), in column order.
MONEY_FIELDS = (
    "approved_amount",
    "advanced",
    "paid",
    "refunded",
    "disbursed",
    "disbursed_in_period",
    "carried_amount",
    "settled_amount",
    "released_amount",
    "to_pay_amount",
)
FIRST_MONEY = 4  # index of the first money column
LABEL = 2  # the column that names subtotal and heading rows
RATE = FIRST_MONEY + len(MONEY_FIELDS)  # after the money columns
APPROVED = MONEY_FIELDS.index("approved_amount")
DISBURSED = MONEY_FIELDS.index("disbursed")


def rate(disbursed: int, approved: int) -> Decimal | None:
    """Disbursed over approved, rounded once by the read-model, as the
    fraction the writers show as a percentage."""
    return measures.fraction(measures.rate(disbursed, approved))


@register
class DisbursementExporter(PeriodProjectsExporter):
    kind = ReportKind.DISBURSEMENT
    title = _("Report on the disbursement of industrial extension funds")
    file_stem = "bao-cao-giai-ngan"
    totals_label = _("Total")
    # Widths: Excel characters, and the PDF's share of an A4 landscape page
    # (about 270 mm at 8 pt): money never wraps there, so it gets the room
    # of 100.000.000; the content is a heading row rather than a column.
    columns = (
        Column(_("No."), INT, 6),
        Column(_("Code"), TEXT, 19),
        Column(_("Project"), TEXT, 24),
        Column(_("Source"), TEXT, 11),
        Column(_("Approved (đồng)"), MONEY, 20, total=True),
        Column(_("Advanced (đồng)"), MONEY, 20, total=True),
        Column(_("Paid (đồng)"), MONEY, 20, total=True),
        Column(_("Refunded (đồng)"), MONEY, 20, total=True),
        Column(_("Disbursed to date (đồng)"), MONEY, 20, total=True),
        Column(_("Of which in the period (đồng)"), MONEY, 20, total=True),
        Column(_("Of which from carried-forward funds (đồng)"), MONEY, 20, total=True),
        Column(_("Settled (đồng)"), MONEY, 20, total=True),
        Column(_("Unused, returned to the plan (đồng)"), MONEY, 20, total=True),
        Column(_("Still to pay (đồng)"), MONEY, 20, total=True),
        Column(_("Disbursement rate (of approved support)"), PERCENT, 14),
        Column(_("Remarks"), TEXT, 14),
    )

    def queryset(self) -> QuerySet[ProjectFunding]:
        national_first = Case(
            When(source=Source.NATIONAL, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (
            with_money(self.fundings(), period=self.period)
            .select_related("project__content")
            .annotate(source_order=national_first)
            .order_by("source_order", "project__content__code", "project__code")
        )

    def count(self) -> int:
        return self.fundings().count()

    def rows(self) -> Iterator[Row]:
        sources = {value: str(label) for value, label in Source.choices}
        statuses = {value: str(label) for value, label in Status.choices}
        width = len(self.columns)
        source: str | None = None
        content = None
        n_money = RATE - FIRST_MONEY
        by_source = [0] * n_money
        by_content = [0] * n_money

        def subtotal(label: str, sums: list[int]) -> Subtotal:
            values: list = [None] * width
            values[LABEL] = label
            values[FIRST_MONEY:RATE] = sums
            values[RATE] = rate(sums[DISBURSED], sums[APPROVED])
            return Subtotal(values)

        def heading(label: str) -> Subtotal:
            values: list = [None] * width
            values[LABEL] = label
            return Subtotal(values)

        def close_content() -> Subtotal:
            return subtotal(
                gettext("Subtotal, content %(content)s")
                % {"content": f"{content.code}. {content.name}"},
                by_content,
            )

        def close_source() -> Subtotal:
            return subtotal(
                gettext("Subtotal, %(source)s") % {"source": sources[source]},
                by_source,
            )

        fundings = self.queryset().iterator(chunk_size=2000)
        for number, f in enumerate(fundings, start=1):
            project = f.project
            if f.source != source:
                if source is not None:
                    yield close_content()
                    yield close_source()
                source, content = f.source, project.content
                by_source = [0] * n_money
                by_content = [0] * n_money
                yield heading(sources.get(source, source))
                yield heading(f"{content.code}. {content.name}")
            elif project.content_id != content.pk:
                yield close_content()
                content = project.content
                by_content = [0] * n_money
                yield heading(f"{content.code}. {content.name}")
            amounts = [getattr(f, name) for name in MONEY_FIELDS]
            for i, amount in enumerate(amounts):
                by_source[i] += amount
                by_content[i] += amount
            yield (
                number,
                project.code,
                project.title,
                f.source,
                *amounts,
                rate(f.disbursed, f.approved_amount),
                ""
                if project.status in COMMITTED_STATUSES
                else statuses.get(project.status, project.status),
            )
        if source is not None:
            yield close_content()
            yield close_source()

    def totals(self) -> Row | None:
        totals = super().totals()
        if totals is None:
            return None
        values = list(totals)
        # The rate of the totals, not a sum of rates.
        values[RATE] = rate(
            values[FIRST_MONEY + DISBURSED], values[FIRST_MONEY + APPROVED]
        )
        return tuple(values)
