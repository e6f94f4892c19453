"""Signing up: the form, its throttle and the e-mail confirmation."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from .. import services
from ..forms import (
    SignUpForm,
)
from ..models import (
    ApplicantLink,
)

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
