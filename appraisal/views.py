"""The council's pages: the list, a council (agenda, members, results), a
member's score sheet, closing, and a project's way to its council.

Reviewers (the Sở) hold "run_councils": they see every council, create them
and seat members. Anyone else sees only the councils they sit on; another
council answers 404, as if it did not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.policy import can, requires
from projects.models import Project, Refused
from projects.views.refusals import tell_refusal

from . import services
from .forms import AgendaForm, CouncilForm, MemberForm, SheetForm
from .models import Council, Member, ScoreSheet


def _council(request: HttpRequest, pk: int) -> Council:
    return get_object_or_404(
        Council.objects.visible_to(request.user)
        .select_related("criteria_set")
        .prefetch_related("members__user"),
        pk=pk,
    )


@login_required
@requires("read")
def council_list(request: HttpRequest) -> HttpResponse:
    councils = (
        Council.objects.visible_to(request.user)
        .select_related("criteria_set")
        .prefetch_related("agenda__project")
    )
    return render(request, "appraisal/council_list.html", {"councils": councils})


@login_required
@requires("run_councils")
def council_create(request: HttpRequest) -> HttpResponse:
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            council = services.council_create(by=request.user, **form.cleaned_data)
        except Refused as refused:
            form.add_error("meeting_date", refused.messages[0])
        else:
            return redirect("appraisal:detail", council.pk)
    return render(request, "appraisal/council_form.html", {"form": form})


def _detail(
    request: HttpRequest,
    council: Council,
    agenda_form: AgendaForm | None = None,
    member_form: MemberForm | None = None,
    status: int = 200,
) -> HttpResponse:
    members = list(council.members.all())
    results = services.council_results(council)
    runs = can(request.user, "run_councils") and not council.is_closed
    secretary = council.secretary
    enters = {m.pk for m in members if services.may_enter_sheet(m, request.user)}
    sees_all = services.sees_scores(council, request.user)
    return render(
        request,
        "appraisal/council_detail.html",
        {
            "council": council,
            "criteria": list(council.criteria_set.criteria.all()),
            "members": members,
            "results": results,
            # Which members' sheets this user enters (own; outsiders' for the
            # secretary).
            "enters": enters,
            # Columns of the members whose scores this user may read now.
            "shown": [i for i, m in enumerate(members) if sees_all or m.pk in enters],
            "sees_all": sees_all,
            "agenda_form": agenda_form or (AgendaForm(council) if runs else None),
            "member_form": member_form or (MemberForm(council) if runs else None),
            "closes": not council.is_closed
            and secretary is not None
            and secretary.user_id == request.user.pk,
        },
        status=status,
    )


@login_required
@requires("read")
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _council(request, pk))


@login_required
@requires("run_councils")
@require_POST
def council_add_project(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(request, pk)
    form = AgendaForm(council, request.POST)
    if form.is_valid():
        try:
            services.council_add_project(
                council=council, project=form.cleaned_data["project"]
            )
        except Refused as refused:
            form.add_error("project", refused.messages[0])
        else:
            return redirect("appraisal:detail", council.pk)
    return _detail(request, council, agenda_form=form, status=400)


@login_required
@requires("run_councils")
@require_POST
def council_add_member(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(request, pk)
    form = MemberForm(council, request.POST)
    if form.is_valid():
        try:
            services.council_add_member(council=council, **form.cleaned_data)
        except Refused as refused:
            form.add_error("function", refused.messages[0])
        else:
            return redirect("appraisal:detail", council.pk)
    return _detail(request, council, member_form=form, status=400)


@login_required
@requires("read")
def sheet(
    request: HttpRequest, pk: int, member_pk: int, project_pk: int
) -> HttpResponse:
    """A member's scores on one project: theirs, or an outsider's for the
    secretary. Anyone else gets 404."""
    council = _council(request, pk)
    member = get_object_or_404(Member, council=council, pk=member_pk)
    project = get_object_or_404(Project, pk=project_pk, council_agenda__council=council)
    if not services.may_enter_sheet(member, request.user):
        raise Http404
    existing = (
        ScoreSheet.objects.filter(member=member, project=project)
        .prefetch_related("scores")
        .first()
    )
    initial = (
        {s.criterion_id: s.value for s in existing.scores.all()} if existing else {}
    )
    form = SheetForm(
        council,
        request.POST or None,
        initial_scores=initial,
        initial={"opinion": existing.opinion if existing else ""},
    )
    status = 200
    if request.method == "POST":
        if council.is_closed:
            messages.error(
                request, _("The council's session is closed: nothing can change.")
            )
            return redirect("appraisal:detail", council.pk)
        if form.is_valid():
            try:
                services.sheet_save(
                    member=member,
                    project=project,
                    by=request.user,
                    scores=form.scores(),
                    opinion=form.cleaned_data["opinion"],
                )
            except Refused as refused:
                form.add_error(None, refused.messages[0])
            else:
                messages.success(request, _("The scores were saved."))
                return redirect("appraisal:detail", council.pk)
        status = 400
    return render(
        request,
        "appraisal/sheet.html",
        {"council": council, "member": member, "project": project, "form": form},
        status=status,
    )


@login_required
@requires("read")
@require_POST
def council_close(request: HttpRequest, pk: int) -> HttpResponse:
    council = _council(request, pk)
    try:
        services.council_close(council=council, by=request.user)
    except Refused as refused:
        tell_refusal(request, refused)
    else:
        messages.success(request, _("The session is closed; the results are recorded."))
    return redirect("appraisal:detail", council.pk)


@login_required
@requires("read")
def project_council(request: HttpRequest, project_pk: int) -> HttpResponse:
    """The "council" step of a project's page: its council, or the list of
    councils when it is on none yet."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=project_pk)
    council = (
        Council.objects.visible_to(request.user)
        .filter(agenda__project=project)
        .order_by("-pk")
        .first()
    )
    if council is not None:
        return redirect("appraisal:detail", council.pk)
    messages.info(
        request,
        _("Project %(code)s is on no council yet: add it to one.")
        % {"code": project.code},
    )
    return redirect("appraisal:list")
