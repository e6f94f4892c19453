"""The progress, disbursement and yearly summary reports, produced through the
job code path and read back from the files, against sums taken from the
database here (tests/builders.py `reports_world` describes the projects)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from enterprises.roles import Role
from projects.models import (
    COMMITTED_STATUSES,
    Disbursement,
    DisbursementKind,
    DisbursementState,
    Inspection,
    Project,
    ProjectFunding,
    Source,
    Status,
)
from reports.exporters import get_exporter
from reports.models import ReportJob
from reports.periods import Period
from reports.services import report_generate, report_parameters
from tests.builders import (
    M,
    advance,
    make_project,
    pay,
    reports_world,
    shared_for_the_scope,
    status_on,
)
from tests.factories import make_user
from tests.readers import pdf_text, read_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process")]
needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils missing (make syslibs)"
)
YEAR_2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


# The world takes a while to build through the services and every test here
# only reads it (or adds to it in its own savepoint): built once for the module,
# in a transaction rolled back after the module's last test.
@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    with shared_for_the_scope(django_db_blocker):
        staff = make_user("staff", Role.STAFF)
        reviewer = make_user("reviewer", Role.REVIEWER)
        yield reports_world(staff, reviewer)


@pytest.fixture
def world(shared_world, db):
    return shared_world


@pytest.fixture
def staff(world) -> User:
    return User.objects.get(username="staff")


@pytest.fixture
def reviewer(world) -> User:
    return User.objects.get(username="reviewer")


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
        .select_related("project", "plan")
    )
    if source:
        rows = rows.filter(source=source)
    return list(rows)


def expected_money(
    fundings: list[ProjectFunding], start: dt.date, end: dt.date
) -> dict[str, int]:
    """The read-model's measures as at `end`, worked out here in Python:
    approved (committed projects), disbursed by kind and net, paid from
    carried-forward funds (dated after the plan's year), settled, released
    to the plan and still to pay."""
    ids = [f.pk for f in fundings]
    rows = list(Disbursement.objects.filter(funding_id__in=ids, date__lte=end))
    recorded = [d for d in rows if d.state == DisbursementState.RECORDED]
    status = {f.pk: status_on(f.project, end) for f in fundings}
    approved = sum(
        f.approved or 0 for f in fundings if status[f.pk] in COMMITTED_STATUSES
    )
    disbursed = sum(signed(d) for d in rows)
    plan_year = {f.pk: f.plan.year for f in fundings}
    released = to_pay = 0
    for f in fundings:
        settled_by_end = status[f.pk] == Status.SETTLED and f.project.settled_on <= end
        if settled_by_end:
            released += (f.approved or 0) - (f.settled or 0)
        elif status[f.pk] == Status.CANCELLED:
            released += f.approved or 0
        elif status[f.pk] in COMMITTED_STATUSES:
            own = sum(signed(d) for d in rows if d.funding_id == f.pk)
            to_pay += (f.approved or 0) - own
    return {
        "approved": approved,
        "advanced": sum(d.amount for d in recorded if d.kind == "advance"),
        "paid": sum(d.amount for d in recorded if d.kind in ("payment", "settlement")),
        "refunded": sum(d.amount for d in recorded if d.kind == "refund"),
        "disbursed": disbursed,
        "in_period": sum(signed(d) for d in rows if d.date >= start),
        "carried": sum(
            d.amount
            for d in recorded
            if d.kind != "refund" and d.date.year > plan_year[d.funding_id]
        ),
        "settled": sum(
            f.settled or 0
            for f in fundings
            if status[f.pk] == Status.SETTLED and f.project.settled_on <= end
        ),
        "released": released,
        "to_pay": to_pay,
    }


def committed(projects) -> list[Project]:
    return [p for p in projects if p.status in COMMITTED_STATUSES]


def produce(kind: str, period: str, fmt: str = "xlsx", **parameters) -> ReportJob:
    job = ReportJob.objects.create(
        kind=kind,
        parameters=report_parameters(period=period, formats=[fmt], **parameters),
    )
    job = report_generate(job=job)
    assert job.status == ReportJob.Status.DONE, job.error
    return job


def sheet(kind: str, period: str, **parameters):
    job = produce(kind, period, **parameters)
    return read_xlsx(job.file_for("xlsx").path)


def values(row) -> list:
    return [cell.value for cell in row]


def is_detail(row) -> bool:
    return row[0].value is not None  # subtotal and heading rows have no number


def assert_money_cells(cells) -> None:
    for cell in cells:
        assert isinstance(cell.value, int), (cell.coordinate, cell.value)
        assert cell.number_format == "#,##0"


# --- disbursement -------------------------------------------------------------

# Money columns of the disbursement report, in order, and the matching keys of
# expected_money.
MONEY_KEYS = [
    "approved",
    "advanced",
    "paid",
    "refunded",
    "disbursed",
    "in_period",
    "carried",
    "settled",
    "released",
    "to_pay",
]
MONEY = slice(5, 15)
RATE = 15


def test_disbursement_totals_and_subtotals_match_the_database(world):
    _ws, header, rows, totals = sheet("disbursement", "2026")
    assert header[:3] == ["STT", "Mã", "Đề án"]
    assert header[3:6] == [
        "Nguồn kinh phí",
        "Kế hoạch vốn giao (đồng)",
        "Kinh phí được duyệt (đồng)",
    ]
    assert header[RATE] == "Tỷ lệ giải ngân so với kinh phí được duyệt"

    fundings = fundings_of(range(2026, 2027))
    details = [r for r in rows if is_detail(r)]
    # One row per funding row: p2 twice, the draft p4 and the 2025 p5 absent.
    assert sorted((r[1].value, r[3].value) for r in details) == sorted(
        (f.project.code, f.source) for f in fundings
    )
    codes = {r[1].value for r in details}
    assert world.projects["p4"].code not in codes
    assert world.projects["p5"].code not in codes

    # The totals row sums the detail rows only, and equals the database.
    everything = expected_money(fundings, *YEAR_2026)
    assert totals[1].value == "Tổng cộng"
    assert values(totals)[MONEY] == [everything[k] for k in MONEY_KEYS]
    assert everything["approved"] == 400 * M  # p1 120 + p2 180 + p3 100
    assert everything["disbursed"] == 300 * M  # 70 + 130 + 100 + (30 − 30)
    assert_money_cells(totals[MONEY])
    assert float(totals[RATE].value) == pytest.approx(300 / 400)
    for row in details:
        assert_money_cells(row[MONEY])

    # Subtotals: each content's rows end with one, each source's with one,
    # in the order they come.
    labels = {
        Source.NATIONAL: "Khuyến công quốc gia (KCQG)",
        Source.LOCAL: "Khuyến công địa phương (KCĐP)",
    }
    seen, source, heading, group = [], None, None, []
    for row in rows:
        label = row[2].value
        if is_detail(row):
            group.append(row)
            continue
        assert row[2].font.bold, label
        if label in labels.values():  # a source's heading
            source = next(k for k, v in labels.items() if v == label)
            continue
        if not label.startswith("Cộng"):  # a content's heading
            heading, group = label, []
            continue
        own = [f for f in fundings if f.source == source]
        if label.startswith("Cộng nội dung"):
            codes_here = {r[1].value for r in group}
            mine = [f for f in own if f.project.code in codes_here]
            content = mine[0].project.content
            assert heading == f"{content.code}. {content.name}"
            assert label == f"Cộng nội dung {heading}"
            assert {f.project.content for f in mine} == {content}
            group = []
        else:
            assert label == f"Cộng {labels[source]}"
            mine = own
        expected = expected_money(mine, *YEAR_2026)
        assert values(row)[MONEY] == [expected[k] for k in MONEY_KEYS], label
        assert_money_cells(row[MONEY])
        seen.append((source, label.split(".")[0]))
    # National: machinery; local: training, machinery; each closed by its source.
    assert seen == [
        (Source.NATIONAL, "Cộng nội dung 4"),
        (Source.NATIONAL, "Cộng Khuyến công quốc gia (KCQG)"),
        (Source.LOCAL, "Cộng nội dung 1"),
        (Source.LOCAL, "Cộng nội dung 4"),
        (Source.LOCAL, "Cộng Khuyến công địa phương (KCĐP)"),
    ]


def test_refunds_subtract_and_a_cancelled_project_counts_nothing_approved(world):
    _ws, _header, rows, _totals = sheet("disbursement", "2026")
    by_code = {(r[1].value, r[3].value): values(r) for r in rows if is_detail(r)}
    p1 = by_code[(world.projects["p1"].code, Source.LOCAL)]
    assert p1[MONEY] == [
        *(120 * M, 30 * M, 50 * M, 10 * M, 70 * M, 70 * M),
        *(0, 0, 0, 50 * M),  # carried, settled, released, still to pay
    ]
    # 58.33 % rounded once, half up, to one decimal: 58.3 % (0.583).
    assert float(p1[RATE]) == pytest.approx(0.583)
    p7 = by_code[(world.projects["p7"].code, Source.LOCAL)]
    assert p7[5] == 0  # cancelled: its approval no longer commits money
    assert p7[9] == 0  # 30M paid, 30M refund confirmed
    assert p7[8] == 30 * M
    assert p7[13] == p7[14] + world.projects["p7"].fundings.get().approved
    assert p7[14] == 0  # nothing still to pay; its support is back on the plan
    assert p7[-1] == "Đã hủy"
    p3 = by_code[(world.projects["p3"].code, Source.LOCAL)]
    assert p3[7] == 30 * M  # the settlement payment
    assert p3[12] == 100 * M  # settled on 01/12/2026
    assert p3[14] == 0  # a settled project has nothing still to pay


def test_money_is_as_known_at_the_end_of_the_period(world):
    """Rows dated after the period's end do not count; the refund of 15/08
    is not yet there at the end of June."""
    _ws, _header, rows, totals = sheet("disbursement", "2026-H1")
    fundings = [
        f
        for f in fundings_of(range(2026, 2027))
        if f.project.code != world.projects["p6"].code  # starts in September
    ]
    expected = expected_money(fundings, dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert values(totals)[MONEY] == [expected[k] for k in MONEY_KEYS]
    p1 = next(r for r in rows if r[1].value == world.projects["p1"].code)
    assert p1[8].value == 0 and p1[9].value == 80 * M


def test_one_source_shows_that_sources_rows_only(world):
    _ws, _header, rows, totals = sheet("disbursement", "2026", source="KCQG")
    details = [r for r in rows if is_detail(r)]
    assert [(r[1].value, r[3].value) for r in details] == [
        (world.projects["p2"].code, Source.NATIONAL)
    ]
    national = fundings_of(range(2026, 2027), Source.NATIONAL)
    expected = expected_money(national, *YEAR_2026)
    assert values(totals)[MONEY] == [expected[k] for k in MONEY_KEYS]
    assert totals[5].value == 100 * M and totals[9].value == 90 * M


# --- progress -----------------------------------------------------------------


def test_progress_lists_every_project_of_the_period_with_its_state(world):
    ws, header, rows, totals = sheet("progress", "2026")
    assert ws["A6"].value == "BÁO CÁO TIẾN ĐỘ THỰC HIỆN ĐỀ ÁN KHUYẾN CÔNG"
    assert header[8] == "Giai đoạn"
    p = world.projects
    expected = sorted(p[k].code for k in ("p1", "p2", "p3", "p6", "p7"))
    assert [r[1].value for r in rows] == expected
    by_code = {r[1].value: values(r) for r in rows}

    first = by_code[p["p1"].code]
    assert first[4] == "KCĐP"
    assert first[6] == "Cơ sở mộc Bá Thước"
    assert first[7] == world.communes[0].name
    assert first[8] == "Đang thực hiện"
    assert first[9] == dt.datetime(2026, 4, 1)
    assert first[11] == "123/QĐ, 20/03/2026"
    assert first[12] == "45/HĐ-KC, 01/04/2026"
    # The 60 % update of 20/07 is the latest by the end of 2026 (the 90 % of
    # 2027 comes later).
    assert float(first[13]) == pytest.approx(0.6)
    assert first[14] == 1
    assert first[15] == dt.datetime(2026, 6, 15)
    assert first[16] == "Máy móc 0/2"

    both = by_code[p["p2"].code]
    assert both[4] == "KCQG, KCĐP"
    assert both[6] == "Cơ sở dệt thổ cẩm Hoa Lư; Hợp tác xã cơ khí Đông Sơn"

    done = by_code[p["p3"].code]
    assert done[8] == "Đã quyết toán"
    assert float(done[13]) == 1
    assert done[16] == "Học viên 28/30"
    assert done[17] == dt.datetime(2026, 11, 20)

    assert by_code[p["p6"].code][8] == "Đã gửi thẩm định"
    assert by_code[p["p7"].code][22] == "Đã hủy: Cơ sở rút đơn"

    # Running projects past their end date, as of the end of the period (or
    # today when it is not over).
    as_of = min(dt.date(2026, 12, 31), timezone.localdate())
    for key in ("p1", "p2"):
        late = (as_of - p[key].end_date).days
        remark = by_code[p[key].code][22] or ""
        assert (f"Quá hạn {late} ngày" in remark) == (late > 0)

    inspections = Inspection.objects.filter(
        actual_date__lte=dt.date(2026, 12, 31),
        project__in=[p[k] for k in ("p1", "p2", "p3", "p6", "p7")],
    ).count()
    assert totals[1].value == "Tổng cộng"
    assert totals[14].value == inspections == 1


def test_progress_of_a_half_year_is_as_known_at_its_end(world):
    _ws, _header, rows, _totals = sheet("progress", "2026-H1")
    p = world.projects
    codes = [r[1].value for r in rows]
    assert p["p6"].code not in codes  # starts on 01/09
    assert p["p1"].code in codes
    first = next(r for r in rows if r[1].value == p["p1"].code)
    assert float(first[13].value) == pytest.approx(0.4)  # the June inspection
    done = next(r for r in rows if r[1].value == p["p3"].code)
    assert done[17].value is None  # accepted only in November
    assert done[13].value is None


# --- membership ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "members"),
    [
        ("2026", {"p1", "p2", "p3", "p6", "p7"}),
        ("2026-H1", {"p1", "p2", "p3", "p7"}),
        ("2026-H2", {"p1", "p2", "p3", "p6", "p7"}),
        ("2026-Q4", {"p1", "p2", "p3", "p6", "p7"}),
        ("2025", {"p5"}),
        ("2025..2026", {"p1", "p2", "p3", "p5", "p6", "p7"}),
        # p5 runs to 30/11/2025; the 2026 ones start in April but were
        # approved on 20/03: running (approved, not settled) in the first quarter.
        ("2025-H2..2026-Q1", {"p1", "p2", "p3", "p5", "p7"}),
        # Still in progress: carried over into the next year (and p6, only
        # submitted, is not).
        ("2027", {"p1", "p2"}),
    ],
)
def test_the_three_reports_cover_the_same_projects(world, period, members):
    codes = {world.projects[k].code for k in members}
    _ws, _header, progress, _t = sheet("progress", period)
    assert {r[1].value for r in progress if is_detail(r)} == codes
    _ws, _header, money, _t = sheet("disbursement", period)
    assert {r[1].value for r in money if is_detail(r)} == codes
    _ws, _header, _rows, totals = sheet("yearly_summary", period)
    assert totals[2].value == len(codes)


# --- yearly summary -----------------------------------------------------------


def section(rows, name: str) -> dict[str, list]:
    return {r[1].value: values(r) for r in rows if r[0].value == name and r[1].value}


def test_the_yearly_summary_adds_up_against_the_database(world):
    _ws, header, rows, totals = sheet("yearly_summary", "2026")
    assert header[:3] == ["Nhóm", "Chỉ tiêu", "Số đề án"]
    members = [
        p for k, p in world.projects.items() if k in ("p1", "p2", "p3", "p6", "p7")
    ]
    fundings = fundings_of(range(2026, 2027))
    money = expected_money(fundings, *YEAR_2026)

    # The totals row gives the period once, whatever the sections repeat.
    assert values(totals)[:7] == [
        "Tổng cộng",
        None,
        len(members),
        len(committed(members)),
        6,  # A to F
        money["approved"],
        money["disbursed"],
    ]
    assert_money_cells(totals[5:7])
    for row in rows:
        if row[1].value and row[5].value is not None:
            assert_money_cells(row[5:7])

    # Each money section adds up to the totals.
    for name in ("Theo nội dung hoạt động", "Theo địa bàn (xã / phường)", "Theo vùng"):
        part = section(rows, name)
        assert sum(r[2] for r in part.values()) == len(members), name
        assert sum(r[5] for r in part.values()) == money["approved"], name
        assert sum(r[6] for r in part.values()) == money["disbursed"], name
    by_source = section(rows, "Theo nguồn kinh phí")
    national = expected_money(
        fundings_of(range(2026, 2027), Source.NATIONAL), *YEAR_2026
    )
    assert by_source["Khuyến công quốc gia (KCQG)"][5:7] == [
        national["approved"],
        national["disbursed"],
    ]

    contents = section(rows, "Theo nội dung hoạt động")
    training = contents["1. Đào tạo nghề, truyền nghề"]
    assert training[2:7] == [1, 1, 3, 100 * M, 100 * M]
    regions = section(rows, "Theo vùng")
    assert list(regions) == ["Miền núi", "Đồng bằng", "Ven biển"]
    assert regions["Miền núi"][2] == 2  # p1 and p6

    # Money shared among beneficiaries: p2's 180M approved, 130M paid, 3:1.
    priority = section(rows, "Nhóm ưu tiên")
    women = priority["Cơ sở do phụ nữ làm chủ"]
    assert women[2:7] == [1, 1, 1, 135 * M, 97_500_000]
    kinds = section(rows, "Theo loại hình cơ sở")
    assert kinds["Hợp tác xã"][4:7] == [1, 45 * M, 32_500_000]
    assert sum(r[5] for r in kinds.values()) == money["approved"]

    results = section(rows, "Kết quả so với mục tiêu")
    assert results["Học viên"][8:10] == [30, 28]
    assert results["Máy móc"][8:10] == [4, 0]
    jobs = section(rows, "Việc làm")
    assert jobs["Việc làm mới tạo ra"][9] == 25 - 10


# --- support received by each establishment -----------------------------------


def test_the_establishment_list_attributes_support_to_beneficiaries(world):
    _ws, _header, rows, totals = sheet("establishments", "2026")
    received = {r[1].value: r[9].value for r in rows}
    people = world.people
    assert received[people["A"].name] == 70 * M  # p1; p7 went to F
    # p2: 130M shared 3:1 by the machines' supported amounts.
    assert received[people["B"].name] == 97_500_000
    assert received[people["C"].name] == 32_500_000
    # p3: 100M in three equal parts, the odd đồng to the first beneficiary.
    assert received[people["D"].name] == 33_333_334
    assert received[people["E"].name] == 33_333_333
    assert received[people["F"].name] == 33_333_333  # and p7: 30M − 30M
    paid_in_2026 = sum(
        (-d.amount if d.kind == "refund" else d.amount)
        for d in Disbursement.objects.filter(
            date__year=2026, state="recorded", project__beneficiaries__isnull=False
        ).distinct()
    )
    assert totals[9].value == paid_in_2026 == 300 * M


def test_support_received_follows_the_source_and_the_period(world):
    _ws, _header, rows, totals = sheet("establishments", "2026-Q2", source="KCQG")
    received = {r[1].value: r[9].value for r in rows}
    assert received[world.people["B"].name] == 67_500_000  # 90M on 01/06, 3:1
    assert received[world.people["A"].name] == 0
    assert totals[9].value == 90 * M


# --- PDF ----------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("progress", "BÁO CÁO TIẾN ĐỘ THỰC HIỆN ĐỀ ÁN KHUYẾN CÔNG"),
        ("disbursement", "BÁO CÁO GIẢI NGÂN KINH PHÍ KHUYẾN CÔNG"),
        ("yearly_summary", "BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN KHUYẾN CÔNG"),
    ],
)
def test_the_pdf_has_the_vietnamese_title(world, kind, title):
    job = produce(kind, "2026", fmt="pdf")
    text = pdf_text(job.file_for("pdf").path)
    assert title in text
    assert "Năm 2026" in text


# --- queries ------------------------------------------------------------------


def rows_of(kind: str, period: str) -> None:
    exporter = get_exporter(kind)(period=Period.parse(period))
    list(exporter.iter_rows())
    exporter.totals()


# Every report turns PostgreSQL's JIT off for its queries and back on after
# (reports.queries.planned_without_jit): two statements of its own. SQLite
# has no JIT, and no such statements.
JIT = 2 if connection.vendor == "postgresql" else 0


@pytest.mark.parametrize(
    ("kind", "queries"),
    [
        # the spine (membership, status: one grouped query), then per chunk
        # the projects' details with their beneficiaries, and their money
        ("progress", JIT + 3),
        ("disbursement", JIT + 2),  # + the plans' allocation per source
        ("yearly_summary", JIT + 14),  # + the follow-ups done in the period
        ("establishments", JIT + 4),
    ],
)
def test_a_report_takes_as_many_queries_for_more_projects(
    world, staff, reviewer, kind, queries, django_assert_num_queries
):
    with django_assert_num_queries(queries):
        rows_of(kind, "2026")
    plan = world.projects["p1"].fundings.get().plan
    for i in range(3):
        extra = make_project(
            staff,
            {plan: 40 * M},
            beneficiaries=[world.people["D"], world.people["E"]],
            title=f"Đề án thêm {i}",
        )
        advance(extra, Status.IN_PROGRESS, staff=staff, reviewer=reviewer)
        pay(extra, staff, 10 * M, date=dt.date(2026, 6, 1))
        Inspection.objects.create(
            project=extra,
            planned_date=dt.date(2026, 6, 1),
            actual_date=dt.date(2026, 6, 2),
            progress_percent=30,
            recorded_by=staff,
        )
    with django_assert_num_queries(queries):
        rows_of(kind, "2026")


def test_a_programme_limits_the_reports_to_its_plans(world):
    national = world.projects["p2"].fundings.get(source=Source.NATIONAL).plan
    programme_id = national.programme_id
    _ws, _header, rows, totals = sheet(
        "disbursement", "2026", programme_id=programme_id
    )
    assert totals[5].value == 100 * M
    details = [(r[1].value, r[3].value) for r in rows if is_detail(r)]
    assert details == [(world.projects["p2"].code, Source.NATIONAL)]
    _ws, _header, rows, _totals = sheet("progress", "2026", programme_id=programme_id)
    assert [r[1].value for r in rows] == [world.projects["p2"].code]
    assert rows[0][4].value == "KCQG"  # only the programme's funding row


@pytest.mark.parametrize("period", ["2026", "2026..2027", "2027"])
def test_progress_streams_in_chunks_and_writes_the_same_rows(
    world, period, monkeypatch, django_assert_num_queries
):
    """The progress report reads its projects CHUNK at a time (issue 20)
    from one grouped query (the spine: membership and status), each chunk
    with one query for the projects' details and beneficiaries and one for
    their money: rows, numbering, money and the carried-over heading are
    the same whatever the chunk size."""
    from reports.exporters import progress

    def rows() -> list[tuple]:
        exporter = get_exporter("progress")(period=Period.parse(period))
        return list(exporter.iter_rows())

    whole = rows()
    projects = sum(1 for r in whole if r[0] is not None)
    assert projects >= 2
    monkeypatch.setattr(progress, "CHUNK", 1)
    # the spine, then the details (with the beneficiaries) and the money
    # per project
    with django_assert_num_queries(JIT + 1 + 2 * projects):
        one_by_one = rows()
    assert one_by_one == whole


def test_the_progress_bar_of_a_progress_report_costs_no_query(
    world, django_assert_num_queries
):
    """The number of projects the job's progress bar needs comes with the
    spine's first rows (issue 20): a report with progress takes the queries
    of one without, and the bar ends at the number of projects."""
    seen: list[tuple[int, int | None]] = []

    def rows(**progress) -> list[tuple]:
        exporter = get_exporter("progress")(period=Period.parse("2026"), **progress)
        return list(exporter.iter_rows())

    with django_assert_num_queries(JIT + 3):
        whole = rows()
    with django_assert_num_queries(JIT + 3):
        followed = rows(
            on_progress=lambda done, expected: seen.append((done, expected))
        )
    assert followed == whole
    projects = sum(1 for r in whole if r[0] is not None)
    assert projects >= 2
    # Each row against the number of projects, then done.
    assert seen[0] == (1, projects)
    assert seen[-1] == (len(whole), len(whole))
