"""A report job from request to files: the one code path every report takes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.models import Sum

from enterprises.models import Establishment
from reports.exporters import _REGISTRY, register
from reports.exporters.base import INT, TEXT, Column, Exporter
from reports.models import ReportJob, report_file_name
from reports.services import report_generate, report_parameters, report_request
from reports.tasks import generate
from tests.readers import pdf_text, read_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process")]


def job_files(job: ReportJob) -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / "reports").glob(f"{job.token.hex}*"))


def new_job(period: str = "2026-Q3", **parameters) -> ReportJob:
    return ReportJob.objects.create(
        kind="establishments",
        parameters=report_parameters(period=period, **parameters),
    )


def test_a_request_is_enqueued_on_commit_and_produces_both_files(
    establishments, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = report_request(
            kind="establishments",
            parameters=report_parameters(period="2026-q3", source="kcqg"),
            requested_by=manager,
        )
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED  # nothing ran before commit
    assert job.parameters == {"period": "2026-Q3", "source": "KCQG"}

    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.progress == 100
    assert job.attempts == 1
    assert job.started_at <= job.finished_at
    assert job.xlsx_file.name == report_file_name(job, "xlsx")
    assert job.pdf_file.name == report_file_name(job, "pdf")
    _ws, _header, rows, totals = read_xlsx(job.xlsx_file.path)
    assert len(rows) == len(establishments)
    workers = Establishment.objects.aggregate(s=Sum("workers_total"))["s"]
    assert totals[7].value == workers
    assert "Khuyến công quốc gia (KCQG)" in pdf_text(job.pdf_file.path)


def test_a_finished_job_is_not_generated_again(establishments):
    job = new_job()
    generate(job.pk)
    job.refresh_from_db()
    first = (job.finished_at, job.xlsx_file.name, Path(job.xlsx_file.path).stat())
    generate(job.pk)
    job.refresh_from_db()
    assert job.attempts == 1
    assert (job.finished_at, job.xlsx_file.name) == first[:2]
    assert Path(job.xlsx_file.path).stat().st_mtime_ns == first[2].st_mtime_ns


def test_a_redelivered_job_restarts_and_leaves_exactly_one_file_per_format(
    establishments,
):
    job = new_job()
    generate(job.pk)
    # The worker died after writing: the broker delivers the task again and the
    # row still says running. A partial file sits where the PDF goes.
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING)
    Path(job_files(job)[1]).write_bytes(b"%PDF-1.7 partial")

    generate(job.pk)

    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.attempts == 2
    files = job_files(job)
    assert [f.suffix for f in files] == [".docx", ".pdf", ".xlsx"]
    assert pdf_text(job.pdf_file.path)  # the partial file was replaced
    assert {
        Path(job.xlsx_file.path),
        Path(job.pdf_file.path),
        Path(job.docx_file.path),
    } == set(files)


def test_the_cli_style_single_format_job_writes_only_that_format(establishments):
    job = new_job(formats=["xlsx"])
    report_generate(job=job)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.xlsx_file and not job.pdf_file
    assert [f.suffix for f in job_files(job)] == [".xlsx"]


def test_a_bad_period_fails_the_job_with_a_vietnamese_message(db):
    job = ReportJob.objects.create(kind="establishments", parameters={"period": "x"})
    generate(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error.startswith("Không lập được báo cáo:")
    assert "không phải là kỳ báo cáo hợp lệ" in job.error
    assert job.finished_at


def test_a_kind_without_exporter_fails_readably(db):
    # A row of a kind no exporter produces (any more).
    job = ReportJob.objects.create(kind="retired", parameters={"period": "2026"})
    generate(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.error == "Không lập được báo cáo: báo cáo này chưa được hỗ trợ."


class Flaky(Exporter):
    """Fails the way a restarting database does, a given number of times."""

    kind = "test_flaky"
    title = "Thử"
    columns = (Column("Tên", TEXT), Column("Số", INT, total=True))
    failures = 0

    def rows(self) -> Iterator[tuple]:
        if Flaky.failures:
            Flaky.failures -= 1
            raise OperationalError("server closed the connection unexpectedly")
        yield ("một", 1)


class Broken(Exporter):
    kind = "test_broken"
    title = "Hỏng"
    columns = (Column("Tên", TEXT),)

    def rows(self) -> Iterator[tuple]:
        raise ZeroDivisionError


@pytest.fixture
def extra_exporters():
    register(Flaky)
    register(Broken)
    yield
    _REGISTRY.pop(Flaky.kind)
    _REGISTRY.pop(Broken.kind)


@pytest.fixture
def as_worker():
    """Run tasks the way a worker does (retries rescheduled, not raised), but
    synchronously: Celery's apply() runs each retry at once."""
    conf = generate.app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = False, False
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def test_a_worker_retries_a_transient_database_error(db, extra_exporters, as_worker):
    Flaky.failures = 2
    job = ReportJob.objects.create(kind="test_flaky", parameters={"period": "2026"})
    generate.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert job.attempts == 3


def test_a_job_failing_every_retry_is_marked_failed(db, extra_exporters, as_worker):
    Flaky.failures = 100
    job = ReportJob.objects.create(kind="test_flaky", parameters={"period": "2026"})
    generate.apply(args=[job.pk])
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "cơ sở dữ liệu không phản hồi" in job.error
    assert job.attempts == 6  # the first run and five retries


def test_in_process_a_transient_error_fails_at_once(db, extra_exporters, settings):
    # Without a broker the user's request is waiting: no retry, a clear message.
    Flaky.failures = 1
    job = ReportJob.objects.create(kind="test_flaky", parameters={"period": "2026"})
    generate.delay(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "vui lòng yêu cầu lại sau" in job.error


def test_an_unexpected_error_fails_the_job_without_leaking_details(
    db, extra_exporters, caplog
):
    job = ReportJob.objects.create(kind="test_broken", parameters={"period": "2026"})
    generate(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "ZeroDivisionError" not in job.error
    assert "nhật ký máy chủ" in job.error
    assert "ZeroDivisionError" in caplog.text


def test_a_job_that_keeps_killing_its_worker_is_failed_not_retried_forever(db):
    job = ReportJob.objects.create(
        kind="establishments",
        parameters={"period": "2026"},
        status=ReportJob.Status.RUNNING,
        attempts=3,
    )
    generate(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "dừng 3 lần" in job.error
    assert job.attempts == 3
    assert not job_files(job)


class Slow(Exporter):
    kind = "test_slow"
    title = "Chậm"
    columns = (Column("Tên", TEXT),)

    def rows(self) -> Iterator[tuple]:
        from celery.exceptions import SoftTimeLimitExceeded

        raise SoftTimeLimitExceeded


def test_a_report_past_the_time_limit_fails_readably(db):
    register(Slow)
    try:
        job = ReportJob.objects.create(kind="test_slow", parameters={"period": "2026"})
        generate(job.pk)
    finally:
        _REGISTRY.pop(Slow.kind)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "vượt quá giới hạn cho phép" in job.error


def test_jobs_whose_task_the_broker_lost_are_sent_again(
    establishments, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from reports.services import report_requeue_stale

    now = timezone.now()
    # Only their statuses are read: one file each.
    xlsx = {"formats": ["xlsx"]}
    lost = new_job(**xlsx)
    ReportJob.objects.filter(pk=lost.pk).update(
        created_at=now - timedelta(hours=1), enqueued_at=now - timedelta(hours=1)
    )
    dead = new_job(period="2026-Q2", **xlsx)
    ReportJob.objects.filter(pk=dead.pk).update(
        status=ReportJob.Status.RUNNING,
        attempts=1,
        started_at=now - timedelta(hours=2),
    )
    waiting = new_job(period="2026-Q1", **xlsx)  # just queued: its task is on its way
    ReportJob.objects.filter(pk=waiting.pk).update(enqueued_at=now)
    # Long-running, but its worker wrote the heartbeat 20 seconds ago.
    busy = new_job(period="2026-07", **xlsx)
    ReportJob.objects.filter(pk=busy.pk).update(
        status=ReportJob.Status.RUNNING,
        started_at=now - timedelta(minutes=40),
        heartbeat_at=now - timedelta(seconds=20),
    )
    # Its worker was killed four minutes ago: no beat since.
    silent = new_job(period="2026-08", **xlsx)
    ReportJob.objects.filter(pk=silent.pk).update(
        status=ReportJob.Status.RUNNING,
        attempts=1,
        started_at=now - timedelta(minutes=10),
        heartbeat_at=now - timedelta(minutes=4),
    )

    with django_capture_on_commit_callbacks(execute=True):
        ids = report_requeue_stale(now=now)
    assert sorted(ids) == sorted([lost.pk, dead.pk, silent.pk])
    statuses = dict(ReportJob.objects.values_list("pk", "status"))
    assert statuses[lost.pk] == statuses[dead.pk] == ReportJob.Status.DONE
    assert statuses[silent.pk] == ReportJob.Status.DONE
    assert statuses[waiting.pk] == ReportJob.Status.QUEUED
    assert statuses[busy.pk] == ReportJob.Status.RUNNING


def test_beat_looks_for_lost_jobs():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-requeue-stale"]
    assert entry["task"] == "reports.requeue_stale"
    assert entry["task"] in generate.app.tasks
