"""The beneficiary's own money actually contributed, recorded at acceptance
(issue 13, point 8): asked for on "Ghi nghiệm thu" against the plan, shown on
the project page, in the dossier and in the yearly summary.

Who: staff record the acceptance; the manager reads the reports.
"""

from __future__ import annotations

import shutil
import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation

from projects.models import Acceptance, Source, Status
from reports.models import ReportJob
from reports.services import (
    dossier_request,
    report_generate,
    report_parameters,
    report_request,
)
from tests.builders import (
    ACCEPTANCE_DAY,
    M,
    make_establishments,
    make_plan,
    running,
)
from tests.readers import pdf_text, read_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process")]

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils missing (make syslibs)"
)


def acceptance_url(project) -> str:
    return reverse("money:acceptance", args=[project.pk])


def form_data(**overrides: str) -> dict[str, str]:
    return {
        "acceptance_date": ACCEPTANCE_DAY.isoformat(),
        "minutes_no": "12/BB-NT",
        "machines_achieved": "2",
        "trainees_achieved": "0",
        "products_achieved": "500",
        "jobs_after": "",
        "revenue_after": "",
        "productivity_after": "",
        "energy_after_kwh": "",
        "lessons_learned": "",
        "counterpart_contributed": "180.000.000",
        "other_sources_contributed": "0",
        **overrides,
    }


def accept(project, by, counterpart: int | None, other: int | None = 0) -> None:
    from projects import services

    services.project_accept(
        project=project,
        by=by,
        acceptance_date=ACCEPTANCE_DAY,
        minutes_no="12/BB-NT",
        outputs={
            "machines_achieved": 1,
            "counterpart_contributed": counterpart,
            "other_sources_contributed": other,
        },
    )


def test_the_form_asks_for_them_prefilled_with_the_plan(project, staff, as_user):
    with translation.override("vi"):
        response = as_user(staff).get(acceptance_url(project))
    form = response.context["form"]
    assert form["counterpart_contributed"].value() == 180 * M  # Project.counterpart
    assert form["other_sources_contributed"].value() == 0  # Project.other_sources
    body = response.content.decode()
    assert 'value="180.000.000"' in body
    assert "Theo đề án: 180.000.000 đ." in body


def test_amounts_typed_the_vietnamese_way_are_recorded(project, staff, as_user):
    response = as_user(staff).post(
        acceptance_url(project),
        form_data(counterpart_contributed="165.500.000", other_sources_contributed="0"),
    )
    assert response.status_code == 302
    acceptance = Acceptance.objects.get(project=project)
    assert acceptance.counterpart_contributed == 165_500_000
    assert acceptance.other_sources_contributed == 0
    project.refresh_from_db()
    assert project.status == Status.ACCEPTED


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("250,5", "số đồng nguyên"),
        ("abc", "Nhập số tiền"),
        ("-5.000.000", "âm"),
        ("", "bắt buộc"),
    ],
)
def test_a_wrong_amount_is_refused_next_to_the_field_and_nothing_changes(
    project, staff, as_user, typed, message
):
    with translation.override("vi"):
        response = as_user(staff).post(
            acceptance_url(project), form_data(counterpart_contributed=typed)
        )
    assert response.status_code == 400  # the form again, with its errors
    form = response.context["form"]
    assert list(form.errors) == ["counterpart_contributed"]
    with translation.override("vi"):
        shown = " ".join(form.errors["counterpart_contributed"])
    assert message in shown
    body = response.content.decode()
    assert shown.split(":")[0] in body  # printed under the field, in Vietnamese
    project.refresh_from_db()
    assert project.status == Status.IN_PROGRESS
    assert not Acceptance.objects.filter(project=project).exists()


def test_the_project_page_shows_planned_against_contributed(project, staff, as_user):
    accept(project, staff, counterpart=150 * M, other=0)
    with translation.override("vi"):
        body = (
            as_user(staff)
            .get(reverse("money:project", args=[project.pk]))
            .content.decode()
        )
    table = body[body.index('data-testid="contributions"') :]
    table = table[: table.index("</table>")]
    assert "Vốn của đơn vị thụ hưởng" in table
    assert "180.000.000 đ" in table and "150.000.000 đ" in table


def test_an_acceptance_recorded_before_shows_unknown_not_zero(project, staff):
    accept(project, staff, counterpart=None, other=None)
    rows = Acceptance.objects.get(project=project).contributions_against_plan()
    assert [(planned, done) for _label, planned, done in rows] == [
        (180 * M, None),
        (0, None),
    ]


@needs_poppler
def test_the_dossier_prints_planned_contributed_and_the_difference(
    project, staff, manager
):
    accept(project, staff, counterpart=162 * M, other=0)
    job = report_generate(job=dossier_request(project=project, requested_by=manager))
    assert job.status == ReportJob.Status.DONE, job.error
    text = " ".join(
        unicodedata.normalize("NFC", pdf_text(job.pdf_file.path, raw=True)).split()
    )
    assert "Vốn của đơn vị thụ hưởng" in text
    assert "Thực góp (khi nghiệm thu)" in text
    line = text[text.index("Vốn đối ứng") :][:120]
    assert "180.000.000 đ" in line
    assert "162.000.000 đ" in line
    assert "-18.000.000 đ" in line


def test_the_yearly_summary_totals_planned_against_contributed(
    staff, reviewer, manager, local_plan
):
    """Three accepted projects (counterpart 180 M each): one contributed as
    planned, one 30 M below, one recorded before the question was asked
    (left out of both sides); one still in progress (left out)."""
    one, two, three, four = make_establishments(4)
    as_planned = running(staff, reviewer, local_plan, one, 60 * M)
    below = running(staff, reviewer, local_plan, two, 60 * M, other=40 * M)
    unknown = running(staff, reviewer, local_plan, three, 60 * M)
    running(staff, reviewer, local_plan, four, 60 * M)
    accept(as_planned, staff, counterpart=180 * M, other=0)
    accept(below, staff, counterpart=150 * M, other=35 * M)
    accept(unknown, staff, counterpart=None, other=None)

    job = report_request(
        kind="yearly_summary",
        parameters=report_parameters(period="2026", formats=["xlsx"]),
        requested_by=manager,
    )
    job = report_generate(job=job)
    assert job.status == ReportJob.Status.DONE, job.error
    _ws, header, rows, _totals = read_xlsx(job.xlsx_file.path)
    values = {r[1].value: [c.value for c in r] for r in rows if r[1].value}
    target, achieved = header.index("Mục tiêu"), header.index("Đạt được")
    projects = header.index("Số đề án")
    counterpart = values["Vốn đối ứng: kế hoạch → thực góp"]
    assert counterpart[0] == "Vốn của đơn vị thụ hưởng (đồng)"
    assert (counterpart[projects], counterpart[target], counterpart[achieved]) == (
        2,
        360 * M,
        330 * M,
    )
    other = values["Nguồn vốn khác: kế hoạch → thực góp"]
    assert (other[projects], other[target], other[achieved]) == (2, 40 * M, 35 * M)


def summary(period: str, manager) -> tuple[list, dict]:
    job = report_generate(
        job=report_request(
            kind="yearly_summary",
            parameters=report_parameters(period=period, formats=["xlsx"]),
            requested_by=manager,
        )
    )
    _ws, header, rows, _totals = read_xlsx(job.xlsx_file.path)
    return header, {r[1].value: [c.value for c in r] for r in rows if r[1].value}


def test_a_project_of_an_earlier_plan_is_in_the_year_it_ran_as_carried_over(
    staff, reviewer, manager
):
    """A 2025 plan's project approved in March 2026 and accepted in November
    2026 ran in 2026: the 2026 summary lists it as carried over, and its
    counterpart contributed at that acceptance counts there, against what it
    planned; the 2025 summary does not have it (not approved in 2025)."""
    (establishment,) = make_establishments(1)
    plan_2025 = make_plan(Source.LOCAL, year=2025)
    project = running(staff, reviewer, plan_2025, establishment)
    accept(project, staff, counterpart=100 * M)
    header, values = summary("2026", manager)
    projects = header.index("Số đề án")
    carried = [
        row for label, row in values.items() if label.endswith(": đề án chuyển tiếp")
    ]
    assert [row[projects] for row in carried] == [1]
    row = values["Vốn đối ứng: kế hoạch → thực góp"]
    assert (
        row[projects],
        row[header.index("Mục tiêu")],
        row[header.index("Đạt được")],
    ) == (1, project.counterpart, 100 * M)
    header, values = summary("2025", manager)
    row = values["Vốn đối ứng: kế hoạch → thực góp"]
    assert row[header.index("Số đề án")] == 0
