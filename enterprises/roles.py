"""The portal's roles, held as auth groups.

The groups themselves are created by a migration; their permissions are
re-synchronised after every `migrate` from ROLE_PERMISSIONS, because Django
creates model permissions only at the end of a migration run. This module is the
one place that says which role may do what at the model level; lifecycle rules
(who may approve, who may settle) live with the lifecycle table in `projects`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
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


def users_with_role(*roles: str) -> models.QuerySet:
    """Active users holding any of `roles` through their group."""
    names = [GROUP_NAMES[r] for r in roles]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("pk")
    )


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
        # Approval routes per source and the bodies that issue decisions
        # (issue 14): a route version in use is saved as a new version.
        *(f"projects.{a}_route" for a in ("view", "add", "change")),
        *(f"projects.{a}_routestep" for a in ("view", "add", "change", "delete")),
        *(f"projects.{a}_issuingauthority" for a in ("view", "add", "change")),
        # Carry-forward decisions (chuyển nguồn): recorded, never changed.
        # The appraisal criteria (dated sets, each row with its basis).
        *(f"appraisal.{a}_criteriaset" for a in ("view", "add", "change")),
        *(f"appraisal.{a}_criterion" for a in ("view", "add", "change", "delete")),
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
        cached = remember_roles(user, user.groups.values_list("name", flat=True))
    return cached


def remember_roles(user: Any, group_names: Iterable[str]) -> set[str]:
    """The roles of `user` from its groups' names read along with it (the API
    reads them with the key: one query less a request), kept on the user
    object for the request as roles_of keeps them."""
    roles = {ROLE_BY_GROUP[n] for n in group_names if n in ROLE_BY_GROUP}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    user._kc_roles = roles
    return roles


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
    """Give every role group exactly the permissions listed for it.

    A `migrate` or `flush` emits post_migrate once per app, and each app's
    permissions exist only after its own: this runs after the last app's
    (once, not once per app), or when called without a sender. It reads what
    the groups hold in three queries and writes only where that differs."""
    from django.apps import apps as global_apps
    from django.contrib.auth.models import Group, Permission

    if sender is not None:
        with_models = [
            c for c in global_apps.get_app_configs() if c.models_module is not None
        ]
        if sender is not with_models[-1]:
            return
    using = kwargs.get("using", "default")
    wanted = {p for perms in ROLE_PERMISSIONS.values() for p in perms}
    found = {
        f"{app}.{code}": pk
        for pk, app, code in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app}.{code}" in wanted
    }
    groups = {
        g.name: g
        for g in Group.objects.using(using).filter(name__in=GROUP_NAMES.values())
    }
    held: dict[int, set[int]] = {g.pk: set() for g in groups.values()}
    for group_id, permission_id in (
        Group.permissions.through.objects.using(using)
        .filter(group__in=list(groups.values()))
        .values_list("group_id", "permission_id")
    ):
        held[group_id].add(permission_id)
    for role, perms in ROLE_PERMISSIONS.items():
        group = groups.get(GROUP_NAMES[role])
        if group is None:
            group = Group.objects.using(using).create(name=GROUP_NAMES[role])
            held[group.pk] = set()
        permission_ids = {found[p] for p in perms if p in found}
        if held[group.pk] != permission_ids:
            group.permissions.set(permission_ids)
