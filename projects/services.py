"""Project workflows: drafting and every lifecycle transition.

Each transition runs in one transaction with the project row locked
(select_for_update), re-reads the state after locking, checks the lifecycle
table, validates, changes the project and writes one timeline entry. A refused
transition raises TransitionError and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from enterprises.models import Commune, Establishment
from enterprises.roles import Role, has_role

from . import attachments, dates, lifecycle
from .lifecycle import TransitionError
from .models import (
    EDITABLE_STATUSES,
    LIFECYCLE_FIELDS,
    Adjustment,
    AdjustmentStatus,
    Attachment,
    Plan,
    Project,
    ProjectCodeCounter,
    ProjectFunding,
    Source,
    Status,
    Transition,
    measures,
)
from .models.choices import _money
from .models.deadlines import settlement_due_on
from .models.execution import (
    Acceptance,
    EquipmentSerial,
    RecordRefused,
    refuse_equipment_above_support,
)
from .models.money import (
    CarryForward,
    disbursement_refunds_due,
    disbursement_settle,
)
from .rule_check import (
    RuleVerdict,
    project_rule_check,
    project_rules_enforce,
    record_applied_rules,
)

logger = logging.getLogger(__name__)

# --- drafting ----------------------------------------------------------------


def project_save_draft(
    *,
    project: Project,
    by: Any,
    fundings: Sequence[tuple[Plan, int]],
    beneficiaries: Iterable[Establishment],
) -> Project:
    """Create or update a project the centre is still writing.

    A new project gets its code here, from its main source (national if any
    support is national) and the year of its plan.
    """
    if not has_role(by, Role.STAFF):
        raise TransitionError(_("Only centre staff may write projects."))
    dates.refuse(
        dates.period_problems(project.start_date, project.end_date), TransitionError
    )
    sources = [plan.programme.source for plan, _amount in fundings]
    if len(sources) != len(set(sources)):
        raise TransitionError(_("Give at most one plan per source."))
    with transaction.atomic():
        if project.pk:
            current = Project.objects.select_for_update().get(pk=project.pk)
            if current.status not in EDITABLE_STATUSES:
                raise TransitionError(
                    _("Only a draft or a returned project can be edited.")
                )
            # The form's copy was read before the lock: what the lifecycle
            # wrote since then (status, decisions) wins over it.
            for field in LIFECYCLE_FIELDS:
                setattr(project, field, getattr(current, field))
        else:
            source = Source.NATIONAL if Source.NATIONAL in sources else Source.LOCAL
            years = [plan.year for plan, _amount in fundings]
            year = min(years) if years else timezone.localdate().year
            project.code = ProjectCodeCounter.next_code(source=source, year=year)
            project.created_by = by
        project._history_user = by
        project.save()
        project.beneficiaries.set(list(beneficiaries))
        existing = {f.source: f for f in project.fundings.all()}
        for source, funding in existing.items():
            if source not in sources:
                funding._history_user = by
                funding.delete()
        for plan, amount in fundings:
            funding = existing.get(plan.programme.source) or ProjectFunding(
                project=project, source=plan.programme.source
            )
            funding.plan = plan
            funding.requested = amount
            # Money rows' history names who changed them, in a request or not.
            funding._history_user = by
            funding.save()
        project.refresh_support_total()
        project.save(update_fields=["support_requested", "updated_at"])
    return project


# --- the transition frame ------------------------------------------------------

# Called after the commit of every transition with project, action, by and
# comment. Apps above `projects` (reports: notifications) register here, so
# that `projects` never imports them.
TRANSITION_LISTENERS: list[Callable[..., None]] = []


def _after_commit(listener: Callable[..., None], **kwargs: Any) -> Callable[[], None]:
    """`listener(**kwargs)`, run after the commit, never raising.

    The transition is committed by then: a notice that fails (a broker that
    cannot be reached, a mail server down) must not turn it into an error page,
    which would invite the user to press again. The failure is logged; the
    notice's e-mail is sent later by the outbox task. (Django's own
    `robust=True` crashed logging a `functools.partial`, which has no
    `__qualname__`.)
    """

    def run() -> None:
        try:
            listener(**kwargs)
        except Exception:
            logger.exception(
                "after-commit listener %s failed", getattr(listener, "__name__", "?")
            )

    return run


def _transition(
    *,
    project: Project,
    by: Any,
    action: str,
    apply: Callable[[Project], str],
) -> Project:
    """Lock, check the table, apply, record. `apply` validates and mutates the
    locked copy and returns the timeline comment; it raises TransitionError to
    refuse, which rolls everything back."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        locked._history_user = by
        step = lifecycle.check(action, locked, by)
        from_status = locked.status
        # Dates follow the paper trail: a step is refused for any date rule
        # it breaks that the record did not already break.
        before = dates.date_problems(locked)
        comment = apply(locked)
        dates.refuse(dates.added_problems(locked, before), TransitionError)
        # The settlement deadline follows the acceptance date (deadlines.py).
        locked.settlement_due_on = settlement_due_on(locked)
        locked.status = step.target or from_status
        locked.save()
        Transition.objects.create(
            project=locked,
            action=action,
            from_status=from_status,
            to_status=locked.status,
            actor=by,
            comment=comment,
        )
        for listener in TRANSITION_LISTENERS:
            transaction.on_commit(
                _after_commit(
                    listener, project=locked, action=action, by=by, comment=comment
                )
            )
    project.refresh_from_db()
    return project


def _required(value: Any, message: str) -> None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        raise TransitionError(message)


# --- checks at submission ----------------------------------------------------


def submission_check(project: Project, day: dt.date) -> tuple[list[str], RuleVerdict]:
    """What stops a project from being submitted on `day`, and the rules of
    that day (the support rules and eligibility in force on the submission
    date)."""
    problems: list[str] = []
    fundings = list(project.fundings.select_related("plan__programme"))
    project.refresh_support_total()
    support = project.support_requested
    if not fundings or support <= 0:
        problems.append(_("Request support from at least one source."))
    for funding in fundings:
        if funding.plan.programme.source != funding.source:
            problems.append(_("A funding row's plan belongs to another source."))
    if not project.start_date or not project.end_date:
        problems.append(_("Give the start and end dates."))
    if project.counterpart <= 0:
        problems.append(_("The beneficiary's counterpart funds are missing."))
    parts = support + project.counterpart + project.other_sources
    if project.total_cost != parts:
        problems.append(
            _(
                "The parts do not add up: total cost %(total)s, but support "
                "%(support)s + counterpart %(counterpart)s + other sources "
                "%(other)s = %(parts)s."
            )
            % {
                "total": _money(project.total_cost),
                "support": _money(support),
                "counterpart": _money(project.counterpart),
                "other": _money(project.other_sources),
                "parts": _money(parts),
            }
        )
    beneficiaries = list(
        project.beneficiaries.select_related("commune__province", "craft_village")
    )
    if not beneficiaries and not project.is_group:
        problems.append(
            _(
                "Name at least one beneficiary (only group projects may name "
                "them later)."
            )
        )
    verdict = project_rule_check(
        project,
        step="submit",
        day=day,
        amounts={f.source: f.requested for f in fundings},
        beneficiaries=beneficiaries,
    )
    return problems + verdict.problems, verdict


def submission_problems(project: Project, day: dt.date) -> list[str]:
    """Everything that stops a project from being submitted on `day`."""
    return submission_check(project, day)[0]


def _submit(project: Project, day: dt.date | None) -> str:
    day = day or timezone.localdate()
    problems, verdict = submission_check(project, day)
    if problems:
        raise TransitionError(*problems)
    project.submitted_on = day
    record_applied_rules(project, verdict, by=getattr(project, "_history_user", None))
    return ""


def project_submit(*, project: Project, by: Any, day: dt.date | None = None) -> Project:
    """Send a draft to the Sở. `day` is the submission date (today by default);
    the support rule valid on that date applies."""
    return _transition(
        project=project, by=by, action="submit", apply=lambda p: _submit(p, day)
    )


def project_resubmit(
    *, project: Project, by: Any, day: dt.date | None = None, comment: str = ""
) -> Project:
    def apply(p: Project) -> str:
        _submit(p, day)
        return comment

    return _transition(project=project, by=by, action="resubmit", apply=apply)


# --- the Sở's decisions --------------------------------------------------------


def project_return(*, project: Project, by: Any, comment: str) -> Project:
    def apply(p: Project) -> str:
        _required(comment, _("Say what must change before the project comes back."))
        return comment

    return _transition(project=project, by=by, action="return", apply=apply)


def project_reject(*, project: Project, by: Any, reason: str) -> Project:
    def apply(p: Project) -> str:
        _required(reason, _("Give the reason for rejection."))
        p.rejection_reason = reason
        return reason

    return _transition(project=project, by=by, action="reject", apply=apply)


def project_appraise(*, project: Project, by: Any, opinion: str) -> Project:
    """The Sở's appraisal of a national project, before the ministry decides."""

    def apply(p: Project) -> str:
        _required(opinion, _("Write the appraisal opinion."))
        project_rules_enforce(p, step="appraise", by=by)
        p.appraisal_opinion = opinion
        return opinion

    return _transition(project=project, by=by, action="appraise", apply=apply)


def _fix_approved_support(project: Project, approved: dict[str, int]) -> None:
    """Set approved support per source, within the request and the plans.

    The plan rows are locked (in primary-key order, so two approvals never
    deadlock) before what is left on them is computed.
    """
    fundings = {f.source: f for f in project.fundings.all()}
    if set(approved) != set(fundings):
        raise TransitionError(
            _("Give the approved support for each source of the project: %(s)s.")
            % {"s": ", ".join(sorted(fundings))}
        )
    problems = []
    for source, amount in approved.items():
        funding = fundings[source]
        if amount is None or amount < 0:
            problems.append(_("Approved support cannot be negative."))
        elif amount > funding.requested:
            problems.append(
                _(
                    "Approved support from %(source)s (%(approved)s) exceeds the "
                    "support requested (%(requested)s)."
                )
                % {
                    "source": source,
                    "approved": _money(amount),
                    "requested": _money(funding.requested),
                }
            )
    if problems:
        raise TransitionError(*problems)
    plans = {
        plan.pk: plan
        for plan in Plan.objects.select_for_update()
        .filter(pk__in=[f.plan_id for f in fundings.values()])
        .order_by("pk")
    }
    for source, funding in fundings.items():
        plan = plans[funding.plan_id]
        # What the plan's other projects hold on it (the read-model's
        # "committed": approved while running, settled once settled).
        committed = (
            ProjectFunding.objects.filter(plan=plan)
            .exclude(project=project)
            .aggregate(s=measures.zero(Sum(measures.committed())))["s"]
        )
        left = plan.allocated - committed
        if approved[source] > left:
            problems.append(
                _(
                    "Approving %(amount)s would exceed the plan %(plan)s: allocated "
                    "%(allocated)s, already approved %(committed)s, left %(left)s."
                )
                % {
                    "amount": _money(approved[source]),
                    "plan": str(plan),
                    "allocated": _money(plan.allocated),
                    "committed": _money(committed),
                    "left": _money(left),
                }
            )
    if problems:
        raise TransitionError(*problems)
    for source, funding in fundings.items():
        funding.approved = approved[source]
        funding._history_user = getattr(project, "_history_user", None)
        funding.save(update_fields=["approved"])


def _decide(
    p: Project,
    step: str,
    decision_no: str,
    decision_date: dt.date,
    approved: dict[str, int],
) -> str:
    _required(decision_no, _("Give the decision number."))
    _required(decision_date, _("Give the decision date."))
    _fix_approved_support(p, approved)
    # The rules and the beneficiaries' eligibility on the decision date.
    project_rules_enforce(
        p,
        step=step,
        by=getattr(p, "_history_user", None),
        day=decision_date,
        amounts=approved,
    )
    p.decision_no = decision_no
    p.decision_date = decision_date
    return _("Decision %(no)s of %(date)s") % {
        "no": decision_no,
        "date": date_format(decision_date, "SHORT_DATE_FORMAT"),
    }


def project_approve(
    *,
    project: Project,
    by: Any,
    decision_no: str,
    decision_date: dt.date,
    approved: dict[str, int],
) -> Project:
    """Approve a local project (decision of the UBND tỉnh)."""
    return _transition(
        project=project,
        by=by,
        action="approve",
        apply=lambda p: _decide(p, "approve", decision_no, decision_date, approved),
    )


def project_record_decision(
    *,
    project: Project,
    by: Any,
    decision_no: str,
    decision_date: dt.date,
    approved: dict[str, int],
) -> Project:
    """Record the ministry's approval of an appraised national project."""
    return _transition(
        project=project,
        by=by,
        action="record_decision",
        apply=lambda p: _decide(
            p, "record_decision", decision_no, decision_date, approved
        ),
    )


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
            raise TransitionError(_("Say what the adjustment changes."))
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
            raise TransitionError(_("The adjustment changes nothing."))
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
    impact (Acceptance.OUTPUT_FIELDS) on its acceptance record, written here so
    that an accepted project always has one. The acceptance form requires the
    outputs; callers that have none yet record zeros to complete later."""

    def apply(p: Project) -> str:
        _required(acceptance_date, _("Give the acceptance date."))
        _required(minutes_no, _("Give the number of the acceptance minutes."))
        p.acceptance_date = acceptance_date
        p.acceptance_minutes_no = minutes_no
        acceptance_store(project=p, by=by, outputs=outputs or {})
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
            raise TransitionError(
                _("Give the settled support for each source of the project: %(s)s.")
                % {"s": ", ".join(sorted(fundings))}
            )
        for source, amount in settled.items():
            funding = fundings[source]
            if amount is None or amount < 0 or amount > (funding.approved or 0):
                raise TransitionError(
                    _(
                        "Settled support from %(source)s must be between 0 and the "
                        "approved %(approved)s."
                    )
                    % {"source": source, "approved": _money(funding.approved or 0)}
                )
        try:
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
        except RecordRefused as refused:
            raise TransitionError(*refused.messages, fields=refused.fields) from refused
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
        raise TransitionError(_("Unknown action."))

    def apply(p: Project) -> str:
        _required(reason, _("Give the reason for the correction."))
        unknown = set(changes) - set(corrects)
        if unknown:
            raise TransitionError(_("These fields cannot be corrected here."))
        changed = {
            field: (getattr(p, field), value)
            for field, value in changes.items()
            if value != getattr(p, field)
        }
        if not changed:
            raise TransitionError(_("The correction changes nothing."))
        before = {problem.key for problem in dates.date_problems(p)}
        for field, (_old, new) in changed.items():
            label = Project._meta.get_field(field).verbose_name
            _required(new, _("Give the %(field)s.") % {"field": label})
            setattr(p, field, new)
        added = [str(pr) for pr in dates.date_problems(p) if pr.key not in before]
        if added:
            raise TransitionError(*added)
        lines = [_("Reason: %(reason)s") % {"reason": reason.strip()}]
        lines += [
            f"{capfirst(Project._meta.get_field(field).verbose_name)}: "
            f"{_shown(old)} → {_shown(new)}"
            for field, (old, new) in changed.items()
        ]
        return "\n".join(lines)

    return _transition(project=project, by=by, action=action, apply=apply)


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


# --- documents -------------------------------------------------------------------

# Staff file proposals, contracts and minutes; reviewers file decisions. Nothing
# is added once the project is closed.
ATTACHING_ROLES = (Role.STAFF, Role.REVIEWER)
CLOSED_STATUSES = (Status.SETTLED, Status.CANCELLED, Status.REJECTED)


def project_attach(
    *, project: Project, by: Any, kind: str, upload: UploadedFile
) -> Attachment:
    """Store a document of the project under a random name, after checking
    its real type and size."""
    if not has_role(by, *ATTACHING_ROLES):
        raise TransitionError(_("Your role may not add documents."))
    if project.status in CLOSED_STATUSES:
        raise TransitionError(_("Documents cannot be added to a closed project."))
    try:
        file_type = attachments.check(upload)
    except ValidationError as invalid:
        raise TransitionError(*invalid.messages) from invalid
    attachment = Attachment(
        project=project,
        kind=kind,
        original_name=os.path.basename(upload.name or "")[:255] or "document",
        content_type=file_type.content_type,
        extension=file_type.extension,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    return attachment


# Action name -> service, for the one view that runs lifecycle forms.
SERVICES: dict[str, Callable[..., Project]] = {
    "submit": project_submit,
    "return": project_return,
    "resubmit": project_resubmit,
    "approve": project_approve,
    "appraise": project_appraise,
    "record_decision": project_record_decision,
    "reject": project_reject,
    "start": project_start,
    "request_adjustment": project_request_adjustment,
    "decide_adjustment": project_decide_adjustment,
    "accept": project_accept,
    "settle": project_settle,
    "cancel": project_cancel,
    **{
        step.action: partial(project_correct, action=step.action)
        for step in lifecycle.LIFECYCLE
        if step.corrects
    },
}


def acceptance_store(
    *, project: Project, by: Any, outputs: dict[str, Any]
) -> Acceptance:
    """Create or update the project's acceptance record with the given outputs."""
    unknown = set(outputs) - set(Acceptance.OUTPUT_FIELDS)
    if unknown:
        raise TransitionError(_("Unknown acceptance fields: %(f)s") % {"f": unknown})
    acceptance = Acceptance.objects.filter(project=project).first() or Acceptance(
        project=project, recorded_by=by
    )
    for field, value in outputs.items():
        setattr(acceptance, field, value)
    acceptance._history_user = by
    acceptance.save()
    return acceptance
