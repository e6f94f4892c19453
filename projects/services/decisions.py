"""The Sở's decisions: return, reject, appraise, approve, record the ministry's
decision (the approved support fixed within the plans)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Plan, Project, ProjectFunding, Refused, measures
from ..models.choices import _money
from ..rule_check import project_rules_enforce
from .frame import _required, _transition

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
        raise Refused(
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
