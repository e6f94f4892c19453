"""Scheduled reports: beat creates each period's job once; managers get a link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from reports.models import ReportJob, ReportSchedule
from reports.services import report_schedules_run
from reports.tasks import generate, run_schedules
from tests.reports.callbacks import enqueued

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process")]


@pytest.fixture
def yearly_list(db) -> ReportSchedule:
    # Alone: the default schedules are tested on their own below.
    ReportSchedule.objects.update(active=False)
    return ReportSchedule.objects.create(kind="establishments", frequency="yearly")


def test_the_default_schedules_produce_the_project_reports(
    db, django_capture_on_commit_callbacks
):
    kinds = set(ReportSchedule.objects.values_list("kind", "frequency"))
    assert kinds == {
        ("progress", "monthly"),
        ("disbursement", "quarterly"),
        ("yearly_summary", "yearly"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        created = report_schedules_run(today=dt.date(2026, 11, 25))
    assert {(job.kind, job.scheduled_for) for job in created} == {
        ("progress", "2026-10"),
        ("disbursement", "2026-Q3"),
        ("yearly_summary", "2025"),
    }
    for job in created:
        job.refresh_from_db()
        assert job.status == ReportJob.Status.DONE, job.error


def test_a_due_schedule_creates_its_job_once_per_period(
    yearly_list, establishments, manager, django_capture_on_commit_callbacks
):
    ReportSchedule.objects.create(
        kind="establishments", frequency="quarterly", source="KCQG", active=False
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = report_schedules_run(today=dt.date(2026, 11, 25))
    # One job enqueued (the notice to the inbox has its own callback).
    assert enqueued(callbacks) == 1
    [job] = created
    assert job.schedule == yearly_list
    assert job.scheduled_for == "2025"
    assert job.parameters == {"period": "2025"}
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.requested_by is None

    # Beat runs every hour: the same period never gets a second job.
    assert report_schedules_run(today=dt.date(2026, 11, 26)) == []
    assert report_schedules_run(today=dt.date(2026, 12, 31)) == []
    assert ReportJob.objects.count() == 1
    # A new year, a new job.
    assert len(report_schedules_run(today=dt.date(2027, 1, 1))) == 1


def test_managers_receive_one_email_with_the_link(
    yearly_list, establishments, manager, staff, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        [job] = report_schedules_run(today=dt.date(2026, 3, 1))
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [manager.email]  # managers only
    assert mail.subject == "Báo cáo đã lập xong: Danh sách cơ sở CNNT, Năm 2025"
    link = settings.SITE_URL + reverse("reports:detail", args=[job.pk])
    assert link in mail.body

    # A re-delivered task finds the job done: no second e-mail.
    generate(job.pk)
    assert len(mailoutbox) == 1
    # Every manager also finds it in the inbox, once; staff do not.
    from notifications.models import Notification

    [item] = Notification.objects.all()
    assert (item.user, item.kind, item.link) == (
        manager,
        "report_ready",
        reverse("reports:detail", args=[job.pk]),
    )


def test_a_requested_report_sends_no_email(establishments, manager, mailoutbox):
    from reports.services import report_parameters, report_request

    report_request(
        kind="establishments",
        parameters=report_parameters(period="2026"),
        requested_by=manager,
    )
    assert mailoutbox == []


def test_a_requested_report_lands_in_the_requester_inbox_once(
    establishments, manager, staff, as_user, mailoutbox
):
    from notifications.models import Notification
    from reports.services import report_parameters, report_request

    job = report_request(
        kind="establishments",
        parameters=report_parameters(period="2026"),
        requested_by=staff,
    )
    generate(job.pk)  # delivered twice: still one line
    [item] = Notification.objects.all()
    assert item.user == staff and item.read_at is None
    assert item.title.startswith("Báo cáo đã lập xong: Danh sách cơ sở CNNT")
    inbox = as_user(staff).get(reverse("dashboard:inbox")).content.decode()
    assert "Báo cáo đã lập xong" in inbox
    assert mailoutbox == []


def test_beat_runs_the_schedule_task_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-schedules"]
    assert entry["task"] == run_schedules.name == "reports.run_schedules"
    assert entry["schedule"] <= 3600
    assert "reports.run_schedules" in generate.app.tasks


def test_the_administrator_edits_schedules_in_the_admin(as_user, admin_user, manager):
    url = reverse("admin:reports_reportschedule_add")
    client = as_user(admin_user)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "establishments",
            "frequency": "monthly",
            "source": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert ReportSchedule.objects.filter(kind="establishments").exists()
    # Managers are not Django staff: no admin.
    assert as_user(manager).get(url).status_code == 302
