"""Money workflows across rows: the disbursements written at settlement and at
cancellation, and carry-forward (chuyển nguồn) decisions of a plan's money."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from ..models import (
    CarryForward,
    DecisionKind,
    Disbursement,
    DisbursementKind,
    DisbursementState,
    IssuingAuthority,
    Plan,
    Project,
    ProjectFunding,
    Refused,
)
from ..models.choices import _money
from .decisions import decision_record

# --- settlement and cancellation -------------------------------------------------


def funding_paid(funding: ProjectFunding) -> int:
    return funding.disbursements.totals()["paid"]


def disbursement_settle(
    *,
    project: Project,
    by: Any,
    settled_on: dt.date,
    settled: dict[str, int],
    voucher_no: str = "",
) -> None:
    """Close each source's money at settlement: pay the remainder up to the
    settled amount as a settlement payment, dated the settlement day and
    carrying its voucher number, and fix funding.settled = paid.

    Runs inside the `settle` transition (project locked, still accepted).
    """
    for funding in project.fundings.all():
        amount = settled[funding.source]
        paid = funding_paid(funding)
        if amount < paid:
            raise Refused(
                gettext(
                    "%(source)s has paid %(paid)s, more than the settled "
                    "%(settled)s: record the refund first."
                )
                % {
                    "source": funding.source_short,
                    "paid": _money(paid),
                    "settled": _money(amount),
                }
            )
        if amount > paid:
            if not (voucher_no or "").strip():
                message = gettext(
                    "Give the voucher number of the settlement payment "
                    "(%(amount)s still to pay from %(source)s)."
                ) % {"amount": _money(amount - paid), "source": funding.source_short}
                raise Refused(message, fields={message: ("voucher_no",)})
            row = Disbursement(
                funding=funding,
                kind=DisbursementKind.SETTLEMENT,
                amount=amount - paid,
                date=settled_on,
                voucher_no=voucher_no.strip(),
                note=gettext("Remainder paid at settlement."),
                recorded_by=by,
            )
            row._history_user = by
            row.save()
        funding.settled = funding_paid(funding)
        funding._history_user = by
        funding.save(update_fields=["settled"])


def disbursement_refunds_due(*, project: Project, by: Any) -> list[Disbursement]:
    """At cancellation, what each source paid becomes a refund to record."""
    due = []
    today = timezone.localdate()
    for funding in project.fundings.all():
        paid = funding_paid(funding)
        if paid > 0:
            row = Disbursement(
                funding=funding,
                kind=DisbursementKind.REFUND,
                state=DisbursementState.DUE,
                amount=paid,
                date=today,
                note=gettext("Refund due after cancellation."),
                recorded_by=by,
            )
            row._history_user = by
            row.save()
            due.append(row)
    return due


# --- carry-forward (chuyển nguồn) ---------------------------------------------------


def carry_forward_problems(
    *,
    plan: Plan | None,
    project: Project | None,
    decision_no: str,
    decision_date: dt.date | None,
    amount: int | None,
) -> list[str]:
    """Why a carry-forward decision cannot be recorded ([] if it can)."""
    problems = []
    if not (decision_no or "").strip():
        problems.append(_("Give the carry-forward decision number."))
    if decision_date is None:
        problems.append(_("Give the carry-forward decision date."))
    elif decision_date > timezone.localdate():
        problems.append(_("The carry-forward decision cannot be dated in the future."))
    if amount is None or amount <= 0:
        problems.append(_("The amount carried forward must be greater than zero."))
    if (
        plan is not None
        and project is not None
        and not project.fundings.filter(plan=plan).exists()
    ):
        problems.append(
            _("Project %(code)s has no support from plan %(plan)s.")
            % {"code": project.code, "plan": str(plan)}
        )
    return problems


def carry_forward_record(
    *,
    plan: Plan,
    project: Project | None,
    decision_no: str,
    decision_date: dt.date | None,
    amount: int | None,
    by: Any,
    note: str = "",
    authority: IssuingAuthority | None = None,
    signer_title: str = "",
    signer_name: str = "",
) -> CarryForward:
    """Record a decision that carries a plan's money past its budget year,
    for one project of the plan or (project None) for the plan's projects;
    payments after the year are then accepted up to the amounts carried
    (Disbursement.check_money)."""
    problems = carry_forward_problems(
        plan=plan,
        project=project,
        decision_no=decision_no,
        decision_date=decision_date,
        amount=amount,
    )
    if problems:
        raise Refused(*problems)
    row = CarryForward(
        plan=plan,
        project=project,
        decision_no=decision_no.strip(),
        decision_date=decision_date,
        amount=amount,
        note=note,
        recorded_by=by,
    )
    row._history_user = by
    row.save()
    if project is not None:
        # The decision in the project's file too (issue 14), issued by
        # `authority` (by default the one that approved the project).
        decision_record(
            project=project,
            kind=DecisionKind.CARRY_FORWARD,
            number=row.decision_no,
            issued_on=decision_date,
            by=by,
            authority=authority,
            signer_title=signer_title,
            signer_name=signer_name,
            summary=note,
        )
    return row
