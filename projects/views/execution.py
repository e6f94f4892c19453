"""Pages for execution and money (issue 5): thin views over the model layer.

Who may see what: centre staff and administrators record; reviewers and
managers read (reviewers only projects the centre has sent). Every write goes
through the model methods that hold the invariants; a refusal (Refused)
is shown on the form or as a message, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from enterprises.models import Establishment
from enterprises.policy import can, require

from .. import lifecycle, services
from ..filters import ProjectFilter
from ..forms.execution import (
    AcceptanceForm,
    EquipmentForm,
    InspectionForm,
    PhotoForm,
    ProgressUpdateForm,
)
from ..forms.projects import show_refusal
from ..models import (
    EXECUTION_STATUSES,
    Acceptance,
    Disbursement,
    EquipmentInvestment,
    EquipmentSerial,
    ExecutionPhoto,
    Inspection,
    ProgressUpdate,
    Project,
    ProjectFunding,
    Refused,
    Status,
    measures,
)

# Projects that have an execution page: approved or later, or cancelled after.
EXECUTION_PAGE_STATUSES = EXECUTION_STATUSES
EXECUTION_PAGE_SIZE = 50


def _project(request: HttpRequest, pk: int, *, write: bool = False) -> Project:
    require(request.user, "record_execution" if write else "read")
    return get_object_or_404(Project.objects.visible_to(request.user), pk=pk)


def _page(project: Project) -> HttpResponse:
    return redirect("money:project", pk=project.pk)


def _form_page(
    request: HttpRequest,
    project: Project,
    form: Any,
    save: Callable[[Any], None],
    *,
    title: str,
    done: str,
    note: str = "",
) -> HttpResponse:
    """Validate, call the model layer, show its refusal on the form."""
    earlier: list[Project] = []
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except Refused as refused:
            show_refusal(form, refused)
            earlier = getattr(refused, "projects", [])
        else:
            messages.success(request, done)
            return _page(project)
    return render(
        request,
        "projects/money/form.html",
        {
            "project": project,
            "form": form,
            "title": title,
            "earlier": earlier,
            "note": note,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- the project's execution page ------------------------------------------------


@login_required
def project_execution(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    fundings = project.fundings.select_related("plan").with_money()
    return render(
        request,
        "projects/money/project.html",
        {
            "project": project,
            "fundings": fundings,
            "equipment": project.equipment.select_related("establishment")
            .prefetch_related("serials")
            .order_by("pk"),
            "inspections": project.inspections.select_related("voided_by").order_by(
                "planned_date", "pk"
            ),
            "next_inspection": Inspection.next_date(project),
            "updates": project.progress_updates.select_related("by", "voided_by"),
            "acceptance": Acceptance.objects.filter(project=project).first(),
            "disbursements": project.disbursements.select_related(
                "funding", "recorded_by", "voided_by"
            ),
            "photos": project.photos.select_related("equipment", "inspection"),
            "can_record": can(request.user, "record_execution"),
            "is_settled": project.status == Status.SETTLED,
            "can_accept": project.status in (Status.IN_PROGRESS, Status.ACCEPTED),
        },
    )


# --- equipment ---------------------------------------------------------------------


@login_required
def equipment_form(
    request: HttpRequest, pk: int, equipment_pk: int | None = None
) -> HttpResponse:
    project = _project(request, pk, write=True)
    instance = (
        get_object_or_404(project.equipment, pk=equipment_pk)
        if equipment_pk
        else EquipmentInvestment(project=project, recorded_by=request.user)
    )
    form = EquipmentForm(request.POST or None, instance=instance, project=project)

    def save(form: EquipmentForm) -> None:
        form.instance.store(serials=form.serial_list(), by=request.user)

    return _form_page(
        request,
        project,
        form,
        save,
        title=_("Edit equipment") if equipment_pk else _("Add equipment"),
        done=_("The equipment was saved."),
    )


@login_required
@require_POST
def equipment_delete(request: HttpRequest, pk: int, equipment_pk: int) -> HttpResponse:
    project = _project(request, pk, write=True)
    row = get_object_or_404(project.equipment, pk=equipment_pk)
    try:
        row._history_user = request.user
        row.delete()
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The equipment was deleted."))
    return _page(project)


# --- photos ------------------------------------------------------------------------

PHOTO_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


@login_required
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, write=True)
    form = PhotoForm(
        request.POST or None,
        request.FILES or None,
        instance=ExecutionPhoto(project=project, uploaded_by=request.user),
        project=project,
    )

    def save(form: PhotoForm) -> None:
        form.instance.store(by=request.user)

    return _form_page(
        request,
        project,
        form,
        save,
        title=_("Add a photo"),
        done=_("The photo was saved."),
    )


@login_required
def photo_file(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """Photos live outside any public URL; readers of the project get them here."""
    project = _project(request, pk)
    photo = get_object_or_404(project.photos, pk=photo_pk)
    extension = photo.image.name.rsplit(".", 1)[-1].lower()
    if extension not in PHOTO_TYPES:
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, content_type=PHOTO_TYPES[extension])


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    project = _project(request, pk, write=True)
    photo = get_object_or_404(project.photos, pk=photo_pk)
    try:
        photo._history_user = request.user
        photo.delete()
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        photo.image.delete(save=False)
        messages.success(request, _("The photo was deleted."))
    return _page(project)


# --- inspections, progress, acceptance ------------------------------------------------


@login_required
def inspection_form(
    request: HttpRequest, pk: int, inspection_pk: int | None = None
) -> HttpResponse:
    project = _project(request, pk, write=True)
    instance = (
        get_object_or_404(project.inspections.live(), pk=inspection_pk)
        if inspection_pk
        else Inspection(project=project, recorded_by=request.user)
    )
    form = InspectionForm(request.POST or None, instance=instance)

    def save(form: InspectionForm) -> None:
        form.instance.store(by=request.user)

    return _form_page(
        request,
        project,
        form,
        save,
        title=_("Edit inspection") if inspection_pk else _("Plan an inspection"),
        done=_("The inspection was saved."),
    )


@login_required
def progress_form(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, write=True)
    form = ProgressUpdateForm(
        request.POST or None,
        instance=ProgressUpdate(project=project, by=request.user),
        initial={"date": timezone.localdate()},
    )

    def save(form: ProgressUpdateForm) -> None:
        form.instance.store(by=request.user)

    return _form_page(
        request,
        project,
        form,
        save,
        title=_("Record progress"),
        done=_("The progress update was saved."),
    )


@login_required
def acceptance_form(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk, write=True)
    instance = Acceptance.of(project)
    form = AcceptanceForm(request.POST or None, instance=instance, project=project)

    def save(form: AcceptanceForm) -> None:
        data = form.cleaned_data
        if project.status == Status.IN_PROGRESS:
            services.project_accept(
                project=project,
                by=request.user,
                acceptance_date=data["acceptance_date"],
                minutes_no=data["minutes_no"],
                outputs=form.outputs(),
            )
        elif project.status == Status.ACCEPTED:
            form.instance.store(by=request.user, outputs=form.outputs())
        else:
            raise Refused(_("Acceptance is recorded for a project in progress."))

    return _form_page(
        request,
        project,
        form,
        save,
        title=_("Acceptance (minutes, outputs and impact)"),
        done=_("The acceptance was recorded."),
        note=(
            _(
                "Minutes %(no)s of %(date)s are recorded. To correct their number "
                "or date, use “%(action)s” on the project page."
            )
            % {
                "no": project.acceptance_minutes_no,
                "date": date_format(project.acceptance_date, "SHORT_DATE_FORMAT"),
                "action": lifecycle.action_label("correct_acceptance"),
            }
            if project.acceptance_date
            else ""
        ),
    )


# --- voiding a record entered by mistake --------------------------------------------

# Lazy: translated in the language of the request that shows it, not in the
# one active when the module was first imported.
VOIDABLE = {
    "disbursement": ("disbursements", gettext_lazy("The disbursement was voided.")),
    "inspection": ("inspections", gettext_lazy("The inspection was voided.")),
    "progress": ("progress_updates", gettext_lazy("The progress update was voided.")),
}


@login_required
@require_POST
def record_void(
    request: HttpRequest, pk: int, record: str, record_pk: int
) -> HttpResponse:
    """Void a payment, inspection or progress update entered by mistake, with
    the reason typed on its row: kept struck through, counted nowhere. Only
    those who record them may; the record's guard (its save) refuses the
    rest (a settled project, a settlement payment, a refund)."""
    project = _project(request, pk, write=True)
    related, done = VOIDABLE[record]
    row = get_object_or_404(getattr(project, related), pk=record_pk)
    try:
        row.void(by=request.user, reason=request.POST.get("reason", ""))
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect(f"{reverse('money:project', args=[project.pk])}#{record}-{row.pk}")


# --- change history ------------------------------------------------------------------


@login_required
def project_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed which execution or money row, and when; one query per table."""
    project = _project(request, pk)
    sources = [
        Disbursement.history.filter(project_id=project.pk),
        EquipmentInvestment.history.filter(project_id=project.pk),
        EquipmentSerial.history.filter(equipment__project_id=project.pk),
        Inspection.history.filter(project_id=project.pk),
        ProgressUpdate.history.filter(project_id=project.pk),
        Acceptance.history.filter(project_id=project.pk),
        ExecutionPhoto.history.filter(project_id=project.pk),
        project.fundings.model.history.filter(project_id=project.pk),
    ]
    labels = {"+": _("added"), "~": _("changed"), "-": _("deleted")}
    entries = sorted(
        (
            {
                "at": row.history_date,
                "who": row.history_user,
                "record": rows.model.instance_type._meta.verbose_name,
                "change": labels.get(row.history_type, row.history_type),
                "now": str(row.instance),
            }
            for rows in sources
            for row in rows.select_related("history_user")
        ),
        key=lambda entry: entry["at"],
        reverse=True,
    )
    return render(
        request,
        "projects/money/history.html",
        {"project": project, "entries": entries},
    )


# --- lists across projects ------------------------------------------------------------


@login_required
def execution_list(request: HttpRequest) -> HttpResponse:
    """Approved projects with their money: approved, paid; filtered like the
    project list, in pages, with totals over everything filtered."""
    require(request.user, "read")
    projects = (
        Project.objects.visible_to(request.user)
        .filter(status__in=EXECUTION_PAGE_STATUSES)
        .annotate(
            approved_sum=measures.zero(Sum("fundings__approved")),
            disbursed_sum=measures.zero(Sum(measures.disbursed("fundings__"))),
        )
        .order_by("-created_at", "-pk")
    )
    filterset = ProjectFilter(request.GET, queryset=projects, request=request)
    filtered = filterset.qs
    page = Paginator(filtered, EXECUTION_PAGE_SIZE).get_page(request.GET.get("page"))
    # Totals over everything filtered, from the money read-model: a cancelled
    # project's approval no longer stands.
    totals = ProjectFunding.objects.filter(
        project__in=filtered.order_by().values("pk")
    ).aggregate(
        approved=measures.zero(Sum(measures.approved())),
        paid=measures.zero(Sum(measures.disbursed())),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/money/execution_list.html",
        {
            "rows": [(p, p.disbursed_sum) for p in page],
            "page": page,
            "filter": filterset,
            "totals": totals,
            "query": query.urlencode(),
        },
    )


@login_required
def overdue_inspections(request: HttpRequest) -> HttpResponse:
    require(request.user, "read")
    visible = Project.objects.visible_to(request.user)
    inspections = Inspection.objects.overdue().filter(project__in=visible)
    return render(
        request,
        "projects/money/overdue.html",
        {"inspections": inspections, "today": timezone.localdate()},
    )


@login_required
def establishment_equipment(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "read")
    establishment = get_object_or_404(Establishment, pk=pk)
    rows = EquipmentInvestment.objects.for_establishment(establishment)
    if not can(request.user, "view_drafts"):
        rows = rows.exclude(project__status=Status.DRAFT)
    return render(
        request,
        "projects/money/establishment_equipment.html",
        {"establishment": establishment, "rows": rows},
    )
