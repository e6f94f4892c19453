"""The portal's roles, held as auth groups.

The groups themselves are created by a migration; their permissions are
re-synchronised after every `migrate` from ROLE_PERMISSIONS, because Django
creates model permissions only at the end of a migration run. This module is the
one place that says which role may do what at the model level; lifecycle rules
(who may approve, who may settle) live with the lifecycle table in `projects`.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Centre staff")
    REVIEWER = "reviewer", _("Reviewer (Department of Industry and Trade)")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")
    # An establishment's own account (applicants app): no model permission;
    # every page it opens checks the establishment its account is bound to.
    APPLICANT = "applicant", _("Establishment (beneficiary)")


# Group names are data users see in the admin, so they are Vietnamese.
GROUP_NAMES: dict[str, str] = {
    Role.STAFF: "Chuyên viên Trung tâm",
    Role.REVIEWER: "Thẩm định viên",
    Role.MANAGER: "Lãnh đạo",
    Role.ADMIN: "Quản trị viên",
    Role.APPLICANT: "Cơ sở / Đơn vị thụ hưởng",
}
ROLE_BY_GROUP = {name: role for role, name in GROUP_NAMES.items()}
# The centre's and the Sở's people: the roles the registry and project pages
# are for. An applicant holds a role but is none of these.
CENTRE_ROLES = (Role.STAFF, Role.REVIEWER, Role.MANAGER, Role.ADMIN)

_VIEW_ALL = [
    "enterprises.view_establishment",
    "enterprises.view_sector",
    "enterprises.view_commune",
    "enterprises.view_province",
    "enterprises.view_craftvillage",
    "projects.view_programme",
    "projects.view_plan",
    "projects.view_activitycontent",
    "projects.view_supportrule",
    "projects.view_settlementdeadline",
    "projects.view_project",
    "projects.view_projectfunding",
    *(f"projects.view_{m}" for m in ("equipmentinvestment", "equipmentserial")),
    *(f"projects.view_{m}" for m in ("inspection", "progressupdate", "acceptance")),
    "projects.view_disbursement",
]
# Execution and money records: centre staff and administrators write them.
_RECORD_MONEY = [
    f"projects.{action}_{model}"
    for model in (
        "equipmentinvestment",
        "inspection",
        "progressupdate",
        "acceptance",
        "disbursement",
    )
    for action in ("add", "change", "delete")
]

# Read any report job and download its files (the Sở's reviewers, read-only).
_READ_REPORTS = ["reports.view_reportjob"]
# Request a report and download any report job's files.
_REPORTS = [*_READ_REPORTS, "reports.add_reportjob"]
# Issue a report: give it a number of the centre's register ("Ban hành").
_ISSUE = ["reports.add_registerentry", "reports.view_registerentry"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.STAFF: [
        *_VIEW_ALL,
        *_REPORTS,
        "enterprises.add_establishment",
        "enterprises.change_establishment",
        "projects.add_project",
        "projects.change_project",
        *_RECORD_MONEY,
    ],
    # The Sở is who the reports are for: its reviewers read them all.
    Role.REVIEWER: [*_VIEW_ALL, *_READ_REPORTS],
    Role.MANAGER: [*_VIEW_ALL, *_REPORTS, *_ISSUE],
    Role.ADMIN: [
        *_VIEW_ALL,
        *_REPORTS,
        *_ISSUE,
        "reports.view_officialsettings",
        "reports.change_officialsettings",
        "reports.view_documenttemplate",
        "reports.add_documenttemplate",
        "reports.change_documenttemplate",
        "reports.delete_documenttemplate",
        "reports.view_reportschedule",
        "reports.add_reportschedule",
        "reports.change_reportschedule",
        "reports.delete_reportschedule",
        "enterprises.add_establishment",
        "enterprises.change_establishment",
        "enterprises.delete_establishment",
        "enterprises.add_sector",
        "enterprises.change_sector",
        "enterprises.delete_sector",
        "enterprises.change_commune",
        "enterprises.add_craftvillage",
        "enterprises.change_craftvillage",
        "enterprises.delete_craftvillage",
        "projects.add_programme",
        "projects.change_programme",
        "projects.add_plan",
        "projects.change_plan",
        "projects.add_activitycontent",
        "projects.change_activitycontent",
        "projects.add_supportrule",
        "projects.change_supportrule",
        "projects.delete_supportrule",
        "projects.add_settlementdeadline",
        "projects.change_settlementdeadline",
        "projects.delete_settlementdeadline",
        # Carry-forward decisions (chuyển nguồn): recorded, never changed.
        "projects.add_carryforward",
        "projects.view_carryforward",
        *_RECORD_MONEY,
        # What the public page withholds, and the API's tokens.
        *(f"public.{a}_withholding" for a in ("view", "add", "change", "delete")),
        *(f"api.{a}_apitoken" for a in ("view", "add", "change", "delete")),
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    ],
    # Nothing at the model level: an applicant reads and writes only its own
    # establishment's requests, through object-level checks in applicants.
    Role.APPLICANT: [],
}


def roles_of(user: Any) -> set[str]:
    """The roles a user holds; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_kc_roles", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)
        cached = {ROLE_BY_GROUP[n] for n in names if n in ROLE_BY_GROUP}
        if user.is_superuser:
            cached.add(Role.ADMIN)
        user._kc_roles = cached
    return cached


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def primary_role(user: Any) -> str | None:
    """The role a home page is built for when a user holds several."""
    held = roles_of(user)
    for role in (
        Role.ADMIN,
        Role.MANAGER,
        Role.REVIEWER,
        Role.STAFF,
        Role.APPLICANT,
    ):
        if role in held:
            return role
    return None


def sync_role_permissions(sender: Any = None, **kwargs: Any) -> None:
    """Give every role group exactly the permissions listed for it."""
    from django.contrib.auth.models import Group, Permission

    using = kwargs.get("using", "default")
    wanted = {p for perms in ROLE_PERMISSIONS.values() for p in perms}
    found = {
        f"{app}.{code}": pk
        for pk, app, code in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app}.{code}" in wanted
    }
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(
            name=GROUP_NAMES[role]
        )
        group.permissions.set([found[p] for p in perms if p in found])
