"""Navigation by permission: one list, filtered for the signed-in user."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from enterprises.policy import holders
from enterprises.roles import Role, primary_role, roles_of

# Menus that gather related pages, so that the bar fits one line at 1280 px.
EXECUTION = _("Execution")
BUDGET = _("Budget")
MONITORING = _("Monitoring")
ADMINISTRATION = _("Administration")

# (label, url name, the permission that shows it (enterprises.policy), menu or
# None[, dotted path of a function user -> count shown as a badge]). Apps add
# their pages here.
NAVIGATION = [
    (_("Home"), "home", "read", None),
    (_("Establishments"), "enterprises:establishment_list", "read", None),
    (_("Projects"), "projects:list", "read", None),
    (
        _("To do"),
        "projects:todo",
        "take_steps",
        None,
        "projects.views.projects.todo_count",
    ),
    (_("Execution and disbursement"), "money:list", "read", EXECUTION),
    (_("Overdue inspections"), "money:overdue", "read", EXECUTION),
    (_("Plans and budget"), "projects:plans", "read", BUDGET),
    (_("Budget use"), "money:budget", "read", BUDGET),
    (_("Dashboard"), "dashboard:dashboard", "view_dashboard", MONITORING),
    (_("Coverage"), "dashboard:coverage", "view_dashboard", MONITORING),
    (_("Warnings"), "dashboard:warnings", "view_warnings", MONITORING),
    # The Sở's councils; a member who is not a reviewer comes by the notice.
    (_("Appraisal councils"), "appraisal:list", "run_councils", MONITORING),
    (_("Reports"), "reports:request", "reports.add_reportjob", None),
    (_("Reports"), "reports:history", "browse_reports", None),
    # In the monitoring menu: one more item on the bar would not fit 1366 px.
    (
        _("Requests from establishments"),
        "applicants:staff_requests",
        "handle_requests",
        MONITORING,
    ),
    (_("Follow-ups after support"), "followups:list", "record_execution", MONITORING),
    # An establishment's account sees its own pages only.
    (_("My requests"), "applicants:home", "file_requests", None),
    (_("My projects"), "applicants:projects", "file_requests", None),
    (_("Follow-up after support"), "followups:mine", "file_requests", None),
    (
        _("Notifications"),
        "dashboard:inbox",
        "use_inbox",
        None,
        "notifications.inbox.unread_count",
    ),
    (_("Audit trail"), "audit", "view_audit", ADMINISTRATION),
    (_("Reference data and users"), "admin:index", "administer", ADMINISTRATION),
]


def _menu(items: list[dict]) -> list[dict]:
    """The bar: single pages, and menus of the pages that share one. A menu
    left with one page for this user is shown as that page."""
    bar: list[dict] = []
    menus: dict[str, dict] = {}
    for item in items:
        group = item["group"]
        if group is None:
            bar.append({"item": item})
            continue
        if group not in menus:
            menus[group] = {"label": group, "items": []}
            bar.append({"menu": menus[group]})
        menus[group]["items"].append(item)
    for entry in bar:
        menu = entry.get("menu")
        if menu is None:
            continue
        if len(menu["items"]) == 1:
            entry.clear()
            entry["item"] = menu["items"][0]
        else:
            menu["active"] = any(i["active"] for i in menu["items"])
            menu["slug"] = str(menu["items"][0]["url"]).strip("/").replace("/", "-")
    return bar


@functools.lru_cache(maxsize=64)
def _entries(
    roles: frozenset[str], urlconf: str, prefix: str
) -> tuple[tuple[Any, str, Any, str | None], ...]:
    """(label, url, menu, badge count function) of the pages these roles
    see: reversed once per process, not twenty times per request."""
    return tuple(
        (label, reverse(name), group, count[0] if count else None)
        for label, name, permission, group, *count in NAVIGATION
        if roles & holders(permission)
    )


@functools.lru_cache(maxsize=1024)
def nav_menu(
    roles: frozenset[str],
    urlconf: str,
    prefix: str,
    language: str,
    path: str,
    counts: tuple[int | None, ...],
) -> SafeString:
    """The bar's pages and menus as includes/nav_menu.html draws them,
    drawn once per process for each role set, language, page and badge
    count: everything the drawing depends on is an argument."""
    items = _items(_entries(roles, urlconf, prefix), path, counts)
    html = render_to_string("includes/nav_menu.html", {"nav_bar": _menu(items)})
    return mark_safe(html.removesuffix("\n"))


def _items(entries, path: str, counts: tuple[int | None, ...]) -> list[dict]:
    items = []
    counted = iter(counts)
    for label, url, group, count in entries:
        item = {"label": label, "url": url, "active": path == url, "group": group}
        if count:
            item["count"] = next(counted)
        items.append(item)
    return items


def navigation(request: HttpRequest) -> dict:
    base = {"ORGANISATION_NAME": settings.ORGANISATION_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return base
    roles = frozenset(roles_of(user))
    urlconf = str(get_urlconf() or settings.ROOT_URLCONF)
    entries = _entries(roles, urlconf, get_script_prefix())
    counts = tuple(import_string(count)(user) for *_e, count in entries if count)
    items = _items(entries, request.path, counts)
    role = primary_role(user)
    return {
        **base,
        "nav_items": items,
        "nav_menu": lambda: nav_menu(
            roles,
            urlconf,
            get_script_prefix(),
            get_language(),
            request.path,
            counts,
        ),
        "user_role_label": Role(role).label if role else "",
        # The pages every role opens (account, inbox) are drawn on the light
        # base for an establishment's account, as its own pages are.
        "page_base": "applicants/base.html" if role == Role.APPLICANT else "base.html",
    }
