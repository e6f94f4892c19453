"""The money read-model: every money figure the portal shows, defined once.

Pages, reports, dashboard widgets and services read their money from here;
nobody else sums `approved`, disbursements or plans. The measures (the names
docs/architecture.md defines) per funding row — one project, one source, one
plan:

- requested: the support asked for;
- approved: the approved support while the approval stands — the project is
  approved, in progress, accepted or settled (COMMITTED_STATUSES); 0 for a
  project not approved yet, rejected or cancelled;
- advanced: recorded advances (tạm ứng);
- paid: recorded payments and settlement payments (thanh toán);
- refunded: recorded refunds (thu hồi); refund_due: refunds still to come back;
- disbursed: net money out = advanced + paid − refunded (giải ngân thuần);
- settled: the settled support once the project is settled (quyết toán);
- released: approved but not used, returned to the plan
  ("Kinh phí không sử dụng, hoàn trả kế hoạch"): approved − settled for a
  settled project; for a cancelled project its whole approved support (which
  no longer counts as approved; money paid before the cancellation comes
  back as a refund);
- committed: what the row holds on its plan = approved while the project
  runs, settled once it is settled, 0 otherwise (= approved − released);
- to_pay: approved − disbursed while money can still go out (approved, in
  progress, accepted); 0 once settled or cancelled;
- carried: money paid (advances, payments, settlements) dated after the plan's
  budget year, i.e. from carried-forward funds (chuyển nguồn).

Per plan (sums of the rows on the plan, plus the plan's own figures):

- allocated: the plan's allocation (kế hoạch giao);
- approved, committed, released, disbursed, settled, to_pay, carried: sums
  of the rows;
- waiting: requested support of projects with the Sở (submitted, appraised);
- remaining on the plan = allocated − committed ("Còn lại trên kế hoạch"):
  what new approvals may still use; it grows by what settlement and
  cancellation release;
- carried_forward: carry-forward decisions recorded on the plan or its
  projects (kinh phí chuyển nguồn).

Rates, each named by its denominator, rounded once (`rate`, ROUND_HALF_UP to
one decimal of a percent) for HTML, PDF and Excel alike:

- rate_of_approved = disbursed ÷ approved
  ("Tỷ lệ giải ngân so với kinh phí được duyệt");
- rate_of_allocated = disbursed ÷ allocated
  ("Tỷ lệ giải ngân so với kế hoạch giao").

A disbursement voided as entered by mistake (state "voided") counts in no
measure: the stored totals sum recorded rows only, and `signed_amount` gives
it 0.

The current figures read the per-funding totals that the disbursement gate
(projects.models.money.Disbursement.save/delete) stores under its row lock;
figures "as at" a past date (the period reports) sum the disbursement rows
dated up to it, with the same definitions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from .choices import COMMITTED_STATUSES, REVIEW_STATUSES, Status

BIG = models.BigIntegerField()

# Money can still go out on these projects: approved support not yet paid is
# "to pay"; settled and cancelled projects have nothing left to pay.
PAYING_STATUSES = (Status.APPROVED, Status.IN_PROGRESS, Status.ACCEPTED)
# Projects whose request is with the Sở: what they ask may still be approved.
WAITING_STATUSES = REVIEW_STATUSES

# The per-funding totals the disbursement gate stores (ProjectFunding fields).
STORED_TOTALS = (
    "advanced_total",
    "paid_total",
    "refunded_total",
    "due_total",
    "carried_total",
)

ONE_DECIMAL = Decimal("0.1")


def rate(part: int, whole: int | None) -> Decimal | None:
    """part ÷ whole in percent, ROUND_HALF_UP to one decimal; None without a
    whole. The one rounding rule: the HTML filter prints it as it is, the
    writers get `fraction(rate)`."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(
        ONE_DECIMAL, rounding=ROUND_HALF_UP
    )


def fraction(percent: Decimal | None) -> Decimal | None:
    """A rounded percent as the fraction the report writers expect (69.3 ->
    0.693): exact, so Excel's "0.0%" and the PDF print the same digits."""
    return None if percent is None else percent / 100


def zero(expression: Any) -> Coalesce:
    return Coalesce(expression, Value(0), output_field=BIG)


# --- expressions on funding rows reached through `prefix` ---------------------------


def _f(prefix: str, name: str) -> F:
    return F(prefix + name)


def approved(prefix: str = "") -> Case:
    return Case(
        When(
            **{prefix + "project__status__in": COMMITTED_STATUSES},
            then=zero(_f(prefix, "approved")),
        ),
        default=Value(0),
        output_field=BIG,
    )


def disbursed(prefix: str = "") -> Any:
    return (
        _f(prefix, "advanced_total")
        + _f(prefix, "paid_total")
        - _f(prefix, "refunded_total")
    )


def settled(prefix: str = "") -> Case:
    return Case(
        When(
            **{prefix + "project__status": Status.SETTLED},
            then=zero(_f(prefix, "settled")),
        ),
        default=Value(0),
        output_field=BIG,
    )


def released(prefix: str = "") -> Case:
    return Case(
        When(
            **{prefix + "project__status": Status.SETTLED},
            then=zero(_f(prefix, "approved")) - zero(_f(prefix, "settled")),
        ),
        When(
            **{prefix + "project__status": Status.CANCELLED},
            then=zero(_f(prefix, "approved")),
        ),
        default=Value(0),
        output_field=BIG,
    )


def committed(prefix: str = "") -> Case:
    return Case(
        When(
            **{prefix + "project__status": Status.SETTLED},
            then=zero(_f(prefix, "settled")),
        ),
        When(
            **{prefix + "project__status__in": PAYING_STATUSES},
            then=zero(_f(prefix, "approved")),
        ),
        default=Value(0),
        output_field=BIG,
    )


def to_pay(prefix: str = "") -> Case:
    return Case(
        When(
            **{prefix + "project__status__in": PAYING_STATUSES},
            then=zero(_f(prefix, "approved")) - disbursed(prefix),
        ),
        default=Value(0),
        output_field=BIG,
    )


def waiting(prefix: str = "") -> Case:
    return Case(
        When(
            **{prefix + "project__status__in": WAITING_STATUSES},
            then=_f(prefix, "requested"),
        ),
        default=Value(0),
        output_field=BIG,
    )


def carried(prefix: str = "") -> F:
    return _f(prefix, "carried_total")


# The row measures by name, for annotations and grouped sums.
ROW_MEASURES = {
    "approved": approved,
    "committed": committed,
    "released": released,
    "disbursed": disbursed,
    "settled": settled,
    "to_pay": to_pay,
    "waiting": waiting,
    "carried": carried,
}


def row_sums(prefix: str = "", **only: Any) -> dict[str, Coalesce]:
    """Sum(measure) for every row measure, named `<measure>_sum`, over the
    funding rows reached through `prefix` (optionally filtered)."""
    condition = Q(**{prefix + k: v for k, v in only.items()}) if only else None
    return {
        f"{name}_sum": zero(Sum(build(prefix), filter=condition, output_field=BIG))
        for name, build in ROW_MEASURES.items()
    }


# --- the queryset methods (ProjectFunding.objects, Plan.objects) ----------------------


def fundings_with_money(fundings: models.QuerySet) -> models.QuerySet:
    """Funding rows annotated with their current measures, `<measure>_amount`
    (advanced, paid, refunded and refund due are the stored fields)."""
    return fundings.annotate(
        **{f"{name}_amount": build() for name, build in ROW_MEASURES.items()}
    )


def carry_forward_sum(plan_ref: str = "pk") -> Coalesce:
    CarryForward = apps.get_model("projects", "CarryForward")
    rows = (
        CarryForward.objects.filter(plan=OuterRef(plan_ref))
        .order_by()
        .values("plan")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    return zero(Subquery(rows, output_field=BIG))


def plans_with_money(plans: models.QuerySet) -> models.QuerySet:
    """Plans annotated with the sums of their funding rows (`<measure>_sum`),
    `carried_forward` and `remaining`, from one join of the plans' funding
    rows (each row once: only one child table is joined, and the
    disbursements are read from the stored totals)."""
    return plans.annotate(
        **row_sums("fundings__"), carried_forward=carry_forward_sum()
    ).annotate(remaining=F("allocated") - F("committed_sum"))


# --- a plan's (or several plans') figures as one value ------------------------------


@dataclass
class Money:
    """The measures of some plans added up (a source, a year, the total)."""

    allocated: int = 0
    approved: int = 0
    committed: int = 0
    released: int = 0
    disbursed: int = 0
    settled: int = 0
    to_pay: int = 0
    waiting: int = 0
    carried: int = 0
    carried_forward: int = 0

    @property
    def remaining(self) -> int:
        return self.allocated - self.committed

    @property
    def rate_of_approved(self) -> Decimal | None:
        return rate(self.disbursed, self.approved)

    @property
    def rate_of_allocated(self) -> Decimal | None:
        return rate(self.disbursed, self.allocated)

    def add(self, other: Money) -> None:
        for name in MONEY_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @classmethod
    def of_plan(cls, plan: Any) -> Money:
        """From a plan annotated by plans_with_money."""
        return cls(
            allocated=plan.allocated,
            carried_forward=plan.carried_forward,
            **{name: getattr(plan, f"{name}_sum") for name in ROW_MEASURES},
        )

    @classmethod
    def of_row(cls, row: dict[str, Any], suffix: str = "_sum") -> Money:
        """From a values() row holding `<measure><suffix>` keys."""
        return cls(**{name: row.get(f"{name}{suffix}", 0) for name in ROW_MEASURES})


# The figures Money adds up (not a subclass's labels).
MONEY_FIELDS = tuple(f.name for f in fields(Money))


def fundings_money(fundings: models.QuerySet, *names: str) -> Money:
    """The row measures of `fundings` added up (every one, or only `names`),
    in one query: the total of some funding rows a page shows (the public
    page's approved support, what an establishment has received)."""
    sums = row_sums()
    if names:
        sums = {f"{name}_sum": sums[f"{name}_sum"] for name in names}
    return Money.of_row(fundings.order_by().aggregate(**sums))


# --- figures as at a past date (the period reports) -----------------------------------


def _disbursement_sum(amount: Any, **filters: Any) -> Coalesce:
    """Sum of `amount` over the disbursement rows of `OuterRef("pk")` (a
    funding row) matching `filters`: a correlated subquery, so a row with
    many disbursements is never multiplied by a join."""
    Disbursement = apps.get_model("projects", "Disbursement")
    rows = (
        Disbursement.objects.filter(funding=OuterRef("pk"), **filters)
        .order_by()
        .values("funding")
        .annotate(total=Sum(amount, output_field=BIG))
        .values("total")[:1]
    )
    return zero(Subquery(rows, output_field=BIG))


def signed_amount(prefix: str = "") -> Case:
    """Net money out of one disbursement row: refunds count negative; refunds
    still due and voided rows not at all."""
    return Case(
        When(**{prefix + "state__in": ("due", "voided")}, then=Value(0)),
        When(**{prefix + "kind": "refund"}, then=-F(prefix + "amount")),
        default=F(prefix + "amount"),
        output_field=BIG,
    )


def fundings_money_at(
    fundings: models.QuerySet,
    *,
    start: dt.date,
    end: dt.date,
    status: str = "project__status",
) -> models.QuerySet:
    """Funding rows with their measures as known at the end of a period:

    - `approved_amount`: approved (the row measure);
    - `advanced`, `paid` (payments and settlement payments) and `refunded`:
      recorded rows dated up to `end`;
    - `disbursed`: net money out up to `end` (lũy kế); `disbursed_in_period`:
      the same, dated within [start, end];
    - `settled_amount`: settled support when settled by `end`, else 0;
    - `released_amount`: approved − settled when settled by `end`; a
      cancelled project's approved support;
    - `to_pay_amount`: approved − disbursed up to `end` while money could
      still go out at `end`;
    - `carried_amount`: money paid up to `end` dated after the plan's budget
      year (from carried-forward funds).

    `status` names the project's status the measures read: today's by
    default; the period reports pass their annotation of the status at `end`
    (reports.queries.status_at), so that a project settled or cancelled
    after `end` shows the money it had then.

    (Sums built on `disbursed` are computed by the caller: an annotation built
    on `disbursed` makes Django drop it from the inner query of a later
    aggregate.)
    """
    recorded = {"state": "recorded", "date__lte": end}
    settled_by_end = Q(**{status: Status.SETTLED}, project__settled_on__lte=end)
    open_at_end = Q(**{f"{status}__in": PAYING_STATUSES}) | Q(
        **{status: Status.SETTLED}, project__settled_on__gt=end
    )
    raw_approved = zero(F("approved"))
    disbursed_to_end = _disbursement_sum(signed_amount(), date__lte=end)
    return fundings.annotate(
        approved_amount=Case(
            When(Q(**{f"{status}__in": COMMITTED_STATUSES}), then=raw_approved),
            default=Value(0),
            output_field=BIG,
        ),
        advanced=_disbursement_sum("amount", kind="advance", **recorded),
        paid=_disbursement_sum(
            "amount", kind__in=("payment", "settlement"), **recorded
        ),
        refunded=_disbursement_sum("amount", kind="refund", **recorded),
        disbursed=disbursed_to_end,
        disbursed_in_period=_disbursement_sum(
            signed_amount(), date__gte=start, date__lte=end
        ),
        settled_amount=Case(
            When(settled_by_end, then=zero(F("settled"))),
            default=Value(0),
            output_field=BIG,
        ),
        released_amount=Case(
            When(settled_by_end, then=raw_approved - zero(F("settled"))),
            When(Q(**{status: Status.CANCELLED}), then=raw_approved),
            default=Value(0),
            output_field=BIG,
        ),
        to_pay_amount=Case(
            When(open_at_end, then=raw_approved - disbursed_to_end),
            default=Value(0),
            output_field=BIG,
        ),
        carried_amount=_disbursement_sum(
            "amount",
            kind__in=("advance", "payment", "settlement"),
            date__year__gt=OuterRef("plan__year"),
            **recorded,
        ),
    )


def subsum(rows: models.QuerySet, group: str, expression: Any) -> Coalesce:
    """Sum of `expression` over `rows` (already correlated with OuterRef),
    as a subquery: for a figure per outer row where a join would multiply."""
    return zero(
        Subquery(
            rows.order_by()
            .values(group)
            .annotate(total=Sum(expression, output_field=BIG))
            .values("total")[:1],
            output_field=BIG,
        )
    )


def disbursed_by_month(plans: models.QuerySet) -> dict[tuple[int, dt.date], int]:
    """Net disbursed per (plan id, first day of month), in one query."""
    from django.db.models.functions import TruncMonth

    Disbursement = apps.get_model("projects", "Disbursement")
    rows = (
        Disbursement.objects.live()
        .filter(funding__plan__in=plans)
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("funding__plan", "month")
        .annotate(s=Sum(signed_amount()))
    )
    return {(r["funding__plan"], r["month"]): r["s"] for r in rows}
