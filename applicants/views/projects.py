"""The establishment's projects, followed from its own pages.

A project is the establishment's when it is one of the project's
beneficiaries; any other is a 404. The page reads the project's state the
way the centre's pages do (its status, its timeline, projects.lifecycle)
and shows only what concerns the establishment: the steps, who acts next,
the deadlines, the centre's papers, the money received, the inspections.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from projects.lifecycle import deciding_authority, next_steps
from projects.models import (
    AttachmentKind,
    DisbursementState,
    Project,
    Status,
)

from .common import filing_account

# What each state means for the establishment, in plain words. A state not
# listed here (a new step of the approval route) is shown by its name.
# "%(authority)s" is the body the project's route names for the decision.
PLAIN = {
    Status.DRAFT: _("The centre is writing the project up from your request."),
    Status.SUBMITTED: _("The project was sent to the Department for approval."),
    Status.RETURNED: _("The Department asked the centre to change the project."),
    Status.RECEIVED: _(
        "The Department found the file complete; the appraisal council will "
        "score the project."
    ),
    Status.SCORED: _(
        "The appraisal council has scored the project; the Department appraises it."
    ),
    Status.PROPOSED: _(
        "The Department has proposed the project to the Ministry of Industry and Trade."
    ),
    Status.APPRAISED: _(
        "The project has been appraised; %(authority)s decides on its approval."
    ),
    Status.APPROVED: _(
        "The project is approved. The centre will sign a contract with you."
    ),
    Status.REJECTED: _("The project was not approved."),
    Status.IN_PROGRESS: _(
        "The contract is signed: carry the project out; the centre pays and inspects."
    ),
    Status.ACCEPTED: _("The work was accepted. The centre is settling the accounts."),
    Status.SETTLED: _("The project is closed: the accounts are settled."),
    Status.CANCELLED: _("The project was cancelled."),
}
# The centre's papers an establishment is party to (not its internal drafts).
SHOWN_PAPERS = (
    AttachmentKind.DECISION,
    AttachmentKind.CONTRACT,
    AttachmentKind.MINUTES,
)


def own_project(request: HttpRequest, pk: int) -> Project:
    """A project of which the applicant's establishment is a beneficiary."""
    link = filing_account(request)
    return get_object_or_404(
        Project.objects.filter(beneficiaries=link.establishment_id).select_related(
            "content"
        ),
        pk=pk,
    )


def plain(status: str, *, authority: str = "") -> str:
    text = PLAIN.get(status)
    if text is None:
        return ""
    return str(text) % {"authority": authority or _("the approving authority")}


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    """The establishment's projects, each with where it stands and who acts
    next (the lifecycle table), in plain words."""
    link = filing_account(request)
    rows = [
        (project, next_steps(project))
        for project in Project.objects.filter(beneficiaries=link.establishment_id)
        .select_related("content")
        .order_by("-created_at", "-pk")
    ]
    return render(
        request,
        "applicants/projects.html",
        {"rows": rows, "establishment": link.establishment},
    )


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    item = own_project(request, pk)
    body = deciding_authority(item)
    authority = body.name if body else ""
    # A step that kept the state (an adjustment, a correction) says nothing
    # new about where the project stands: it gets no explanation.
    steps = [
        (
            t,
            plain(t.to_status, authority=authority)
            if t.from_status != t.to_status
            else "",
        )
        for t in item.transitions.order_by("at", "pk")
    ]
    paid = item.disbursements.filter(state=DisbursementState.RECORDED)
    return render(
        request,
        "applicants/project.html",
        {
            "project": item,
            "now": plain(item.status, authority=authority),
            "steps": steps,
            "waiting": next_steps(item),
            # Every decision on the project (approval, adjustment,
            # cancellation, carry-forward, settlement), by its issuing body.
            "decisions": list(item.decisions.all()),
            "papers": item.attachments.filter(kind__in=SHOWN_PAPERS),
            "payments": paid.order_by("date", "pk"),
            # Net money received, from the read-model: the sum of the
            # payments listed above, less refunds.
            "paid": item.fundings.money("disbursed").disbursed,
            "inspections": item.inspections.order_by("planned_date", "pk"),
        },
    )


@login_required
def project_document(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """One of the centre's papers of the establishment's own project."""
    item = own_project(request, pk)
    paper = get_object_or_404(
        item.attachments.filter(kind__in=SHOWN_PAPERS), pk=attachment_pk
    )
    return FileResponse(
        paper.file.open("rb"),
        as_attachment=True,
        filename=paper.original_name,
        content_type=paper.content_type,
    )
