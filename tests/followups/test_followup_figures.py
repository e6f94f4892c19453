"""The follow-ups' figures where they are read: the dashboard's impact card,
the yearly summary ("sau 12 tháng") and the follow-up report, read back from
the files (openpyxl, pdftotext)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.figures import AfterFigures, year_figures
from followups.services import Figures, followup_record
from projects.models import Source
from reports.models import ReportJob
from reports.services import report_generate, report_parameters
from tests.builders import make_plan
from tests.readers import pdf_text, read_xlsx

from .opening import M

pytestmark = pytest.mark.django_db

DONE_AT = timezone.make_aware(dt.datetime(2027, 12, 5, 9, 0))
# A: 30 jobs (20 before), 1.5 billion (0.9 before), 9,000 kWh (12,000 before),
# its machine still runs. B: 22 jobs, 0.8 billion, 11,000 kWh, machine idle.
EXPECTED = AfterFigures(
    followups_done=2,
    machines_checked=2,
    machines_in_use=1,
    jobs_now=52,
    jobs_created=12,
    revenue_increase=500 * M,
    energy_saved_kwh=Decimal(4000),
    products=1500,
)


@pytest.fixture
def reported(world):
    world.open()
    for followup, jobs, revenue, kwh, used, by in (
        (world.followup_a(), 30, 1500 * M, 9000, True, world.applicant_a),
        (world.followup_b(), 22, 800 * M, 11000, False, world.applicant_b),
    ):
        followup_record(
            followup=followup,
            by=by,
            filled_by="applicant",
            figures=Figures(
                jobs=jobs,
                revenue=revenue,
                products=750,
                energy_kwh=Decimal(kwh),
                remarks="Ổn định",
            ),
            equipment={row.pk: (used, "") for row in followup.equipment.all()},
            now=DONE_AT,
        )
    return world


def test_the_figures_add_up_the_followups_done_in_the_year(reported):
    assert year_figures(2027) == EXPECTED
    assert year_figures(2027, Source.LOCAL) == EXPECTED
    assert year_figures(2027, Source.NATIONAL) == AfterFigures()
    assert year_figures(2026) == AfterFigures()


def test_the_dashboard_impact_card_shows_them(reported, manager, as_user):
    make_plan(Source.LOCAL, year=2027)
    response = as_user(manager).get(reverse("dashboard:dashboard"), {"year": 2027})
    assert response.context["board"].after == EXPECTED
    body = response.content.decode()
    assert "Sau 12 tháng (theo dõi trong năm)" in body
    assert 'data-after="machines">1 / 2 còn sử dụng<' in body
    assert 'data-after="jobs">12<' in body
    assert 'data-after="revenue">500.000.000 đ<' in body


def produce(kind: str, period: str, fmt: str) -> ReportJob:
    job = ReportJob.objects.create(
        kind=kind, parameters=report_parameters(period=period, formats=[fmt])
    )
    job = report_generate(job=job)
    assert job.status == ReportJob.Status.DONE, job.error
    return job


def test_the_yearly_summary_has_the_after_12_months_section(reported):
    job = produce("yearly_summary", "2027", "xlsx")
    _ws, _header, rows, _totals = read_xlsx(job.file_for("xlsx").path)
    title = "Sau 12 tháng (phiếu theo dõi hoàn thành trong kỳ)"
    after = {
        r[1].value: [c.value for c in r[2:]]
        for r in rows
        if r[0].value == title and r[1].value
    }
    assert after["Máy móc còn sử dụng (trên số đã kiểm tra)"][0] == 2
    assert after["Máy móc còn sử dụng (trên số đã kiểm tra)"][-2:] == [2, 1]
    assert after["Lao động hiện nay"][-1] == 52
    assert after["Lao động tăng thêm so với trước đề án"][-1] == 12
    assert after["Doanh thu năm tăng thêm (đồng)"][-1] == 500 * M
    assert after["Năng lượng tiết kiệm (kWh/năm)"][-1] == 4000


def test_the_followup_report_puts_the_three_moments_side_by_side(reported):
    job = produce("followup", "2027", "xlsx")
    _ws, header, rows, totals = read_xlsx(job.file_for("xlsx").path)
    assert header[6:9] == [
        "Lao động trước đề án",
        "Lao động khi nghiệm thu",
        "Lao động sau 12 tháng",
    ]
    values = [[c.value for c in r] for r in rows]
    by_name = {v[2]: v for v in values}
    a = by_name["Cơ sở mộc Hoằng Hóa"]
    # Before (the proposal), at acceptance (the builders accept with 25 jobs),
    # after 12 months (the follow-up).
    assert a[4:9] == ["Hoàn thành", "1 / 1", 20, 25, 30]
    assert a[9] == 900 * M and a[11] == 1500 * M
    assert a[12] == 12000 and a[14] == 9000
    assert by_name["Cơ sở mây tre Nga Sơn"][5] == "0 / 1"
    total = [c.value for c in totals]
    assert total[6:9] == [40, 50, 52]
    assert total[11] == 2300 * M


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")
def test_the_followup_report_pdf_reads_back(reported):
    job = produce("followup", "2027", "pdf")
    text = " ".join(pdf_text(job.file_for("pdf").path, raw=True).split())
    assert "THEO DÕI SAU HỖ TRỢ" in text
    assert "Cơ sở mộc Hoằng Hóa" in text
    assert "1.500.000.000" in text
