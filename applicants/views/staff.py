"""The centre's queues of accounts and requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.policy import require
from projects.forms.projects import show_refusal
from projects.models import Refused
from projects.views.refusals import tell_refusal

from .. import services
from ..forms import (
    AskForm,
    ConvertForm,
    DeclineForm,
    JoinForm,
    VerifyForm,
)
from ..models import (
    ApplicantLink,
    RequestStatus,
    SupportRequest,
)
from .accounts import establishments_with_accounts


@login_required
def staff_accounts(request: HttpRequest) -> HttpResponse:
    require(request.user, "handle_requests")
    waiting = ApplicantLink.objects.filter(verified_at__isnull=True).select_related(
        "user"
    )
    rows = [
        (link, VerifyForm(matches=services.registry_matches(link), prefix=link.pk))
        for link in waiting[:100]
    ]
    return render(
        request,
        "applicants/staff_accounts.html",
        {"rows": rows, "establishments": establishments_with_accounts()[:200]},
    )


@login_required
@require_POST
def staff_verify(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "handle_requests")
    link = get_object_or_404(ApplicantLink, pk=pk, verified_at__isnull=True)
    form = VerifyForm(
        request.POST, matches=services.registry_matches(link), prefix=link.pk
    )
    if not form.is_valid():
        messages.error(request, _("Choose the registry record of this account."))
        return redirect("applicants:staff_accounts")
    services.applicant_verify(
        link=link, establishment=form.cleaned_data["establishment"], by=request.user
    )
    messages.success(
        request,
        _("%(user)s may now file for %(name)s.")
        % {"user": link.user.email, "name": form.cleaned_data["establishment"].name},
    )
    return redirect("applicants:staff_accounts")


@login_required
def staff_requests(request: HttpRequest) -> HttpResponse:
    require(request.user, "handle_requests")
    waiting = (
        SupportRequest.objects.exclude(status=RequestStatus.DRAFT)
        .select_related("establishment", "content", "project")
        .order_by("status", "-submitted_at", "-pk")
    )
    status = request.GET.get("status", RequestStatus.SUBMITTED)
    if status in RequestStatus.values:
        waiting = waiting.filter(status=status)
    return render(
        request,
        "applicants/staff_requests.html",
        {
            "items": waiting[:200],
            "status": status,
            "statuses": [
                (value, label)
                for value, label in RequestStatus.choices
                if value != RequestStatus.DRAFT
            ],
        },
    )


def _staff_page(
    request: HttpRequest, item: SupportRequest, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "item": item,
        "thread": item.messages.select_related("author").prefetch_related("documents"),
        "documents": item.documents.all(),
        "check": services.request_check(item),
        "ask_form": AskForm(),
        "decline_form": DeclineForm(),
        "convert_form": ConvertForm(),
        "join_form": JoinForm(request=item),
        **forms,
    }
    return render(request, "applicants/staff_request.html", context, status=status)


def _staff_request(request: HttpRequest, pk: int) -> SupportRequest:
    require(request.user, "handle_requests")
    return get_object_or_404(
        SupportRequest.objects.exclude(status=RequestStatus.DRAFT).select_related(
            "establishment", "content", "project"
        ),
        pk=pk,
    )


@login_required
def staff_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_page(request, _staff_request(request, pk))


def _staff_reply(
    request: HttpRequest, pk: int, form_class: type, field: str, act, done: str
) -> HttpResponse:
    """A staff answer to a request (a question, a decline) written by `act`
    from the form's one field; the page again, with the form, when it is
    not valid."""
    item = _staff_request(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        name = f"{form_class.__name__.removesuffix('Form').lower()}_form"
        return _staff_page(request, item, status=400, **{name: form})
    try:
        act(request=item, by=request.user, **{field: form.cleaned_data[field]})
    except Refused as refused:
        tell_refusal(request, refused)
    else:
        messages.success(request, done)
    return redirect("applicants:staff_request", pk=item.pk)


@login_required
@require_POST
def staff_ask(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_reply(
        request,
        pk,
        AskForm,
        "body",
        services.request_ask,
        _("The question was sent to the establishment."),
    )


@login_required
@require_POST
def staff_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_reply(
        request,
        pk,
        DeclineForm,
        "reason",
        services.request_decline,
        _("The request was declined."),
    )


@login_required
@require_POST
def staff_convert(request: HttpRequest, pk: int) -> HttpResponse:
    item = _staff_request(request, pk)
    form = ConvertForm(request.POST)
    if not form.is_valid():
        return _staff_page(request, item, status=400, convert_form=form)
    try:
        project = services.request_to_project(
            request=item, by=request.user, plan=form.cleaned_data["plan"]
        )
    except Refused as refused:
        tell_refusal(request, refused)
        return redirect("applicants:staff_request", pk=item.pk)
    messages.success(
        request, _("Draft project %(code)s was made.") % {"code": project.code}
    )
    return redirect(project)


@login_required
@require_POST
def staff_join(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept the request into a group project still in draft."""
    item = _staff_request(request, pk)
    form = JoinForm(request.POST, request=item)
    if not form.is_valid():
        return _staff_page(request, item, status=400, join_form=form)
    try:
        project = services.request_join_project(
            request=item,
            by=request.user,
            project=form.cleaned_data["project"],
            plan=form.cleaned_data["plan"],
        )
    except Refused as refused:
        show_refusal(form, refused)
        return _staff_page(request, item, status=400, join_form=form)
    messages.success(
        request,
        _("The request joined project %(code)s.") % {"code": project.code},
    )
    return redirect(project)
