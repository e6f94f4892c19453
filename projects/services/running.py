"""Running an approved project: start, adjustments, acceptance, settlement,
cancellation, and corrections of recorded numbers and dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from enterprises.models import Commune, Establishment

from .. import lifecycle
from ..models import Acceptance, Adjustment, AdjustmentStatus, Project, Refused, dates
from ..models.choices import _money
from ..models.equipment import EquipmentSerial, refuse_equipment_above_support
from ..rule_check import project_rules_enforce
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
)


def _as_json(project: Project, field: str) -> Any:
    if field == "commune":
        return project.commune_id
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
            elif field == "beneficiaries":
                after[field] = sorted(getattr(e, "pk", e) for e in value)
            elif isinstance(value, dt.date):
                after[field] = value.isoformat()
            else:
                after[field] = value
        before = {field: _as_json(p, field) for field in after}
        if before == after:
            raise Refused(_("The adjustment changes nothing."))
        Adjustment.objects.create(
            project=p, reason=reason, before=before, after=after, requested_by=by
        )
        return reason

    return _transition(project=project, by=by, action="request_adjustment", apply=apply)


def project_decide_adjustment(
    *, project: Project, by: Any, approve: bool, comment: str = ""
) -> Project:
    def apply(p: Project) -> str:
        adjustment = Adjustment.objects.select_for_update().get(
            project=p, status=AdjustmentStatus.PENDING
        )
        if approve:
            for field, value in adjustment.after.items():
                if field == "beneficiaries":
                    chosen = list(
                        Establishment.objects.filter(pk__in=value).select_related(
                            "commune__province", "craft_village"
                        )
                    )
                    p.beneficiaries.set(chosen)
                    continue
                setattr(
                    p,
                    "commune_id" if field == "commune" else field,
                    _from_json(field, value),
                )
            # Caps per establishment and eligibility, on the decision's day.
            project_rules_enforce(
                p, step="decide_adjustment", by=by, day=timezone.localdate()
            )
        adjustment.status = (
            AdjustmentStatus.APPROVED if approve else AdjustmentStatus.REFUSED
        )
        adjustment.decided_by = by
        adjustment.decided_at = timezone.now()
        adjustment.decision_comment = comment
        adjustment.save()
        verdict = _("Adjustment approved.") if approve else _("Adjustment refused.")
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
) -> Project:
    """Settlement (quyết toán): the settled support per source, never above
    what was approved. What is not yet paid is paid as a settlement payment,
    so funding.settled = paid; from then on the money is read-only."""

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
        return ""

    return _transition(project=project, by=by, action="settle", apply=apply)


def project_cancel(*, project: Project, by: Any, reason: str) -> Project:
    def apply(p: Project) -> str:
        _required(reason, _("Give the reason for cancellation."))
        p.cancellation_reason = reason
        # Money paid so far becomes refunds due; the machines may be
        # supported again by another project.
        disbursement_refunds_due(project=p, by=by)
        EquipmentSerial.objects.filter(equipment__project=p).update(active=False)
        return reason

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
        lines = [_("Reason: %(reason)s") % {"reason": reason.strip()}]
        lines += [
            f"{capfirst(Project._meta.get_field(field).verbose_name)}: "
            f"{_shown(old)} → {_shown(new)}"
            for field, (old, new) in changed.items()
        ]
        return "\n".join(lines)

    return _transition(project=project, by=by, action=action, apply=apply)
