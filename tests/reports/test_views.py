"""Report pages through the client: who may request, follow and download.

- staff, managers and admins request reports and download any report;
- reviewers (Sở Công Thương) read and download every report, and request none;
- users without a role are refused;
- files are only ever served by the permission-checked download view.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from reports.models import ReportJob
from reports.services import report_parameters

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process")]


def request_report(client, **data):
    payload = {"kind": "establishments", "period": "2026-Q3", "source": ""}
    payload.update(data)
    return client.post(reverse("reports:request"), payload)


def test_a_manager_requests_a_report_and_downloads_both_files(
    as_user, manager, establishments, django_capture_on_commit_callbacks
):
    client = as_user(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = request_report(client, period="2026-q3", source="kcdp")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:detail", args=[job.pk])
    assert job.requested_by == manager
    assert job.parameters == {"period": "2026-Q3", "source": "KCDP"}
    assert job.status == ReportJob.Status.DONE, job.error

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Quý III năm 2026" in html
    assert reverse("reports:download", args=[job.pk, "xlsx"]) in html
    assert "report-status.js" not in html  # finished: nothing to follow

    xlsx = client.get(reverse("reports:download", args=[job.pk, "xlsx"]))
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].startswith("attachment")
    assert (
        f"danh-sach-co-so_2026-Q3_KCDP_du-thao-{job.pk}.xlsx"
        in xlsx["Content-Disposition"]
    )
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert wb.worksheets[0]["A6"].value == "DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN"

    pdf = client.get(reverse("reports:download", args=[job.pk, "pdf"]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_bad_period_is_refused_in_vietnamese(as_user, manager):
    response = request_report(as_user(manager), period="2026-Q5")
    assert response.status_code == 200
    assert "không phải là kỳ báo cáo hợp lệ" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_only_reports_with_an_exporter_are_offered(as_user, staff):
    from reports.exporters import available_kinds

    html = as_user(staff).get(reverse("reports:request")).content.decode()
    for kind in ["establishments", "progress", "disbursement", "yearly_summary"]:
        assert kind in available_kinds()
        assert f'value="{kind}"' in html
    response = request_report(as_user(staff), kind="retired")
    assert response.status_code == 200
    assert not ReportJob.objects.exists()


@pytest.fixture
def done_job(establishments, manager) -> ReportJob:
    from reports.services import report_generate

    job = ReportJob.objects.create(
        kind="establishments",
        parameters=report_parameters(period="2026"),
        requested_by=manager,
    )
    return report_generate(job=job)


@pytest.mark.parametrize("role", ["staff", "admin_user"])
def test_other_centre_roles_may_download_a_managers_report(
    request, as_user, done_job, role
):
    client = as_user(request.getfixturevalue(role))
    url = reverse("reports:download", args=[done_job.pk, "pdf"])
    assert client.get(url).status_code == 200


def test_a_reviewer_reads_and_downloads_every_report_but_requests_none(
    as_user, reviewer, done_job
):
    client = as_user(reviewer)
    for url in [
        reverse("reports:history"),
        reverse("reports:detail", args=[done_job.pk]),
        reverse("reports:status", args=[done_job.pk]),
        reverse("reports:download", args=[done_job.pk, "xlsx"]),
        reverse("reports:download", args=[done_job.pk, "pdf"]),
    ]:
        assert client.get(url).status_code == 200, url
    history = client.get(reverse("reports:history")).content.decode()
    assert 'href="/bao-cao/"' not in history  # no "request a report" button
    assert client.get(reverse("reports:request")).status_code == 403
    assert request_report(client).status_code == 403
    assert ReportJob.objects.count() == 1


@pytest.mark.parametrize("role", ["nobody"])
def test_users_without_role_are_refused(request, as_user, done_job, role):
    client = as_user(request.getfixturevalue(role))
    for url in [
        reverse("reports:request"),
        reverse("reports:history"),
        reverse("reports:detail", args=[done_job.pk]),
        reverse("reports:status", args=[done_job.pk]),
        reverse("reports:download", args=[done_job.pk, "xlsx"]),
        reverse("reports:download", args=[done_job.pk, "pdf"]),
    ]:
        assert client.get(url).status_code == 403, url
    assert request_report(client).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, done_job):
    url = reverse("reports:download", args=[done_job.pk, "xlsx"])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_unfinished_jobs_and_unknown_formats_have_nothing_to_download(
    as_user, manager, done_job
):
    client = as_user(manager)
    queued = ReportJob.objects.create(
        kind="establishments", parameters={"period": "2026"}
    )
    assert client.get(f"/bao-cao/{queued.pk}/tai/xlsx/").status_code == 404
    assert client.get(f"/bao-cao/{done_job.pk}/tai/csv/").status_code == 404


def test_a_running_job_page_follows_progress_with_a_static_script(as_user, manager):
    job = ReportJob.objects.create(
        kind="establishments",
        parameters={"period": "2026"},
        status=ReportJob.Status.RUNNING,
        progress=40,
    )
    client = as_user(manager)
    html = client.get(reverse("reports:detail", args=[job.pk])).content.decode()
    assert 'value="40"' in html
    assert "/static/js/report-status.js" in html
    assert reverse("reports:status", args=[job.pk]) in html
    # No inline script: the Content-Security-Policy forbids them.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)

    status = client.get(reverse("reports:status", args=[job.pk])).json()
    assert status == {
        "status": "running",
        "status_label": "Đang tạo",
        "progress": 40,
        "finished": False,
        "stale": False,
    }


def test_the_history_lists_every_job_in_a_fixed_number_of_queries(
    as_user, manager, staff, django_assert_num_queries
):
    for i in range(12):
        ReportJob.objects.create(
            kind="establishments",
            parameters={"period": f"2025-{i + 1:02d}"},
            requested_by=manager if i % 2 else staff,
            status=ReportJob.Status.DONE if i % 3 else ReportJob.Status.FAILED,
        )
    client = as_user(manager)
    client.get(reverse("reports:history"))  # warm the session and role caches
    # session, user, roles (read once, for the permission policy and the
    # navigation), count, jobs, the unread badge: no permission queries
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:history"))
    html = response.content.decode()
    assert html.count('data-testid="job-status"') == 12
    assert "Tháng 12 năm 2025" in html


def test_the_reports_menu_is_shown_to_the_roles_that_may_use_it(
    as_user, manager, reviewer
):
    assert "/bao-cao/" in as_user(manager).get(reverse("home")).content.decode()
    # The Sở's reviewers read the reports' history, and ask for none.
    home = as_user(reviewer).get(reverse("home")).content.decode()
    assert 'href="/bao-cao/"' not in home
    assert 'href="/bao-cao/lich-su/"' in home


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"period": "Quý 3/2026"}, "2026-Q3"),
        ({"period": "6 tháng đầu năm 2026"}, "2026-H1"),
        ({"period": "tháng 7/2026"}, "2026-07"),
        ({"period": "", "year": "2026", "part": "Q3"}, "2026-Q3"),
        ({"period": "", "year": "2026", "part": ""}, "2026"),
        (
            {"period": "", "year": "2025", "part": "H2", "to_year": "2026"},
            "2025-H2..2026",
        ),
    ],
)
def test_the_period_is_typed_in_words_or_chosen_with_selects(
    as_user, manager, establishments, data, code
):
    response = request_report(as_user(manager), **data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReportJob.objects.get().parameters["period"] == code


def test_the_form_offers_selects_for_the_period(as_user, manager):
    html = as_user(manager).get(reverse("reports:request")).content.decode()
    for name in ("year", "part", "to_year", "to_part"):
        assert f'<select name="{name}"' in html, name
    assert '<option value="Q3">Quý III</option>' in html
    assert '<option value="H1">6 tháng đầu năm</option>' in html


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"period": ""}, "year", "Chọn năm, hoặc nhập kỳ báo cáo."),
        ({"period": "Quý 5/2026"}, "period", "không phải là kỳ báo cáo hợp lệ"),
        (
            {
                "period": "",
                "year": "2026",
                "part": "H2",
                "to_year": "2026",
                "to_part": "Q1",
            },
            "to_year",
            "phải đi từ kỳ trước đến kỳ sau",
        ),
    ],
)
def test_a_bad_period_choice_is_refused_next_to_its_field(
    as_user, manager, data, field, fragment
):
    response = request_report(as_user(manager), **data)
    assert response.status_code == 200
    assert fragment in " ".join(response.context["form"].errors[field])
    assert not ReportJob.objects.exists()
