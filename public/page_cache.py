"""The public page's finished bytes, for visitors without a session.

The page's costly parts (its results and tiles) are cached in the shared
cache under the data version (public.views). What is left of a request for a
warm page is Django's own: the session, language, CSRF, user, messages,
history and lock-out middleware and the rendering of the page around the
fragments — as much CPU as the signed-in project list. A visitor without a
session (no session or messages cookie) gets the same bytes as any other in
their language, so khuyencong.middleware.PublicPageMiddleware answers them
here, above those middleware: one read of the data version and one of this
process's memory.

The bytes are kept in each process, not in the shared cache, under the data
version (it starts from the clock: a restarted cache never meets an old
page), today (the tiles' window of years), the language and the filters:
nothing in them outlives a deployment (templates, static files' names), and a
warm page does not fetch 100 KB from Redis. A write retires every page at
once, as it retires the fragments; the first request for a page after it
renders the page around the fragments, which the shared cache serves to
every process.

Every answer carries the headers the whole stack gave the page (the outer
middleware add the security headers and the Content-Security-Policy to both
paths), an ETag, and `Cache-Control: public, no-cache`: a browser or proxy
may keep it but asks each time, and an unchanged page is a 304 without a
body. The page varies on Cookie: a signed-in visitor, whose page differs, is
never served this one.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, quote_etag

from dashboard.board import data_version

from .views import variant

logger = logging.getLogger(__name__)

# Pages kept per process, the least recently served dropped first: the
# unfiltered page in both languages and the common filters. A page is
# ~100-200 KB.
MAX_PAGES = 48


@dataclass(frozen=True)
class Page:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    kept_at: float


_pages: OrderedDict[str, Page] = OrderedDict()
_lock = threading.Lock()


def page_key(request: HttpRequest, language: str) -> str | None:
    """The key of the public page this request asks for, in `language`, or
    None when it is not answered from this cache: not a GET of the page,
    the cache is off, or the visitor has a session or pending messages (a
    signed-in user's page differs)."""
    seconds = settings.KC_PUBLIC_CACHE_SECONDS
    if not seconds or request.method != "GET":
        return None
    if request.path != reverse("public:index"):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    try:
        version = data_version()
    except Exception:  # a cache outage must not take the page down
        logger.warning("Public page cache unavailable", exc_info=True)
        return None
    return f"{version}:{timezone.localdate()}:{language}:{variant(request)}"


def cached_page(key: str) -> Page | None:
    with _lock:
        page = _pages.get(key)
        if page is None:
            return None
        if time.monotonic() - page.kept_at > settings.KC_PUBLIC_CACHE_SECONDS:
            # The same backstop as the fragments' for writes made around
            # the models.
            del _pages[key]
            return None
        _pages.move_to_end(key)
        return page


def keep_page(key: str, response: HttpResponseBase) -> Page | None:
    """Keep the page the whole stack answered, when it is the anonymous
    page: a plain 200 that sets no cookie and is not private."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or "private" in response.get("Cache-Control", "")
    ):
        return None
    content = response.content
    page = Page(
        content=content,
        headers=tuple(response.items()),
        etag=quote_etag(hashlib.sha256(content).hexdigest()[:32]),
        kept_at=time.monotonic(),
    )
    with _lock:
        _pages[key] = page
        _pages.move_to_end(key)
        while len(_pages) > MAX_PAGES:
            _pages.popitem(last=False)
    return page


def answer(request: HttpRequest, page: Page) -> HttpResponse:
    """The kept page, or 304 Not Modified when the browser has it."""
    response = HttpResponse(page.content)
    for name, value in page.headers:
        response[name] = value
    response["ETag"] = page.etag
    return get_conditional_response(request, etag=page.etag, response=response)
