"""Establishment imports run as jobs: a row, a task, a page that follows it.

Who: staff (and administrators) import; the job page and its status are theirs
too (tests/test_permission_matrix.py). The task runs in-process once the
upload is committed, as `make run` does without a broker; the real worker is
exercised by the test marked `broker`.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from enterprises.importing.jobs import (
    ImportBusy,
    import_job_requeue_stale,
    import_job_run,
    import_job_start,
)
from enterprises.importing.validate import establishment_import
from enterprises.models import Establishment, ImportJob
from tests.builders import registry_row as row
from tests.builders import registry_xlsx as xlsx

# The task runs in-process, as without a broker, even where CI sets one:
# these tests are about the job, tests/enterprises/test_import_worker.py about
# the real worker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process")]

IMPORT = reverse("enterprises:establishment_import")


def job_page(job: ImportJob) -> str:
    return reverse("enterprises:import_job", args=[job.pk])


def status_url(job: ImportJob) -> str:
    return reverse("enterprises:import_job_status", args=[job.pk])


def upload(client, file: io.BytesIO, capture, **data):
    """Post the file; the job's task runs when the upload commits."""
    with capture(execute=True):
        return client.post(IMPORT, {"file": file, **data})


def test_it_queues_a_job_on_commit_then_imports_and_shows_the_outcome(
    as_user, staff, commune, django_capture_on_commit_callbacks
):
    client = as_user(staff)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            IMPORT, {"file": xlsx([row(n, commune) for n in range(3)])}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == job_page(job)
    assert len(callbacks) == 1  # handed to the workers only once committed
    assert job.status == ImportJob.Status.QUEUED
    assert job.requested_by == staff
    assert job.file  # kept for the worker until the job finishes

    callbacks[0]()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.rows_total, job.rows_read, job.created) == (3, 3, 3)
    assert Establishment.objects.count() == 3
    assert not job.file  # the upload is not kept once imported

    body = client.get(job_page(job)).content.decode()
    assert "Đã nhập 3 dòng: 3 mới, 0 cập nhật, 0 không thay đổi." in body
    assert "import-status.js" not in body  # finished: nothing to follow
    # Reloading the page shows the same outcome; the import page lists it.
    assert "Đã nhập 3 dòng" in client.get(job_page(job)).content.decode()
    assert job_page(job) in client.get(IMPORT).content.decode()
    status = client.get(status_url(job)).json()
    assert status["finished"] is True
    assert (status["rows_read"], status["rows_total"], status["progress"]) == (
        3,
        3,
        100,
    )


def test_every_row_error_is_listed_in_vietnamese_and_nothing_is_written(
    as_user, staff, commune, django_capture_on_commit_callbacks
):
    rows = [row(n, commune) for n in range(40)]
    rows[5][1] = "???"  # kind, spreadsheet row 7
    rows[30][2] = "12345"  # tax code, spreadsheet row 32
    client = as_user(staff)
    response = upload(client, xlsx(rows), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert Establishment.objects.count() == 0  # 38 good rows, none written
    assert job.error_count == 2
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (7, "Loại hình"),
        (32, "Mã số thuế"),
    ]
    body = client.get(response.url).content.decode()
    assert "Tệp có 2 lỗi; chưa ghi dữ liệu nào." in body
    assert "Chọn loại hình trong danh sách thả xuống." in body
    assert "Nhập tệp đã sửa" in body


def test_only_the_first_errors_are_kept_and_the_rest_counted(
    as_user, staff, commune, django_capture_on_commit_callbacks
):
    rows = [row(n, commune, kind="???") for n in range(ImportJob.MAX_ERRORS_KEPT + 7)]
    client = as_user(staff)
    response = upload(client, xlsx(rows), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.error_count == ImportJob.MAX_ERRORS_KEPT + 7
    assert len(job.errors) == ImportJob.MAX_ERRORS_KEPT
    assert "…và 7 lỗi khác." in client.get(response.url).content.decode()


def test_a_check_only_job_writes_nothing(
    as_user, staff, commune, django_capture_on_commit_callbacks
):
    client = as_user(staff)
    response = upload(
        client,
        xlsx([row(n, commune) for n in range(4)]),
        django_capture_on_commit_callbacks,
        dry_run="on",
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert job.dry_run
    assert Establishment.objects.count() == 0
    assert "Chỉ kiểm tra, chưa ghi" in client.get(response.url).content.decode()


def test_progress_counts_the_rows_checked_and_never_goes_back(commune):
    seen: list[tuple[int, int]] = []
    rows = [row(n, commune) for n in range(1_100)]
    result = establishment_import(
        file=xlsx(rows), on_progress=lambda done, total: seen.append((done, total))
    )
    assert result.ok
    assert {total for _done, total in seen} == {1_100}
    done = [d for d, _total in seen]
    assert done == sorted(done)
    assert done[0] == 0
    assert done[-1] == 1_100
    assert len(done) >= 5  # reported along the way, not only at the end


def test_the_job_records_rows_read_up_to_the_total(staff, commune):
    job = import_job_start(
        file=xlsx([row(n, commune) for n in range(600)]),
        file_name="co-so.xlsx",
        dry_run=True,
        user=staff,
    )
    job = import_job_run(job=job)
    assert (job.rows_read, job.rows_total) == (600, 600)
    assert job.status == ImportJob.Status.DONE


def test_a_finished_job_is_not_run_again(staff, commune):
    job = import_job_start(
        file=xlsx([row(1, commune)]), file_name="co-so.xlsx", dry_run=False, user=staff
    )
    job = import_job_run(job=job)
    finished_at = job.finished_at
    again = import_job_run(job=job)
    assert again.finished_at == finished_at
    assert again.attempts == 1
    assert Establishment.objects.count() == 1


def test_a_second_import_while_the_first_runs_is_refused(
    as_user, staff, commune, django_capture_on_commit_callbacks
):
    client = as_user(staff)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(IMPORT, {"file": xlsx([row(1, commune)])})
    first = ImportJob.objects.get()
    page = client.get(IMPORT).content.decode()
    assert "vẫn đang chạy" in page and job_page(first) in page

    response = client.post(IMPORT, {"file": xlsx([row(2, commune)])})
    assert response.status_code == 200
    assert "Lượt nhập trước của bạn vẫn đang chạy." in response.content.decode()
    assert ImportJob.objects.count() == 1
    with pytest.raises(ImportBusy):
        import_job_start(
            file=xlsx([row(3, commune)]), file_name="b.xlsx", dry_run=False, user=staff
        )


def test_the_database_holds_one_active_import_per_person(staff):
    ImportJob.objects.create(requested_by=staff, status=ImportJob.Status.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportJob.objects.create(requested_by=staff)
    # A finished one does not count.
    ImportJob.objects.create(requested_by=staff, status=ImportJob.Status.DONE)


def test_a_job_whose_worker_went_silent_says_so_and_is_sent_again(
    as_user, staff, commune, django_capture_on_commit_callbacks
):
    client = as_user(staff)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(IMPORT, {"file": xlsx([row(1, commune), row(2, commune)])})
    job = ImportJob.objects.get()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        attempts=1,
        started_at=long_ago,
        heartbeat_at=long_ago,
        enqueued_at=long_ago,
    )
    body = client.get(job_page(job)).content.decode()
    assert "không phản hồi từ" in body
    assert client.get(status_url(job)).json()["stale"] is True

    # The beat task sends it again (in-process here): it runs from the start.
    assert import_job_requeue_stale() == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.attempts == 2
    assert Establishment.objects.count() == 2


def test_a_job_that_killed_its_worker_three_times_fails_readably(staff, commune):
    job = import_job_start(
        file=xlsx([row(1, commune)]), file_name="co-so.xlsx", dry_run=False, user=staff
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, attempts=3
    )
    job = import_job_run(job=job)
    assert job.status == ImportJob.Status.FAILED
    assert "dừng 3 lần" in job.errors[0]["message"]
    assert Establishment.objects.count() == 0


def test_a_hostile_archive_is_refused_at_the_upload_without_a_job(as_user, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("co-so.xlsx", b"%PDF-1.4 not a workbook")
    response = as_user(staff).post(IMPORT, {"file": fake})
    assert response.status_code == 200
    assert "Tệp không phải là sổ tính Excel (.xlsx)." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_beat_looks_for_lost_imports(settings):
    from enterprises.tasks import requeue_stale_imports, run_import

    entry = settings.CELERY_BEAT_SCHEDULE["imports-requeue-stale"]
    assert entry["task"] == requeue_stale_imports.name
    assert entry["schedule"] <= 60
    assert entry["task"] in run_import.app.tasks


def test_the_summary_groups_its_counts_as_every_number_the_portal_prints():
    from django.utils import translation

    from enterprises.importing.results import ImportResult

    with translation.override("vi"):
        summary = ImportResult(rows=5000, created=4990, updated=10).summary()
    assert summary == "Đã nhập 5.000 dòng: 4.990 mới, 10 cập nhật, 0 không thay đổi."
