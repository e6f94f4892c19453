"""Which projects a period holds, and each as it stood at the period's end.

One project's history spans three years: approved on the 2025 local plan,
paid in 2025 and 2026, accepted in September 2026 and settled in October
2026, long after its plan's year. It must appear, flagged as carried over
(chuyển tiếp) with its 2025 plan year, in every period of 2026 it ran in, and
each period's row must show its stage and money as at that period's end —
never the settlement that came later. Every sum is taken here, independently
of the report code, from the database.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum

from enterprises.roles import Role
from projects import services
from projects.models import (
    Acceptance,
    CarryForward,
    Disbursement,
    DisbursementKind,
    Plan,
    Project,
    ProjectFunding,
    Source,
    Status,
)
from reports.exporters.disbursement import HAS_CONTRIBUTED
from reports.models import ReportJob
from reports.services import report_generate, report_parameters
from tests.builders import (
    M,
    make_establishment,
    make_plan,
    make_project,
    pay,
    review,
    shared_for_the_scope,
    three_communes,
)
from tests.factories import make_user
from tests.readers import read_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process")]

# The carried-over project's paper trail.
SUBMITTED = dt.date(2025, 3, 3)
DECIDED = dt.date(2025, 4, 10)
CONTRACTED = dt.date(2025, 5, 5)
ACCEPTED = dt.date(2026, 9, 18)
SETTLED = dt.date(2026, 10, 15)
APPROVED = 120 * M
LEGACY = "Thôn Đồng Lách, Xã Thành Vinh, huyện Thạch Thành, tỉnh Thanh Hóa"

# Progress report columns (0-based).
CODE, PLAN_YEAR, COMMUNE, STAGE, OUTPUTS, ACCEPTANCE = 1, 5, 7, 8, 16, 17
P_APPROVED, P_IN_PERIOD, P_TO_DATE, P_REMAINING, P_REMARKS = 18, 19, 20, 21, 22
# Disbursement report columns.
ALLOCATED, D_APPROVED, DISBURSED, D_IN_PERIOD = 4, 5, 9, 10
D_SETTLED, D_RELEASED, D_TO_PAY = 12, 13, 14
PLANNED, CONTRIBUTED = 16, 17
# "Contributed" comes with Acceptance.counterpart_contributed (projects 0012).
D_REMARKS = 18 if HAS_CONTRIBUTED else 17


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    with shared_for_the_scope(django_db_blocker):
        staff = make_user("staff", Role.STAFF)
        reviewer = make_user("reviewer", Role.REVIEWER)
        communes = three_communes()
        old_plan = make_plan(Source.LOCAL, 2025, allocated=900 * M)
        new_plan = make_plan(Source.LOCAL, 2026, allocated=1_000 * M)
        national = make_plan(Source.NATIONAL, 2026, allocated=500 * M)
        person = make_establishment(
            communes[0], "Cơ sở mộc Thành Vinh", legacy_address=LEGACY
        )
        carried = make_project(
            staff,
            {old_plan: APPROVED},
            beneficiaries=[person],
            commune=communes[0],
            target_machines=2,
            counterpart=150 * M,
            start_date=dt.date(2025, 5, 1),
            end_date=dt.date(2026, 6, 30),
            title="Hỗ trợ máy ghép gỗ (chuyển tiếp)",
        )
        services.project_submit(project=carried, by=staff, day=SUBMITTED)
        review(carried, reviewer)
        services.project_approve(
            project=carried,
            by=reviewer,
            decision_no="88/QĐ-UBND",
            decision_date=DECIDED,
            approved={Source.LOCAL: APPROVED},
        )
        services.project_start(
            project=carried, by=staff, contract_no="12/HĐ", contract_date=CONTRACTED
        )
        pay(carried, staff, 30 * M, DisbursementKind.ADVANCE, dt.date(2025, 6, 2))
        # Paid after its plan's year: the plan's money was carried forward.
        CarryForward.objects.create(
            plan=old_plan,
            project=carried,
            decision_no="15/QĐ-STC",
            decision_date=dt.date(2026, 1, 15),
            amount=90 * M,
            recorded_by=staff,
        )
        pay(carried, staff, 50 * M, date=dt.date(2026, 2, 10))
        services.project_accept(
            project=carried,
            by=staff,
            acceptance_date=ACCEPTED,
            minutes_no="7/BB-NT",
            outputs={"machines_achieved": 2},
        )
        services.project_settle(
            project=carried,
            by=staff,
            decision_no="QT-01/QĐ",
            settled_on=SETTLED,
            voucher_no="PC-QT-9",
            settled={Source.LOCAL: 110 * M},
        )
        # A project of the 2026 plans, from both sources, to sum against.
        both = make_project(
            staff,
            {new_plan: 80 * M, national: 100 * M},
            beneficiaries=[make_establishment(communes[1], "Cơ sở dệt Hoa Lư")],
            commune=communes[1],
            counterpart=200 * M,
            start_date=dt.date(2026, 4, 1),
            end_date=dt.date(2026, 12, 31),
        )
        services.project_submit(project=both, by=staff, day=dt.date(2026, 3, 2))
        review(both, reviewer)
        services.project_record_decision(
            project=both,
            by=reviewer,
            decision_no="5/QĐ-BCT",
            decision_date=dt.date(2026, 3, 20),
            approved={Source.LOCAL: 80 * M, Source.NATIONAL: 100 * M},
        )
        services.project_start(
            project=both,
            by=staff,
            contract_no="3/HĐ",
            contract_date=dt.date(2026, 4, 2),
        )
        pay(both, staff, 60 * M, date=dt.date(2026, 5, 4), source=Source.NATIONAL)
        # A draft of the 2026 plan: in no report.
        make_project(staff, {new_plan: 40 * M}, beneficiaries=[person])
        yield {"carried": carried.pk, "both": both.pk}


@pytest.fixture
def world(shared, db):
    return {key: Project.objects.get(pk=pk) for key, pk in shared.items()}


def sheet(kind: str, period: str, **parameters):
    job = ReportJob.objects.create(
        kind=kind,
        parameters=report_parameters(period=period, formats=["xlsx"], **parameters),
    )
    job = report_generate(job=job)
    assert job.status == ReportJob.Status.DONE, job.error
    return read_xlsx(job.file_for("xlsx").path)


def details(rows) -> dict[str, list]:
    """Detail rows by project code (heading and subtotal rows have no number)."""
    return {r[CODE].value: [c.value for c in r] for r in rows if r[0].value is not None}


def headings(rows) -> list[str]:
    return [r[2].value for r in rows if r[0].value is None and r[1].value is None]


# --- membership ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "member", "carried"),
    [
        ("2024", False, False),
        ("2025", True, False),  # its own plan's year
        ("2025-Q2", True, False),
        ("2026", True, True),
        ("2026-Q1", True, True),
        ("2026-H1", True, True),
        ("2026-Q3", True, True),  # accepted in it, settled after it
        ("2026-10", True, True),  # settled in it: it ran until the 15th
        ("2026-11", False, False),  # settled before it began
        ("2027", False, False),
    ],
)
def test_the_carried_over_project_is_in_every_period_it_ran_in_and_flagged(
    world, period, member, carried
):
    code = world["carried"].code
    for kind in ("progress", "disbursement"):
        _ws, _header, rows, _totals = sheet(kind, period)
        found = details(rows)
        assert (code in found) == member, (kind, period)
        if not member:
            continue
        remarks = found[code][P_REMARKS if kind == "progress" else D_REMARKS] or ""
        flagged = "Chuyển tiếp từ kế hoạch năm 2025" in remarks
        assert flagged == carried, (kind, period, remarks)
        if carried:
            assert "Đề án chuyển tiếp" in headings(rows), (kind, period)
    _ws, _header, rows, _totals = sheet("progress", period)
    if member:
        assert details(rows)[code][PLAN_YEAR] == "2025"


def test_carried_over_projects_come_after_the_periods_own(world):
    _ws, _header, rows, _totals = sheet("progress", "2026")
    order = [r[CODE].value or r[2].value for r in rows]
    assert order == [world["both"].code, "Đề án chuyển tiếp", world["carried"].code]


# --- as at the end of the period ----------------------------------------------------


@pytest.mark.parametrize(
    ("period", "stage", "to_date", "in_period", "remaining", "accepted"),
    [
        # A year after approval: started, 30M advanced.
        ("2025", "Đang thực hiện", 30 * M, 30 * M, 90 * M, None),
        # The 50M payment of February; not accepted yet.
        ("2026-Q1", "Đang thực hiện", 80 * M, 50 * M, 40 * M, None),
        # Accepted on 18/09, settled only on 15/10: accepted, 40M to pay.
        ("2026-Q3", "Đã nghiệm thu", 80 * M, 0, 40 * M, dt.datetime(2026, 9, 18)),
        # Settled in October: the 30M settlement payment, nothing left to pay.
        ("2026-Q4", "Đã quyết toán", 110 * M, 30 * M, 0, dt.datetime(2026, 9, 18)),
    ],
)
def test_each_periods_row_is_as_at_its_end(
    world, period, stage, to_date, in_period, remaining, accepted
):
    _ws, _header, rows, _totals = sheet("progress", period)
    row = details(rows)[world["carried"].code]
    assert row[STAGE] == stage
    assert row[P_APPROVED] == APPROVED
    assert (row[P_TO_DATE], row[P_IN_PERIOD], row[P_REMAINING]) == (
        to_date,
        in_period,
        remaining,
    )
    assert row[ACCEPTANCE] == accepted
    # Outputs count once the acceptance is dated by the period's end.
    assert row[OUTPUTS] == ("Máy móc 2/2" if accepted else "Máy móc 0/2")


def test_a_project_settled_after_a_period_shows_its_money_as_at_that_periods_end(
    world,
):
    _ws, _header, rows, _totals = sheet("disbursement", "2026-Q3")
    row = details(rows)[world["carried"].code]
    assert row[D_APPROVED] == APPROVED
    assert row[DISBURSED] == 80 * M
    assert row[D_SETTLED] == 0  # settled on 15/10, after the quarter
    assert row[D_RELEASED] == 0
    assert row[D_TO_PAY] == 40 * M
    # The same project in the quarter it was settled in.
    _ws, _header, rows, _totals = sheet("disbursement", "2026-Q4")
    row = details(rows)[world["carried"].code]
    assert (row[D_SETTLED], row[D_RELEASED], row[D_TO_PAY]) == (110 * M, 10 * M, 0)


# --- the new columns, against sums taken here ---------------------------------------


def test_the_disbursement_report_adds_allocation_and_counterpart_funds(world):
    _ws, header, rows, totals = sheet("disbursement", "2026")
    assert header[ALLOCATED] == "Kế hoạch vốn giao (đồng)"
    assert header[PLANNED:D_REMARKS] == [
        "Vốn đối ứng theo kế hoạch (đồng)",
        *(["Vốn đối ứng đã đóng góp (đồng)"] if HAS_CONTRIBUTED else []),
    ]
    allocated = Plan.objects.filter(year=2026).aggregate(s=Sum("allocated"))["s"]
    assert totals[ALLOCATED].value == allocated == 1_500 * M
    by_source = {
        r[2].value: r[ALLOCATED].value
        for r in rows
        if r[2].value and r[2].value.startswith("Cộng Khuyến công")
    }
    assert by_source == {
        "Cộng Khuyến công quốc gia (KCQG)": 500 * M,
        "Cộng Khuyến công địa phương (KCĐP)": 1_000 * M,
    }
    # Counterpart funds once per project, whatever its number of rows.
    members = Project.objects.filter(pk__in=[world["both"].pk, world["carried"].pk])
    planned = members.aggregate(s=Sum("counterpart"))["s"]
    assert totals[PLANNED].value == planned == 350 * M
    rows_of_both = [
        r
        for r in rows
        if r[0].value is not None and r[CODE].value == world["both"].code
    ]
    assert [r[PLANNED].value for r in rows_of_both] == [200 * M, None]
    # Disbursed to date, against the disbursement rows.
    net = 0
    for d in Disbursement.objects.filter(
        funding__in=ProjectFunding.objects.filter(project__in=members),
        date__lte=dt.date(2026, 12, 31),
        state="recorded",
    ):
        net += -d.amount if d.kind == DisbursementKind.REFUND else d.amount
    assert totals[DISBURSED].value == net == 60 * M + 110 * M


def test_the_progress_report_money_adds_up_against_the_database(world):
    _ws, header, _rows, totals = sheet("progress", "2026")
    assert header[P_APPROVED : P_REMAINING + 1] == [
        "Kinh phí hỗ trợ được duyệt (đồng)",
        "Giải ngân trong kỳ (đồng)",
        "Giải ngân lũy kế (đồng)",
        "Còn lại chưa giải ngân (đồng)",
    ]
    approved = ProjectFunding.objects.exclude(project__status=Status.DRAFT).aggregate(
        s=Sum("approved")
    )["s"]
    assert totals[P_APPROVED].value == approved == 180 * M + APPROVED
    in_2026 = Disbursement.objects.filter(date__year=2026, state="recorded").aggregate(
        s=Sum("amount")
    )["s"]
    assert totals[P_IN_PERIOD].value == in_2026 == 60 * M + 50 * M + 30 * M
    assert totals[P_TO_DATE].value == in_2026 + 30 * M
    # "both" still has 120M to pay; the carried-over project is settled.
    assert totals[P_REMAINING].value == 180 * M - 60 * M


# --- history-correct text -----------------------------------------------------------


def test_a_record_before_the_two_level_administration_prints_the_old_units(world):
    _ws, _header, rows, _totals = sheet("progress", "2025")
    commune = world["carried"].commune.name
    assert details(rows)[world["carried"].code][COMMUNE] == (
        f"{commune} (trước 1/7/2025: Xã Thành Vinh, huyện Thạch Thành)"
    )
    # A project decided after 1/7/2025 prints today's commune only.
    _ws, _header, rows, _totals = sheet("progress", "2026")
    assert details(rows)[world["both"].code][COMMUNE] == world["both"].commune.name


@pytest.mark.skipif(
    not HAS_CONTRIBUTED,
    reason="Acceptance.counterpart_contributed comes with projects migration 0012",
)
def test_counterpart_contributed_counts_once_accepted_by_the_periods_end(world):
    Acceptance.objects.filter(project=world["carried"]).update(
        counterpart_contributed=140 * M
    )
    _ws, _header, rows, totals = sheet("disbursement", "2026-Q2")
    row = details(rows)[world["carried"].code]
    assert (row[PLANNED], row[CONTRIBUTED]) == (150 * M, None)  # accepted in Q3
    _ws, _header, rows, totals = sheet("disbursement", "2026-Q3")
    row = details(rows)[world["carried"].code]
    assert (row[PLANNED], row[CONTRIBUTED]) == (150 * M, 140 * M)
    assert totals[CONTRIBUTED].value == 140 * M
