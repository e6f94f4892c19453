"""Pages of the establishment registry: list, detail, create/edit, import, export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .filters import BROAD_SEARCH_ORDER, BROAD_SEARCH_ORDER_CHOICE, EstablishmentFilter
from .forms import EstablishmentForm, ImportForm
from .importing.jobs import ImportBusy, import_job_start
from .listing import COUNT_CAP, CappedPaginator, detail_urls
from .models import Establishment, ImportJob
from .models.supported import supported_follow
from .policy import can, requires
from .services import establishment_export, establishment_import_template
from .templatetags.kc import num
from .xlsx import XLSX_CONTENT_TYPE

PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> EstablishmentFilter:
    queryset = Establishment.objects.select_related("commune").prefetch_related(
        "sectors"
    )
    return EstablishmentFilter(request.GET or None, queryset=queryset, request=request)


def _listed(request: HttpRequest) -> tuple[EstablishmentFilter, CappedPaginator]:
    """The filtered list and its paginator, as shown on screen and exported.

    The list, searched, filtered or whole, is counted up to COUNT_CAP rows
    ("more than 10,000": CappedPaginator), so that a broad search or the
    whole registry of a million establishments costs no more than a narrow
    search (the exact count of the registry took 53 ms). A search with
    more matches than the cap, in no order chosen by the user, is listed by
    registration, newest first: PostgreSQL reads that from the primary key
    and stops after a page, whereas sorting 100,000 matches by name reads
    them all (or walks the name index past every earlier name). The order
    select says so, and a narrower search is sorted by name again."""
    filterset = _filtered(request)
    queryset = filterset.qs
    paginator = CappedPaginator(queryset, PAGE_SIZE, cap=COUNT_CAP)
    form = filterset.form
    if (
        paginator.capped
        and form.is_valid()
        and form.cleaned_data.get("q")
        and not form.cleaned_data.get("order")
    ):
        paginator.object_list = queryset.order_by(*BROAD_SEARCH_ORDER)
        # What the order select shows; the form is already validated.
        data = form.data.copy()
        data["order"] = BROAD_SEARCH_ORDER_CHOICE
        form.data = data
        paginator.reordered = True
    return filterset, paginator


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Sections other apps add to the establishment page: each callable takes the
# request and the establishment and returns {"template": ..., **context}. The
# projects app registers its own in ready(), so the registry imports no app.
DETAIL_SECTIONS: list[Callable[[HttpRequest, Establishment], dict[str, Any]]] = []


@login_required
@requires("enterprises.view_establishment")
@require_GET
def establishment_list(request: HttpRequest) -> HttpResponse:
    filterset, paginator = _listed(request)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/establishment_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": establishment_rows(page),
            "query": query.urlencode(),
            "can_add": can(request.user, "enterprises.add_establishment"),
        },
    )


def establishment_rows(page) -> list[SafeString]:
    """The table's rows as HTML, written here in one format string each: the
    bytes the template's cells wrote (tests/enterprises/test_listing.py), at
    a fraction of their cost (a third of the page's time went to the 50
    rows' template tags, issue 20)."""
    url = detail_urls("enterprises:establishment_detail")
    inactive = INACTIVE % escape(_("inactive"))
    yes = escape(_("Yes"))
    rows = []
    for e in page:
        sectors = [s.name for s in e.sectors.all()]
        rows.append(
            # Every value below is escaped.
            mark_safe(
                ROW.format(
                    muted="" if e.is_active else ' class="text-muted"',
                    url=escape(url(e.pk)),
                    name=escape(e.name),
                    inactive="" if e.is_active else inactive,
                    kind=escape(e.get_kind_display()),
                    tax_code=escape(e.tax_code or "—"),
                    representative=escape(e.representative_name),
                    commune=escape(e.commune.name),
                    sectors=escape("; ".join(sectors) if sectors else "—"),
                    workers=escape(num(e.workers_total)),
                    women_owned=yes if e.women_owned else "",
                )
            )
        )
    return rows


# One row of the table, as templates/enterprises/establishment_list.html
# wrote it.
ROW = """
    <tr{muted}>
      <td><a href="{url}">{name}</a>{inactive}</td>
      <td>{kind}</td>
      <td>{tax_code}</td>
      <td>{representative}</td>
      <td>{commune}</td>
      <td>{sectors}</td>
      <td class="num">{workers}</td>
      <td>{women_owned}</td>
    </tr>
    """
INACTIVE = ' <span class="badge text-bg-secondary">%s</span>'


@login_required
@requires("enterprises.view_establishment")
@require_GET
def establishment_export_view(request: HttpRequest) -> HttpResponse:
    """The list as filtered and sorted on screen, every page of it."""
    _filterset, paginator = _listed(request)
    content = establishment_export(queryset=paginator.object_list)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx_response(content, f"co-so-cnnt-{stamp}.xlsx")


@login_required
@requires("enterprises.view_establishment")
@require_GET
def establishment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    establishment = get_object_or_404(
        Establishment.objects.select_related(
            "commune__province", "craft_village"
        ).prefetch_related("sectors"),
        pk=pk,
    )
    return render(
        request,
        "enterprises/establishment_detail.html",
        {
            "establishment": establishment,
            "eligibility": establishment.eligibility(),
            "history": establishment.history_entries(),
            "can_change": can(request.user, "enterprises.change_establishment"),
            # Centre staff draft projects (projects:create checks the same).
            "can_draft": can(request.user, "draft_projects"),
            "sections": [
                section(request, establishment) for section in DETAIL_SECTIONS
            ],
        },
    )


@login_required
@requires("enterprises.add_establishment")
def establishment_create(request: HttpRequest) -> HttpResponse:
    form = EstablishmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        establishment = form.save()
        messages.success(request, _("The establishment has been registered."))
        return redirect("enterprises:establishment_detail", pk=establishment.pk)
    return render(
        request, "enterprises/establishment_form.html", {"form": form, "creating": True}
    )


@login_required
@requires("enterprises.change_establishment")
def establishment_update(request: HttpRequest, pk: int) -> HttpResponse:
    establishment = get_object_or_404(Establishment, pk=pk)
    form = EstablishmentForm(request.POST or None, instance=establishment)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            # The board counts it with its flags and commune as they are now.
            supported_follow(establishment_ids=[establishment.pk])
        messages.success(request, _("The changes have been saved."))
        return redirect("enterprises:establishment_detail", pk=establishment.pk)
    return render(
        request,
        "enterprises/establishment_form.html",
        {"form": form, "establishment": establishment, "creating": False},
    )


IMPORT_PERMISSIONS = (
    "enterprises.add_establishment",
    "enterprises.change_establishment",
)


@login_required
@requires(*IMPORT_PERMISSIONS)
def establishment_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a workbook: it becomes an import job, followed on its own page."""
    form = ImportForm(request.POST or None, request.FILES or None)
    active = ImportJob.objects.active().filter(requested_by=request.user).first()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_start(
                file=upload,
                file_name=upload.name,
                dry_run=form.cleaned_data["dry_run"],
                user=request.user,
            )
        except ImportBusy as exc:
            form.add_error(None, exc)
        else:
            return redirect("enterprises:import_job", pk=job.pk)
    recent = ImportJob.objects.filter(requested_by=request.user).order_by(
        "-created_at"
    )[:5]
    return render(
        request,
        "enterprises/establishment_import.html",
        {"form": form, "active": active, "recent": recent},
    )


@login_required
@requires(*IMPORT_PERMISSIONS)
def import_job_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An import's progress and outcome; reloading it loses nothing."""
    job = get_object_or_404(ImportJob.objects.select_related("requested_by"), pk=pk)
    return render(request, "enterprises/import_job.html", {"job": job})


@never_cache
@require_GET
@login_required
@requires(*IMPORT_PERMISSIONS)
def import_job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by static/js/import-status.js while the job runs."""
    job = get_object_or_404(ImportJob, pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "rows_read": job.rows_read,
            "rows_total": job.rows_total,
            "progress": job.progress,
            "writing": job.writing,
            "finished": job.is_finished,
            "stale": job.is_stale,
        }
    )


@login_required
@requires("enterprises.add_establishment")
@require_GET
def establishment_import_template_view(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(establishment_import_template(), "mau-nhap-co-so-cnnt.xlsx")
