"""The establishment's follow-up pages (its own only: another's is a 404)
and the centre's list and visit record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.policy import can, require, requires

from . import services
from .forms import FollowUpForm
from .models import FilledBy, FollowUp, FollowUpPhoto, FollowUpState

PAGE_SIZE = 50
PHOTO_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


def _record(request: HttpRequest, followup: FollowUp, *, visit: bool) -> HttpResponse:
    form = FollowUpForm(
        request.POST or None, request.FILES or None, instance=followup, visit=visit
    )
    if request.method == "POST" and form.is_valid():
        services.followup_record(
            followup=followup,
            by=request.user,
            filled_by=FilledBy.VISIT if visit else FilledBy.APPLICANT,
            figures=form.figures(),
            equipment=form.equipment(),
            photos=form.photos(),
            visit_date=form.cleaned_data.get("visit_date"),
        )
        messages.success(request, _("The follow-up was recorded. Thank you."))
        return redirect("followups:list" if visit else "followups:mine")
    return render(
        request,
        "followups/form.html",
        {
            "followup": followup,
            "form": form,
            "visit": visit,
            "photos": followup.photos.all(),
            "acceptance": getattr(followup.project, "acceptance", None),
        },
    )


# --- the establishment's own pages ---------------------------------------------------


@login_required
@requires("file_requests")
def mine(request: HttpRequest) -> HttpResponse:
    items = (
        FollowUp.objects.of_user(request.user)
        .select_related("project")
        .order_by(F("done_at").asc(nulls_first=True), "due_on", "pk")
    )
    return render(request, "followups/mine.html", {"items": items})


@login_required
@requires("file_requests")
def fill(request: HttpRequest, pk: int) -> HttpResponse:
    followup = get_object_or_404(
        FollowUp.objects.of_user(request.user).select_related(
            "project", "establishment"
        ),
        pk=pk,
    )
    return _record(request, followup, visit=False)


@login_required
def photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """Photos have no public URL: the centre's writers and the establishment
    get them here."""
    if can(request.user, "record_execution"):
        followups = FollowUp.objects.all()
    else:
        require(request.user, "file_requests")
        followups = FollowUp.objects.of_user(request.user)
    followup = get_object_or_404(followups, pk=pk)
    item = get_object_or_404(FollowUpPhoto, followup=followup, pk=photo_pk)
    extension = item.image.name.rsplit(".", 1)[-1].lower()
    if extension not in PHOTO_TYPES:
        raise Http404
    try:
        handle = item.image.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, content_type=PHOTO_TYPES[extension])


# --- the centre --------------------------------------------------------------------


@login_required
@requires("record_execution")
def staff_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    state = request.GET.get("state", "")
    if state not in FollowUpState.values:
        state = ""
    items = (
        FollowUp.objects.in_state(state, today)
        .select_related("project", "establishment")
        # What waits first (the most overdue on top), the answered last.
        .order_by(F("done_at").asc(nulls_first=True), "due_on", "pk")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = FollowUp.objects.state_counts(today)
    return render(
        request,
        "followups/staff_list.html",
        {
            "page": page,
            "state": state,
            "states": [(s, FollowUpState(s).label, counts[s]) for s in counts],
            "today": today,
        },
    )


@login_required
@requires("record_execution")
def record(request: HttpRequest, pk: int) -> HttpResponse:
    followup = get_object_or_404(
        FollowUp.objects.select_related("project", "establishment"), pk=pk
    )
    return _record(request, followup, visit=True)
