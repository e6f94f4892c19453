"""Programmes, plans and projects for the project tests.

Projects are built through `project_save_draft` and moved through the real
services, so every fixture state is one the portal itself can reach.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from enterprises.models import Commune, Establishment, EstablishmentKind
from projects import services
from projects.models import ActivityContent, Plan, Programme, Project, Source, Status

YEAR = 2026
SUBMIT_DAY = dt.date(2026, 3, 2)


@pytest.fixture
def commune(db) -> Commune:
    return Commune.objects.in_province(settings.HOME_PROVINCE_CODE).order_by("code")[0]


def make_establishment(commune: Commune, name: str = "Cơ sở mộc Hoằng Hóa", **kw):
    return Establishment.objects.create(
        name=name,
        kind=kw.pop("kind", EstablishmentKind.HOUSEHOLD),
        representative_name="Lê Văn An",
        business_registration_no=kw.pop("business_registration_no", "HKD-001"),
        commune=commune,
        **kw,
    )


@pytest.fixture
def establishment(commune) -> Establishment:
    return make_establishment(commune)


def make_plan(source: str, year: int = YEAR, allocated: int = 2_000_000_000) -> Plan:
    programme, _created = Programme.objects.get_or_create(
        source=source,
        start_year=2026,
        defaults={
            "name": "Chương trình khuyến công " + source,
            "end_year": 2030,
            "decision_no": "2646/QĐ-BCT",
            "decision_date": dt.date(2025, 12, 1),
        },
    )
    return Plan.objects.create(
        programme=programme,
        year=year,
        allocated=allocated,
        decision_no=f"{year}/QĐ-UBND",
        decision_date=dt.date(year, 1, 15),
    )


@pytest.fixture
def local_plan(db) -> Plan:
    return make_plan(Source.LOCAL)


@pytest.fixture
def national_plan(db) -> Plan:
    return make_plan(Source.NATIONAL)


def machinery() -> ActivityContent:
    return ActivityContent.objects.get(code=4)


def make_project(
    by,
    fundings: dict[Plan, int],
    *,
    beneficiaries=(),
    total_cost: int | None = None,
    counterpart: int = 180_000_000,
    other: int = 0,
    content: ActivityContent | None = None,
    **fields,
) -> Project:
    support = sum(fundings.values())
    project = Project(
        title=fields.pop("title", "Hỗ trợ máy chế biến gỗ"),
        content=content or machinery(),
        implementing_unit="Trung tâm Khuyến công Thanh Hóa",
        start_date=fields.pop("start_date", dt.date(2026, 4, 1)),
        end_date=fields.pop("end_date", dt.date(2026, 11, 30)),
        total_cost=support + counterpart + other if total_cost is None else total_cost,
        counterpart=counterpart,
        other_sources=other,
        **fields,
    )
    return services.project_save_draft(
        project=project,
        by=by,
        fundings=list(fundings.items()),
        beneficiaries=beneficiaries,
    )


@pytest.fixture
def local_project(staff, local_plan, establishment) -> Project:
    return make_project(staff, {local_plan: 120_000_000}, beneficiaries=[establishment])


@pytest.fixture
def national_project(staff, national_plan, establishment) -> Project:
    return make_project(
        staff, {national_plan: 120_000_000}, beneficiaries=[establishment]
    )


def approved_amounts(project: Project) -> dict[str, int]:
    return {f.source: f.requested for f in project.fundings.all()}


# Ordered path of each route, with the call that reaches each status.
def advance(project: Project, target: str, *, staff, reviewer) -> Project:
    """Drive `project` along its normal path until it reaches `target`."""
    national = project.is_national
    path = [
        Status.SUBMITTED,
        *([Status.APPRAISED] if national else []),
        Status.APPROVED,
        Status.IN_PROGRESS,
        Status.ACCEPTED,
        Status.SETTLED,
    ]
    if target in (Status.RETURNED, Status.REJECTED, Status.CANCELLED):
        services.project_submit(project=project, by=staff, day=SUBMIT_DAY)
        if target == Status.RETURNED:
            return services.project_return(
                project=project, by=reviewer, comment="Bổ sung báo giá"
            )
        if target == Status.REJECTED:
            return services.project_reject(
                project=project, by=reviewer, reason="Không phù hợp"
            )
        return services.project_cancel(project=project, by=reviewer, reason="Rút")
    todo = path[path.index(project.status) + 1 :] if project.status in path else path
    for status in todo:
        if project.status == target:
            break
        if status == Status.SUBMITTED:
            services.project_submit(project=project, by=staff, day=SUBMIT_DAY)
        elif status == Status.APPRAISED:
            services.project_appraise(project=project, by=reviewer, opinion="Đạt")
        elif status == Status.APPROVED:
            call = (
                services.project_record_decision
                if national
                else services.project_approve
            )
            call(
                project=project,
                by=reviewer,
                decision_no="123/QĐ",
                decision_date=dt.date(2026, 3, 20),
                approved=approved_amounts(project),
            )
        elif status == Status.IN_PROGRESS:
            services.project_start(
                project=project,
                by=staff,
                contract_no="45/HĐ-KC",
                contract_date=dt.date(2026, 4, 1),
            )
        elif status == Status.ACCEPTED:
            services.project_accept(
                project=project,
                by=staff,
                acceptance_date=dt.date(2026, 11, 20),
                minutes_no="12/BB-NT",
            )
        elif status == Status.SETTLED:
            services.project_settle(
                project=project,
                by=staff,
                settled_on=dt.date(2026, 12, 1),
                settled={f.source: f.approved for f in project.fundings.all()},
            )
    assert project.status == target, (project.status, target)
    return project
