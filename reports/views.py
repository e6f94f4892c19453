"""Report pages: request a report, follow its job, download, history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from appraisal.models import Council
from appraisal.services import sees_scores
from enterprises.policy import requires
from enterprises.text import search
from projects.models import Project

from .documents import PAPERS, write_paper
from .forms import ReportRequestForm
from .minutes import minutes_file_name, minutes_pdf
from .models import ReportFormat, ReportJob, ReportKind, ascii_name
from .services import dossier_request, report_issue, report_parameters, report_request

CAN_REQUEST = "reports.add_reportjob"
CAN_VIEW = "reports.view_reportjob"
# Issuing gives a number of the centre's register: the director's office.
CAN_ISSUE = "reports.add_registerentry"
HISTORY_PAGE_SIZE = 50


@login_required
@requires(CAN_REQUEST)
def request_report(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = report_request(
            kind=form.cleaned_data["kind"],
            parameters=report_parameters(
                period=form.cleaned_data["period"],
                source=form.cleaned_data["source"],
                unit=form.cleaned_data.get("unit") or "",
            ),
            requested_by=request.user,
        )
        return redirect("reports:detail", pk=job.pk)
    recent = ReportJob.objects.for_history().filter(requested_by=request.user)[:5]
    return render(request, "reports/request.html", {"form": form, "recent": recent})


@login_required
@requires(CAN_REQUEST)
@require_POST
def request_dossier(request: HttpRequest, project_pk: int) -> HttpResponse:
    """The project page's "dossier" button: a job for that project only."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=project_pk)
    job = dossier_request(project=project, requested_by=request.user)
    return redirect("reports:detail", pk=job.pk)


def _visible_job(
    request: HttpRequest,
    pk: int,
    queryset: QuerySet[ReportJob] | None = None,
    **filters: Any,
) -> tuple[ReportJob, Project | None]:
    """The job, and for a dossier its project, if the user may see that
    project: a dossier carries all of a project's documents, so it is never
    shown to someone the project page itself would refuse."""
    if queryset is None:
        queryset = ReportJob.objects.all()
    job = get_object_or_404(queryset, pk=pk, **filters)
    if job.project_id is None:
        return job, None
    project = (
        Project.objects.visible_to(request.user)
        .filter(pk=job.project_id)
        .only("pk", "code", "title")
        .first()
    )
    if project is None:
        raise Http404
    return job, project


@login_required
@requires(CAN_VIEW)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job, project = _visible_job(request, pk, ReportJob.objects.for_history())
    return render(request, "reports/detail.html", {"job": job, "project": project})


@never_cache
@require_GET
@login_required
@requires(CAN_VIEW)
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by static/js/report-status.js while the job runs."""
    job, _project = _visible_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "finished": job.is_finished,
            "stale": job.is_stale,
        }
    )


@login_required
@requires(CAN_VIEW)
def download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """Serve a report file from private storage (there is no public media URL)."""
    if fmt not in ReportFormat.values:
        raise Http404
    job, _project = _visible_job(request, pk, status=ReportJob.Status.DONE)
    file = job.file_for(fmt)
    if file is None or not file.storage.exists(file.name):
        raise Http404
    return FileResponse(
        file.open("rb"), as_attachment=True, filename=job.download_name(fmt)
    )


@login_required
@requires(CAN_VIEW)
def history(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    jobs = search(
        ReportJob.objects.for_history(),
        q,
        "requested_by__first_name",
        "requested_by__last_name",
        "requested_by__username",
        labels={"kind": ReportKind.choices},
    )
    paginator = Paginator(jobs, HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("trang"))
    return render(request, "reports/history.html", {"page": page, "q": q})


@login_required
@requires(CAN_ISSUE)
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Ban hành": the next number of the register, then the files again
    with it (no longer drafts)."""
    job, _project = _visible_job(request, pk)
    try:
        entry = report_issue(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Issued as no. %(number)s; the files are being made again with it.")
            % {"number": entry.reference},
        )
    return redirect("reports:detail", pk=job.pk)


@login_required
@requires(CAN_REQUEST)
@require_GET
def paper(request: HttpRequest, project_pk: int, key: str) -> HttpResponse:
    """A standard paper (tờ trình, draft decision, contract, minutes) filled
    from the project's record, as an editable Word file."""
    if key not in PAPERS:
        raise Http404
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related(
            "content", "commune__province"
        ),
        pk=project_pk,
    )
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document"
    )
    name = f"{PAPERS[key].file_stem}_{ascii_name(project.code)}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    write_paper(key, project, response)
    return response


@login_required
@require_GET
def council_minutes(request: HttpRequest, council_pk: int) -> HttpResponse:
    """The council's minutes as PDF, for whoever may see the council (its
    members, the Sở's reviewers); a draft while the session is open."""
    council = get_object_or_404(
        Council.objects.visible_to(request.user).select_related("criteria_set"),
        pk=council_pk,
    )
    if not sees_scores(council, request.user):
        raise Http404  # a member reads the others' scores once it is closed
    response = HttpResponse(content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{minutes_file_name(council)}"'
    )
    minutes_pdf(council, response)
    return response
