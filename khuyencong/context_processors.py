"""Navigation by permission: one list, filtered for the signed-in user."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from enterprises.policy import can
from enterprises.roles import Role, primary_role

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
    (_("Reports"), "reports:request", "reports.add_reportjob", None),
    (_("Reports"), "reports:history", "browse_reports", None),
    # In the monitoring menu: one more item on the bar would not fit 1366 px.
    (
        _("Requests from establishments"),
        "applicants:staff_requests",
        "handle_requests",
        MONITORING,
    ),
    # An establishment's account sees its own pages only.
    (_("My requests"), "applicants:home", "file_requests", None),
    (_("My projects"), "applicants:projects", "file_requests", None),
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


def navigation(request: HttpRequest) -> dict:
    base = {"ORGANISATION_NAME": settings.ORGANISATION_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return base
    items = []
    for label, name, permission, group, *count in NAVIGATION:
        if can(user, permission):
            url = reverse(name)
            item = {
                "label": label,
                "url": url,
                "active": request.path == url,
                "group": group,
            }
            if count:
                item["count"] = import_string(count[0])(user)
            items.append(item)
    role = primary_role(user)
    return {
        **base,
        "nav_items": items,
        "nav_bar": _menu(items),
        "user_role_label": Role(role).label if role else "",
    }
