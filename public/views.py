"""The public transparency page (no login): supported projects, filters, a
tile view by commune, and downloads of what is filtered.

The page's body is rendered once per (data version, today, language,
filters) and kept in the shared cache: the version is the dashboard's
(dashboard.board), retired on commit of every write the page reads, so
nothing stale is served and a warm page costs no query at all. Visitors
without a session get the finished page before most of the middleware
(public.page_cache).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboard import board
from dashboard import coverage as cov
from dashboard.charts import tile_group
from dashboard.views import _tile_levels
from enterprises.listing import COUNT_CAP, CappedPaginator
from enterprises.xlsx import XLSX_CONTENT_TYPE
from projects.models import ProjectFunding

from .exports import csv_lines, xlsx_bytes
from .filters import PublicFilter
from .html import cards, squares
from .models import WithheldField
from .publication import (
    iter_public_rows,
    public_rows,
    public_values,
    published_projects,
    without_withheld,
)

logger = logging.getLogger(__name__)

ORDER = ("-decision_date", "-pk")
PARAMETERS = ("q", "year", "source", "content", "commune", "region")


def _query(request: HttpRequest) -> str:
    """The filters as a canonical query string (the cache key, the links)."""
    pairs = [(k, request.GET[k]) for k in PARAMETERS if request.GET.get(k)]
    return urlencode(pairs)


def variant(request: HttpRequest) -> str:
    """What of the query string the page depends on (the filters and the
    page), as a digest: with the data version, today and the language, the
    page's cache keys (here and public.page_cache)."""
    raw = f"{_query(request)}|{request.GET.get('page', '')}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _cached(name: str, request: HttpRequest, build: Callable[[], str]) -> str:
    seconds = settings.KC_PUBLIC_CACHE_SECONDS
    if not seconds:
        return build()
    try:
        # Today: the tiles count the last years up to today's.
        key = (
            f"kc:public:v2:{board.data_version()}:{timezone.localdate()}:"
            f"{translation.get_language()}:{name}:{variant(request)}"
        )
        html = cache.get(key)
    except Exception:  # a cache outage must not take the page down
        logger.warning("Public page cache unavailable", exc_info=True)
        return build()
    if html is None:
        html = build()
        try:
            cache.set(key, html, seconds)
        except Exception:
            logger.warning("Public page cache unavailable", exc_info=True)
    return html


def _filtered(request: HttpRequest) -> PublicFilter:
    """The request's filters, built once: the results and the tiles both
    read them (a filter set and its form cost more than their queries)."""
    filterset = getattr(request, "_kc_public_filter", None)
    if filterset is None:
        filterset = PublicFilter(
            request.GET or None,
            queryset=published_projects().order_by(*ORDER),
            request=request,
        )
        request._kc_public_filter = filterset
    return filterset


def _results(request: HttpRequest) -> str:
    filterset = _filtered(request)
    projects = filterset.qs
    paginator = CappedPaginator(
        public_values(projects), settings.KC_PUBLIC_PAGE_SIZE, cap=COUNT_CAP
    )
    page = paginator.get_page(request.GET.get("page"))
    rows = public_rows(list(page.object_list))
    # The approved support of everything filtered, from the read-model,
    # without the projects whose support is withheld.
    published_support = without_withheld(projects, WithheldField.SUPPORT)
    total = (
        ProjectFunding.objects.filter(
            project__in=published_support.order_by().values("pk")
        )
        .money("approved")
        .approved
    )
    return render_to_string(
        "public/_results.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "cards": cards(rows),
            "total": total,
            "query": _query(request),
        },
    )


def _tiles(request: HttpRequest) -> str:
    """The communes' figures of what the filters select, as the table and
    the downloads: the coverage page's window (the last years), reaching back
    to a filtered plan year when one is asked for."""
    filterset = _filtered(request)
    today = timezone.localdate()
    years = settings.KC_COVERAGE_DEFAULT_YEARS
    year = filterset.form.cleaned_data.get("year") if filterset.is_valid() else None
    if year and cov.coverage_since(today, years) > year:
        years = today.year - int(year) + 1
    # Only what the page publishes counts: no withheld project, place, money
    # or beneficiary may show through a commune's figures.
    counted = filterset.qs.order_by()
    for name in (
        WithheldField.COMMUNE,
        WithheldField.SUPPORT,
        WithheldField.BENEFICIARIES,
    ):
        counted = without_withheld(counted, name)
    rows = cov.coverage(today=today, years=years, projects=counted)
    regions = cov.coverage_by_region(rows)
    levels = _tile_levels(rows)
    text = _("%(projects)s projects, %(supported)s establishments supported")
    tiles = []
    for group in regions:
        drawn = tile_group(
            group.label,
            [
                (
                    row.name,
                    text % {"projects": row.projects, "supported": row.supported},
                    levels[row.code],
                )
                for row in group.tiles
            ],
        )
        tiles.append(
            {
                "label": drawn.label,
                "height": drawn.height,
                "squares": squares(drawn.tiles),
            }
        )
    return render_to_string(
        "public/_tiles.html",
        {
            "regions": regions,
            "tiles": tiles,
            "since": cov.coverage_since(today, years),
        },
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "public/index.html",
        {
            "results": _cached("results", request, lambda: _results(request)),
            "tiles": _cached("tiles", request, lambda: _tiles(request)),
            "query": _query(request),
        },
    )
    if not request.user.is_authenticated:
        # Anyone's to keep, asked again each time (ETag: public.page_cache);
        # a signed-in user's page is no-store (PrivateNoStoreMiddleware).
        patch_cache_control(response, public=True, no_cache=True)
    return response


def _download_rows(request: HttpRequest):
    return iter_public_rows(_filtered(request).qs)


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


@require_GET
def download_csv(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(_download_rows(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="de-an-khuyen-cong-{_stamp()}.csv"'
    )
    return response


@require_GET
def download_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(_download_rows(request)), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="de-an-khuyen-cong-{_stamp()}.xlsx"'
    )
    return response
