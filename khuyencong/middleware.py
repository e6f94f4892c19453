"""Security headers Django 5.2 does not set by itself; posted text in NFC."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import add_never_cache_headers

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


class NormaliseFormTextMiddleware:
    """Every text a browser posts reaches the views in Unicode NFC.

    Vietnamese typed on some keyboards (macOS, certain Telex/VNI settings) or
    pasted from PDFs arrives decomposed (NFD): "Ơ" as "O" + combining horn.
    Stored as such it looks identical but never matches in search, sorting or
    duplicate checks. Normalising once at the door covers every form.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, *args: object) -> None:
        if request.method != "POST" or request.content_type not in self.FORM_TYPES:
            return None
        posted = request.POST
        if all(unicodedata.is_normalized("NFC", v) for v in _values(posted)):
            return None
        normalised = posted.copy()
        for key, values in posted.lists():
            normalised.setlist(key, [unicodedata.normalize("NFC", v) for v in values])
        normalised._mutable = False
        request.POST = normalised
        return None


def _values(query: QueryDict) -> Iterator[str]:
    for _key, values in query.lists():
        yield from values
