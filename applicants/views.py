"""The applicants' pages and the centre's queues of accounts and requests.

Every applicant page reads through `_link` (an applicant account bound to a
verified establishment) and `SupportRequest.objects.of_user`: a record of
another establishment is a 404, never a page. Staff pages refuse everyone
but the centre's staff.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.roles import Role, has_role
from projects.lifecycle import next_steps
from projects.models import Project, Refused

from . import services
from .forms import (
    AskForm,
    ConvertForm,
    DeclineForm,
    DocumentForm,
    MessageForm,
    RequestForm,
    SignUpForm,
    VerifyForm,
)
from .models import (
    ApplicantLink,
    RequestDocument,
    RequestStatus,
    SupportRequest,
)
from .services import RequestError

# Sign-ups from one address within an hour; more is a script, not a person.
SIGNUPS_PER_HOUR = 5


def _signup_key(request: HttpRequest) -> str:
    # The address as axes reads it (behind the proxies we trust).
    return f"kc-signup:{get_client_ip_address(request)}"


def _signup_throttled(request: HttpRequest) -> bool:
    """Refused when axes has locked this address out for that e-mail, or when
    the address has signed up too often within the hour."""
    email = (request.POST.get("email") or "").strip().lower()
    if AxesProxyHandler.is_locked(request, {"username": email}):
        return True
    return cache.get(_signup_key(request), 0) >= SIGNUPS_PER_HOUR


def _count_signup(request: HttpRequest) -> None:
    key = _signup_key(request)
    cache.add(key, 0, 3600)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)


def _send_confirmation(request: HttpRequest, link: ApplicantLink) -> None:
    user = link.user
    url = request.build_absolute_uri(
        reverse(
            "applicants:confirm",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                default_token_generator.make_token(user),
            ],
        )
    )
    body = render_to_string(
        "applicants/email_confirm.txt", {"url": url, "link": link}, request=request
    )
    send_mail(
        _("Confirm your e-mail for the industrial extension portal"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if _signup_throttled(request):
            return render(request, "applicants/throttled.html", status=429)
        if form.is_valid():
            _count_signup(request)
            data = form.cleaned_data
            link = services.applicant_sign_up(
                email=data["email"],
                password=data["password1"],
                claimed_code=data["claimed_code"],
                claimed_name=data["claimed_name"],
                phone=data["phone"],
            )
            _send_confirmation(request, link)
            return redirect("applicants:signup_done")
    return render(request, "applicants/signup.html", {"form": form})


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "applicants/signup_done.html")


def confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        link = ApplicantLink.objects.select_related("user").get(user_id=pk)
    except (ValueError, TypeError, OverflowError, ApplicantLink.DoesNotExist):
        link = None
    if link is None or not default_token_generator.check_token(link.user, token):
        return render(request, "applicants/confirm_failed.html", status=400)
    services.applicant_confirm_email(link=link)
    messages.success(
        request,
        _("Your e-mail is confirmed. Log in; the centre will verify your account."),
    )
    return redirect("login")


# --- the applicant's own pages --------------------------------------------------


def _account(request: HttpRequest) -> ApplicantLink:
    """The applicant's account, verified or not; others are refused."""
    if not has_role(request.user, Role.APPLICANT):
        raise PermissionDenied
    link = ApplicantLink.objects.filter(user=request.user).first()
    if link is None:
        raise PermissionDenied
    return link


def _link(request: HttpRequest) -> ApplicantLink:
    """An account that may file: bound to a verified establishment."""
    link = _account(request)
    if not link.may_file:
        raise PermissionDenied
    return link


def _own_request(request: HttpRequest, pk: int) -> SupportRequest:
    _link(request)
    return get_object_or_404(
        SupportRequest.objects.of_user(request.user).select_related(
            "establishment", "content", "project"
        ),
        pk=pk,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    link = _account(request)
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
    _link(request)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.request_save(request=form.instance, by=request.user)
        except RequestError as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("applicants:request_edit", pk=item.pk)
    return render(
        request,
        "applicants/request_form.html",
        {"form": form, "fields": _checked_fields(form, None), "item": None},
    )


@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_request(request, pk)
    if not item.applicant_may_edit:
        return redirect(item)
    form = RequestForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_save(request=form.instance, by=request.user)
        except RequestError as refused:
            for message in refused.messages:
                form.add_error(None, message)
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
    item = _own_request(request, pk)
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
    item = _own_request(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_add_document(
                request=item,
                by=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["upload"],
            )
        except RequestError as refused:
            for message in refused.messages:
                messages.error(request, message)
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
    item = _own_request(request, pk)
    try:
        services.request_submit(request=item, by=request.user)
    except RequestError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect("applicants:request_edit", pk=item.pk)
    messages.success(request, _("The request was sent to the centre."))
    return redirect(item)


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = _own_request(request, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_answer(
                request=item,
                by=request.user,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["uploads"],
            )
        except RequestError as refused:
            for message in refused.messages:
                messages.error(request, message)
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
def projects(request: HttpRequest) -> HttpResponse:
    """The establishment's projects, each with where it stands and who acts
    next (the lifecycle table), in plain words."""
    link = _link(request)
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
def document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A request's document, for the centre's staff and the establishment's
    own accounts only."""
    if has_role(request.user, Role.STAFF):
        # The centre sees a request once it is sent, as in its queue.
        item = get_object_or_404(
            SupportRequest.objects.exclude(status=RequestStatus.DRAFT), pk=pk
        )
    else:
        item = _own_request(request, pk)
    doc = get_object_or_404(RequestDocument, request=item, pk=document_pk)
    return FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=doc.original_name,
        content_type=doc.content_type,
    )


# --- the centre's queues ----------------------------------------------------------


def _staff(request: HttpRequest) -> None:
    if not has_role(request.user, Role.STAFF):
        raise PermissionDenied


@login_required
def staff_accounts(request: HttpRequest) -> HttpResponse:
    _staff(request)
    waiting = ApplicantLink.objects.filter(verified_at__isnull=True).select_related(
        "user"
    )
    rows = [
        (link, VerifyForm(matches=services.registry_matches(link), prefix=link.pk))
        for link in waiting[:100]
    ]
    return render(request, "applicants/staff_accounts.html", {"rows": rows})


@login_required
@require_POST
def staff_verify(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
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
    _staff(request)
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
        **forms,
    }
    return render(request, "applicants/staff_request.html", context, status=status)


def _staff_request(request: HttpRequest, pk: int) -> SupportRequest:
    _staff(request)
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
    except RequestError as refused:
        for message in refused.messages:
            messages.error(request, message)
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
    except (RequestError, Refused) as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect("applicants:staff_request", pk=item.pk)
    messages.success(
        request, _("Draft project %(code)s was made.") % {"code": project.code}
    )
    return redirect(project)
