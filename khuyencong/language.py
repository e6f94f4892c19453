"""The interface language: a user's own, kept on their account and applied at
login on any browser; the cookie for anonymous visitors; Vietnamese otherwise.

The account's choice is copied into the session (SESSION_KEY) at login and
when the user chooses, so PortalLanguageMiddleware reads it on every request
without a query of its own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .models import UserPreference

SESSION_KEY = "kc_language"


def supported(code: str | None) -> bool:
    return code in {c for c, _name in settings.LANGUAGES}


def chosen_language(request: HttpRequest) -> str:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        mine = session.get(SESSION_KEY)
        if supported(mine):
            return mine
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if supported(cookie) else settings.LANGUAGE_CODE


def remember(user: Any, language: str) -> None:
    UserPreference.objects.update_or_create(user=user, defaults={"language": language})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switch (the cookie, then back to `next`), and for a signed-in
    user the account's language, so the next login anywhere opens in it."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if supported(language) and request.user.is_authenticated:
        remember(request.user, language)
        request.session[SESSION_KEY] = language
    return response


def apply_at_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """user_logged_in: the account's language into the new session. An
    account that never chose adopts what was chosen on the login page."""
    if request is None or not hasattr(request, "session"):
        return
    mine = (
        UserPreference.objects.filter(user=user)
        .values_list("language", flat=True)
        .first()
    )
    if not supported(mine):
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not supported(cookie) or cookie == settings.LANGUAGE_CODE:
            return
        remember(user, cookie)
        mine = cookie
    request.session[SESSION_KEY] = mine
