"""The applicant's own requests: writing, documents, sending, answering."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.policy import can
from projects.forms.projects import show_refusal
from projects.models import Refused
from projects.views.refusals import tell_refusal

from .. import services
from ..forms import (
    DocumentForm,
    MessageForm,
    RequestForm,
)
from ..models import (
    RequestDocument,
    RequestStatus,
    SupportRequest,
)
from .common import applicant_account, filing_account, own_request


@login_required
def home(request: HttpRequest) -> HttpResponse:
    link = applicant_account(request)
    items = (
        SupportRequest.objects.of_user(request.user)
        .select_related("project")
        .order_by("-created_at", "-pk")
        if link.may_file
        else SupportRequest.objects.none()
    )
    return render(
        request,
        "applicants/home.html",
        {"link": link, "requests": items, "establishment": link.establishment},
    )


def _checked_fields(form: RequestForm, check: services.RequestCheck | None):
    """(field, rule messages about it) in form order, for the template."""
    problems = check.problems if check is not None else {}
    return [(form[name], problems.get(name, [])) for name in form.fields]


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    filing_account(request)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.request_save(request=form.instance, by=request.user)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("applicants:request_edit", pk=item.pk)
    return render(
        request,
        "applicants/request_form.html",
        {"form": form, "fields": _checked_fields(form, None), "item": None},
    )


@login_required
@require_POST
def request_check(request: HttpRequest) -> JsonResponse:
    """The rule check of a request as typed, not saved: the same
    services.request_check the server runs on every save and on sending,
    by form field, for js/request-check.js to show next to the fields."""
    link = filing_account(request)
    form = RequestForm(request.POST)
    form.is_valid()  # fills form.instance with the fields that are valid
    item = form.instance
    item.establishment = link.establishment
    check = services.request_check(item)
    fields = {
        ("" if name == NON_FIELD_ERRORS else name): [str(e) for e in errors]
        for name, errors in form.errors.items()
    }
    for name, problems in check.problems.items():
        fields.setdefault(name, []).extend(problems)
    return JsonResponse(
        {
            "fields": {name: ms for name, ms in fields.items() if name},
            "general": fields.get("", []),
            "notes": check.notes,
            "ok": not fields,
        }
    )


@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = own_request(request, pk)
    if not item.applicant_may_edit:
        return redirect(item)
    form = RequestForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_save(request=form.instance, by=request.user)
        except Refused as refused:
            show_refusal(form, refused)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("applicants:request_edit", pk=item.pk)
    # The rules are checked on every save, against what is stored.
    check = services.request_check(item) if request.method == "GET" else None
    return render(
        request,
        "applicants/request_form.html",
        {
            "form": form,
            "fields": _checked_fields(form, check),
            "general": check.problems.get("", []) if check is not None else [],
            "notes": check.notes if check is not None else [],
            "checked_ok": check is not None and not check.problems,
            "item": item,
            "document_form": DocumentForm(),
        },
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = own_request(request, pk)
    return render(
        request,
        "applicants/request_detail.html",
        {
            "item": item,
            "thread": item.messages.select_related("author").prefetch_related(
                "documents"
            ),
            "documents": item.documents.all(),
            "answer_form": MessageForm()
            if item.status == RequestStatus.RETURNED
            else None,
            "document_form": DocumentForm() if item.applicant_may_edit else None,
        },
    )


@login_required
@require_POST
def request_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = own_request(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_add_document(
                request=item,
                by=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["upload"],
            )
        except Refused as refused:
            tell_refusal(request, refused)
        else:
            messages.success(request, _("The document was added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    if request.POST.get("back") == "edit":
        return redirect("applicants:request_edit", pk=item.pk)
    return redirect(item)


@login_required
@require_POST
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    item = own_request(request, pk)
    try:
        services.request_submit(request=item, by=request.user)
    except Refused as refused:
        tell_refusal(request, refused)
        return redirect("applicants:request_edit", pk=item.pk)
    messages.success(request, _("The request was sent to the centre."))
    return redirect(item)


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = own_request(request, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_answer(
                request=item,
                by=request.user,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["uploads"],
            )
        except Refused as refused:
            tell_refusal(request, refused)
        else:
            messages.success(request, _("Your answer was sent to the centre."))
            return redirect(item)
    thread = item.messages.select_related("author").prefetch_related("documents")
    return render(
        request,
        "applicants/request_detail.html",
        {
            "item": item,
            "thread": thread,
            "documents": item.documents.all(),
            "answer_form": form,
            "document_form": None,
        },
        status=400 if form.errors else 200,
    )


@login_required
def document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A request's document, for the centre's staff and the establishment's
    own accounts only."""
    if can(request.user, "handle_requests"):
        # The centre sees a request once it is sent, as in its queue.
        item = get_object_or_404(
            SupportRequest.objects.exclude(status=RequestStatus.DRAFT), pk=pk
        )
    else:
        item = own_request(request, pk)
    doc = get_object_or_404(RequestDocument, request=item, pk=document_pk)
    return FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=doc.original_name,
        content_type=doc.content_type,
    )
