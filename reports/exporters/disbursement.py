"""Report 2: disbursement (báo cáo giải ngân).

Which projects: the rule every report shares (reports.queries.period_fundings)
— the projects of the period's plans that touch the period, and the projects
of earlier plans still running in it (đề án chuyển tiếp). No drafts.

One row per funding row, so a project funded from both sources appears under
each source with that source's money. Rows are grouped by source; within a
source the period's own projects come first, then the carried-over ones under
a heading of their own; within each, by activity content. Each group opens
with a bold heading row and ends with a bold subtotal. The totals row sums
the detail rows only.

Money is as known at the end of the period (reports.queries.with_money, the
read-model's measures read with the project's status at the end of the
period): approved counts once the project was approved by then and while it
was not cancelled; refunds subtract from what was disbursed; a project
settled by then has nothing still to pay, and what it did not use (or a
cancelled project's support) is shown as returned to the plan; money paid
after the plan's budget year is shown apart, as paid from carried-forward
funds.

The plan's allocation (kế hoạch giao) is a figure of the plans, not of the
projects: it is printed on each source's subtotal (the plans of that source
for the years of the period, of the chosen programme) and summed in the
totals row. The counterpart funds (vốn đối ứng) are a project's: planned is
the project's counterpart, contributed what its acceptance, by the end of the
period, recorded; both are printed once per project, on its national row when
it has one in the report, so that sums never count them twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from projects.models import (
    COMMITTED_STATUSES,
    Acceptance,
    Plan,
    ProjectFunding,
    Source,
    Status,
    measures,
)
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
ALLOCATED = 4  # the plan's allocation: on source subtotals and totals only
FIRST_MONEY = 5  # index of the first money column
LABEL = 2  # the column that names subtotal and heading rows
RATE = FIRST_MONEY + len(MONEY_FIELDS)  # after the money columns
COUNTERPART = RATE + 1  # planned, then contributed
APPROVED = MONEY_FIELDS.index("approved_amount")
DISBURSED = MONEY_FIELDS.index("disbursed")
# Acceptance.counterpart_contributed comes with the money work (projects
# migration 0012); until it is there the report has no "contributed" column.
HAS_CONTRIBUTED = any(
    f.name == "counterpart_contributed" for f in Acceptance._meta.get_fields()
)


# The paged formats' header groups (reports.writers.paged).
DISBURSEMENT = pgettext_lazy("report column", "Disbursement")
SETTLEMENT = pgettext_lazy("report column", "Settlement")
COUNTERPART_FUNDS = pgettext_lazy("report column", "Counterpart funds")


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
        Column(_("No."), INT, 5),
        Column(_("Code"), TEXT, 14),
        Column(_("Project"), TEXT, 22, own_line=True),
        # Rows are grouped under each source's heading: Excel keeps the
        # column to filter on, the paged formats leave it out.
        Column(_("Source"), TEXT, 8, paged=False),
        Column(_("Plan allocation (đồng)"), MONEY, 15),
        Column(_("Approved (đồng)"), MONEY, 14, total=True),
        Column(
            _("Advanced (đồng)"),
            MONEY,
            14,
            total=True,
            group=DISBURSEMENT,
            short=pgettext_lazy("report column", "Advanced"),
        ),
        Column(
            _("Paid (đồng)"),
            MONEY,
            14,
            total=True,
            group=DISBURSEMENT,
            short=pgettext_lazy("report column", "Paid"),
        ),
        Column(
            _("Refunded (đồng)"),
            MONEY,
            14,
            total=True,
            group=DISBURSEMENT,
            short=pgettext_lazy("report column", "Refunded"),
        ),
        Column(
            _("Disbursed to date (đồng)"),
            MONEY,
            14,
            total=True,
            group=DISBURSEMENT,
            short=pgettext_lazy("report column", "To date"),
        ),
        Column(
            _("Of which in the period (đồng)"),
            MONEY,
            14,
            total=True,
            group=DISBURSEMENT,
            short=pgettext_lazy("report column", "Of which in the period"),
        ),
        Column(
            _("Of which from carried-forward funds (đồng)"),
            MONEY,
            14,
            total=True,
            group=DISBURSEMENT,
            short=pgettext_lazy("report column", "Of which from carried-forward funds"),
        ),
        Column(
            _("Settled (đồng)"),
            MONEY,
            14,
            total=True,
            group=SETTLEMENT,
            short=pgettext_lazy("report column", "Settled"),
        ),
        Column(
            _("Unused, returned to the plan (đồng)"),
            MONEY,
            14,
            total=True,
            group=SETTLEMENT,
            short=pgettext_lazy("report column", "Returned to the plan"),
        ),
        Column(_("Still to pay (đồng)"), MONEY, 14, total=True),
        Column(
            _("Disbursement rate (of approved support)"),
            PERCENT,
            9,
            short=pgettext_lazy("report column", "Disbursement rate"),
        ),
        Column(
            _("Counterpart funds planned (đồng)"),
            MONEY,
            14,
            total=True,
            group=COUNTERPART_FUNDS,
            short=pgettext_lazy("report column", "Planned"),
        ),
        *(
            (
                Column(
                    _("Counterpart funds contributed (đồng)"),
                    MONEY,
                    14,
                    total=True,
                    group=COUNTERPART_FUNDS,
                    short=pgettext_lazy("report column", "Contributed"),
                ),
            )
            if HAS_CONTRIBUTED
            else ()
        ),
        Column(_("Remarks"), TEXT, 12),
    )

    def queryset(self) -> QuerySet[ProjectFunding]:
        national_first = Case(
            When(source=Source.NATIONAL, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        # A project's counterpart goes on one of its rows: the national one
        # when the report has it, else the local one.
        first_row = Q(source=Source.NATIONAL) | ~Exists(
            self.fundings().filter(
                project_id=OuterRef("project_id"), source=Source.NATIONAL
            )
        )
        accepted = Q(project__acceptance_date__lte=self.period.end)
        contributed = (
            F("project__acceptance__counterpart_contributed")
            if HAS_CONTRIBUTED
            else Value(None)
        )
        return (
            with_money(self.fundings(), period=self.period)
            .select_related("project__content", "plan")
            .annotate(
                source_order=national_first,
                counterpart_planned=Case(
                    When(first_row, then=F("project__counterpart")),
                    default=Value(None),
                    output_field=measures.BIG,
                ),
                counterpart_contributed=Case(
                    When(first_row & accepted, then=contributed),
                    default=Value(None),
                    output_field=measures.BIG,
                ),
            )
            .order_by(
                "source_order",
                "carried_over",
                "project__content__code",
                "project__code",
            )
        )

    def allocations(self) -> dict[str, int]:
        """The allocation of the plans of the period's years, per source (one
        query): what the period's own projects draw on."""
        plans = Plan.objects.filter(
            year__gte=self.period.start.year, year__lte=self.period.end.year
        )
        if self.source:
            plans = plans.filter(programme__source=self.source)
        if self.programme_id:
            plans = plans.filter(programme_id=self.programme_id)
        return dict(
            plans.order_by()
            .values_list("programme__source")
            .annotate(total=Sum("allocated"))
        )

    def count(self) -> int:
        return self.fundings().count()

    def rows(self) -> Iterator[Row]:
        sources = {value: str(label) for value, label in Source.choices}
        statuses = {value: str(label) for value, label in Status.choices}
        self._allocated = allocated = self.allocations()
        width = len(self.columns)
        source: str | None = None
        carried = False
        content = None
        n_money = RATE - FIRST_MONEY
        by_source = [0] * n_money
        by_content = [0] * n_money
        counterparts = [0, 0] if HAS_CONTRIBUTED else [0]

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
            label = (
                gettext("Subtotal, content %(content)s, carried over")
                if carried
                else gettext("Subtotal, content %(content)s")
            )
            return subtotal(
                label % {"content": f"{content.code}. {content.name}"}, by_content
            )

        def close_source() -> Subtotal:
            values = list(
                subtotal(
                    gettext("Subtotal, %(source)s") % {"source": sources[source]},
                    by_source,
                )
            )
            values[ALLOCATED] = allocated.get(source, 0)
            values[COUNTERPART : COUNTERPART + len(counterparts)] = counterparts
            return Subtotal(values)

        fundings = self.queryset().iterator(chunk_size=2000)
        for number, f in enumerate(fundings, start=1):
            project = f.project
            if f.source != source:
                if source is not None:
                    yield close_content()
                    yield close_source()
                source, carried, content = f.source, f.carried_over, project.content
                by_source = [0] * n_money
                by_content = [0] * n_money
                counterparts = [0, 0] if HAS_CONTRIBUTED else [0]
                yield heading(sources.get(source, source))
                if carried:
                    yield heading(gettext("Carried-over projects"))
                yield heading(f"{content.code}. {content.name}")
            elif f.carried_over != carried:
                yield close_content()
                carried, content = f.carried_over, project.content
                by_content = [0] * n_money
                yield heading(gettext("Carried-over projects"))
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
            counterparts[0] += f.counterpart_planned or 0
            if HAS_CONTRIBUTED:
                counterparts[1] += f.counterpart_contributed or 0
            yield (
                number,
                project.code,
                project.title,
                f.source,
                None,
                *amounts,
                rate(f.disbursed, f.approved_amount),
                f.counterpart_planned,
                *((f.counterpart_contributed,) if HAS_CONTRIBUTED else ()),
                _remarks(f, statuses),
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
        values[ALLOCATED] = sum(getattr(self, "_allocated", {}).values())
        return tuple(values)


def _remarks(f: ProjectFunding, statuses: dict[str, str]) -> str:
    """The stage at the end of the period when money no longer flows the
    usual way (not approved, rejected, cancelled), and where a carried-over
    row comes from."""
    notes = []
    if f.status_at_end not in COMMITTED_STATUSES:
        notes.append(statuses.get(f.status_at_end, f.status_at_end))
    if f.carried_over:
        notes.append(
            gettext("Carried over from the %(year)s plan") % {"year": f.plan.year}
        )
    return "; ".join(notes)
