"""The API's project list as values() rows: the JSON of ProjectSerializer
without a model instance, a related manager or a nested serializer per row.

Rendering 50 projects through the nested ModelSerializers cost about 0.25 s
of Python (a manager and a queryset per row and relation, the nested
serializers' fields rebuilt per project, the model instances): five times
the page's 50 ms budget. Here each serializer's readable fields are read once
into a plan (output name, values() path, the field's own `to_representation`),
the rows come from values() queries (one per relation, as the prefetches
did), and the plan turns them into the same dictionaries. The plans are
derived from the serializers, so a plain field added there appears here too;
tests/api pins the two renderings equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from django.db.models import F, QuerySet
from rest_framework import serializers

from enterprises.models import Establishment
from projects.models import (
    Disbursement,
    EquipmentInvestment,
    Project,
    ProjectFunding,
)

from .serializers import (
    AcceptanceSerializer,
    BeneficiarySerializer,
    DisbursementSerializer,
    EquipmentSerializer,
    FundingSerializer,
    ProjectSerializer,
)

Plan = tuple[tuple[str, str, Callable[[Any], Any]], ...]
# ProjectSerializer's related lists and acceptance, rendered by project_rows.
NESTED = ("fundings", "beneficiaries", "equipment", "disbursements", "acceptance")
NOT_PLAIN = (serializers.SerializerMethodField, serializers.BaseSerializer)


def _same(value: Any) -> Any:
    return value


@cache
def plan(serializer_class: type[serializers.Serializer], prefix: str = "") -> Plan:
    """(name, values() path, converter) of each plain readable field; a
    related field reads its key (values() gives the key of a foreign key)."""
    steps = []
    for name, field in serializer_class().fields.items():
        if field.write_only or name in NESTED:
            continue
        path = prefix + field.source.replace(".", "__")
        if isinstance(field, serializers.RelatedField):
            steps.append((name, path, _same))
        elif isinstance(field, NOT_PLAIN):
            raise TypeError(f"{serializer_class.__name__}.{name}: not a plain field")
        else:
            steps.append((name, path, field.to_representation))
    return tuple(steps)


def _render(steps: Plan, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, path, convert in steps:
        value = row[path]
        out[name] = None if value is None else convert(value)
    return out


def _grouped(steps: Plan, rows: Iterable[dict[str, Any]]) -> dict[int, list]:
    by_project: dict[int, list] = defaultdict(list)
    for row in rows:
        by_project[row["_project"]].append(_render(steps, row))
    return by_project


def _paths(steps: Plan) -> list[str]:
    return list(dict.fromkeys(path for _name, path, _convert in steps))


ACCEPTANCE = "acceptance__"


def project_values(projects: QuerySet[Project]) -> QuerySet:
    """The project columns of a list row (with its acceptance's, joined),
    keyed by `pk` as the cursor pagination orders."""
    return projects.values(
        "pk",
        *_paths(plan(ProjectSerializer)),
        f"{ACCEPTANCE}pk",
        *_paths(plan(AcceptanceSerializer, ACCEPTANCE)),
    )


def project_rows(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ProjectSerializer's representation of project_values() rows, in their
    order: four queries (fundings, beneficiaries, equipment, disbursements)
    whatever their number."""
    ids = [v["pk"] for v in values]
    if not ids:
        return []
    funding = plan(FundingSerializer)
    fundings = _grouped(
        funding,
        ProjectFunding.objects.with_money()
        .filter(project__in=ids)
        .order_by("source")
        .values(*_paths(funding), _project=F("project_id")),
    )
    beneficiary = plan(BeneficiarySerializer, "establishment__")
    ordering = [f"establishment__{o}" for o in Establishment._meta.ordering]
    beneficiaries = _grouped(
        beneficiary,
        Project.beneficiaries.through.objects.filter(project__in=ids)
        .order_by(*ordering)
        .values(*_paths(beneficiary), _project=F("project_id")),
    )
    item = plan(EquipmentSerializer)
    equipment = _grouped(
        item,
        EquipmentInvestment.objects.filter(project__in=ids)
        .order_by("pk")
        .values(*_paths(item), _project=F("project_id")),
    )
    payment = plan(DisbursementSerializer)
    disbursements = _grouped(
        payment,
        Disbursement.objects.live()
        .filter(project__in=ids)
        .order_by("date", "pk")
        .values(*_paths(payment), _project=F("project_id")),
    )
    project = plan(ProjectSerializer)
    acceptance = plan(AcceptanceSerializer, ACCEPTANCE)
    rows = []
    for v in values:
        row = _render(project, v)
        pk = v["pk"]
        row["fundings"] = fundings.get(pk, [])
        row["beneficiaries"] = beneficiaries.get(pk, [])
        row["equipment"] = equipment.get(pk, [])
        row["disbursements"] = disbursements.get(pk, [])
        row["acceptance"] = (
            None if v[f"{ACCEPTANCE}pk"] is None else _render(acceptance, v)
        )
        rows.append(row)
    return rows
