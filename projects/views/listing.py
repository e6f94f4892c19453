"""The project list's figures and rows (projects.views.projects.project_list):
its count and totals, cached under the data version, and its table's cells
formatted once from plain rows (issue 20)."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Sum
from django.http import HttpRequest
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from enterprises.listing import detail_urls
from enterprises.policy import can
from enterprises.roles import roles_of
from enterprises.templatetags.kc import money

from ..dataversion import data_version
from ..models import RUNNING_STATUSES, ProjectFunding, Status, source_short

logger = logging.getLogger(__name__)


def list_summary(request: HttpRequest, rows: Any) -> dict[str, Any]:
    """The count and the totals of the filtered projects, in one pass (on
    PostgreSQL an index-only scan of project_list_sums_idx); the paginator is
    given the count instead of asking for it. Kept in the shared cache for
    KC_LIST_CACHE_SECONDS under the data version (projects.dataversion), so
    that any write to projects or their funding retires it at once: at
    100,000 projects the aggregate is most of the page's database time."""

    def compute() -> dict[str, Any]:
        return rows.order_by().aggregate(
            count=Count("pk"),
            total_cost=Sum("total_cost"),
            support_requested=Sum("support_requested"),
        )

    seconds = int(getattr(settings, "KC_LIST_CACHE_SECONDS", 0))
    if seconds <= 0:
        return compute()
    # What decides the figures: the filters (not the page or the order), who
    # sees drafts, and today (the overdue filter).
    filters = sorted(
        (k, v) for k, v in request.GET.lists() if k not in ("page", "sort")
    )
    scope = "all" if can(request.user, "view_drafts") else "sent"
    digest = hashlib.sha256(repr(filters).encode()).hexdigest()[:32]
    try:
        key = (
            f"kc:projects:list:v1:{data_version()}:{timezone.localdate()}:"
            f"{scope}:{digest}"
        )
        summary = cache.get(key)
    except Exception:
        logger.warning("Project list cache unavailable", exc_info=True)
        return compute()
    if summary is None:
        summary = compute()
        try:
            cache.set(key, summary, seconds)
        except Exception:
            logger.warning("Project list cache unavailable", exc_info=True)
    return dict(summary)


PAGE_SECONDS = 600


def page_key(request: HttpRequest) -> str | None:
    """The cache key of the list's filters, table and pages as this request
    draws them (projects/_list_content.html), or None when the list is not
    cached. The fragment is everything the page shows below the navigation:
    it depends on the data (the version: any committed write to projects,
    their funding, or the programmes, contents and communes the filters and
    rows name), on today (the overdue flags and filter), on the language
    (labels, number and date formats), on the roles (drafts shown or not,
    the "New project" button) and on the query string in its order (the
    links repeat it). Nothing in it is the user's own: no name, no token."""
    seconds = int(getattr(settings, "KC_LIST_CACHE_SECONDS", 0))
    if seconds <= 0:
        return None
    roles = ",".join(sorted(roles_of(request.user)))
    asked = repr((get_script_prefix(), list(request.GET.lists())))
    digest = hashlib.sha256(asked.encode()).hexdigest()[:32]
    try:
        version = data_version()
    except Exception:
        logger.warning("Project list cache unavailable", exc_info=True)
        return None
    return (
        f"kc:projects:listpage:v1:{version}:{timezone.localdate()}:"
        f"{get_language()}:{roles}:{digest}"
    )


def cached_page(key: str | None) -> SafeString | None:
    if key is None:
        return None
    try:
        content = cache.get(key)
    except Exception:
        logger.warning("Project list cache unavailable", exc_info=True)
        return None
    # Our own rendering of the template, stored as it was written.
    return None if content is None else mark_safe(content)


def keep_page(key: str | None, content: str) -> None:
    if key is None:
        return
    # Each query string is an entry of ~50 KB: kept for minutes, not the
    # day the figures are, so that a day of searches does not fill the cache.
    seconds = min(int(settings.KC_LIST_CACHE_SECONDS), PAGE_SECONDS)
    try:
        cache.set(key, str(content), seconds)
    except Exception:
        logger.warning("Project list cache unavailable", exc_info=True)


def list_rows(page) -> list[SafeString]:
    """The table's rows as HTML, written here from the page's plain rows
    (LIST_COLUMNS, no model instance) in one format string each: the same
    bytes the template's cells wrote (tests/projects/test_list_cache.py), at
    one template lookup per row instead of a dozen and an include."""
    url = detail_urls("projects:detail")
    labels = {value: str(label) for value, label in Status.choices}
    overdue = OVERDUE % escape(gettext("overdue"))
    today = timezone.localdate()
    projects = list(page)
    sources: dict[int, list[str]] = {p.pk: [] for p in projects}
    if projects:
        for project_id, source in (
            ProjectFunding.objects.filter(project_id__in=sources)
            .order_by("source")
            .values_list("project_id", "source")
        ):
            sources[project_id].append(source_short(source))
    rows = []
    for p in projects:
        status = escape(p.status)
        late = p.status in RUNNING_STATUSES and p.end_date and p.end_date < today
        rows.append(
            # Every value below is escaped.
            mark_safe(
                ROW.format(
                    url=escape(url(p.pk)),
                    code=escape(p.code),
                    title=escape(p.title),
                    content=escape(p.content__name or ""),
                    commune=escape(p.commune__name or "—"),
                    sources=escape(", ".join(sources[p.pk])),
                    total_cost=escape(money(p.total_cost)),
                    support_requested=escape(money(p.support_requested)),
                    end_date=escape(
                        date_format(p.end_date, "SHORT_DATE_FORMAT")
                        if p.end_date
                        else "—"
                    ),
                    # Project.is_overdue on the row's values.
                    overdue=overdue if late else "",
                    status=status,
                    label=escape(labels.get(p.status, p.status)),
                )
            )
        )
    return rows


# One row of the table, as templates/projects/project_list.html wrote it
# (its status badge is templates/includes/project_status.html).
ROW = """
  <tr data-testid="project-row">
    <td class="text-nowrap"><a href="{url}">{code}</a></td>
    <td>{title}</td>
    <td class="small">{content}</td>
    <td class="small">{commune}</td>
    <td class="small">{sources}</td>
    <td class="text-end text-nowrap">{total_cost}</td>
    <td class="text-end text-nowrap">{support_requested}</td>
    <td class="text-nowrap">{end_date}{overdue}</td>
    <td><span class="badge kc-status kc-status-{status}" data-status="{status}">\
{label}</span>
</td>
  </tr>
  """
OVERDUE = ' <span class="badge text-bg-danger">%s</span>'
