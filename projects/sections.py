"""What the projects app adds to other apps' pages (registered in ready())."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Subquery, Sum
from django.http import HttpRequest

from enterprises.models import Establishment

from .models import (
    COMMITTED_STATUSES,
    EquipmentInvestment,
    Project,
    ProjectFunding,
)


def establishment_support(
    request: HttpRequest, establishment: Establishment
) -> dict[str, Any]:
    """The establishment's projects and the support committed to it.

    Support of a project with this establishment as its only beneficiary is
    counted in full; a group project's support is shared among beneficiaries
    in proportions the project itself does not record, so it is listed apart.
    """
    projects = list(
        Project.objects.visible_to(request.user)
        .filter(beneficiaries=establishment)
        .select_related("content")
        # Subqueries, not joins: the filter above already joins beneficiaries
        # (a Count over it would see only this one), and a join on fundings
        # would multiply the sums.
        .annotate(
            beneficiary_count=Subquery(
                Project.beneficiaries.through.objects.filter(project=OuterRef("pk"))
                .values("project")
                .annotate(n=Count("*"))
                .values("n")
            ),
            approved_support=Subquery(
                ProjectFunding.objects.filter(project=OuterRef("pk"))
                .values("project")
                .annotate(total=Sum("approved"))
                .values("total")
            ),
        )
        .order_by("-start_date", "-pk")
    )
    committed = [p for p in projects if p.status in COMMITTED_STATUSES]
    sole = sum(p.approved_support or 0 for p in committed if p.beneficiary_count == 1)
    shared = [p for p in committed if p.beneficiary_count > 1]
    return {
        "template": "projects/sections/establishment_support.html",
        "projects": projects,
        "total_support": sole,
        "shared_projects": shared,
        "any_committed": bool(committed),
    }


def establishment_equipment(
    request: HttpRequest, establishment: Establishment
) -> dict[str, Any]:
    """The machines supported at the establishment, across years and programmes."""
    rows = EquipmentInvestment.objects.for_establishment(establishment).filter(
        project__in=Project.objects.visible_to(request.user)
    )
    return {
        "template": "projects/sections/establishment_equipment.html",
        "establishment": establishment,
        "rows": rows,
    }
