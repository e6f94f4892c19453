"""A real Celery worker produces a report end to end (CI: Redis + PostgreSQL).

The worker is a separate process with the production settings module, sharing
this test's database and media folder.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.conf import settings

from reports.models import ReportJob
from reports.services import report_parameters
from reports.tasks import generate
from tests.builders import make_establishments
from tests.readers import pdf_text, read_xlsx

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def test_reports_are_routed_to_their_own_queue():
    if not settings.CELERY_BROKER_URL:
        pytest.skip("không có CELERY_BROKER_URL")
    route = generate.app.amqp.router.route({}, "reports.generate")
    assert route["queue"].name == "reports"


def test_a_real_worker_produces_a_report_end_to_end(
    worker_queue, start_worker, wait_for_job
):
    make_establishments(30)
    job = ReportJob.objects.create(
        kind="establishments", parameters=report_parameters(period="2026-Q3")
    )
    start_worker()
    generate.apply_async(args=[job.pk], queue=worker_queue)
    job = wait_for_job(job)
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


def test_a_job_whose_worker_dies_is_picked_up_again_with_one_file_per_format(
    worker_queue, start_worker, wait_for_job
):
    from enterprises.models import Establishment

    # Enough rows for the PDF to take a few seconds after the Excel file is
    # written: the worker is killed in between. Files reach storage only when
    # every format is made (whole files only), so the kill point is read from
    # the progress: past the Excel file's half of the bar, the PDF is under way.
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
        kind="establishments",
        parameters=report_parameters(period="2026", formats=["xlsx", "pdf"]),
    )
    # A short visibility timeout so that the broker hands the unacknowledged
    # task to the next worker within seconds instead of an hour.
    short = {"CELERY_VISIBILITY_TIMEOUT": "2"}
    doomed = start_worker(**short)
    try:
        generate.apply_async(args=[job.pk], queue=worker_queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.progress >= 50 or job.is_finished:
                break
            time.sleep(0.05)
        doomed.kill()  # SIGKILL: no chance to acknowledge or clean up
        doomed.wait()
    finally:
        if doomed.poll() is None:
            doomed.kill()
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING, "the job ended before the kill"
    # Died half-way: the Excel file made in its temporary folder, none stored.
    assert job.progress >= 50
    assert not job.xlsx_file and not job.pdf_file

    time.sleep(3)  # past the visibility timeout
    start_worker(**short)
    job = wait_for_job(job, seconds=180)
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
