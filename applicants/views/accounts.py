"""The centre manages the accounts of an establishment: sees them, closes or
reopens one, adds another (one establishment may have several)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from enterprises.models import Establishment
from enterprises.policy import require
from projects.forms.projects import show_refusal
from projects.models import Refused
from projects.views.refusals import tell_refusal

from .. import services
from ..forms import AccountForm
from ..models import ApplicantLink


def establishments_with_accounts():
    """Establishments with a verified account, and how many are open."""
    return (
        Establishment.objects.filter(applicant_links__verified_at__isnull=False)
        .annotate(
            accounts=Count("applicant_links", distinct=True),
            open_accounts=Count(
                "applicant_links",
                filter=Q(applicant_links__user__is_active=True),
                distinct=True,
            ),
        )
        .order_by("name", "pk")
    )


def _page(
    request: HttpRequest, establishment: Establishment, form: AccountForm, status=200
) -> HttpResponse:
    links = establishment.applicant_links.select_related(
        "user", "verified_by"
    ).order_by("created_at", "pk")
    return render(
        request,
        "applicants/staff_establishment_accounts.html",
        {"establishment": establishment, "links": links, "form": form},
        status=status,
    )


@login_required
def establishment_accounts(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "handle_requests")
    establishment = get_object_or_404(Establishment, pk=pk)
    return _page(request, establishment, AccountForm())


def _send_invitation(request: HttpRequest, link: ApplicantLink) -> None:
    """The link to choose a password (Django's password-reset confirmation):
    the account opens once its owner has it, which proves the address."""
    user = link.user
    url = request.build_absolute_uri(
        reverse(
            "password_reset_confirm",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                default_token_generator.make_token(user),
            ],
        )
    )
    body = render_to_string(
        "applicants/email_invite.txt", {"url": url, "link": link}, request=request
    )
    send_mail(
        _("Your account on the industrial extension portal"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


@login_required
@require_POST
def account_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "handle_requests")
    establishment = get_object_or_404(Establishment, pk=pk)
    form = AccountForm(request.POST)
    if form.is_valid():
        try:
            link = services.applicant_add_account(
                establishment=establishment,
                email=form.cleaned_data["email"],
                phone=form.cleaned_data["phone"],
                by=request.user,
            )
        except Refused as refused:
            show_refusal(form, refused)
        else:
            _send_invitation(request, link)
            messages.success(
                request,
                _(
                    "The account %(email)s was added; a link to set its password "
                    "was sent."
                )
                % {"email": link.user.email},
            )
            return redirect("applicants:establishment_accounts", pk=establishment.pk)
    return _page(request, establishment, form, status=400)


@login_required
@require_POST
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "handle_requests")
    link = get_object_or_404(
        ApplicantLink.objects.select_related("user"),
        pk=pk,
        establishment__isnull=False,
    )
    active = request.POST.get("active") == "1"
    try:
        services.applicant_set_active(link=link, active=active, by=request.user)
    except Refused as refused:
        tell_refusal(request, refused)
    else:
        messages.success(
            request,
            (_("%(email)s may log in again.") if active else _("%(email)s is closed."))
            % {"email": link.user.email},
        )
    return redirect("applicants:establishment_accounts", pk=link.establishment_id)
