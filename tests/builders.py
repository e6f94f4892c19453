"""Situations of several records, built through the real services.

Each state here (submitted, approved, in progress with money, accepted,
settled, cancelled) is reached by calling the lifecycle services and the
guarded model methods in the order the portal does, never by writing a status
field, so that a builder can only make what the portal itself can reach.
Plain records come from tests/factories.py.

Dates follow one calendar (factories.YEAR): submitted 2 March 2026, decided
20 March, contract 1 April, paid from May, accepted 20 November, settled
1 December.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import itertools
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from openpyxl import Workbook

from enterprises.models import (
    Commune,
    Establishment,
    EstablishmentKind,
    Sector,
)
from enterprises.services import COLUMNS
from projects import services
from projects.lifecycle import decision_authority
from projects.models import (
    ActivityContent,
    Disbursement,
    DisbursementKind,
    DisbursementState,
    EquipmentInvestment,
    Plan,
    Project,
    ProjectFunding,
    Source,
    Status,
)

from .factories import (
    CONTRACT_DAY,
    PAYMENT_DAY,
    YEAR,
    DisbursementFactory,
    EquipmentInvestmentFactory,
    EstablishmentFactory,
    InspectionFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ProjectFactory,
    content,
)

__all__ = ["CONTRACT_DAY", "YEAR"]

M = 1_000_000
SUBMIT_DAY = dt.date(2026, 3, 2)
DECISION_DAY = dt.date(2026, 3, 20)
ACCEPTANCE_DAY = dt.date(2026, 11, 20)
SETTLEMENT_DAY = dt.date(2026, 12, 1)
APPROVED = 120_000_000  # what `running` approves by default
# Adjustment and cancellation decisions are dated here by default.
CHANGE_DAY = dt.date(2026, 6, 1)
DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1
# `pay` numbers its vouchers: a voucher is used once per project and source.
_VOUCHERS = itertools.count(1)


# --- plain records with the tests' usual values ---------------------------------------


def make_establishment(
    commune: Commune, name: str = "Cơ sở mộc Hoằng Hóa", **kw: Any
) -> Establishment:
    """A household business (no tax code) in `commune`."""
    return EstablishmentFactory(
        name=name,
        commune=commune,
        kind=kw.pop("kind", EstablishmentKind.HOUSEHOLD),
        tax_code=kw.pop("tax_code", ""),
        representative_name="Lê Văn An",
        business_registration_no=kw.pop("business_registration_no", "HKD-001"),
        **kw,
    )


def make_plan(source: str, year: int = YEAR, allocated: int = 2_000_000_000) -> Plan:
    """The plan of `source` for `year` in the 2026–2030 programme."""
    return PlanFactory(source=source, year=year, allocated=allocated)


def make_project(
    by: Any,
    fundings: dict[Plan, int],
    *,
    beneficiaries: Iterable[Establishment] = (),
    total_cost: int | None = None,
    counterpart: int = 180_000_000,
    other: int = 0,
    content: ActivityContent | None = None,
    **fields: Any,
) -> Project:
    """A draft written by `by`, with support per plan (machinery by default)."""
    extra = {"content": content} if content is not None else {}
    return ProjectFactory(
        created_by=by,
        fundings=fundings,
        beneficiaries=list(beneficiaries),
        total_cost=total_cost,
        counterpart=counterpart,
        other_sources=other,
        **extra,
        **fields,
    )


def approved_amounts(project: Project) -> dict[str, int]:
    """Approval of everything requested, per source."""
    return {f.source: f.requested for f in project.fundings.all()}


def decision(
    project: Project, kind: str = "cancellation", day: dt.date = CHANGE_DAY
) -> dict[str, Any]:
    """An adjustment's or cancellation's decision, as its step takes it (the
    authority that decides by default); ignored where none is needed."""
    return {
        "decision_no": "15/QĐ-UBND",
        "decision_date": day,
        "authority": decision_authority(project, kind),
    }


def funding_of(project: Project, source: str | None = None) -> ProjectFunding:
    fundings = project.fundings.all()
    return fundings.get(source=source) if source else fundings.get()


# --- the lifecycle --------------------------------------------------------------------


def review_path(national: bool) -> list[str]:
    """The review states of the shipped routes, in order (routes.py)."""
    if national:
        return [Status.SUBMITTED, Status.PROPOSED, Status.APPRAISED]
    return [Status.SUBMITTED, Status.RECEIVED, Status.SCORED, Status.APPRAISED]


def council(project: Project, reviewer: Any) -> Project:
    """The appraisal council's conclusion, through the service its closing
    calls (the council's own pages are the appraisal app's)."""
    return services.project_record_council(
        project=project,
        by=reviewer,
        total=Decimal("82.5"),
        threshold=Decimal("70"),
        recommended=True,
        minutes_no="1/BB-HĐTĐ",
    )


def review(project: Project, reviewer: Any) -> Project:
    """Take a submitted project through its route's review steps to the
    decision (local: received, council, appraised; national: proposed, the
    ministry's appraisal)."""
    return advance(project, Status.APPRAISED, staff=None, reviewer=reviewer)


def advance(project: Project, target: str, *, staff: Any, reviewer: Any) -> Project:
    """Drive `project` along its route (local: received, council, appraised;
    national: proposed, the ministry's appraisal) until it reaches `target`,
    through the lifecycle services. RETURNED, REJECTED and CANCELLED are
    reached from a fresh submission."""
    national = project.is_national
    path = [
        *review_path(national),
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
        elif status == Status.RECEIVED:
            services.project_receive(project=project, by=reviewer)
        elif status == Status.SCORED:
            council(project, reviewer)
        elif status == Status.PROPOSED:
            services.project_propose(
                project=project,
                by=reviewer,
                proposal_no="15/SCT-QLCN",
                proposal_date=project.submitted_on,
            )
        elif status == Status.APPRAISED:
            appraise = (
                services.project_appraise_ministry
                if national
                else services.project_appraise
            )
            appraise(project=project, by=reviewer, opinion="Đạt")
        elif status == Status.APPROVED:
            decide = (
                services.project_record_decision
                if national
                else services.project_approve
            )
            decide(
                project=project,
                by=reviewer,
                decision_no="123/QĐ",
                decision_date=DECISION_DAY,
                approved=approved_amounts(project),
            )
        elif status == Status.IN_PROGRESS:
            services.project_start(
                project=project,
                by=staff,
                contract_no="45/HĐ-KC",
                contract_date=CONTRACT_DAY,
            )
        elif status == Status.ACCEPTED:
            services.project_accept(
                project=project,
                by=staff,
                acceptance_date=ACCEPTANCE_DAY,
                minutes_no="12/BB-NT",
            )
        elif status == Status.SETTLED:
            services.project_settle(
                project=project,
                by=staff,
                decision_no="QT-01/QĐ",
                settled_on=SETTLEMENT_DAY,
                voucher_no="PC-QT-01",
                settled={f.source: f.approved for f in project.fundings.all()},
            )
    assert project.status == target, (project.status, target)
    return project


def received_project(project: Project, *, staff: Any, reviewer: Any) -> Project:
    """`project` submitted and received by the Sở (dossier complete), where
    the appraisal council takes it up."""
    return advance(project, Status.RECEIVED, staff=staff, reviewer=reviewer)


def running(
    staff: Any,
    reviewer: Any,
    plan: Plan,
    establishment: Establishment,
    amount: int = APPROVED,
    **kw: Any,
) -> Project:
    """A project of `plan` for `establishment`, approved in full and started."""
    project = make_project(staff, {plan: amount}, beneficiaries=[establishment], **kw)
    return advance(project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)


# --- money and machines ---------------------------------------------------------------


def pay(
    project: Project,
    by: Any,
    amount: int,
    kind: str = DisbursementKind.PAYMENT,
    date: dt.date = PAYMENT_DAY,
    source: str | None = None,
    **kw: Any,
) -> Disbursement:
    """Money out of (or, for a refund, back into) one funding row, through the
    checks of Disbursement.save."""
    return DisbursementFactory(
        project=project,
        source=source or None,
        recorded_by=by,
        kind=kind,
        amount=amount,
        date=date,
        # Voucher numbers are unique per project and source.
        voucher_no=kw.pop("voucher_no", f"PC-{next(_VOUCHERS):03d}"),
        **kw,
    )


def machine(
    project: Project, by: Any, *, serials: Iterable[str] = ("SN-001",), **kw: Any
) -> EquipmentInvestment:
    """A machine for the project's (only, unless given) beneficiary, stored
    through the double-support check. Two calls with the defaults are the same
    invoice: give `invoice_no` and `serials` for a second machine."""
    return EquipmentInvestmentFactory(
        project=project,
        establishment=kw.pop("establishment", None) or project.beneficiaries.get(),
        recorded_by=by,
        serials=list(serials),
        invoice_no=kw.pop("invoice_no", "00000123"),
        **kw,
    )


# --- situations -----------------------------------------------------------------------


# --- what the execution pages post ---------------------------------------------


def equipment_post(project: Project, **over: Any) -> dict:
    data = {
        "establishment": project.beneficiaries.get().pk,
        "item": "Máy bào gỗ 4 mặt",
        "specification": "",
        "maker_origin": "Đài Loan",
        "supplier_name": "Công ty TNHH Cơ khí Việt",
        "supplier_tax_code": "2800123456",
        "quantity": "1",
        "unit_price": "200000000",
        "supported": "100000000",
        "invoice_no": "0000777",
        "invoice_date": "2026-05-02",
        "contract_no": "",
        "installation_date": "",
        "serials": "SN-777",
    }
    data.update(over)
    return data


def money_post(project: Project, **over: Any) -> dict:
    data = {
        "funding": project.fundings.get().pk,
        "kind": "payment",
        "amount": "10000000",
        "date": "2026-05-10",
        "voucher_no": "PC-10",
        "note": "",
    }
    data.update(over)
    return data


def approve_and_pay(
    project: Project,
    *,
    staff: Any,
    reviewer: Any,
    paid: int = 40 * M,
    decision: str = "quyet-dinh-phe-duyet.pdf",
) -> Project:
    """The one way tests of the establishments' pages move a project from
    its draft to approved, started and paid: the approval decision filed as
    a PDF, the contract signed and one payment of `paid`. The approval route
    is changing (issue 14): only this function follows it."""
    from .factories import pdf

    if not (project.start_date and project.end_date):
        # The centre completes a draft made from a request before sending it.
        project.start_date, project.end_date = CONTRACT_DAY, dt.date(YEAR, 10, 31)
        services.project_save_draft(
            project=project,
            by=staff,
            fundings=[(f.plan, f.requested) for f in project.fundings.all()],
            beneficiaries=list(project.beneficiaries.all()),
        )
    advance(project, Status.APPROVED, staff=staff, reviewer=reviewer)
    services.project_attach(
        project=project, by=reviewer, kind="decision", upload=pdf(decision)
    )
    advance(project, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
    pay(project, staff, paid)
    project.refresh_from_db()
    return project


def started_with_advance(
    staff: Any,
    reviewer: Any,
    plan: Plan,
    establishment: Establishment,
    *,
    advanced: int = 30 * M,
) -> Project:
    """Approved (120 M đ), contract signed, an advance paid on 10 April."""
    project = running(staff, reviewer, plan, establishment)
    pay(project, staff, advanced, DisbursementKind.ADVANCE, dt.date(2026, 4, 10))
    return project


def running_with_payments(
    staff: Any, reviewer: Any, plan: Plan, establishment: Establishment
) -> Project:
    """In progress: 30 M advance, 50 M paid (80 M of 120 M), one machine of
    its own (serial and invoice not used elsewhere), an inspection at 40 % and
    a progress update at 60 %."""
    project = started_with_advance(staff, reviewer, plan, establishment)
    pay(project, staff, 50 * M, date=PAYMENT_DAY)
    EquipmentInvestmentFactory(project=project, recorded_by=staff)
    InspectionFactory(
        project=project,
        planned_date=dt.date(2026, 6, 10),
        actual_date=dt.date(2026, 6, 15),
        progress_percent=40,
        recorded_by=staff,
    )
    ProgressUpdateFactory(
        project=project, date=dt.date(2026, 7, 20), progress_percent=60, by=staff
    )
    return project


def accepted(
    staff: Any, reviewer: Any, plan: Plan, establishment: Establishment
) -> Project:
    """`running_with_payments`, then accepted with its outputs (2 machines)."""
    project = running_with_payments(staff, reviewer, plan, establishment)
    return services.project_accept(
        project=project,
        by=staff,
        acceptance_date=ACCEPTANCE_DAY,
        minutes_no="12/BB-NT",
        outputs={"machines_achieved": 2, "jobs_after": 25},
    )


def settled(
    staff: Any,
    reviewer: Any,
    plan: Plan,
    establishment: Establishment,
    *,
    settled_amount: int = 100 * M,
) -> Project:
    """`accepted`, then settled at 100 M đ: 20 M more paid as the settlement
    payment, 20 M of the 120 M approved released."""
    project = accepted(staff, reviewer, plan, establishment)
    return services.project_settle(
        project=project,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=SETTLEMENT_DAY,
        voucher_no="PC-QT-01",
        settled={plan.programme.source: settled_amount},
    )


# --- the registry ---------------------------------------------------------------------


def three_communes() -> list[Commune]:
    """Three home-province communes, set to the three regions (mountain,
    lowland, coastal) in that order."""
    communes = list(
        Commune.objects.in_province(settings.HOME_PROVINCE_CODE).order_by("code")[:3]
    )
    for commune, region in zip(
        communes, ["mountain", "lowland", "coastal"], strict=True
    ):
        commune.region = region
        commune.save(update_fields=["region"])
    return communes


def make_establishments(n: int) -> list[Establishment]:
    """`n` cooperatives and enterprises spread over `three_communes`."""
    communes = three_communes()
    weaving, _ = Sector.objects.get_or_create(name="Dệt may", defaults={"code": "DET"})
    food, _ = Sector.objects.get_or_create(
        name="Chế biến nông sản", defaults={"code": "CB"}
    )
    kinds = [EstablishmentKind.COOPERATIVE, EstablishmentKind.SMALL_ENTERPRISE]
    return [
        EstablishmentFactory(
            name=f"Hợp tác xã Mây tre đan Nga Sơn {i}",
            kind=kinds[i % 2],
            tax_code=f"28{i:08d}",
            representative_name="Lê Thị Hoa",
            commune=communes[i % 3],
            workers_total=10 + i,
            workers_women=i % 7,
            women_owned=i % 3 == 0,
            sectors=[weaving if i % 2 else food],
        )
        for i in range(n)
    ]


def establishment_form_data(commune: Commune, **overrides: Any) -> dict[str, Any]:
    """What staff type into the establishment form: a valid cooperative."""
    data = {
        "name": "Hợp tác xã mây tre đan Hoằng Lộc",
        "kind": EstablishmentKind.COOPERATIVE,
        "tax_code": "2801234567",
        "representative_name": "Nguyễn Thị Lan",
        "commune": commune.pk,
        "workers_total": 20,
        "workers_women": 12,
        "workers_ethnic_minority": 0,
        "yearly_revenue": 1_350_000_000,
        "is_active": "on",
        "confirm_similar": "False",
    }
    data.update(overrides)
    return data


def registry_header() -> list[str]:
    """The import template's column titles."""
    return [c.title for c in COLUMNS]


def registry_row(n: int, place: Commune, /, **overrides: Any) -> list[Any]:
    """One valid row of the registry import file, in template column order."""
    values = {
        "name": f"Hợp tác xã mây tre đan số {n}",
        "kind": "Hợp tác xã",
        "tax_code": f"28{n:08d}",
        "business_registration_no": "",
        "representative_name": "Nguyễn Thị Hoa",
        "representative_position": "Giám đốc",
        "phone": "0912345678",
        "email": "",
        "commune": f"{place.code} - {place.name}",
        "street": "Thôn 3",
        "legacy_address": "",
        "sectors": "Thủ công mỹ nghệ",
        "craft_village": "",
        "founded_year": 2015,
        "workers_total": 20,
        "workers_women": 12,
        "workers_ethnic_minority": 0,
        "women_owned": "Có",
        "ethnic_minority_owned": "Không",
        "yearly_revenue": 1_350_000_000,
        "main_products": "Giỏ mây",
        "notes": "",
        "is_active": "Có",
    }
    values.update(overrides)
    return [values[c.field] for c in COLUMNS]


def registry_xlsx(
    rows: Iterable[list[Any]], head: list[str] | None = None
) -> io.BytesIO:
    """An import file (xlsx) holding `rows` under the header."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(head or registry_header())
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "co-so.xlsx"
    return out


# --- the project reports' world -------------------------------------------------------


@dataclass
class World:
    communes: list[Commune]
    people: dict[str, Establishment]
    projects: dict[str, Project]


def reports_world(staff: Any, reviewer: Any) -> World:
    """A known set of projects for the project reports (plan year 2026 unless
    said; regions: commune 0 mountain, 1 lowland, 2 coastal).

    - p1 local, machinery, beneficiary A; in progress; advance 30M, payment
      50M, refund 10M: net 70M. Inspection 15/06 at 40 %, update 20/07 at
      60 %, an update in 2027 at 90 % (after a 2026 report's end).
    - p2 national 100M + local 80M, machinery, beneficiaries B (women-owned)
      and C (cooperative), machines supported 60M for B and 20M for C (3:1);
      national paid 90M, local advance 20M + payment 20M.
    - p3 local, training, beneficiaries D, E, F, no machines; advance 70M,
      accepted (28 of 30 trainees, jobs 10 -> 25), settled at 100M (a 30M
      settlement payment on 01/12).
    - p4 a draft: in no report.
    - p5 local, plan 2025, submitted: only in periods reaching 2025.
    - p6 local, submitted, runs 01/09 - 30/11 2026: in 2026 and its second
      half, not in its first half.
    - p7 local, machinery, beneficiary F; paid 30M, cancelled, refund
      confirmed on 01/09: net 0, approved counts 0.
    """
    communes = three_communes()
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
    InspectionFactory(
        project=p1,
        planned_date=dt.date(2026, 6, 10),
        actual_date=dt.date(2026, 6, 15),
        progress_percent=40,
        recorded_by=staff,
    )
    for day, percent in ((dt.date(2026, 7, 20), 60), (dt.date(2027, 2, 1), 90)):
        ProgressUpdateFactory(project=p1, date=day, progress_percent=percent, by=staff)

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
            content=content(1),
            target_trainees=30,
            baseline_jobs=10,
            title="Đào tạo nghề chế biến nước mắm",
        )
    )
    pay(p3, staff, 70 * M, DisbursementKind.ADVANCE, dt.date(2026, 5, 1))
    services.project_accept(
        project=p3,
        by=staff,
        acceptance_date=ACCEPTANCE_DAY,
        minutes_no="12/BB-NT",
        outputs={"trainees_achieved": 28, "jobs_after": 25},
    )
    services.project_settle(
        project=p3,
        by=staff,
        decision_no="QT-01/QĐ",
        settled_on=SETTLEMENT_DAY,
        voucher_no="PC-QT-01",
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
    services.project_cancel(
        project=p7, by=reviewer, reason="Cơ sở rút đơn", **decision(p7)
    )
    refund = Disbursement.objects.get(project=p7, state=DisbursementState.DUE)
    refund.confirm_refund(date=dt.date(2026, 9, 1), voucher_no="PT-07", by=staff)

    projects = {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p6": p6, "p7": p7}
    for project in projects.values():
        project.refresh_from_db()
    return World(communes, people, projects)


# --- a project's past, worked out from its records -----------------------------------

PAPER_DAYS = {
    Status.SUBMITTED: "submitted_on",
    Status.APPROVED: "decision_date",
    Status.IN_PROGRESS: "contract_date",
    Status.ACCEPTED: "acceptance_date",
    Status.SETTLED: "settled_on",
}


def status_on(project: Project, day: dt.date) -> str:
    """The project's status at the end of `day`, worked out in Python from
    its timeline, for tests to check the reports against: the last step (in
    the order recorded) that took effect by then, a step taking effect on
    its paper date or the day it was recorded, whichever is earlier."""
    status = None
    steps = list(project.transitions.order_by("at", "pk"))
    for step in steps:
        took_effect = timezone.localtime(step.at).date()
        paper = getattr(project, PAPER_DAYS.get(step.to_status, ""), None)
        if paper is not None:
            took_effect = min(took_effect, paper)
        if took_effect <= day:
            status = step.to_status
    if status is None:
        return (steps[0].from_status or Status.DRAFT) if steps else project.status
    return status


# --- shared by the tests of a module or package -----------------------------------


@contextlib.contextmanager
def shared_for_the_scope(django_db_blocker: Any) -> Iterator[None]:
    """Records built once for the tests of a module or package (a fixture of
    that scope), in a transaction rolled back after the last of them. Each
    test still runs in a savepoint of its own (`db`), so what it writes is gone
    before the next one. Not for transactional tests: their flush would empty
    the shared records, and pytest-django runs them after all the others."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def reloaded(situation: Any) -> Any:
    """A copy of a shared situation (a dataclass of records) with each record
    read again from the database: a test that changes one of them in memory,
    or saves it in its own savepoint, leaves the next test's copy as built."""
    return dataclasses.replace(
        situation,
        **{
            field.name: type(record)._default_manager.get(pk=record.pk)
            for field in dataclasses.fields(situation)
            if isinstance(record := getattr(situation, field.name), models.Model)
        },
    )


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """A savepoint undone at its end: what runs inside (a request, the records
    it needs) leaves the database as it found it. For a test that checks
    several cases on the same records, each as if it ran alone."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# --- at the same instant --------------------------------------------------------------


def run_together(*calls: Callable[[], Any]) -> list:
    """Run the calls in threads released at the same instant; return what each
    returned or raised (PostgreSQL concurrency tests)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


# --- the establishments' requests (applicants) -----------------------------------


def support_request(
    applicant: Any,
    *,
    status: str = "draft",
    staff: Any = None,
    plan: Plan | None = None,
    requested: int = 100_000_000,
    counterpart: int = 150_000_000,
    title: str = "Mua máy chẻ nan mây",
) -> Any:
    """A request of the applicant's establishment, brought to `status`
    through the applicants' services (machinery, 100 of 250 million đ)."""
    from applicants import services as applicant_services
    from applicants.models import DocumentKind, RequestStatus, SupportRequest

    from .factories import pdf

    item = applicant_services.request_save(
        request=SupportRequest(
            title=title,
            content=ActivityContent.objects.get(code=4),
            items="01 máy chẻ nan: 250.000.000 đ",
            total_cost=requested + counterpart,
            requested=requested,
            counterpart=counterpart,
            expected_results="Thêm 5 việc làm",
        ),
        by=applicant,
    )
    if status == RequestStatus.DRAFT:
        return item
    applicant_services.request_add_document(
        request=item, by=applicant, kind=DocumentKind.REGISTRATION, upload=pdf()
    )
    applicant_services.request_submit(request=item, by=applicant)
    if status == RequestStatus.RETURNED:
        applicant_services.request_ask(
            request=item, by=staff, body="Bổ sung báo giá của máy."
        )
    elif status == RequestStatus.DECLINED:
        applicant_services.request_decline(
            request=item, by=staff, reason="Không thuộc đối tượng hỗ trợ năm nay."
        )
    elif status == RequestStatus.ACCEPTED:
        applicant_services.request_to_project(
            request=item, by=staff, plan=plan or make_plan(Source.LOCAL)
        )
    item.refresh_from_db()
    return item


# --- the public page: what is published and what is withheld ----------------------


@dataclass
class Disclosure:
    draft: Project
    submitted: Project
    approved: Project  # a household business, approved, not started
    accepted: Project  # an enterprise, accepted with its outputs
    hidden: Project  # running, withheld as a whole
    partly: Project  # running; beneficiaries, support and results withheld
    household: Establishment
    enterprise: Establishment
    secret: Establishment  # the beneficiary of `partly`


def disclosure_world(staff: Any, reviewer: Any) -> Disclosure:
    """Projects at every stage for the public page, with withholdings decided
    by an administrator (public.Withholding)."""
    from public.models import WithheldField, Withholding

    communes = three_communes()
    local = make_plan(Source.LOCAL)
    household = make_establishment(communes[0], name="Hộ kinh doanh Lê Văn Đông")
    enterprise = make_establishment(
        communes[1],
        name="Công ty TNHH Mây tre Nga Sơn",
        kind=EstablishmentKind.SMALL_ENTERPRISE,
        tax_code="2801234567",
    )
    secret = make_establishment(
        communes[2],
        name="Hợp tác xã Giấu Tên",
        kind=EstablishmentKind.COOPERATIVE,
        tax_code="2807654321",
    )
    draft = make_project(
        staff, {local: 50 * M}, beneficiaries=[household], title="Bản nháp chưa gửi"
    )
    submitted = advance(
        make_project(
            staff, {local: 60 * M}, beneficiaries=[household], title="Đề án đang chờ"
        ),
        Status.SUBMITTED,
        staff=staff,
        reviewer=reviewer,
    )
    approved = advance(
        make_project(
            staff,
            {local: 70 * M},
            beneficiaries=[household],
            title="Hỗ trợ máy sấy nông sản",
            commune=communes[0],
        ),
        Status.APPROVED,
        staff=staff,
        reviewer=reviewer,
    )
    accepted_project = accepted(staff, reviewer, local, enterprise)
    accepted_project.commune = communes[1]
    accepted_project.save(update_fields=["commune"])
    hidden = running(
        staff, reviewer, local, household, 40 * M, title="Dự án không công bố"
    )
    partly = running(
        staff,
        reviewer,
        local,
        secret,
        90 * M,
        title="Máy dệt chiếu cói",
        commune=communes[2],
    )
    Withholding.objects.create(
        project=hidden, field=WithheldField.PROJECT, reason="Đang thanh tra"
    )
    for field in (WithheldField.BENEFICIARIES, WithheldField.SUPPORT):
        Withholding.objects.create(project=partly, field=field, reason="Bí mật KD")
    return Disclosure(
        draft=draft,
        submitted=submitted,
        approved=approved,
        accepted=accepted_project,
        hidden=hidden,
        partly=partly,
        household=household,
        enterprise=enterprise,
        secret=secret,
    )
