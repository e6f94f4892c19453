"""Period ranges (2017..2018-H1): read, named in Vietnamese, refused when
malformed, and carried through the request form, the CLI and the job row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from projects import services
from projects.models import Source, Status
from reports.models import ReportJob
from reports.periods import Period
from reports.services import report_parameters
from tests.builders import make_establishment, make_plan, make_project, three_communes
from tests.readers import read_xlsx

M = 1_000_000


@pytest.mark.parametrize(
    ("text", "code", "start", "end", "label"),
    [
        (
            "2017..2018-H1",
            "2017..2018-H1",
            dt.date(2017, 1, 1),
            dt.date(2018, 6, 30),
            "Từ năm 2017 đến 6 tháng đầu năm 2018",
        ),
        (
            " 2018-q1 .. 2018-Q3 ",
            "2018-Q1..2018-Q3",
            dt.date(2018, 1, 1),
            dt.date(2018, 9, 30),
            "Từ quý I năm 2018 đến quý III năm 2018",
        ),
        (
            "2017-07..2018-02",
            "2017-07..2018-02",
            dt.date(2017, 7, 1),
            dt.date(2018, 2, 28),
            "Từ tháng 7 năm 2017 đến tháng 2 năm 2018",
        ),
        (
            "2017-h2..2019",
            "2017-H2..2019",
            dt.date(2017, 7, 1),
            dt.date(2019, 12, 31),
            "Từ 6 tháng cuối năm 2017 đến năm 2019",
        ),
        # A range of one period is that period.
        ("2018..2018", "2018", dt.date(2018, 1, 1), dt.date(2018, 12, 31), "Năm 2018"),
    ],
)
def test_a_range_runs_from_the_first_start_to_the_last_end(
    text, code, start, end, label
):
    period = Period.parse(text)
    assert (period.code, period.start, period.end) == (code, start, end)
    with translation.override("vi"):
        assert period.label == label
    # The code is canonical: read again, it is the same period.
    assert Period.parse(period.code) == period


def test_only_ranges_of_whole_years_are_whole_years():
    assert Period.parse("2017..2018").whole_years
    assert Period.parse("2018").whole_years
    assert not Period.parse("2017..2018-H1").whole_years
    assert not Period.parse("2018-Q4").whole_years


def test_the_english_label_reads_as_a_sentence():
    with translation.override("en"):
        assert Period.parse("2017..2018-H1").label == (
            "From year 2017 to first half of 2018"
        )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2018..", "không phải là khoảng kỳ báo cáo hợp lệ"),
        ("..2018", "không phải là khoảng kỳ báo cáo hợp lệ"),
        ("2017..2018..2019", "không phải là khoảng kỳ báo cáo hợp lệ"),
        ("2019..2018", "phải đi từ kỳ trước đến kỳ sau"),
        ("2018-Q3..2018-Q1", "phải đi từ kỳ trước đến kỳ sau"),
        ("2018..2018-H1", "phải đi từ kỳ trước đến kỳ sau"),  # ends before
        ("2017..2018-Q5", "không phải là kỳ báo cáo hợp lệ"),
        ("2017..2018-13", "Tháng được ghi từ 01 đến 12"),
        ("1999..2018", "Năm phải nằm trong khoảng"),
    ],
)
def test_a_bad_range_is_refused_in_vietnamese(text, fragment):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        Period.parse(text)
    assert fragment in caught.value.messages[0]


# --- through the portal -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("in_process")
def test_a_range_is_requested_on_the_page_and_kept_on_the_job(
    as_user, manager, establishments, django_capture_on_commit_callbacks
):
    client = as_user(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request"),
            {"kind": "establishments", "period": "2017..2018-h1", "source": ""},
        )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.parameters == {"period": "2017..2018-H1"}
    assert job.status == ReportJob.Status.DONE, job.error
    html = client.get(response.url).content.decode()
    assert "Từ năm 2017 đến 6 tháng đầu năm 2018" in html
    ws, *_rest = read_xlsx(job.xlsx_file.path)
    assert ws["A7"].value == "Từ năm 2017 đến 6 tháng đầu năm 2018"


@pytest.mark.django_db
def test_a_bad_range_on_the_page_says_why(as_user, manager):
    response = as_user(manager).post(
        reverse("reports:request"),
        {"kind": "establishments", "period": "2019..2018", "source": ""},
    )
    assert response.status_code == 200
    assert "phải đi từ kỳ trước đến kỳ sau" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_job_parameters_hold_the_canonical_range():
    assert report_parameters(period=" 2017 ..2018-h1") == {"period": "2017..2018-H1"}


# --- the demo's shape: 2017 and the first half of 2018 ----------------------------


@pytest.fixture
def province_report(db, staff):
    """Projects shaped like the demo's 39: plans 2017 and 2018 of both
    sources, every one started between 01/01/2017 and 30/06/2018 (some running
    on after it); plus a draft and a 2019 project, which no report counts."""
    commune = three_communes()[0]
    beneficiary = make_establishment(commune, "Cơ sở chế biến lâm sản Thạch Thành")
    plans = {
        (source, year): make_plan(source, year=year)
        for source in (Source.LOCAL, Source.NATIONAL)
        for year in (2017, 2018, 2019)
    }
    specs = [
        # (plans, start, end)
        ([(Source.LOCAL, 2017)], dt.date(2017, 1, 1), dt.date(2017, 6, 30)),
        ([(Source.LOCAL, 2017)], dt.date(2017, 9, 1), dt.date(2018, 3, 31)),
        ([(Source.NATIONAL, 2017)], dt.date(2017, 4, 1), dt.date(2017, 12, 31)),
        ([(Source.NATIONAL, 2018)], dt.date(2018, 2, 1), dt.date(2018, 11, 30)),
        (
            [(Source.NATIONAL, 2018), (Source.LOCAL, 2018)],
            dt.date(2018, 6, 30),
            dt.date(2018, 12, 31),
        ),
        ([(Source.LOCAL, 2018)], dt.date(2018, 1, 15), dt.date(2018, 10, 31)),
    ]
    submitted = []
    for keys, start, end in specs:
        project = make_project(
            staff,
            {plans[key]: 50 * M for key in keys},
            beneficiaries=[beneficiary],
            start_date=start,
            end_date=end,
        )
        services.project_submit(project=project, by=staff, day=start)
        submitted.append(project)
    make_project(staff, {plans[(Source.LOCAL, 2018)]: 50 * M}, beneficiaries=[])
    later = make_project(
        staff,
        {plans[(Source.LOCAL, 2019)]: 50 * M},
        beneficiaries=[beneficiary],
        start_date=dt.date(2018, 5, 1),  # prepared early, a 2019 plan
        end_date=dt.date(2019, 6, 30),
    )
    services.project_submit(project=later, by=staff, day=dt.date(2018, 4, 1))
    assert all(p.status == Status.SUBMITTED for p in submitted)
    return submitted


def cli_rows(tmp_path, kind: str, *args: str) -> list:
    out = tmp_path / f"{kind}.xlsx"
    call_command(
        "generate_report", kind, *args, "--format", "xlsx", "--output", str(out)
    )
    _ws, _header, rows, _totals = read_xlsx(out)
    return rows


def test_the_cli_counts_every_project_of_2017_to_the_first_half_of_2018(
    province_report, tmp_path
):
    expected = sorted(p.code for p in province_report)
    rows = cli_rows(tmp_path, "progress", "--period", "2017..2018-H1")
    assert [r[1].value for r in rows] == expected
    job = ReportJob.objects.get()
    assert job.parameters["period"] == "2017..2018-H1"
    summary = cli_rows(tmp_path, "yearly_summary", "--period", "2017..2018-H1")
    assert summary  # and its totals row counts them all:
    _ws, _h, _r, totals = read_xlsx(tmp_path / "yearly_summary.xlsx")
    assert totals[2].value == len(province_report)


def test_the_national_report_of_2018_counts_the_2018_national_projects(
    province_report, tmp_path
):
    national_2018 = sorted(
        p.code
        for p in province_report
        if p.fundings.filter(source=Source.NATIONAL, plan__year=2018).exists()
    )
    assert len(national_2018) == 2
    rows = cli_rows(tmp_path, "progress", "--period", "2018", "--source", "kcqg")
    assert [r[1].value for r in rows] == national_2018
    money = cli_rows(tmp_path, "disbursement", "--period", "2018", "--source", "kcqg")
    assert sorted(r[1].value for r in money if r[0].value is not None) == (
        national_2018
    )


def test_the_cli_refuses_a_backward_range(tmp_path, db):
    with pytest.raises(CommandError, match="phải đi từ kỳ trước đến kỳ sau"):
        call_command(
            "generate_report", "progress", "--period", "2018-H2..2018-H1",
            "--output", str(tmp_path / "x.xlsx"),
        )  # fmt: skip
    assert not ReportJob.objects.exists()
