"""A known set of projects for the project reports, built through the real
services (projects.services, projects.models.money, the execution records), and sums
computed from the database without the report code.

Plan year 2026 unless said. Regions: commune 0 mountain, 1 lowland, 2 coastal.

- p1 local, machinery, beneficiary A; in progress; advance 30M, payment 50M,
  refund 10M: net 70M. Inspection 15/06 at 40 %, update 20/07 at 60 %, an
  update in 2027 at 90 % (after a 2026 report's end).
- p2 national 100M + local 80M, machinery, beneficiaries B (women-owned) and
  C (cooperative), machines supported 60M for B and 20M for C (3:1); national
  paid 90M, local advance 20M + payment 20M.
- p3 local, training, beneficiaries D, E, F, no machines; advance 70M,
  accepted (28 of 30 trainees, jobs 10 -> 25), settled at 100M (a 30M
  settlement payment on 01/12).
- p4 a draft: in no report.
- p5 local, plan 2025, submitted: only in periods reaching 2025.
- p6 local, submitted, runs 01/09 - 30/11 2026: in 2026 and its second half,
  not in its first half.
- p7 local, machinery, beneficiary F; paid 30M, cancelled, refund confirmed
  on 01/09: net 0, approved counts 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from enterprises.models import Commune, Establishment, EstablishmentKind
from projects import services
from projects.models import (
    COMMITTED_STATUSES,
    ActivityContent,
    Disbursement,
    DisbursementKind,
    DisbursementState,
    Inspection,
    ProgressUpdate,
    Project,
    ProjectFunding,
    Source,
    Status,
)
from tests.projects.conftest import advance, make_establishment, make_plan, make_project
from tests.projects_money.conftest import machine, pay

from .conftest import three_communes

M = 1_000_000


@dataclass
class World:
    communes: list[Commune]
    people: dict[str, Establishment]
    projects: dict[str, Project]


def build_world(staff, reviewer) -> World:
    communes = three_communes()
    regions = ["mountain", "lowland", "coastal"]
    for commune, region in zip(communes, regions, strict=True):
        commune.region = region
        commune.save(update_fields=["region"])
    local, national = make_plan(Source.LOCAL), make_plan(Source.NATIONAL)
    local_2025 = make_plan(Source.LOCAL, year=2025)
    people = {
        "A": make_establishment(communes[0], "Cơ sở mộc Bá Thước"),
        "B": make_establishment(
            communes[1], "Cơ sở dệt thổ cẩm Hoa Lư", women_owned=True
        ),
        "C": make_establishment(
            communes[1],
            "Hợp tác xã cơ khí Đông Sơn",
            kind=EstablishmentKind.COOPERATIVE,
            tax_code="2801234567",
        ),
        "D": make_establishment(communes[2], "Cơ sở nước mắm Sầm Sơn"),
        "E": make_establishment(communes[2], "Cơ sở chiếu cói Nga Sơn"),
        "F": make_establishment(communes[2], "Cơ sở gốm Lò Chum"),
    }
    training = ActivityContent.objects.get(code=1)

    def run(project: Project) -> Project:
        return advance(project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)

    p1 = run(
        make_project(
            staff,
            {local: 120 * M},
            beneficiaries=[people["A"]],
            commune=communes[0],
            target_machines=2,
            title="Hỗ trợ máy bào gỗ cho cơ sở mộc",
        )
    )
    pay(p1, staff, 30 * M, DisbursementKind.ADVANCE, dt.date(2026, 4, 10))
    pay(p1, staff, 50 * M, date=dt.date(2026, 5, 10))
    pay(p1, staff, 10 * M, DisbursementKind.REFUND, dt.date(2026, 8, 15))
    Inspection.objects.create(
        project=p1,
        planned_date=dt.date(2026, 6, 10),
        actual_date=dt.date(2026, 6, 15),
        progress_percent=40,
        recorded_by=staff,
    )
    for day, percent in ((dt.date(2026, 7, 20), 60), (dt.date(2027, 2, 1), 90)):
        ProgressUpdate.objects.create(
            project=p1, date=day, progress_percent=percent, by=staff
        )

    p2 = run(
        make_project(
            staff,
            {national: 100 * M, local: 80 * M},
            beneficiaries=[people["B"], people["C"]],
            commune=communes[1],
            target_machines=2,
            title="Hỗ trợ máy dệt và máy tiện",
        )
    )
    machine(p2, staff, establishment=people["B"], supported=60 * M, serials=["B1"])
    machine(
        p2,
        staff,
        establishment=people["C"],
        supported=20 * M,
        serials=["C1"],
        invoice_no="00000456",
        item="Máy tiện CNC",
    )
    pay(p2, staff, 90 * M, date=dt.date(2026, 6, 1), source=Source.NATIONAL)
    pay(
        p2,
        staff,
        20 * M,
        DisbursementKind.ADVANCE,
        dt.date(2026, 4, 15),
        source=Source.LOCAL,
    )
    pay(p2, staff, 20 * M, date=dt.date(2026, 7, 1), source=Source.LOCAL)

    p3 = run(
        make_project(
            staff,
            {local: 100 * M},
            beneficiaries=[people["D"], people["E"], people["F"]],
            commune=communes[2],
            content=training,
            target_trainees=30,
            baseline_jobs=10,
            title="Đào tạo nghề chế biến nước mắm",
        )
    )
    pay(p3, staff, 70 * M, DisbursementKind.ADVANCE, dt.date(2026, 5, 1))
    services.project_accept(
        project=p3,
        by=staff,
        acceptance_date=dt.date(2026, 11, 20),
        minutes_no="12/BB-NT",
        outputs={"trainees_achieved": 28, "jobs_after": 25},
    )
    services.project_settle(
        project=p3,
        by=staff,
        settled_on=dt.date(2026, 12, 1),
        settled={Source.LOCAL: 100 * M},
    )

    p4 = make_project(staff, {local: 50 * M}, beneficiaries=[people["A"]])

    p5 = make_project(
        staff,
        {local_2025: 50 * M},
        beneficiaries=[people["A"]],
        start_date=dt.date(2025, 4, 1),
        end_date=dt.date(2025, 11, 30),
    )
    services.project_submit(project=p5, by=staff, day=dt.date(2025, 3, 2))

    p6 = make_project(
        staff,
        {local: 60 * M},
        beneficiaries=[people["A"]],
        commune=communes[0],
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 11, 30),
    )
    services.project_submit(project=p6, by=staff, day=dt.date(2026, 8, 1))

    p7 = run(
        make_project(
            staff, {local: 90 * M}, beneficiaries=[people["F"]], commune=communes[2]
        )
    )
    pay(p7, staff, 30 * M, date=dt.date(2026, 5, 10))
    services.project_cancel(project=p7, by=reviewer, reason="Cơ sở rút đơn")
    refund = Disbursement.objects.get(project=p7, state=DisbursementState.DUE)
    refund.confirm_refund(date=dt.date(2026, 9, 1), voucher_no="PT-07", by=staff)

    projects = {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p6": p6, "p7": p7}
    for key, project in projects.items():
        project.refresh_from_db()
        projects[key] = project
    return World(communes, people, projects)


# --- sums computed independently of the report code ------------------------------


def signed(d: Disbursement) -> int:
    """Net money out of one row, written out again here on purpose."""
    if d.state == DisbursementState.DUE:
        return 0
    return -d.amount if d.kind == DisbursementKind.REFUND else d.amount


def fundings_of(years: range, source: str | None = None) -> list[ProjectFunding]:
    rows = (
        ProjectFunding.objects.filter(plan__year__in=list(years))
        .exclude(project__status=Status.DRAFT)
        .select_related("project")
    )
    if source:
        rows = rows.filter(source=source)
    return list(rows)


def expected_money(
    fundings: list[ProjectFunding], start: dt.date, end: dt.date
) -> dict[str, int]:
    """Approved (committed projects), disbursed by kind and net, up to `end`."""
    ids = [f.pk for f in fundings]
    rows = list(Disbursement.objects.filter(funding_id__in=ids, date__lte=end))
    recorded = [d for d in rows if d.state == DisbursementState.RECORDED]
    approved = sum(
        f.approved or 0 for f in fundings if f.project.status in COMMITTED_STATUSES
    )
    disbursed = sum(signed(d) for d in rows)
    return {
        "approved": approved,
        "advanced": sum(d.amount for d in recorded if d.kind == "advance"),
        "paid": sum(d.amount for d in recorded if d.kind in ("payment", "settlement")),
        "refunded": sum(d.amount for d in recorded if d.kind == "refund"),
        "disbursed": disbursed,
        "in_period": sum(signed(d) for d in rows if d.date >= start),
        "settled": sum(
            f.settled or 0
            for f in fundings
            if f.project.status == Status.SETTLED and f.project.settled_on <= end
        ),
        "remaining": approved - disbursed,
    }


def committed(projects) -> list[Project]:
    return [p for p in projects if p.status in COMMITTED_STATUSES]
