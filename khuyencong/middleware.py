"""Security headers Django 5.2 does not set by itself; posted text in NFC."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from enterprises.text import strip_invisible

# No 'unsafe-inline': templates load every script and style from /static/.
# data: images are Bootstrap's inline SVG icons (navbar toggler, select arrow).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class PublicPageMiddleware:
    """The public page for visitors without a session, from the cache of
    finished pages (public.page_cache), before the session, language, CSRF,
    user, messages and lock-out middleware below it: a warm page costs a read
    of the data version and no query. It sits below the security headers'
    middleware, which add theirs (the Content-Security-Policy among them) to
    its answers as to every page. A cold page goes through the whole stack
    and is kept on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from public import page_cache

        from .language import chosen_language

        # Without a session, the language is the visitor's cookie or ours.
        key = page_cache.page_key(request, chosen_language(request))
        if key is None:
            return self.get_response(request)
        page = page_cache.cached_page(key)
        if page is None:
            response = self.get_response(request)
            page = page_cache.keep_page(key, response)
            if page is None:
                return response
        return page_cache.answer(request, page)


class PrivateNoStoreMiddleware:
    """What a signed-in user is shown is kept by no cache, shared or not.

    Pages and downloads carry names, tax codes and money; a shared proxy or a
    browser's disk cache on an office computer must not keep them for the next
    person (`Cache-Control: no-store, private`, and the older directives
    `add_never_cache_headers` adds for old proxies). Static files never reach
    this far: whitenoise answers them before the session is read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class PortalLanguageMiddleware:
    """Vietnamese for everyone; English only for those who chose it.

    It takes the place of Django's LocaleMiddleware (which follows the
    browser's Accept-Language, so an officer whose Chrome is set to English
    got an English portal) and sits after SessionMiddleware, whose session it
    reads. The browser's wish is ignored; the language is, in order:

    - a signed-in user's own choice (khuyencong.language.chosen_language:
      their UserPreference, copied into the session at login and whenever
      they choose, so that no request pays a query for it);
    - the cookie of the switch in the user menu or on the login page (the
      anonymous visitor's choice);
    - LANGUAGE_CODE.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .language import chosen_language

        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The page depends on the cookie, never on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class NormaliseFormTextMiddleware:
    """Every text a browser posts or searches reaches the views in Unicode NFC,
    without characters that print as nothing.

    Vietnamese typed on some keyboards (macOS, certain Telex/VNI settings) or
    pasted from PDFs arrives decomposed (NFD): "Ơ" as "O" + combining horn.
    Text pasted from chat or web pages may carry zero-width spaces or joiners.
    Stored as such it looks identical but never matches in search, sorting or
    duplicate checks. Normalising once at the door covers every form and every
    search; forms and the import trim and clean again with the same function
    (enterprises.text). Passwords are only composed, never stripped.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: object) -> None:
        if request.GET:
            request.GET = _normalised(request.GET)
        if request.method == "POST" and request.content_type in self.FORM_TYPES:
            request.POST = _normalised(request.POST)
        return None


def _normalised(query: QueryDict) -> QueryDict:
    """`query`, or a copy with every value cleaned (passwords only composed)."""
    changed = False
    cleaned: dict[str, list[str]] = {}
    for key, values in query.lists():
        clean = _compose if "password" in key else strip_invisible
        cleaned[key] = [clean(v) for v in values]
        changed = changed or cleaned[key] != values
    if not changed:
        return query
    normalised = query.copy()
    for key, values in cleaned.items():
        normalised.setlist(key, values)
    normalised._mutable = False
    return normalised


def _compose(value: str) -> str:
    # A password typed in NFD on one keyboard matches the same one typed in
    # NFC on another; nothing else about it is changed.
    return unicodedata.normalize("NFC", value)
