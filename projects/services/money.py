"""Carry-forward (chuyển nguồn) decisions of a plan's money."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Plan, Project
from ..models.execution import RecordRefused
from ..models.money import CarryForward

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
        raise RecordRefused(*problems)
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
    return row
