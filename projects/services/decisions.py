"""The review steps of both approval routes and their decisions: receive,
council, appraise, approve (local); propose, the ministry's appraisal and
decision (national); return and reject at any level. A decision is a
`Decision` row (number, date, issuing authority, signer's title); the
project's decision_no/decision_date are its denormalised copy, written only
by `_decide` here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from .. import lifecycle
from ..models import (
    Decision,
    DecisionKind,
    IssuingAuthority,
    Plan,
    Project,
    ProjectFunding,
    Refused,
    dates,
    measures,
)
from ..models.choices import _money
from ..rule_check import project_rules_enforce
from .frame import _required, _transition

# --- the Sở's decisions --------------------------------------------------------


def project_return(*, project: Project, by: Any, comment: str) -> Project:
    def apply(p: Project) -> str:
        _required(comment, _("Say what must change before the project comes back."))
        # Resubmitted, the project goes through its route again and is
        # appraised anew: the opinion given so far stays on the timeline, not
        # on the project page as if it stood.
        p.appraisal_opinion = ""
        return comment

    return _transition(project=project, by=by, action="return", apply=apply)


def project_reject(*, project: Project, by: Any, reason: str) -> Project:
    def apply(p: Project) -> str:
        _required(reason, _("Give the reason for rejection."))
        p.rejection_reason = reason
        return reason

    return _transition(project=project, by=by, action="reject", apply=apply)


def project_receive(*, project: Project, by: Any, comment: str = "") -> Project:
    """The Sở has received the dossier and found it complete (local route)."""
    return _transition(
        project=project, by=by, action="receive", apply=lambda p: comment.strip()
    )


def _appraise(p: Project, by: Any, opinion: str) -> str:
    _required(opinion, _("Write the appraisal opinion."))
    project_rules_enforce(p, step="appraise", by=by)
    p.appraisal_opinion = opinion
    return opinion


def project_appraise(*, project: Project, by: Any, opinion: str) -> Project:
    """The Sở's appraisal opinion on a local project, after the council."""
    return _transition(
        project=project,
        by=by,
        action="appraise",
        apply=lambda p: _appraise(p, by, opinion),
    )


def project_propose(
    *,
    project: Project,
    by: Any,
    proposal_no: str,
    proposal_date: dt.date,
    comment: str = "",
) -> Project:
    """The Sở's review of a national project and its proposal to the
    ministry (văn bản đề xuất), by number and date."""

    def apply(p: Project) -> str:
        _required(proposal_no, _("Give the number of the proposal."))
        _required(proposal_date, _("Give the date of the proposal."))
        problems = {
            problem.message: ("proposal_date",)
            for problem in dates.decision_day_problems(
                proposal_date, label=_("Proposal date")
            )
        }
        if p.submitted_on and proposal_date < p.submitted_on:
            problems[_("The proposal cannot predate the submission.")] = (
                "proposal_date",
            )
        if problems:
            raise Refused(*problems, fields=problems)
        text = _("Proposal %(no)s of %(date)s") % {
            "no": proposal_no.strip(),
            "date": date_format(proposal_date, "SHORT_DATE_FORMAT"),
        }
        return f"{text}\n{comment.strip()}".strip()

    return _transition(project=project, by=by, action="propose", apply=apply)


def project_appraise_ministry(*, project: Project, by: Any, opinion: str) -> Project:
    """The ministry's appraisal of a proposed national project, recorded by
    the Sở's reviewer on its behalf."""
    return _transition(
        project=project,
        by=by,
        action="appraise_ministry",
        apply=lambda p: _appraise(p, by, opinion),
    )


def council_comment(
    *, minutes_no: str, total: Decimal, threshold: Decimal, recommended: bool
) -> str:
    """The timeline's line for a council's conclusion."""
    verdict = _("recommended") if recommended else _("not recommended")
    return _(
        "Council minutes %(no)s: %(total)s points (threshold %(threshold)s), "
        "%(verdict)s."
    ) % {
        "no": minutes_no,
        "total": number_format(total, decimal_pos=1),
        "threshold": number_format(threshold, decimal_pos=1),
        "verdict": verdict,
    }


def project_record_council(
    *,
    project: Project,
    by: Any,
    total: Decimal,
    threshold: Decimal,
    recommended: bool,
    minutes_no: str,
) -> Project:
    """The appraisal council's conclusion on a local project: its average
    total score against the threshold, and whether it recommends support.
    Called when the council's secretary closes the session (appraisal app)."""

    def apply(p: Project) -> str:
        _required(minutes_no, _("Give the number of the council's minutes."))
        return council_comment(
            minutes_no=minutes_no,
            total=total,
            threshold=threshold,
            recommended=recommended,
        )

    return _transition(project=project, by=by, action="council", apply=apply)


def _fix_approved_support(
    project: Project,
    approved: dict[str, int],
    *,
    adjusting: bool = False,
    change_reason: str = "",
) -> None:
    """Set approved support per source, within the request and the plans.

    The plan rows are locked (in primary-key order, so two approvals never
    deadlock) before what is left on them is computed.

    An adjustment (`adjusting`) may go above the first request — the
    adjustment is the new request — but never below what the source has
    already disbursed; `change_reason` names its decision in the funding
    rows' history (the versions of the approved support).
    """
    fundings = {f.source: f for f in project.fundings.all()}
    if set(approved) != set(fundings):
        raise Refused(
            _("Give the approved support for each source of the project: %(s)s.")
            % {"s": ", ".join(sorted(fundings))}
        )
    problems = []
    for source, amount in approved.items():
        funding = fundings[source]
        if amount is None or amount < 0:
            problems.append(_("Approved support cannot be negative."))
        elif adjusting:
            paid = funding.disbursements.totals()["paid"]
            if amount < paid:
                problems.append(
                    _(
                        "Approved support from %(source)s cannot go below what "
                        "is already disbursed (%(paid)s)."
                    )
                    % {"source": funding.source_short, "paid": _money(paid)}
                )
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
        raise Refused(*problems)
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
        raise Refused(*problems)
    for source, funding in fundings.items():
        if funding.approved == approved[source] and adjusting:
            continue
        funding.approved = approved[source]
        # An adjustment above the first request is the new request.
        funding.requested = max(funding.requested, funding.approved)
        funding._history_user = getattr(project, "_history_user", None)
        funding._change_reason = change_reason
        funding.save(update_fields=["approved", "requested"])


def decision_record(
    *,
    project: Project,
    kind: str,
    number: str,
    issued_on: dt.date | None,
    by: Any,
    authority: IssuingAuthority | None = None,
    signer_title: str = "",
    signer_name: str = "",
    summary: str = "",
) -> Decision:
    """Write one decision about `project` (the one writer of Decision rows):
    issued by `authority`, by default the one `lifecycle.decision_authority`
    names; another one only if in use. Refused with every missing part named
    next to its field (decision_no, decision_date, authority)."""
    authority = authority or lifecycle.decision_authority(project, kind)
    problems: dict[str, tuple[str, ...]] = {}
    if not (number or "").strip():
        problems[_("Give the decision number.")] = ("decision_no",)
    if issued_on is None:
        problems[_("Give the decision date.")] = ("decision_date",)
    else:
        # The one date rule for decisions: not after today.
        for problem in dates.decision_day_problems(issued_on, label=_("Decision date")):
            problems[problem.message] = problem.fields
    if authority is None or not authority.active:
        problems[_("Choose the authority that issued the decision.")] = ("authority",)
    if problems:
        raise Refused(*problems, fields=problems)
    return Decision.objects.create(
        project=project,
        kind=kind,
        number=number.strip(),
        issued_on=issued_on,
        authority=authority,
        signer_title=(signer_title or "").strip(),
        signer_name=(signer_name or "").strip(),
        summary=summary,
        recorded_by=by,
    )


def _decide(
    p: Project,
    step: str,
    decision_no: str,
    decision_date: dt.date,
    approved: dict[str, int],
    authority: IssuingAuthority | None,
    signer_title: str,
) -> str:
    _required(decision_no, _("Give the decision number."))
    _required(decision_date, _("Give the decision date."))
    if authority is not None and not authority.active:
        raise Refused(_("Choose an issuing authority in use."))
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
    decision = decision_record(
        project=p,
        kind=DecisionKind.APPROVAL,
        number=decision_no,
        issued_on=decision_date,
        by=p._history_user,
        authority=authority,
        signer_title=signer_title,
    )
    return str(decision)


def approval_decision_follows(p: Project) -> None:
    """After a correction of the project's decision number or date: the
    approval decision row says the same (the project's fields are its copy)."""
    Decision.objects.filter(project=p, kind=DecisionKind.APPROVAL).update(
        number=p.decision_no, issued_on=p.decision_date
    )


def project_approve(
    *,
    project: Project,
    by: Any,
    decision_no: str,
    decision_date: dt.date,
    approved: dict[str, int],
    authority: IssuingAuthority | None = None,
    signer_title: str = "",
) -> Project:
    """Approve a local project: the decision of the authority its route names
    (UBND tỉnh by default, the Sở where the province delegates), unless the
    reviewer names another authority in use."""
    return _transition(
        project=project,
        by=by,
        action="approve",
        apply=lambda p: _decide(
            p, "approve", decision_no, decision_date, approved, authority, signer_title
        ),
    )


def project_record_decision(
    *,
    project: Project,
    by: Any,
    decision_no: str,
    decision_date: dt.date,
    approved: dict[str, int],
    authority: IssuingAuthority | None = None,
    signer_title: str = "",
) -> Project:
    """Record the ministry's approval of an appraised national project."""
    return _transition(
        project=project,
        by=by,
        action="record_decision",
        apply=lambda p: _decide(
            p,
            "record_decision",
            decision_no,
            decision_date,
            approved,
            authority,
            signer_title,
        ),
    )
