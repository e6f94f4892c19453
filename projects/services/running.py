"""Running an approved project: start, adjustments, acceptance, settlement,
cancellation, and corrections of recorded numbers and dates."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from enterprises.models import Commune, Establishment

from .. import lifecycle
from ..models import (
    Acceptance,
    ActivityContent,
    Adjustment,
    AdjustmentStatus,
    DecisionKind,
    IssuingAuthority,
    Project,
    Refused,
    dates,
)
from ..models.choices import _money
from ..models.decisions import CANCELLED_BY_DECISION
from ..models.equipment import EquipmentSerial, refuse_equipment_above_support
from ..rule_check import project_rules_enforce
from .decisions import (
    _fix_approved_support,
    approval_decision_follows,
    decision_record,
)
from .drafting import parts_problems
from .frame import _required, _transition
from .money import disbursement_refunds_due, disbursement_settle

# --- running the project -------------------------------------------------------


def project_start(
    *, project: Project, by: Any, contract_no: str, contract_date: dt.date
) -> Project:
    def apply(p: Project) -> str:
        _required(contract_no, _("Give the contract number."))
        _required(contract_date, _("Give the contract date."))
        p.contract_no = contract_no
        p.contract_date = contract_date
        return _("Contract %(no)s of %(date)s") % {
            "no": contract_no,
            "date": date_format(contract_date, "SHORT_DATE_FORMAT"),
        }

    return _transition(project=project, by=by, action="start", apply=apply)


# Fields an adjustment may change, and how to store them in JSON.
ADJUSTABLE_FIELDS = (
    "start_date",
    "end_date",
    "commune",
    "objectives",
    "partner_unit",
    "partner_capacity",
    "beneficiaries",
    "content",
    "target_machines",
    "target_trainees",
    "target_products",
    # The approved support per source: {source: amount}; with the total
    # cost, counterpart and other sources the parts must still add up.
    "approved",
    "total_cost",
    "counterpart",
    "other_sources",
)


# The adjustable fields that change the money (the parts must add up).
MONEY_FIELDS = frozenset({"approved", "total_cost", "counterpart", "other_sources"})


def _as_json(project: Project, field: str) -> Any:
    if field == "commune":
        return project.commune_id
    if field == "content":
        return project.content_id
    if field == "approved":
        return {f.source: f.approved for f in project.fundings.all()}
    if field == "beneficiaries":
        return sorted(project.beneficiaries.values_list("pk", flat=True))
    value = getattr(project, field)
    return value.isoformat() if isinstance(value, dt.date) else value


def _from_json(field: str, value: Any) -> Any:
    if value is not None and field in ("start_date", "end_date"):
        return dt.date.fromisoformat(value)
    return value


def project_request_adjustment(
    *, project: Project, by: Any, reason: str, changes: dict[str, Any]
) -> Project:
    """Staff ask to change a running project; a reviewer decides."""

    def apply(p: Project) -> str:
        _required(reason, _("Give the reason for the adjustment."))
        unknown = set(changes) - set(ADJUSTABLE_FIELDS)
        if unknown or not changes:
            raise Refused(_("Say what the adjustment changes."))
        after = {}
        for field, value in changes.items():
            if field == "commune":
                after[field] = value.pk if isinstance(value, Commune) else value
            elif field == "content":
                after[field] = value.pk if isinstance(value, ActivityContent) else value
            elif field == "approved":
                after[field] = _amounts_asked(p, value)
            elif field == "beneficiaries":
                after[field] = sorted(getattr(e, "pk", e) for e in value)
            elif isinstance(value, dt.date):
                after[field] = value.isoformat()
            else:
                after[field] = value
        before = {field: _as_json(p, field) for field in after}
        unchanged = [f for f in after if before[f] == after[f]]
        for field in unchanged:
            del before[field], after[field]
        if not after:
            raise Refused(_("The adjustment changes nothing."))
        # Told now rather than at the decision: the parts must add up.
        if MONEY_FIELDS & set(after):
            problems = _parts_after(p, after)
            if problems:
                raise Refused(*problems)
        Adjustment.objects.create(
            project=p, reason=reason, before=before, after=after, requested_by=by
        )
        return reason

    return _transition(project=project, by=by, action="request_adjustment", apply=apply)


def _parts_after(p: Project, after: dict[str, Any]) -> list[str]:
    """The parts-add-up check on the project as the adjustment would leave
    it (support raised above the request becomes the request)."""
    trial = copy.copy(p)
    for field in ("total_cost", "counterpart", "other_sources"):
        if field in after:
            setattr(trial, field, after[field])
    asked = after.get("approved", {})
    trial.support_requested = sum(
        max(f.requested, asked.get(f.source, 0)) for f in p.fundings.all()
    )
    return parts_problems(trial)


def _amounts_asked(p: Project, value: Any) -> dict[str, int]:
    """The approved support an adjustment asks, per source of the project
    (sources not named keep their amount)."""
    sources = {f.source: f.approved for f in p.fundings.all()}
    unknown = set(value) - set(sources)
    if unknown:
        raise Refused(_("The project has no support from %(s)s.") % {"s": unknown})
    asked = {**sources, **value}
    if any(v is None or v < 0 for v in asked.values()):
        raise Refused(_("Approved support cannot be negative."))
    return asked


def project_decide_adjustment(
    *,
    project: Project,
    by: Any,
    approve: bool,
    comment: str = "",
    decision_no: str = "",
    decision_date: dt.date | None = None,
    authority: IssuingAuthority | None = None,
    signer_title: str = "",
    signer_name: str = "",
) -> Project:
    """A reviewer decides an adjustment. Approving it needs the adjustment
    decision (number, date, issuing authority, signer); the changes are made
    and every rule is checked again on the decision date — the support caps,
    eligibility, and a money change against the plan's balance and what is
    already disbursed (the approval's own check). Any refusal changes
    nothing."""

    def apply(p: Project) -> str:
        adjustment = Adjustment.objects.select_for_update().get(
            project=p, status=AdjustmentStatus.PENDING
        )
        decision = None
        if approve:
            decision = decision_record(
                project=p,
                kind=DecisionKind.ADJUSTMENT,
                by=by,
                number=decision_no,
                issued_on=decision_date,
                authority=authority,
                signer_title=signer_title,
                signer_name=signer_name,
                summary=adjustment.reason,
            )
            amounts = None
            for field, value in adjustment.after.items():
                if field == "beneficiaries":
                    chosen = list(
                        Establishment.objects.filter(pk__in=value).select_related(
                            "commune__province", "craft_village"
                        )
                    )
                    p.beneficiaries.set(chosen)
                    continue
                if field == "approved":
                    amounts = {k: int(v) for k, v in value.items()}
                    continue
                setattr(
                    p,
                    {"commune": "commune_id", "content": "content_id"}.get(
                        field, field
                    ),
                    _from_json(field, value),
                )
            if amounts is not None:
                p._history_user = by
                _fix_approved_support(
                    p,
                    amounts,
                    adjusting=True,
                    change_reason=f"decision:{decision.pk}",
                )
            # Caps per establishment and eligibility, on the decision's day.
            project_rules_enforce(
                p,
                step="decide_adjustment",
                by=by,
                day=decision_date,
                amounts=amounts,
            )
            # Support raised above the request is the new request: the
            # total cost and the other parts still add up to it.
            if MONEY_FIELDS & set(adjustment.after):
                p.refresh_support_total()
                problems = parts_problems(p)
                if problems:
                    raise Refused(*problems)
        adjustment.status = (
            AdjustmentStatus.APPROVED if approve else AdjustmentStatus.REFUSED
        )
        adjustment.decided_by = by
        adjustment.decided_at = timezone.now()
        adjustment.decision_comment = comment
        adjustment.decision = decision
        adjustment.save()
        verdict = _("Adjustment approved.") if approve else _("Adjustment refused.")
        if decision is not None:
            verdict = f"{verdict} {decision}."
        return f"{verdict} {comment}".strip()

    return _transition(project=project, by=by, action="decide_adjustment", apply=apply)


def project_accept(
    *,
    project: Project,
    by: Any,
    acceptance_date: dt.date,
    minutes_no: str,
    outputs: dict[str, Any] | None = None,
) -> Project:
    """Acceptance (nghiệm thu): the minutes on the project, the outputs and
    impact (Acceptance.OUTPUT_FIELDS) on its acceptance record, stored here so
    that an accepted project always has one. The acceptance form requires the
    outputs; callers that have none yet record zeros to complete later."""

    def apply(p: Project) -> str:
        _required(acceptance_date, _("Give the acceptance date."))
        _required(minutes_no, _("Give the number of the acceptance minutes."))
        p.acceptance_date = acceptance_date
        p.acceptance_minutes_no = minutes_no
        Acceptance.of(p).store(by=by, outputs=outputs)
        return _("Minutes %(no)s of %(date)s") % {
            "no": minutes_no,
            "date": date_format(acceptance_date, "SHORT_DATE_FORMAT"),
        }

    return _transition(project=project, by=by, action="accept", apply=apply)


def project_settle(
    *,
    project: Project,
    by: Any,
    settled_on: dt.date,
    settled: dict[str, int],
    voucher_no: str = "",
    decision_no: str = "",
    decision_date: dt.date | None = None,
    authority: IssuingAuthority | None = None,
    signer_title: str = "",
    signer_name: str = "",
) -> Project:
    """Settlement (quyết toán): the settled support per source, never above
    what was approved. What is not yet paid is paid as a settlement payment,
    so funding.settled = paid; from then on the money is read-only. The
    settlement is recorded with its decision (number; dated the settlement
    date unless given; by default issued by the authority that approved the
    project)."""

    def apply(p: Project) -> str:
        _required(settled_on, _("Give the settlement date."))
        fundings = {f.source: f for f in p.fundings.all()}
        if set(settled) != set(fundings):
            raise Refused(
                _("Give the settled support for each source of the project: %(s)s.")
                % {"s": ", ".join(sorted(fundings))}
            )
        for source, amount in settled.items():
            funding = fundings[source]
            if amount is None or amount < 0 or amount > (funding.approved or 0):
                raise Refused(
                    _(
                        "Settled support from %(source)s must be between 0 and the "
                        "approved %(approved)s."
                    )
                    % {"source": source, "approved": _money(funding.approved or 0)}
                )
        decision = decision_record(
            project=p,
            kind=DecisionKind.SETTLEMENT,
            number=decision_no,
            issued_on=decision_date or settled_on,
            by=by,
            authority=authority,
            signer_title=signer_title,
            signer_name=signer_name,
        )
        # Pays the remainder as a settlement payment; settled = paid.
        disbursement_settle(
            project=p,
            by=by,
            settled_on=settled_on,
            settled=settled,
            voucher_no=voucher_no,
        )
        # The machines' support stays within what is settled.
        refuse_equipment_above_support(p)
        p.settled_on = settled_on
        return str(decision)

    return _transition(project=project, by=by, action="settle", apply=apply)


def project_cancel(
    *,
    project: Project,
    by: Any,
    reason: str,
    decision_no: str = "",
    decision_date: dt.date | None = None,
    authority: IssuingAuthority | None = None,
    signer_title: str = "",
    signer_name: str = "",
) -> Project:
    def apply(p: Project) -> str:
        _required(reason, _("Give the reason for cancellation."))
        comment = reason
        if p.status in CANCELLED_BY_DECISION:
            decision = decision_record(
                project=p,
                kind=DecisionKind.CANCELLATION,
                by=by,
                number=decision_no,
                issued_on=decision_date,
                authority=authority,
                signer_title=signer_title,
                signer_name=signer_name,
                summary=reason,
            )
            comment = f"{decision}. {reason}"
        p.cancellation_reason = reason
        # Money paid so far becomes refunds due; the machines may be
        # supported again by another project.
        disbursement_refunds_due(project=p, by=by)
        EquipmentSerial.objects.filter(equipment__project=p).update(active=False)
        return comment

    return _transition(project=project, by=by, action="cancel", apply=apply)


# --- corrections -------------------------------------------------------------------


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def project_correct(
    *, project: Project, by: Any, action: str, reason: str, changes: dict[str, Any]
) -> Project:
    """Put right a recorded number or date ("Sửa thông tin"): the fields the
    correction step names (lifecycle.LIFECYCLE), a reason, the date rules
    checked again, and a timeline entry with the old and new values.

    A correction is refused for any date problem it adds; problems the record
    already had are left to their own corrections.
    """
    steps = lifecycle.steps_for(action)
    corrects = steps[0].corrects if steps else ()
    if not corrects:
        raise Refused(_("Unknown action."))

    def apply(p: Project) -> str:
        _required(reason, _("Give the reason for the correction."))
        unknown = set(changes) - set(corrects)
        if unknown:
            raise Refused(_("These fields cannot be corrected here."))
        changed = {
            field: (getattr(p, field), value)
            for field, value in changes.items()
            if value != getattr(p, field)
        }
        if not changed:
            raise Refused(_("The correction changes nothing."))
        before = {problem.key for problem in dates.date_problems(p)}
        for field, (_old, new) in changed.items():
            label = Project._meta.get_field(field).verbose_name
            _required(new, _("Give the %(field)s.") % {"field": label})
            setattr(p, field, new)
        added = [str(pr) for pr in dates.date_problems(p) if pr.key not in before]
        if added:
            raise Refused(*added)
        if "decision_no" in changed or "decision_date" in changed:
            approval_decision_follows(p)
        lines = [_("Reason: %(reason)s") % {"reason": reason.strip()}]
        lines += [
            f"{capfirst(Project._meta.get_field(field).verbose_name)}: "
            f"{_shown(old)} → {_shown(new)}"
            for field, (old, new) in changed.items()
        ]
        return "\n".join(lines)

    return _transition(project=project, by=by, action=action, apply=apply)
