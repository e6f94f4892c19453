"""Read-only queries the reports share, across apps (reports may read projects).

Which projects a report covers is decided here, once, for the progress, the
disbursement and the yearly summary reports (`period_fundings`), and so is
the money each funding row shows (`with_money`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from projects.models import (
    Disbursement,
    EquipmentInvestment,
    Project,
    ProjectFunding,
    Status,
    measures,
)
from reports.periods import Period

BIG = models.BigIntegerField()

# --- which projects a report covers -------------------------------------------------


def period_fundings(
    *, period: Period, source: str = "", programme_id: int | None = None
) -> QuerySet[ProjectFunding]:
    """The funding rows a period's reports are about: the membership rule.

    A project belongs to a period when

    1. one of its funding rows comes from a plan whose year lies within
       [period.start.year, period.end.year] (and, when asked, from that source
       and programme) — plans are yearly, so the plan year is how the centre
       itself files a project;
    2. it has been submitted: drafts are the centre's notes, not projects yet
       (returned, rejected and cancelled projects stay in, with their stage);
    3. for a period that is not made of whole years (a half-year, a quarter, a
       month, 2017..2018-H1), its implementation window overlaps the period:
       from its start date (the approval date when it has none) to its end
       date (the start, then the approval date, when it has none). A project
       with none of these dates cannot be placed in a part of a year and is
       left out of such periods.

    Only the matching funding rows are returned, so a report asked for one
    source (or for 2018 of a project also funded from a 2019 plan) shows that
    row's money only. A project funded from both sources has two rows.
    """
    rows = ProjectFunding.objects.filter(
        plan__year__gte=period.start.year, plan__year__lte=period.end.year
    ).exclude(project__status=Status.DRAFT)
    if source:
        rows = rows.filter(source=source)
    if programme_id:
        rows = rows.filter(plan__programme_id=programme_id)
    if not period.whole_years:
        rows = rows.annotate(
            window_start=Coalesce("project__start_date", "project__decision_date"),
            window_end=Coalesce(
                "project__end_date", "project__start_date", "project__decision_date"
            ),
        ).filter(window_start__lte=period.end, window_end__gte=period.start)
    return rows


def period_projects(
    *, period: Period, source: str = "", programme_id: int | None = None
) -> QuerySet[Project]:
    """The projects of `period_fundings`, each once (see its rule)."""
    rows = period_fundings(period=period, source=source, programme_id=programme_id)
    # pk__in rather than a join: a project funded from both sources counts once.
    return Project.objects.filter(pk__in=rows.values("project_id")).order_by()


# --- the money of a funding row -------------------------------------------------------


def with_money(
    fundings: QuerySet[ProjectFunding], *, period: Period
) -> QuerySet[ProjectFunding]:
    """Funding rows with their money as known at the end of `period`: the
    read-model's measures as at a date (projects.models.measures.
    fundings_money_at, where each annotation is defined)."""
    return measures.fundings_money_at(fundings, start=period.start, end=period.end)


# --- support received by each establishment -------------------------------------------


def split(amount: int, weights: Sequence[int]) -> list[int]:
    """Split whole đồng by weights; the parts add up to `amount` exactly.

    Each part is rounded down (in absolute value) and what rounding leaves
    goes to the first part, so a refund splits the same way as a payment.
    Zero or no weights: equal parts.
    """
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    total = sum(weights)
    sign = -1 if amount < 0 else 1
    parts = [abs(amount) * w // total for w in weights]
    parts[0] += abs(amount) - sum(parts)
    return [sign * p for p in parts]


def beneficiary_links(*, projects: QuerySet) -> QuerySet:
    """The beneficiary links (project, establishment) of `projects` (a query
    of project ids), each with its attribution `weight`: the supported amount
    of the equipment recorded for that establishment in that project, 0 when
    none. Ordered by project, then establishment, so the first beneficiary of
    each project comes first (see `split`)."""
    supported = (
        EquipmentInvestment.objects.filter(
            project_id=OuterRef("project_id"),
            establishment_id=OuterRef("establishment_id"),
        )
        .order_by()
        .values("project_id")
        .annotate(total=Sum("supported"))
        .values("total")[:1]
    )
    return (
        Project.beneficiaries.through.objects.filter(project_id__in=projects)
        .annotate(weight=Coalesce(Subquery(supported, output_field=BIG), Value(0)))
        .order_by("project_id", "establishment_id")
    )


def support_received_by_establishment(
    *, period: Period, source: str = "", programme_id: int | None = None
) -> Mapping[int, int]:
    """Support paid to each establishment in the period, in whole đồng.

    Establishment id -> amount. Establishments absent from the mapping received
    nothing, which the establishment list prints as 0.

    Money: the net disbursed (projects.models.money's signed amounts — refunds
    subtract, refunds still due do not count) on disbursement rows dated
    within [period.start, period.end], from the given source ("" for both)
    and programme. This is money moved in the period, whatever the plan year
    of the project.

    Attribution to beneficiaries, per project:
    - one beneficiary receives all of it;
    - several: in proportion to the supported amounts of the equipment
      recorded for each of them in that project (a machinery project says
      whose machine the money bought), when any is recorded; otherwise in
      equal parts. Parts are whole đồng rounded down, and the đồng that
      rounding leaves go to the first beneficiary (lowest id), so the
      establishments' amounts add up exactly to what the project received;
    - a project with no beneficiary named (a group project) attributes its
      money to nobody.

    Two queries whatever the number of establishments: net paid per project,
    then the beneficiary links of those projects with their equipment weight.
    """
    rows = Disbursement.objects.filter(
        date__gte=period.start, date__lte=period.end
    ).order_by()
    if source:
        rows = rows.filter(funding__source=source)
    if programme_id:
        rows = rows.filter(funding__plan__programme_id=programme_id)
    paid = dict(
        rows.values("project_id")
        .annotate(net=Sum(measures.signed_amount()))
        .filter(~Q(net=0))
        .values_list("project_id", "net")
    )
    if not paid:
        return {}

    beneficiaries: dict[int, list[tuple[int, int]]] = defaultdict(list)
    links = beneficiary_links(projects=rows.values("project_id")).values_list(
        "project_id", "establishment_id", "weight"
    )
    for project_id, establishment_id, weight in links:
        if project_id in paid:
            beneficiaries[project_id].append((establishment_id, weight))

    received: dict[int, int] = defaultdict(int)
    for project_id, named in beneficiaries.items():
        weights = [weight for _establishment, weight in named]
        parts = split(paid[project_id], weights)
        for (establishment_id, _weight), part in zip(named, parts, strict=True):
            received[establishment_id] += part
    return dict(received)
