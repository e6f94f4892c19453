"""What the public sees: published projects and their published fields.

One place decides it for the page, its CSV and XLSX downloads (and anything
else that publishes): a project is published once approved
(PUBLISHED_STATUSES) unless an administrator withheld it; a withheld field is
None in its row, and a filter or search on that field never finds the project
(finding it would reveal the value). Money comes from the read-model
(ProjectFunding.objects.with_money(): `approved_amount`), never summed here
from raw columns.

`public_rows` costs five queries for any number of projects (projects,
funding rows with money, beneficiaries, acceptances, withholdings).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from enterprises.models import EstablishmentKind
from enterprises.text import search
from projects.models import (
    EXECUTION_STATUSES,
    Acceptance,
    Project,
    ProjectFunding,
    Status,
    source_short,
)

from .models import WithheldField, Withholding

# Approved and every later stage (a cancelled project was approved once: its
# cancellation is public too).
PUBLISHED_STATUSES = EXECUTION_STATUSES


def _withheld(field_name: str) -> Exists:
    return Exists(Withholding.objects.filter(project=OuterRef("pk"), field=field_name))


def published_projects() -> QuerySet[Project]:
    """Approved-and-later projects not withheld as a whole."""
    return Project.objects.filter(status__in=PUBLISHED_STATUSES).exclude(
        _withheld(WithheldField.PROJECT)
    )


def public_search(projects: QuerySet[Project], text: str) -> QuerySet[Project]:
    """The portal's accent-insensitive search over code and title; a withheld
    title is not searched (a match would reveal it)."""
    by_code = search(Project.objects.all(), text, "code").values("pk")
    by_title = (
        search(Project.objects.all(), text, "title")
        .exclude(_withheld(WithheldField.TITLE))
        .values("pk")
    )
    return projects.filter(Q(pk__in=by_code) | Q(pk__in=by_title))


def without_withheld(projects: QuerySet[Project], field_name: str) -> QuerySet:
    """`projects` less those whose `field_name` is withheld: for filters on it."""
    return projects.exclude(_withheld(field_name))


@dataclass
class PublicBeneficiary:
    name: str
    kind: str
    commune: str
    # Enterprises and cooperatives only: a household business is published by
    # name and commune, nothing more.
    tax_code: str = ""


@dataclass
class PublicFunding:
    source: str
    year: int
    programme: str
    approved: int | None


@dataclass
class PublicResults:
    acceptance_date: dt.date | None
    machines: int
    trainees: int
    products: int
    jobs_after: int | None


@dataclass
class PublicProject:
    id: int
    code: str
    title: str | None
    status: str
    status_label: str
    content: str
    decision_no: str
    decision_date: dt.date | None
    commune: str | None
    region: str | None
    fundings: list[PublicFunding] = field(default_factory=list)
    beneficiaries: list[PublicBeneficiary] | None = None
    approved: int | None = None
    results: PublicResults | None = None
    withheld: list[str] = field(default_factory=list)

    @property
    def years(self) -> str:
        return ", ".join(str(y) for y in sorted({f.year for f in self.fundings}))

    @property
    def sources(self) -> str:
        return ", ".join(source_short(f.source) for f in self.fundings)

    @property
    def programmes(self) -> str:
        return "; ".join(dict.fromkeys(f.programme for f in self.fundings))

    @property
    def beneficiary_names(self) -> str:
        if self.beneficiaries is None:
            return ""
        return "; ".join(
            f"{b.name} ({b.commune})" if b.commune else b.name
            for b in self.beneficiaries
        )


PROJECT_FIELDS = (
    "pk",
    "code",
    "title",
    "status",
    "decision_no",
    "decision_date",
    "acceptance_date",
    "content__name",
    "commune__name",
    "commune__region",
)


def public_values(projects: QuerySet[Project]) -> QuerySet:
    """The project columns a public row reads, as values() rows."""
    return projects.values(*PROJECT_FIELDS)


def public_rows(projects: QuerySet[Project] | Iterable[Any]) -> list[PublicProject]:
    """The published rows of `projects` (already filtered to published ones:
    a queryset, a list of ids, or public_values() rows), in their order, with
    withheld fields blanked."""
    if isinstance(projects, QuerySet):
        values = list(public_values(projects))
    else:
        items = list(projects)
        if items and isinstance(items[0], dict):
            values = items
        else:
            by_id = {
                v["pk"]: v for v in public_values(Project.objects.filter(pk__in=items))
            }
            values = [by_id[i] for i in items if i in by_id]
    ids = [v["pk"] for v in values]
    if not ids:
        return []
    withheld: dict[int, set[str]] = defaultdict(set)
    for project_id, name in Withholding.objects.filter(project__in=ids).values_list(
        "project_id", "field"
    ):
        withheld[project_id].add(name)
    fundings: dict[int, list[PublicFunding]] = defaultdict(list)
    rows = (
        ProjectFunding.objects.with_money()
        .filter(project__in=ids)
        .order_by("project_id", "source")
        .values_list(
            "project_id",
            "source",
            "plan__year",
            "plan__programme__name",
            "approved_amount",
        )
    )
    for project_id, source, year, programme, approved in rows:
        fundings[project_id].append(PublicFunding(source, year, programme, approved))
    beneficiaries: dict[int, list[PublicBeneficiary]] = defaultdict(list)
    links = (
        Project.beneficiaries.through.objects.filter(project__in=ids)
        .order_by("project_id", "establishment__name", "establishment_id")
        .values_list(
            "project_id",
            "establishment__name",
            "establishment__kind",
            "establishment__tax_code",
            "establishment__commune__name",
        )
    )
    kinds = dict(EstablishmentKind.choices)
    for project_id, name, kind, tax_code, commune in links:
        household = kind == EstablishmentKind.HOUSEHOLD
        beneficiaries[project_id].append(
            PublicBeneficiary(
                name=name,
                kind=str(kinds.get(kind, "")),
                commune=commune or "",
                tax_code="" if household else tax_code,
            )
        )
    results = {
        a["project_id"]: a
        for a in Acceptance.objects.filter(project__in=ids).values(
            "project_id",
            "machines_achieved",
            "trainees_achieved",
            "products_achieved",
            "jobs_after",
        )
    }
    labels = dict(Status.choices)
    out = []
    for v in values:
        pk = v["pk"]
        hidden = withheld.get(pk, set())
        money = fundings.get(pk, [])
        if WithheldField.SUPPORT in hidden:
            money = [PublicFunding(f.source, f.year, f.programme, None) for f in money]
        accepted = results.get(pk)
        row = PublicProject(
            id=pk,
            code=v["code"],
            title=None if WithheldField.TITLE in hidden else v["title"],
            status=v["status"],
            status_label=str(labels.get(v["status"], v["status"])),
            content=v["content__name"],
            decision_no=v["decision_no"],
            decision_date=v["decision_date"],
            commune=None if WithheldField.COMMUNE in hidden else v["commune__name"],
            region=None if WithheldField.COMMUNE in hidden else v["commune__region"],
            fundings=money,
            beneficiaries=(
                None
                if WithheldField.BENEFICIARIES in hidden
                else beneficiaries.get(pk, [])
            ),
            approved=(
                None
                if WithheldField.SUPPORT in hidden
                else sum(f.approved or 0 for f in money)
            ),
            results=(
                None
                if WithheldField.RESULTS in hidden or accepted is None
                else PublicResults(
                    acceptance_date=v["acceptance_date"],
                    machines=accepted["machines_achieved"],
                    trainees=accepted["trainees_achieved"],
                    products=accepted["products_achieved"],
                    jobs_after=accepted["jobs_after"],
                )
            ),
            withheld=sorted(hidden),
        )
        out.append(row)
    return out


def iter_public_rows(
    projects: QuerySet[Project], chunk: int = 2000
) -> Iterator[PublicProject]:
    """public_rows over a long query, a chunk at a time (the downloads)."""
    ids = list(projects.values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        yield from public_rows(ids[start : start + chunk])
