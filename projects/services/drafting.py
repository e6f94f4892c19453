"""Drafting a project, submitting it, and filing its documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Establishment
from enterprises.policy import can

from ..models import (
    EDITABLE_STATUSES,
    LIFECYCLE_FIELDS,
    Attachment,
    Plan,
    Project,
    ProjectCodeCounter,
    ProjectFunding,
    Refused,
    Route,
    Source,
    Status,
    dates,
    year_totals,
)
from ..models.choices import _money, source_short
from ..rule_check import RuleVerdict, project_rule_check, record_applied_rules
from .frame import _transition

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
    if not can(by, "draft_projects"):
        raise Refused(_("Only centre staff may write projects."))
    dates.refuse(dates.period_problems(project.start_date, project.end_date))
    sources = [plan.programme.source for plan, _amount in fundings]
    if len(sources) != len(set(sources)):
        raise Refused(_("Give at most one plan per source."))
    with transaction.atomic():
        if project.pk:
            current = Project.objects.select_for_update().get(pk=project.pk)
            if current.status not in EDITABLE_STATUSES:
                raise Refused(_("Only a draft or a returned project can be edited."))
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
        # A returned project counts on the dashboard (year_totals.py).
        year_totals.refresh([project.pk])
    return project


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
    problems += parts_problems(project)
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


def parts_problems(project: Project) -> list[str]:
    """The total cost is the support asked for (`support_requested`, kept
    by refresh_support_total) + counterpart + other sources, or it says why
    not."""
    support = project.support_requested
    parts = support + project.counterpart + project.other_sources
    if project.total_cost == parts:
        return []
    return [
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
    ]


def submission_problems(project: Project, day: dt.date) -> list[str]:
    """Everything that stops a project from being submitted on `day`."""
    return submission_check(project, day)[0]


def _submit(project: Project, day: dt.date | None) -> str:
    day = day or timezone.localdate()
    problems, verdict = submission_check(project, day)
    if problems:
        raise Refused(*problems)
    project.submitted_on = day
    if project.route_id is None:
        # Pinned to the route in force on the submission day: a later
        # version of the route changes the next projects, not this one.
        source = Source.NATIONAL if project.is_national else Source.LOCAL
        route = Route.in_force(source, day)
        if route is None:
            raise Refused(
                _("No approval route of %(source)s is in force on that day.")
                % {"source": source_short(source)}
            )
        project.route = route
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


def project_withdraw(*, project: Project, by: Any, comment: str = "") -> Project:
    """The author takes a submitted project back before the Sở receives it
    (or proposes it): it is a draft again, and its next submission takes the
    route in force then."""

    def apply(p: Project) -> str:
        p.submitted_on = None
        p.route = None
        return comment.strip()

    return _transition(project=project, by=by, action="withdraw", apply=apply)


def deletable(project: Project, user: Any) -> bool:
    """A draft never submitted, by its author (and not made from an
    establishment's request, which keeps its project)."""
    return (
        project.status == Status.DRAFT
        and project.created_by_id == getattr(user, "pk", None)
        and can(user, "draft_projects")
        and not project.transitions.exists()
        and not hasattr(project, "support_request")
    )


def project_delete(*, project: Project, by: Any) -> None:
    """Delete a draft its author never submitted, with everything recorded
    about it: funding rows, documents (and their files), history."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if not deletable(locked, by):
            raise Refused(_("Only its author may delete a draft never submitted."))
        files = [a.file for a in locked.attachments.all()]
        pk = locked.pk
        funding_pks = list(locked.fundings.values_list("pk", flat=True))
        locked.delete()
        Project.history.filter(id=pk).delete()
        ProjectFunding.history.filter(id__in=funding_pks).delete()
        for stored in files:
            transaction.on_commit(partial(stored.delete, save=False))


# --- documents -------------------------------------------------------------------

# Staff file proposals, contracts and minutes; reviewers file decisions
# (policy "attach_documents"). Nothing is added once the project is closed.
CLOSED_STATUSES = (Status.SETTLED, Status.CANCELLED, Status.REJECTED)


def project_attach(
    *, project: Project, by: Any, kind: str, upload: UploadedFile
) -> Attachment:
    """Store a document of the project under a random name, after checking
    its real type and size."""
    if not can(by, "attach_documents"):
        raise Refused(_("Your role may not add documents."))
    if project.status in CLOSED_STATUSES:
        raise Refused(_("Documents cannot be added to a closed project."))
    attachment = Attachment(project=project, kind=kind, uploaded_by=by)
    try:
        attachment.take(upload)
    except ValidationError as invalid:
        raise Refused(*invalid.messages) from invalid
    attachment.save()
    return attachment
