"""Pages of the establishment registry: list, detail, create/edit, import, export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .filters import EstablishmentFilter
from .forms import EstablishmentForm, ImportForm
from .models import Establishment
from .services import (
    establishment_export,
    establishment_import,
    establishment_import_template,
)
from .xlsx import XLSX_CONTENT_TYPE

PAGE_SIZE = 50
# Errors listed on the import page; the rest are counted, not shown.
MAX_ERRORS_SHOWN = 200


def _filtered(request: HttpRequest) -> EstablishmentFilter:
    queryset = Establishment.objects.select_related("commune").prefetch_related(
        "sectors"
    )
    return EstablishmentFilter(request.GET or None, queryset=queryset, request=request)


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Sections other apps add to the establishment page: each callable takes the
# request and the establishment and returns {"template": ..., **context}. The
# projects app registers its own in ready(), so the registry imports no app.
DETAIL_SECTIONS: list[Callable[[HttpRequest, Establishment], dict[str, Any]]] = []


@login_required
@permission_required("enterprises.view_establishment", raise_exception=True)
@require_GET
def establishment_list(request: HttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "enterprises/establishment_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_add": request.user.has_perm("enterprises.add_establishment"),
        },
    )


@login_required
@permission_required("enterprises.view_establishment", raise_exception=True)
@require_GET
def establishment_export_view(request: HttpRequest) -> HttpResponse:
    """The list as filtered and sorted on screen, every page of it."""
    filterset = _filtered(request)
    content = establishment_export(queryset=filterset.qs)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx_response(content, f"co-so-cnnt-{stamp}.xlsx")


@login_required
@permission_required("enterprises.view_establishment", raise_exception=True)
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
            "can_change": request.user.has_perm("enterprises.change_establishment"),
            "sections": [
                section(request, establishment) for section in DETAIL_SECTIONS
            ],
        },
    )


@login_required
@permission_required("enterprises.add_establishment", raise_exception=True)
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
@permission_required("enterprises.change_establishment", raise_exception=True)
def establishment_update(request: HttpRequest, pk: int) -> HttpResponse:
    establishment = get_object_or_404(Establishment, pk=pk)
    form = EstablishmentForm(request.POST or None, instance=establishment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes have been saved."))
        return redirect("enterprises:establishment_detail", pk=establishment.pk)
    return render(
        request,
        "enterprises/establishment_form.html",
        {"form": form, "establishment": establishment, "creating": False},
    )


@login_required
@permission_required(
    ["enterprises.add_establishment", "enterprises.change_establishment"],
    raise_exception=True,
)
def establishment_import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = establishment_import(
            file=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            user=request.user,
        )
        if result.ok and not result.dry_run:
            messages.success(request, result.summary())
            return redirect("enterprises:establishment_list")
    return render(
        request,
        "enterprises/establishment_import.html",
        {
            "form": form,
            "result": result,
            "errors_shown": result.errors[:MAX_ERRORS_SHOWN] if result else [],
            "errors_hidden": max(len(result.errors) - MAX_ERRORS_SHOWN, 0)
            if result
            else 0,
        },
    )


@login_required
@permission_required("enterprises.add_establishment", raise_exception=True)
@require_GET
def establishment_import_template_view(request: HttpRequest) -> HttpResponse:
    return _xlsx_response(establishment_import_template(), "mau-nhap-co-so-cnnt.xlsx")
