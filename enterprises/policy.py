"""Who may do what: the one permission policy of views, navigation and templates.

A permission is a name. Page permissions are listed in PAGE_PERMISSIONS with
the roles that hold them; a model permission ("app.codename") is held by the
roles that roles.ROLE_PERMISSIONS grants it to — the same table the role
groups are given after `migrate`, so Django's own checks (the admin,
`permission_required`) answer the same. Checks read the roles the request has
already loaded (`roles_of`), so a page costs no permission query.

Views call `require(request.user, name)` (PermissionDenied) or are decorated
with `@requires(name)` under `@login_required`, templates
`{% load policy %}{% if user|can:"name" %}`, the navigation names one
permission per entry. Which lifecycle step a role may take is in the
lifecycle table (projects.lifecycle), and which records a role sees in
`Project.objects.visible_to`, which reads "view_drafts" from here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .roles import CENTRE_ROLES, ROLE_PERMISSIONS, Role, roles_of

ANY_ROLE = frozenset(Role)
# The centre's and the Sở's people. An establishment's own account (applicant)
# holds a role too, but reads only its own records, on its own pages.
CENTRE = frozenset(CENTRE_ROLES)

PAGE_PERMISSIONS: dict[str, frozenset[str]] = {
    # The portal's pages every role reads: the registry, projects, execution
    # and money, plans and budget, to-do, notifications.
    "read": CENTRE,
    # Every role has an inbox, applicants included.
    "use_inbox": ANY_ROLE,
    # The establishments' own pages (applicants app), and the centre's side.
    "file_requests": frozenset({Role.APPLICANT}),
    "handle_requests": frozenset({Role.STAFF}),
    # The centre's drafts: seen, written and submitted by the centre; the Sở
    # sees a project once it is sent.
    "view_drafts": frozenset({Role.STAFF, Role.MANAGER, Role.ADMIN}),
    "draft_projects": frozenset({Role.STAFF}),
    "attach_documents": frozenset({Role.STAFF, Role.REVIEWER}),
    # Equipment, inspections, progress, acceptance, photos, disbursements.
    "record_execution": frozenset({Role.STAFF, Role.ADMIN}),
    # The roles with lifecycle steps to take (the to-do count in the menu).
    "take_steps": frozenset({Role.STAFF, Role.REVIEWER}),
    # The dashboard, coverage and warnings: managers, and the Sở's reviewers,
    # who the figures are for (read-only pages).
    "view_dashboard": frozenset({Role.MANAGER, Role.ADMIN, Role.REVIEWER}),
    "view_warnings": frozenset({Role.STAFF, Role.MANAGER, Role.ADMIN, Role.REVIEWER}),
    # The reports' history as the way in, for those who read reports without
    # requesting any (the Sở's reviewers): the menu's "Reports" leads there.
    "browse_reports": frozenset({Role.REVIEWER}),
    # The appraisal councils (appraisal app): the Sở creates them and seats
    # their members; a member who is not a reviewer sees only their own.
    "run_councils": frozenset({Role.REVIEWER}),
    "view_audit": frozenset({Role.ADMIN}),
    "administer": frozenset({Role.ADMIN}),
}


def holders(permission: str) -> frozenset[str]:
    """The roles holding `permission`; an unknown name is an error."""
    if permission in PAGE_PERMISSIONS:
        return PAGE_PERMISSIONS[permission]
    if "." in permission:
        return frozenset(
            role for role, granted in ROLE_PERMISSIONS.items() if permission in granted
        )
    raise KeyError(permission)


def can(user: Any, permission: str) -> bool:
    return bool(roles_of(user) & holders(permission))


def require(user: Any, permission: str) -> None:
    if not can(user, permission):
        raise PermissionDenied


def requires(*permissions: str) -> Callable[[Callable], Callable]:
    """A view for users holding every one of `permissions`; others get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            for permission in permissions:
                require(request.user, permission)
            return view(request, *args, **kwargs)

        return checked

    return decorator
