"""Project pages: list, detail with lifecycle actions, draft form, to-do, plans.

Views fetch with a permission check, validate a form, call one service and
redirect; the rules live in lifecycle.py and services/.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, F, Prefetch, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from enterprises.models import EligibilityRule, Establishment
from enterprises.policy import can, require
from enterprises.text import search
from enterprises.xlsx import XLSX_CONTENT_TYPE, write_table

from .. import lifecycle
from ..filters import ProjectFilter
from ..forms.projects import (
    ActionForm,
    AttachmentForm,
    ProjectForm,
    funding_formset,
    show_refusal,
)
from ..models import (
    REVIEW_STATUSES,
    TODO_DEADLINE_DAYS,
    Plan,
    Programme,
    Project,
    ProjectFunding,
    Refused,
    Source,
    Status,
    source_short,
)
from ..models.decisions import support_versions
from ..models.decisions import timeline as decisions_timeline
from ..rule_check import earlier_support, rule_date
from ..services import (
    CLOSED_STATUSES,
    deletable,
    project_attach,
    project_delete,
    project_save_draft,
    submission_problems,
)
from .listing import cached_page, keep_page, list_rows, list_summary, page_key
from .refusals import tell_refusal

PAGE_SIZE = 50
# The list's columns, read as plain rows (no model instance per project).
LIST_COLUMNS = (
    "pk",
    "code",
    "title",
    "content__name",
    "commune__name",
    "total_cost",
    "support_requested",
    "end_date",
    "status",
)


# Sortable columns: the name in the URL (?sort=, "-" for descending) and the
# field; every order ends on the pk so that pages never overlap.
SORTS = {
    "code": "code",
    "title": "title",
    "total": "total_cost",
    "support": "support_requested",
    "end": "end_date",
    "status": "status",
}


def _listed_projects(request: HttpRequest) -> tuple[ProjectFilter, Any, str]:
    """The project list as filtered and sorted on screen: the page and the
    Excel export read the same rows."""
    projects = (
        Project.objects.visible_to(request.user)
        .select_related("content", "commune")
        # The table's columns only (listing.list_rows): a project has forty.
        .only(*LIST_COLUMNS)
        .prefetch_related(
            Prefetch(
                "fundings",
                queryset=ProjectFunding.objects.order_by("source").only(
                    "project_id", "source"
                ),
            )
        )
    )
    filterset = ProjectFilter(request.GET, queryset=projects, request=request)
    sort = request.GET.get("sort", "")
    field = SORTS.get(sort.removeprefix("-"))
    if field:
        descending = sort.startswith("-")
        order = [f"-{field}" if descending else field, "-pk" if descending else "pk"]
    else:
        sort, order = "", ["-created_at", "-pk"]
    return filterset, filterset.qs.order_by(*order), sort


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "read")
    key = page_key(request)
    content = cached_page(key)
    if content is None:
        content = render_to_string("projects/_list_content.html", _list_page(request))
        keep_page(key, content)
    return render(request, "projects/project_list.html", {"content": content})


def _list_page(request: HttpRequest) -> dict[str, Any]:
    """What the list's filters, table and pages are drawn from."""
    filterset, rows, sort = _listed_projects(request)
    summary = list_summary(request, rows)
    paginator = Paginator(
        rows.prefetch_related(None).values_list(*LIST_COLUMNS, named=True), PAGE_SIZE
    )
    paginator.count = summary.pop("count")
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("sort", None)
    return {
        "filter": filterset,
        "page": page,
        "rows": list_rows(page),
        "totals": summary,
        "sort": sort,
        "sort_links": _sort_links(unsorted.urlencode(), sort),
        "query": query.urlencode(),
        "can_create": can(request.user, "draft_projects"),
    }


def _sort_links(query: str, current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it (ascending, or
    descending when it is the ascending order already) and its arrow."""
    links = {}
    for name in SORTS:
        descending_next = current == name
        target = f"-{name}" if descending_next else name
        arrow = "▲" if current == name else "▼" if current == f"-{name}" else ""
        sep = "&" if query else ""
        links[name] = {"url": f"?{query}{sep}sort={target}", "arrow": arrow}
    return links


@login_required
def project_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered and sorted on screen, every page of it, in Excel."""
    require(request.user, "read")
    _filterset, rows, _sort = _listed_projects(request)
    labels = {value: str(label) for value, label in Status.choices}
    content = write_table(
        title=str(_("Projects")),
        header=[
            str(_("Code")),
            str(_("Title")),
            str(_("Activity content")),
            str(_("Commune / ward")),
            str(_("Sources")),
            str(_("Total cost")),
            str(_("Support requested")),
            str(_("End date")),
            str(_("Status")),
        ],
        rows=(
            [
                p.code,
                p.title,
                p.content.name if p.content_id else "",
                p.commune.name if p.commune_id else "",
                ", ".join(f.source_short for f in p.fundings.all()),
                p.total_cost,
                p.support_requested,
                p.end_date,
                labels.get(p.status, p.status),
            ]
            for p in rows
        ),
        widths=[16, 60, 40, 24, 12, 18, 18, 12, 18],
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="de-an-{stamp}.xlsx"'
    return response


def _visible_project(request: HttpRequest, pk: int, *prefetch: Prefetch) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(request.user)
        .select_related("content", "commune__province", "created_by")
        .prefetch_related(*prefetch),
        pk=pk,
    )


def _total(amounts) -> int | None:
    """Sum of the known amounts; None (shown as "—") when none is known yet."""
    known = [a for a in amounts if a is not None]
    return sum(known) if known else None


# Until the decision the proposal and the reviewer see earlier support.
REPEAT_WARNING = (Status.DRAFT, Status.RETURNED, *REVIEW_STATUSES)


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


def _detail_page(
    request: HttpRequest,
    pk: int,
    refused: tuple[str, ActionForm] | None = None,
) -> HttpResponse:
    """The project page; `refused` is an action form sent back with its
    errors next to its fields (status 400)."""
    # Fundings prefetched once: the lifecycle asks is_national several times.
    project = _visible_project(
        request,
        pk,
        Prefetch(
            "fundings",
            queryset=ProjectFunding.objects.select_related("plan__programme"),
        ),
    )
    fundings = list(project.fundings.all())
    # Eligibility as judged on the submission date (today for a draft).
    day = rule_date(project, "submit") if project.submitted_on else timezone.localdate()
    eligibility_rule = EligibilityRule.in_force(day)
    beneficiaries = [
        (establishment, establishment.eligibility(day, rule=eligibility_rule))
        for establishment in project.beneficiaries.select_related(
            "commune__province", "craft_village"
        )
    ]
    steps = lifecycle.available(project, request.user)
    # Several action forms share field names (reject and cancel both ask a
    # reason): each gets its own ids so that every label finds its field.
    actions = [
        (
            step,
            refused[1]
            if refused and refused[0] == step.action
            else step.make_form(project, auto_id=f"id_{step.action}_%s"),
        )
        for step in steps
    ]
    # Corrections ("Sửa thông tin") are shown apart from the steps forward.
    corrections = [(step, form) for step, form in actions if step.corrects]
    actions = [(step, form) for step, form in actions if not step.corrects]
    # One primary action: the first step forward, else the first one that
    # does not stop the project; the others sit behind their own buttons.
    primary = next(
        (a for a in actions if a[0].forward),
        next((a for a in actions if a[0].style != "danger"), None),
    )
    secondary = [a for a in actions if a is not primary]
    problems = (
        submission_problems(project, timezone.localdate())
        if project.is_editable
        else []
    )
    decisions = list(project.decisions.select_related("recorded_by"))
    timeline = decisions_timeline(project, decisions)
    # The reviewer's comment, shown beside "Gửi lại" while it is to be met.
    returns = [t for t in timeline if t.to_status == Status.RETURNED]
    return_comment = (
        returns[-1] if returns and project.status == Status.RETURNED else None
    )
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "fundings": fundings,
            "totals": {
                "requested": sum(f.requested for f in fundings),
                "approved": _total(f.approved for f in fundings),
                "settled": _total(f.settled for f in fundings),
            },
            "beneficiaries": beneficiaries,
            "timeline": timeline,
            "route": lifecycle.route_of(project),
            "can_delete": deletable(project, request.user),
            "return_comment": return_comment,
            "adjustments": project.adjustments.select_related(
                "requested_by", "decided_by", "decision"
            ),
            # Decisions with their authority, and each approved-support version.
            "decisions": decisions,
            "support_versions": support_versions(project),
            "actions": actions,
            "primary_action": primary,
            "secondary_actions": secondary,
            "corrections": corrections,
            "next_steps": lifecycle.next_steps(project),
            "problems": problems,
            # The proposal's and the reviewer's warning: earlier support of the
            # same content for the same establishments (issue 15).
            "earlier_support": (
                earlier_support(project, [e for e, _v in beneficiaries])
                if project.status in REPEAT_WARNING
                else []
            ),
            "rules_applied": project.rule_applications.all()[:6],
            "documents": project.attachments.select_related("uploaded_by"),
            # Who changed which amount when, including rows since deleted.
            "money_history": ProjectFunding.history.filter(project_id=project.pk)
            .select_related("history_user")
            .annotate(
                # The source as written (KCĐP), in the same query.
                source_code=Case(
                    *(When(source=s, then=Value(s.short)) for s in Source),
                    default=F("source"),
                )
            )
            .order_by("history_date"),
            "attachment_form": (
                AttachmentForm()
                if can(request.user, "attach_documents")
                and project.status not in CLOSED_STATUSES
                else None
            ),
            "can_edit": project.is_editable and can(request.user, "draft_projects"),
            "refused_form": refused[1] if refused else None,
        },
        status=400 if refused else 200,
    )


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(project)
    try:
        project_attach(
            project=project,
            by=request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
    except Refused as refused:
        tell_refusal(request, refused)
    else:
        messages.success(request, _("The document was added."))
    return redirect(project)


@login_required
def attachment_download(
    request: HttpRequest, pk: int, attachment_pk: int
) -> FileResponse:
    """Documents are served only here, to users who may see the project."""
    project = _visible_project(request, pk)
    attachment = get_object_or_404(project.attachments, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def project_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    steps = lifecycle.steps_for(action)
    if not steps:
        raise Http404
    # Steps of one action (cancel, by staff or by a reviewer) share their form
    # and service; the service checks which of them the user may take.
    step = steps[0]
    if step.page:
        raise Http404  # taken on its own page, which calls the service
    project = _visible_project(request, pk)
    form = step.make_form(project, request.POST, auto_id=f"id_{action}_%s")
    if not form.is_valid():
        # The page again, the message next to the field and what was typed
        # kept; a secondary action's form comes back open.
        return _detail_page(request, pk, refused=(action, form))
    try:
        step.run(project=project, by=request.user, **form.service_kwargs())
    except Refused as refused:
        if refused.fields:
            # A date out of order: the form comes back with the message next
            # to its field, and what was typed kept.
            show_refusal(form, refused)
            return _detail_page(request, pk, refused=(action, form))
        tell_refusal(request, refused)
    else:
        messages.success(
            request,
            _("%(action)s: done. The project is now “%(status)s”.")
            % {
                "action": lifecycle.action_label(action),
                "status": project.get_status_display(),
            },
        )
    return redirect(project)


@login_required
def project_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft never submitted: its author only (404 for anyone
    else), after a confirmation page."""
    project = _visible_project(request, pk)
    if not deletable(project, request.user):
        raise Http404
    if request.method == "POST":
        code = project.code
        project_delete(project=project, by=request.user)
        messages.success(request, _("Draft %(code)s deleted.") % {"code": code})
        return redirect("projects:list")
    return render(request, "projects/project_delete.html", {"project": project})


def _edit(
    request: HttpRequest, project: Project, initial: dict | None = None
) -> HttpResponse:
    form = ProjectForm(request.POST or None, instance=project, initial=initial)
    fundings = funding_formset(project, request.POST or None)
    if request.method == "POST" and form.is_valid() and fundings.is_valid():
        draft = form.save(commit=False)
        try:
            project_save_draft(
                project=draft,
                by=request.user,
                fundings=fundings.rows(),
                beneficiaries=form.cleaned_data["beneficiaries"],
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The project was saved."))
            return redirect(draft)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "fundings": fundings, "project": project},
    )


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "draft_projects")
    # "Lập đề án" from an establishment's page: it is the first beneficiary,
    # and the place is its commune.
    initial = {}
    establishment_id = request.GET.get("co-so", "")
    if establishment_id.isdigit():
        chosen = Establishment.objects.filter(pk=establishment_id).first()
        if chosen is not None:
            initial = {"beneficiaries": [chosen.pk], "commune": chosen.commune_id}
    return _edit(request, Project(), initial)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _visible_project(request, pk)
    require(request.user, "draft_projects")
    if not project.is_editable:
        raise PermissionDenied
    return _edit(request, project)


def todo_titles() -> dict[str, str]:
    """The to-do sections' titles, built per request so that they are in the
    user's language, with the deadline the "deadline" section uses."""
    days = TODO_DEADLINE_DAYS
    return {
        "appraisal": _("Submitted: to receive, or to propose to the ministry"),
        "council": _("Received: waiting for the appraisal council"),
        "scored": _("Council concluded: waiting for the Sở's appraisal"),
        "proposed": _("Proposed: waiting for the ministry's appraisal"),
        "ministry": _("Appraised: waiting for the decision"),
        "adjustment": _("Adjustments to decide"),
        "returned": _("Returned for changes"),
        "contract": _("Approved, waiting for the contract"),
        "deadline": ngettext(
            "Ending within %(days)s day or overdue",
            "Ending within %(days)s days or overdue",
            days,
        )
        % {"days": days},
        "settlement": _("Settlement overdue"),
    }


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    require(request.user, "read")
    base = Project.objects.visible_to(request.user).select_related("content")
    sections = [
        (key, base.filter(condition).distinct().order_by("end_date", "pk"))
        for key, condition in Project.objects.todo_sections(request.user).items()
    ]
    titles = todo_titles()
    return render(
        request,
        "projects/todo.html",
        {"sections": [(titles[k], k, list(qs)) for k, qs in sections]},
    )


def todo_count(user) -> int:
    """The number shown beside "To do" in the navigation."""
    return Project.objects.todo_for(user).count()


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "read")
    q = request.GET.get("q", "").strip()
    plans = search(
        Plan.objects.all(),
        q,
        "programme__name",
        "programme__decision_no",
        "decision_no",
        # "dia phuong" or "kcdp" find the local programme's plans.
        labels={
            "programme__source": [
                (value, f"{label} {source_short(value)}")
                for value, label in Source.choices
            ]
        },
    )
    plans = (
        plans.with_money()
        .select_related("programme")
        .order_by("-year", "programme__source")
    )
    return render(
        request,
        "projects/plan_list.html",
        {
            "plans": plans,
            "programmes": Programme.objects.all(),
            "q": q,
        },
    )
