"""Navigation by role: one list, filtered for the signed-in user."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from enterprises.roles import Role, primary_role, roles_of

ALL = (Role.STAFF, Role.REVIEWER, Role.MANAGER, Role.ADMIN)

# (label, url name, roles that see it[, dotted path of a function user -> count
# shown as a badge]). Apps add their pages here.
NAVIGATION = [
    (_("Home"), "home", ALL),
    (_("Establishments"), "enterprises:establishment_list", ALL),
    (_("Projects"), "projects:list", ALL),
    (
        _("To do"),
        "projects:todo",
        (Role.STAFF, Role.REVIEWER),
        "projects.views.todo_count",
    ),
    (_("Plans and budget"), "projects:plans", ALL),
    (_("Reports"), "reports:request", (Role.STAFF, Role.MANAGER, Role.ADMIN)),
    (_("Audit trail"), "audit", (Role.ADMIN,)),
    (_("Execution and disbursement"), "money:list", ALL),
    (_("Budget use"), "money:budget", ALL),
    (_("Overdue inspections"), "money:overdue", ALL),
    (_("Dashboard"), "dashboard:dashboard", (Role.MANAGER, Role.ADMIN)),
    (_("Coverage"), "dashboard:coverage", (Role.MANAGER, Role.ADMIN)),
    (_("Warnings"), "dashboard:warnings", (Role.STAFF, Role.MANAGER, Role.ADMIN)),
    (
        _("Notifications"),
        "dashboard:inbox",
        ALL,
        "reports.notifications.unread_count",
    ),
    (_("Administration"), "admin:index", (Role.ADMIN,)),
]


def navigation(request: HttpRequest) -> dict:
    base = {"ORGANISATION_NAME": settings.ORGANISATION_NAME}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return base
    held = roles_of(user)
    items = []
    for label, name, roles, *count in NAVIGATION:
        if held & set(roles):
            url = reverse(name)
            item = {"label": label, "url": url, "active": request.path == url}
            if count:
                item["count"] = import_string(count[0])(user)
            items.append(item)
    role = primary_role(user)
    return {
        **base,
        "nav_items": items,
        "user_role_label": Role(role).label if role else "",
    }
