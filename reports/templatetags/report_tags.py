"""Template checks about reports for pages of other apps (the project page)."""

from __future__ import annotations

from typing import Any

from django import template

from enterprises.roles import ROLE_PERMISSIONS, roles_of

register = template.Library()

CAN_REQUEST = "reports.add_reportjob"


@register.filter
def can_request_reports(user: Any) -> bool:
    """Whether the user's roles may request a report (the view checks the
    permission itself). Read from the roles the request has already loaded,
    so that a page showing the button costs no permission queries."""
    return any(CAN_REQUEST in ROLE_PERMISSIONS[role] for role in roles_of(user))
