"""The project reports on the demo data (devdata): the province's own
figures come out, and every report is produced in both formats for the
periods people ask for."""

from __future__ import annotations

import pytest

from projects.models import COMMITTED_STATUSES, ProjectFunding
from reports.models import ReportJob
from reports.services import report_generate, report_parameters
from tests.readers import pdf_text, read_xlsx

pytestmark = pytest.mark.usefixtures("in_process")


def produce(kind: str, period: str, **parameters) -> ReportJob:
    job = ReportJob.objects.create(
        kind=kind, parameters=report_parameters(period=period, **parameters)
    )
    job = report_generate(job=job)
    assert job.status == ReportJob.Status.DONE, job.error
    return job


def test_2021_summary_gives_the_provinces_reported_money(demo):
    """DOMAIN.md: in 2021, 4 national projects (1.35 billion đ) and 8 local
    ones (1.472 billion đ)."""
    job = produce("yearly_summary", "2021")
    _ws, _header, rows, totals = read_xlsx(job.xlsx_file.path)
    by_source = {r[1].value: r for r in rows if r[0].value == "Theo nguồn kinh phí"}
    national = by_source["Khuyến công quốc gia (KCQG)"]
    local = by_source["Khuyến công địa phương (KCĐP)"]
    assert (national[2].value, national[5].value) == (4, 1_350_000_000)
    assert (local[2].value, local[5].value) == (8, 1_472_000_000)
    assert totals[5].value == 1_350_000_000 + 1_472_000_000


@pytest.mark.parametrize("period", ["2017..2018-H1", "2018", "2021", "2026-Q3"])
def test_the_disbursement_report_totals_the_approved_support(demo, period):
    job = produce("disbursement", period)
    _ws, _header, _rows, totals = read_xlsx(job.xlsx_file.path)
    period_obj = job.period
    approved = sum(
        f.approved or 0
        for f in ProjectFunding.objects.filter(
            plan__year__gte=period_obj.start.year,
            plan__year__lte=period_obj.end.year,
        ).select_related("project")
        if f.project.status in COMMITTED_STATUSES
        and (
            period_obj.whole_years
            or (
                f.project.start_date <= period_obj.end
                and f.project.end_date >= period_obj.start
            )
        )
    )
    assert totals[4].value == approved


@pytest.mark.parametrize("kind", ["progress", "disbursement", "yearly_summary"])
def test_every_project_report_is_produced_on_the_demo(demo, kind):
    job = produce(kind, "2017..2018-H1")
    assert "Từ năm 2017 đến 6 tháng đầu năm 2018" in pdf_text(job.pdf_file.path)
    _ws, _header, rows, _totals = read_xlsx(job.xlsx_file.path)
    assert len(rows) >= 39 if kind != "yearly_summary" else rows


def test_every_money_section_of_the_summary_adds_up_with_group_projects(demo):
    """The demo's contests and campaigns are group projects naming nobody:
    the establishment-kind section gives them a line of their own."""
    job = produce("yearly_summary", "2017..2018-H1")
    _ws, _header, rows, totals = read_xlsx(job.xlsx_file.path)
    sections: dict[str, list] = {}
    for row in rows:
        if row[1].value and row[5].value is not None:
            sections.setdefault(row[0].value, []).append(row)
    assert "Chưa nêu cơ sở thụ hưởng (đề án nhóm)" in {
        r[1].value for r in sections["Theo loại hình cơ sở"]
    }
    for name in (
        "Theo nguồn kinh phí",
        "Theo nội dung hoạt động",
        "Theo địa bàn (xã / phường)",
        "Theo vùng",
        "Theo loại hình cơ sở",
    ):
        # Money is per funding row: a two-source project's money splits by
        # source, never counts twice.
        assert sum(r[5].value for r in sections[name]) == totals[5].value, name
        assert sum(r[6].value for r in sections[name]) == totals[6].value, name


def test_the_39_project_disbursement_report_fits_few_a4_landscape_pages(demo):
    """Issue 16: the narrow title column stretched it to 10 pages (8 on the
    column fitting of issue 6); capped text columns and a smaller type for
    wide tables bring it to 6, 5 in millions, and the signatures end the
    last page with the totals."""
    import subprocess

    for unit, most in (("", 6), ("million", 5)):
        job = produce("disbursement", "2017..2018-H1", unit=unit, formats=["pdf"])
        info = subprocess.run(
            ["pdfinfo", job.pdf_file.path], check=True, capture_output=True, text=True
        ).stdout
        pages = int(
            next(x for x in info.splitlines() if x.startswith("Pages:")).split()[1]
        )
        assert pages <= most, (unit, pages)
        last = pdf_text(job.pdf_file.path).split("\f")[pages - 1]
        assert "Tổng cộng" in last and "NGƯỜI LẬP BIỂU" in last
