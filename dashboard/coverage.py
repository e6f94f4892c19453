"""Coverage by commune and region: where support went, and where none did."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Case,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    When,
)

from enterprises.models import Commune, Establishment, Region
from projects.models import (
    COMMITTED_STATUSES,
    Project,
    ProjectFunding,
    measures,
)

from .board import (
    BIG,
    NO_REGION,
    _subcount,
    region_label,
)


@dataclass
class CoverageRow:
    code: int
    name: str
    region: str
    registered: int
    supported: int
    projects: int
    amount: int
    per_establishment: int | None

    @property
    def region_label(self) -> str:
        return region_label(self.region or NO_REGION)

    @property
    def unsupported(self) -> bool:
        return self.registered > 0 and not self.projects and not self.supported


COVERAGE_SORTS = {
    "name": "name",
    "region": "region",
    "registered": "registered",
    "supported": "supported",
    "projects": "project_count",
    "amount": "amount",
    "per_establishment": "per_establishment",
}


def coverage_since(today: dt.date, years: int) -> int:
    """First plan year of "the last `years` years" (the current one included)."""
    return today.year - years + 1


def coverage(
    *,
    today: dt.date,
    years: int,
    sort: str = "name",
    projects: QuerySet | None = None,
) -> list[CoverageRow]:
    """One row per commune of the home province, in one query.

    Support counts approved projects funded from plans of the last `years`
    years: the projects placed in the commune and their approved support, and
    the commune's establishments named as beneficiaries of any of them.
    `projects` (a query of projects) narrows what counts, e.g. to what the
    public page may publish.
    """
    since = coverage_since(today, years)
    fundings = ProjectFunding.objects.filter(
        plan__year__gte=since, project__status__in=COMMITTED_STATUSES
    )
    if projects is not None:
        fundings = fundings.filter(project__in=projects.values("pk"))
    supported_projects = fundings.values("project_id")
    active = Establishment.objects.active()
    communes = Commune.objects.in_province(settings.HOME_PROVINCE_CODE).annotate(
        registered=_subcount(active.filter(commune=OuterRef("pk")), "commune"),
        supported=_subcount(
            active.filter(
                commune=OuterRef("pk"), projects__in=Subquery(supported_projects)
            ),
            "commune",
        ),
        project_count=_subcount(
            Project.objects.filter(
                commune=OuterRef("pk"), pk__in=Subquery(supported_projects)
            ),
            "commune",
        ),
        amount=measures.subsum(
            fundings.filter(project__commune=OuterRef("pk")),
            "project__commune",
            measures.approved(),
        ),
    )
    communes = communes.annotate(
        per_establishment=Case(
            When(registered__gt=0, then=F("amount") / F("registered")),
            default=None,
            output_field=BIG,
        )
    )
    descending = sort.startswith("-")
    key = COVERAGE_SORTS.get(sort.lstrip("-"), "name")
    order = F(key).desc(nulls_last=True) if descending else F(key).asc(nulls_last=True)
    return [
        CoverageRow(projects=row.pop("project_count"), **row)
        for row in communes.order_by(order, "name").values(
            "code",
            "name",
            "region",
            "registered",
            "supported",
            "project_count",
            "amount",
            "per_establishment",
        )
    ]


@dataclass
class RegionCoverage:
    region: str
    label: str
    communes: int = 0
    registered: int = 0
    supported: int = 0
    projects: int = 0
    amount: int = 0
    unsupported: int = 0
    tiles: list[CoverageRow] = field(default_factory=list)

    @property
    def per_establishment(self) -> int | None:
        return self.amount // self.registered if self.registered else None


def coverage_by_region(rows: list[CoverageRow]) -> list[RegionCoverage]:
    """The coverage rows summed by region (no query)."""
    groups = {
        key: RegionCoverage(key, region_label(key))
        for key in [*Region.values, NO_REGION]
    }
    for row in sorted(rows, key=lambda r: r.name):
        group = groups[row.region or NO_REGION]
        group.communes += 1
        group.registered += row.registered
        group.supported += row.supported
        group.projects += row.projects
        group.amount += row.amount
        group.unsupported += row.unsupported
        group.tiles.append(row)
    return [g for g in groups.values() if g.communes]
