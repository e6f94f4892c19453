"""Disbursements (giải ngân) and the money invariants (issue 5).

Every disbursement row is written through Disbursement.save()/delete(), which
lock the project and the funding row (select_for_update) and call
`Disbursement.check_money` — the one place that holds:

- nothing before the contract: the project is in progress (or accepted) and
  the contract date is not after the disbursement date;
- per project and source, paid = advances + payments + settlement − refunds
  stays between 0 and the approved support;
- advances stay within the content's `max_advance_share` of approved support;
- a settled project's money is read-only; a cancelled project takes refunds only.

Cancellation records the money paid so far as a refund *due* (state "due",
not counted as paid); staff confirm it with the voucher when the money comes
back. Settlement records the remainder up to the settled amount as a
"settlement" payment, so that funding.settled = paid (both workflows in
projects/services/money.py).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from enterprises.money import MoneyField

from .carry_forward import CarryForward
from .choices import DisbursementKind, DisbursementState, Status, _money
from .dates import payment_problems, refuse
from .execution import Voidable, lock_project, void_constraint
from .measures import signed_amount
from .programmes import Plan
from .projects import Project, ProjectFunding
from .refusals import Refused
from .year_totals import refresh as refresh_year_totals

# Statuses in which money may go out: after the contract, before settlement.
PAYING_STATUSES = (Status.IN_PROGRESS, Status.ACCEPTED)


SIGNED_AMOUNT = signed_amount()


def _sum(expression: Any, **filters: Any) -> Coalesce:
    return Coalesce(
        Sum(expression, filter=Q(**filters) if filters else None),
        Value(0),
        output_field=models.BigIntegerField(),
    )


class AlreadyRecorded(Exception):
    """The form that would record this disbursement recorded it already."""

    def __init__(self, record: Disbursement) -> None:
        super().__init__(str(record))
        self.record = record


def _total(rows: models.QuerySet) -> int:
    return rows.aggregate(s=Sum("amount"))["s"] or 0


def funding_totals(funding: ProjectFunding) -> dict[str, int]:
    """The totals of the funding row's disbursements, as stored on it."""
    recorded = {"state": DisbursementState.RECORDED}
    paying = (
        DisbursementKind.ADVANCE,
        DisbursementKind.PAYMENT,
        DisbursementKind.SETTLEMENT,
    )
    return Disbursement.objects.filter(funding_id=funding.pk).aggregate(
        advanced_total=_sum("amount", kind=DisbursementKind.ADVANCE, **recorded),
        paid_total=_sum(
            "amount",
            kind__in=(DisbursementKind.PAYMENT, DisbursementKind.SETTLEMENT),
            **recorded,
        ),
        refunded_total=_sum("amount", kind=DisbursementKind.REFUND, **recorded),
        due_total=_sum("amount", state=DisbursementState.DUE),
        carried_total=_sum(
            "amount", kind__in=paying, date__year__gt=funding.plan.year, **recorded
        ),
    )


def store_totals(funding: ProjectFunding) -> None:
    """Write the row's totals (the funding row is locked by the caller).
    update() rather than save(): the totals are not part of the row's
    audited history, and no other field is touched."""
    totals = funding_totals(funding)
    ProjectFunding.objects.filter(pk=funding.pk).update(**totals)
    for name, value in totals.items():
        setattr(funding, name, value)
    # The dashboard's year totals read these sums (year_totals.py).
    refresh_year_totals([funding.project_id])


class DisbursementQuerySet(models.QuerySet):
    def recorded(self) -> DisbursementQuerySet:
        return self.filter(state=DisbursementState.RECORDED)

    def live(self) -> DisbursementQuerySet:
        """The rows that count: not voided."""
        return self.exclude(state=DisbursementState.VOIDED)

    def totals(self) -> dict[str, int]:
        """Paid (net), advanced and refunds due over these rows, in one query."""
        return self.aggregate(
            paid=_sum(SIGNED_AMOUNT),
            advanced=_sum(
                "amount",
                kind=DisbursementKind.ADVANCE,
                state=DisbursementState.RECORDED,
            ),
            due=_sum("amount", state=DisbursementState.DUE),
        )

    def delete(self) -> Any:
        # Bulk deletes skip Disbursement.delete(); refuse them where money is closed.
        if self.filter(project__status=Status.SETTLED).exists():
            raise Refused(
                gettext("A settled project's disbursements cannot be deleted.")
            )
        with transaction.atomic():
            fundings = list(
                ProjectFunding.objects.select_for_update()
                .filter(pk__in=self.values("funding_id"))
                .order_by("pk")
            )
            deleted = super().delete()
            for funding in fundings:
                store_totals(funding)
        return deleted


# What may be voided: an advance or a payment typed in by mistake, while the
# project's money is open. A settlement payment is the settlement's own
# record, and a refund (due or recorded) follows the cancellation: neither is
# a payment still unconfirmed, so neither is voided.
VOIDABLE_KINDS = (DisbursementKind.ADVANCE, DisbursementKind.PAYMENT)


class Disbursement(Voidable):
    """Money paid to (or refunded by) a project from one funding source."""

    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="disbursements",
        verbose_name=_("project"),
        editable=False,
    )
    funding = models.ForeignKey(
        ProjectFunding,
        on_delete=models.PROTECT,
        related_name="disbursements",
        verbose_name=_("source"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DisbursementKind.choices)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DisbursementState.choices,
        default=DisbursementState.RECORDED,
    )
    amount = MoneyField(_("amount (đồng)"))
    date = models.DateField(_("date"))
    voucher_no = models.CharField(_("voucher number"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # The one-time token of the form that recorded the row: the same form sent
    # twice (a double-click, a reload, a retry after a timeout) finds this row
    # under the project lock instead of paying a second time.
    form_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords()
    objects = DisbursementQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="disbursement_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DisbursementKind.values),
                name="disbursement_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(state=DisbursementState.RECORDED)
                | Q(state=DisbursementState.DUE, kind=DisbursementKind.REFUND)
                | Q(state=DisbursementState.VOIDED, kind__in=VOIDABLE_KINDS),
                name="disbursement_only_refunds_fall_due",
            ),
            void_constraint(
                "disbursement_voided_with_reason",
                voided=Q(state=DisbursementState.VOIDED),
            ),
            # A voided row keeps its voucher number; the payment typed in
            # again correctly may carry the same one.
            models.UniqueConstraint(
                fields=["funding", "voucher_no"],
                condition=~Q(voucher_no="") & ~Q(state=DisbursementState.VOIDED),
                name="disbursement_voucher_once_per_source",
                violation_error_message=_(
                    "This voucher number is already recorded for this project "
                    "and source."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["funding", "state", "kind"], name="disbursement_funding_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {_money(self.amount)}"

    # --- the one gate every write goes through ---------------------------------

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            project, funding = self._lock()
            if self.pk is None and self.form_token is not None:
                # Under the lock: a twin request waits here until the first
                # has committed, then finds its row.
                earlier = Disbursement.objects.filter(
                    form_token=self.form_token
                ).first()
                if earlier is not None:
                    raise AlreadyRecorded(earlier)
            self.project_id = funding.project_id
            self.check_money(project, funding, removing=False)
            super().save(*args, **kwargs)
            store_totals(funding)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            project, funding = self._lock()
            self.check_money(project, funding, removing=True)
            deleted = super().delete(*args, **kwargs)
            store_totals(funding)
            return deleted

    @property
    def signed_amount(self) -> int:
        if self.state in (DisbursementState.DUE, DisbursementState.VOIDED):
            return 0
        return -self.amount if self.kind == DisbursementKind.REFUND else self.amount

    def _lock(self) -> tuple[Project, ProjectFunding]:
        funding_id = self.funding_id
        if self.pk:
            # The stored row decides which funding is touched: a row never
            # moves to another source or project (record a new one instead).
            stored = Disbursement.objects.values_list("funding_id", flat=True).get(
                pk=self.pk
            )
            if stored != funding_id:
                raise Refused(
                    gettext(
                        "A disbursement cannot move to another source; delete it "
                        "and record a new one."
                    )
                )
        project_id = ProjectFunding.objects.values_list("project_id", flat=True).get(
            pk=funding_id
        )
        project = lock_project(project_id)
        funding = (
            ProjectFunding.objects.select_for_update(of=("self",))
            .select_related("project__content", "plan")
            .get(pk=funding_id)
        )
        return project, funding

    def check_money(
        self, project: Project, funding: ProjectFunding, *, removing: bool
    ) -> None:
        """Refuse (Refused) a write that would break a money invariant.

        Called with the project and funding rows locked; the totals are read
        after locking, so two writers never both see the same room.
        """
        if project.status == Status.SETTLED:
            raise Refused(
                gettext(
                    "Project %(code)s is settled: its money is closed and cannot "
                    "be changed."
                )
                % {"code": project.code}
            )
        if project.status == Status.CANCELLED:
            if self.kind != DisbursementKind.REFUND or (
                removing and self.state == DisbursementState.DUE
            ):
                raise Refused(
                    gettext(
                        "Project %(code)s is cancelled: only refunds can be recorded."
                    )
                    % {"code": project.code}
                )
        elif project.status not in PAYING_STATUSES or not project.contract_date:
            raise Refused(
                gettext(
                    "Nothing can be disbursed before the contract: project "
                    "%(code)s is “%(status)s”."
                )
                % {"code": project.code, "status": project.get_status_display()}
            )
        if removing:
            problems = self._totals_problems(project, funding, new=None)
        else:
            problems = self._row_problems(project, funding)
            problems += self._totals_problems(project, funding, new=self)
            problems += self._budget_year_problems(project, funding)
        if problems:
            raise Refused(*problems)
        if not removing and self.state == DisbursementState.RECORDED:
            refuse(payment_problems(project, self.date))

    def _row_problems(self, project: Project, funding: ProjectFunding) -> list[str]:
        problems = []
        if (
            self.voucher_no
            and self.state != DisbursementState.VOIDED
            and funding.disbursements.live()
            .filter(voucher_no=self.voucher_no)
            .exclude(pk=self.pk)
            .exists()
        ):
            problems.append(
                gettext(
                    "Voucher %(voucher)s is already recorded for %(source)s of "
                    "this project: check whether this payment was recorded "
                    "already."
                )
                % {"voucher": self.voucher_no, "source": funding.source_short}
            )
        if self.amount is None or self.amount <= 0:
            problems.append(gettext("The amount must be greater than zero."))
        if self.kind not in DisbursementKind.values:
            problems.append(gettext("Unknown kind of disbursement."))
        if self.state == DisbursementState.DUE and self.kind != DisbursementKind.REFUND:
            problems.append(gettext("Only a refund can be due."))
        if (
            self.kind == DisbursementKind.SETTLEMENT
            and project.status != Status.ACCEPTED
        ):
            problems.append(
                gettext("A settlement payment needs the project to be accepted first.")
            )
        return problems

    def _totals_problems(
        self, project: Project, funding: ProjectFunding, *, new: Disbursement | None
    ) -> list[str]:
        others = funding.disbursements.all()
        if self.pk:
            others = others.exclude(pk=self.pk)
        totals = others.totals()
        paid, advanced = totals["paid"], totals["advanced"]
        if new is not None:
            paid += new.signed_amount
            if (
                new.kind == DisbursementKind.ADVANCE
                and new.state == DisbursementState.RECORDED
            ):
                advanced += new.amount
        approved = funding.approved or 0
        problems = []
        if paid > approved:
            problems.append(
                gettext(
                    "Paid from %(source)s would reach %(paid)s, above the approved "
                    "support of %(approved)s."
                )
                % {
                    "source": funding.source_short,
                    "paid": _money(paid),
                    "approved": _money(approved),
                }
            )
        if paid < 0:
            problems.append(
                gettext(
                    "Refunds to %(source)s would exceed what was paid "
                    "(%(paid)s after this change)."
                )
                % {"source": funding.source_short, "paid": _money(paid)}
            )
        share = project.content.max_advance_share
        if advanced * 100 > approved * share:
            problems.append(
                gettext(
                    "Advances from %(source)s would reach %(advanced)s, above "
                    "%(share)s%% of the approved support (%(cap)s)."
                )
                % {
                    "source": funding.source_short,
                    "advanced": _money(advanced),
                    "share": _share(share),
                    "cap": _money(int(approved * Decimal(share) / 100)),
                }
            )
        return problems

    def _budget_year_problems(
        self, project: Project, funding: ProjectFunding
    ) -> list[str]:
        """A plan's money is paid in its budget year; money paid later needs
        carry-forward decisions (chuyển nguồn) dated by the payment, on the
        project or else on the plan, for at least what is paid late. Refunds
        bring money back and are never refused for their date."""
        year = funding.plan.year
        if (
            self.kind == DisbursementKind.REFUND
            or self.state != DisbursementState.RECORDED
            or self.date is None
            or self.date.year <= year
        ):
            return []
        late = Disbursement.objects.filter(
            funding__plan_id=funding.plan_id,
            state=DisbursementState.RECORDED,
            date__year__gt=year,
        ).exclude(kind=DisbursementKind.REFUND)
        if self.pk:
            late = late.exclude(pk=self.pk)
        decisions = CarryForward.objects.filter(
            plan_id=funding.plan_id, decision_date__lte=self.date
        )
        own = _total(decisions.filter(project=project))
        if own:
            room, late = own, late.filter(funding=funding)
        else:
            # The plan's carry-forward is shared by its projects: lock the
            # plan so that two of them never both take the same room.
            Plan.objects.select_for_update().filter(pk=funding.plan_id).exists()
            room = _total(decisions.filter(project__isnull=True))
            late = late.exclude(
                project_id__in=CarryForward.objects.filter(
                    plan_id=funding.plan_id, project__isnull=False
                ).values("project_id")
            )
        values = {
            "date": date_format(self.date, "SHORT_DATE_FORMAT"),
            "year": year,
            "plan": str(funding.plan),
        }
        if not room:
            return [
                gettext(
                    "The date %(date)s is after the budget year %(year)s of plan "
                    "%(plan)s: record the carry-forward decision (chuyển nguồn) "
                    "on the plan or the project first."
                )
                % values
            ]
        paid_late = _total(late) + self.amount
        if paid_late > room:
            return [
                gettext(
                    "Money paid after the budget year %(year)s of plan %(plan)s "
                    "would reach %(late)s, above the %(room)s carried forward."
                )
                % {**values, "late": _money(paid_late), "room": _money(room)}
            ]
        return []

    def void(self, *, by: Any, reason: str) -> None:
        """Void an advance or payment entered by mistake. It goes through
        save(), the gate: under the row locks, the money invariants are
        checked without it (refunds beyond what stays paid are refused) and
        the funding row's totals are stored again without it."""
        with transaction.atomic():
            # The row's state as stored, read under the project's and the
            # funding's locks (the gate's order): a twin void, or an edit
            # committed since this copy was read, is seen here.
            self._lock()
            stored = Disbursement.objects.values_list("state", flat=True).get(
                pk=self.pk
            )
            if stored == DisbursementState.VOIDED:
                raise Refused(gettext("This record is already voided."))
            if stored != DisbursementState.RECORDED or self.kind not in VOIDABLE_KINDS:
                raise Refused(
                    gettext(
                        "Only an advance or a payment can be voided; a settlement "
                        "payment or a refund stays."
                    )
                )
            self.mark_voided(by=by, reason=reason)
            self.state = DisbursementState.VOIDED
            self.save()

    def confirm_refund(self, *, date: dt.date, voucher_no: str, by: Any) -> None:
        """A refund that fell due at cancellation has come back."""
        if self.state != DisbursementState.DUE:
            raise Refused(gettext("This refund is already recorded."))
        if not voucher_no.strip():
            raise Refused(gettext("Give the voucher number."))
        self.state = DisbursementState.RECORDED
        self.date = date
        self.voucher_no = voucher_no
        self._history_user = by
        self.save()


def _share(share: Decimal | int) -> str:
    share = Decimal(share)
    if share == share.to_integral_value():
        return str(int(share))
    return number_format(share.normalize())
