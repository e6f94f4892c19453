"""A real Celery worker produces a report end to end (CI: Redis + PostgreSQL).

The worker is a separate process with the production settings module, sharing
this test's database and media folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reports.models import ReportJob
from reports.services import report_parameters
from reports.tasks import generate
from tests.test_celery_worker import database_url

from .conftest import make_establishments
from .helpers import pdf_text, read_xlsx

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def start_worker(queue: str, **extra_env: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings.base",
        "SECRET_KEY": "worker-test-secret-key-not-for-production-xxxxxxxxxxxx",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra_env,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "khuyencong",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def queue():
    if not settings.CELERY_BROKER_URL:
        pytest.skip(
            "không có CELERY_BROKER_URL: bỏ qua kiểm thử với Celery worker thật"
        )
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL (DATABASE_URL) để worker dùng chung cơ sở dữ liệu")
    return f"kc-test-{uuid.uuid4().hex[:8]}"


def wait_for(job: ReportJob, seconds: float = 90) -> ReportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job.pk} still {job.status} after {seconds} s")


def test_reports_are_routed_to_their_own_queue():
    if not settings.CELERY_BROKER_URL:
        pytest.skip("không có CELERY_BROKER_URL")
    route = generate.app.amqp.router.route({}, "reports.generate")
    assert route["queue"].name == "reports"


def test_a_real_worker_produces_a_report_end_to_end(queue):
    make_establishments(30)
    job = ReportJob.objects.create(
        kind="establishments", parameters=report_parameters(period="2026-Q3")
    )
    proc = start_worker(queue)
    try:
        generate.apply_async(args=[job.pk], queue=queue)
        job = wait_for(job)
    finally:
        stop(proc)
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.attempts == 1
    _ws, _header, rows, totals = read_xlsx(
        Path(settings.MEDIA_ROOT, job.xlsx_file.name)
    )
    assert len(rows) == 30
    assert totals[7].value == sum(10 + i for i in range(30))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf_text(
        Path(settings.MEDIA_ROOT, job.pdf_file.name)
    )


def test_a_job_whose_worker_dies_is_picked_up_again_with_one_file_per_format(queue):
    from enterprises.models import Establishment

    # Enough rows for the PDF to take a few seconds after the Excel file is
    # written: the worker is killed in between.
    [first] = make_establishments(1)
    Establishment.objects.bulk_create(
        Establishment(
            name=f"Cơ sở chế biến hải sản Sầm Sơn số {i}",
            kind=first.kind,
            tax_code=f"29{i:08d}",
            representative_name="Lê Văn Hải",
            commune=first.commune,
            workers_total=3,
        )
        for i in range(700)
    )
    job = ReportJob.objects.create(
        kind="establishments", parameters=report_parameters(period="2026")
    )
    # A short visibility timeout so that the broker hands the unacknowledged
    # task to the next worker within seconds instead of an hour.
    short = {"CELERY_VISIBILITY_TIMEOUT": "2"}
    doomed = start_worker(queue, **short)
    try:
        generate.apply_async(args=[job.pk], queue=queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.xlsx_file or job.is_finished:
                break
            time.sleep(0.05)
        doomed.kill()  # SIGKILL: no chance to acknowledge or clean up
        doomed.wait()
    finally:
        if doomed.poll() is None:
            doomed.kill()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING, "the job ended before the kill"
    assert job.xlsx_file and not job.pdf_file  # died half-way

    time.sleep(3)  # past the visibility timeout
    rescuer = start_worker(queue, **short)
    try:
        job = wait_for(job, seconds=180)
    finally:
        stop(rescuer)
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.attempts == 2
    files = sorted(
        p.name for p in Path(settings.MEDIA_ROOT, "reports").glob(f"{job.token.hex}*")
    )
    assert files == [f"{job.token.hex}.pdf", f"{job.token.hex}.xlsx"]
    _ws, _header, rows, _totals = read_xlsx(
        Path(settings.MEDIA_ROOT, job.xlsx_file.name)
    )
    assert len(rows) == 701
    assert "Trang 1/" in pdf_text(Path(settings.MEDIA_ROOT, job.pdf_file.name))
