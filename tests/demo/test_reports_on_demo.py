"""The project reports on the demo data (devdata): the province's own
figures come out, and every report is produced in both formats for the
periods people ask for."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import docx
import pytest

from projects.models import (
    COMMITTED_STATUSES,
    EXECUTION_STATUSES,
    ProjectFunding,
    Status,
)
from reports.models import ReportJob
from reports.periods import Period
from reports.services import report_generate, report_parameters
from tests.builders import status_on
from tests.readers import docx_text, pdf_fonts, pdf_layout_pages, pdf_text, read_xlsx

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
    ones (1.472 billion đ) — the 2021 plans' projects; the projects of
    earlier plans still running in 2021 follow on lines of their own."""
    job = produce("yearly_summary", "2021")
    _ws, _header, rows, totals = read_xlsx(job.xlsx_file.path)
    by_source = {
        r[1].value: r
        for r in rows
        if r[0].value == "Theo nguồn kinh phí" and r[1].value
    }
    national = by_source["Khuyến công quốc gia (KCQG)"]
    local = by_source["Khuyến công địa phương (KCĐP)"]
    assert (national[2].value, national[5].value) == (4, 1_350_000_000)
    assert (local[2].value, local[5].value) == (8, 1_472_000_000)
    # 1 national (200 million đ) and 3 local (285 million đ) in the demo.
    carried = [r for label, r in by_source.items() if "chuyển tiếp" in label]
    assert carried, "the 2021 summary lists the carried-over projects apart"
    expected = approved_of(members("2021"))
    assert totals[5].value == sum(r[5].value for r in by_source.values()) == expected


def members(period: str) -> list[tuple[ProjectFunding, str]]:
    """The funding rows a period holds by the rule of issue 16, each with its
    project's status at the period's end, worked out here in Python from the
    records: the period's plans (touching a part-year period), and earlier
    plans' projects running in the period; never drafts."""
    p = Period.parse(period)
    closed = (Status.SETTLED, Status.CANCELLED, Status.REJECTED)
    found = []
    for f in ProjectFunding.objects.select_related("project", "plan"):
        project = f.project
        if project.status == Status.DRAFT or f.plan.year > p.end.year:
            continue
        at_end = status_on(project, p.end)
        if at_end == Status.DRAFT:
            continue
        running = (
            project.decision_date is not None
            and project.decision_date <= p.end
            and at_end in EXECUTION_STATUSES
            and status_on(project, p.start - dt.timedelta(days=1)) not in closed
        )
        begins = project.start_date or project.decision_date
        ends = project.end_date or begins
        touches = begins is not None and begins <= p.end and ends >= p.start
        own = f.plan.year >= p.start.year and (p.whole_years or touches or running)
        if own or (f.plan.year < p.start.year and running):
            found.append((f, at_end))
    return found


def approved_of(rows: list[tuple[ProjectFunding, str]]) -> int:
    """Approved support of the projects approved at the period's end."""
    return sum(f.approved or 0 for f, at_end in rows if at_end in COMMITTED_STATUSES)


@pytest.mark.parametrize("period", ["2017..2018-H1", "2018", "2021", "2026-Q3"])
def test_the_disbursement_report_totals_the_approved_support(demo, period):
    job = produce("disbursement", period, formats=["xlsx"])
    _ws, _header, rows, totals = read_xlsx(job.xlsx_file.path)
    expected = members(period)
    assert totals[5].value == approved_of(expected)
    codes = {r[1].value for r in rows if r[0].value is not None}
    assert codes == {f.project.code for f, _at_end in expected}


@pytest.mark.parametrize("kind", ["progress", "disbursement", "yearly_summary"])
def test_every_project_report_is_produced_on_the_demo(demo, kind):
    job = produce(kind, "2017..2018-H1")
    assert "Từ năm 2017 đến 6 tháng đầu năm 2018" in pdf_text(job.pdf_file.path)
    _ws, _header, rows, _totals = read_xlsx(job.xlsx_file.path)
    assert len(rows) >= 39 if kind != "yearly_summary" else rows


def test_every_money_section_of_the_summary_adds_up_with_group_projects(demo):
    """The demo's contests and campaigns are group projects naming nobody:
    the establishment-kind section gives them a line of their own."""
    job = produce("yearly_summary", "2017..2018-H1", formats=["xlsx"])
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
    """Issue 16: the narrow title column stretched it to 10 pages, then to 9
    with the Sở's 19 columns. The paged layout (reports.writers.paged) groups
    the disbursement and counterpart headers, leaves out the source its
    headings repeat and drops the unit from every header; in millions the
    title then has a wide column, in đồng (13 money columns of up to 13
    digits) it goes on a line of its own above each project's figures.
    4 pages in either unit; the last one ends with the totals and the
    signatures."""
    for unit, line in (("", "Mã / Đề án"), ("million", "Mã")):
        job = produce("disbursement", "2017..2018-H1", unit=unit, formats=["pdf"])
        info = subprocess.run(
            ["pdfinfo", job.pdf_file.path], check=True, capture_output=True, text=True
        ).stdout
        pages = int(
            next(x for x in info.splitlines() if x.startswith("Pages:")).split()[1]
        )
        assert pages <= 4, (unit, pages)
        text = pdf_text(job.pdf_file.path)
        last = text.split("\f")[pages - 1]
        assert "Tổng cộng" in last and "NGƯỜI LẬP BIỂU" in last
        first = text.split("\f")[0]
        assert "Giải ngân" in first and "Vốn đối ứng" in first
        assert line in first
        # Every project's title is printed, whole.
        raw = " ".join(pdf_text(job.pdf_file.path, raw=True).split())
        for f, _at_end in members("2017..2018-H1"):
            if f.source == "KCQG":
                assert " ".join(f.project.title.split()) in raw, f.project.code


@pytest.mark.skipif(
    not shutil.which("soffice"), reason="LibreOffice missing (not in make syslibs)"
)
def test_the_disbursement_docx_is_laid_out_as_the_pdf(demo, tmp_path):
    """Word gets the PDF's layout (reports.writers.pdf.paged_rows): as
    LibreOffice lays it out, 5 pages in đồng and 4 in millions (11 with the
    Excel widths it had), the titles whole, the totals and signatures last."""
    for unit, most in (("", 5), ("million", 4)):
        job = produce("disbursement", "2017..2018-H1", unit=unit, formats=["docx"])
        path = tmp_path / f"giai-ngan-{unit or 'dong'}.docx"
        path.write_bytes(job.docx_file.read())
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = path.with_suffix(".pdf")
        pages = pdf_text(pdf).split("\f")
        pages = [p for p in pages if p.strip()]
        assert len(pages) <= most, (unit, len(pages))
        assert "Tổng cộng" in pages[-1] and "NGƯỜI LẬP BIỂU" in pages[-1]
        # LibreOffice draws a letter's marks apart from it, so the drawing
        # order (-raw) splits words; the layout keeps a title's line whole
        # where it has one (in đồng), a wrapped column it interleaves.
        laid_out = " ".join(" ".join(pdf_layout_pages(pdf)).split())
        for f, _at_end in members("2017..2018-H1"):
            if f.source == "KCQG":
                assert f.project.code in laid_out
                if not unit:
                    assert " ".join(f.project.title.split()) in laid_out


def progress_sections(period: str, **parameters) -> tuple[list, list]:
    """Codes of the period's own projects, then of the carried-over ones
    (listed after the heading "Đề án chuyển tiếp")."""
    job = produce("progress", period, **parameters)
    _ws, _header, rows, _totals = read_xlsx(job.xlsx_file.path)
    own, carried, current = [], [], None
    for row in rows:
        if row[0].value is None:
            current = carried if row[2].value == "Đề án chuyển tiếp" else current
            continue
        (carried if current is carried else own).append(row)
    for row in carried:
        assert (row[22].value or "").startswith("Chuyển tiếp từ kế hoạch năm")
    return [r[1].value for r in own], [r[1].value for r in carried]


@pytest.mark.parametrize(
    ("period", "source", "own"),
    [("2017..2018-H1", "", 39), ("2018", "kcqg", 5)],
)
def test_the_seed_figures_come_out_with_carried_over_projects_apart(
    demo, period, source, own
):
    """39 projects of the 2017 and 2018 plans approved in 2017 or the first
    half of 2018; 5 national projects on the 2018 plan. Projects of earlier
    plans still running in the period follow, flagged, and only they."""
    codes, carried = progress_sections(period, source=source)
    assert len(codes) == own
    start = Period.parse(period).start.year
    expected = {
        f.project.code
        for f, _at_end in members(period)
        if f.plan.year < start and (not source or f.source == source.upper())
    }
    assert set(carried) == expected
    assert not set(codes) & set(carried)


def test_the_39_project_progress_report_fits_five_a4_landscape_pages(demo, tmp_path):
    """Issue 16: 23 columns side by side took 9 pages in đồng and 8 in
    millions, every column a few letters wide. On paper
    (reports.writers.paged) related columns share a cell, the money sits
    under one heading and each title with its activity content takes a line
    of its own above the project's figures: at most 5 pages in either unit,
    every project's title whole, the last page ending with the last
    project, the totals and the signatures, the serif embedded. Word gets
    the same table; Excel keeps every column, wrapped, with its print
    setup."""
    projects = members("2017..2018-H1")
    titles = {f.project.code: f.project.title for f, _at_end in projects}
    for unit in ("", "million"):
        job = produce("progress", "2017..2018-H1", unit=unit)
        info = subprocess.run(
            ["pdfinfo", job.pdf_file.path], check=True, capture_output=True, text=True
        ).stdout
        pages = int(
            next(x for x in info.splitlines() if x.startswith("Pages:")).split()[1]
        )
        assert pages <= 5, (unit, pages)
        ws, header, rows, _totals = read_xlsx(job.xlsx_file.path)
        numbered = [r for r in rows if r[0].value]
        assert len(header) == 23 and len(numbered) == 39
        assert rows[0][2].alignment.wrap_text and ws.print_title_rows
        assert ws.print_area
        last = pdf_layout_pages(job.pdf_file.path)[-1]
        assert "Tổng cộng" in last and "NGƯỜI LẬP BIỂU" in last and "GIÁM ĐỐC" in last
        # The last project is on the page of the signatures.
        assert numbered[-1][1].value in last
        assert "Kinh phí hỗ trợ" in last  # under the repeated header
        raw = " ".join(pdf_text(job.pdf_file.path, raw=True).split())
        for code, title in titles.items():
            assert " ".join(title.split()) in raw, code
        fonts = pdf_fonts(job.pdf_file.path)
        assert all("LiberationSerif" in f[0] and f[-5] == "yes" for f in fonts)
        table = next(
            t for t in docx.Document(job.docx_file.path).tables if len(t.rows) > 39
        )
        assert len(table.columns) == len(table.rows[-1].cells) < 23
        words = docx_text(job.docx_file.path)
        assert "Đơn vị tính: " + ("triệu đồng" if unit else "đồng") in words
        assert "NGƯỜI LẬP BIỂU" in words
