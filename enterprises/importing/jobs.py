"""Import jobs: an upload becomes a row, a Celery task checks and applies it.

The report-job pattern (reports/services.py): the row is the truth, the task
takes its id and is idempotent, a running job writes a heartbeat and a silent
one is sent again by a beat task. Without a broker (`make run`) Celery runs
the same task in-process once the upload is committed: one code path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import (
    IntegrityError,
    transaction,
)
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from ..background import TRANSIENT_ERRORS, heartbeat
from ..models import ImportJob
from .results import ImportIssue, ImportResult
from .validate import establishment_import

logger = logging.getLogger(__name__)

MAX_WORKER_LOSSES = 3
# A queued job older than this lost its message (broker restarted empty).
STALE_QUEUED_AFTER = dt.timedelta(minutes=10)


class ImportBusy(ValidationError):
    """The user already has an import on its way."""


def import_job_start(
    *, file: IO[bytes], file_name: str, dry_run: bool, user: Any
) -> ImportJob:
    """Store the upload on a new job and hand it to a worker once committed.

    Refused while the same user has a job queued or running (the database
    holds that rule too, for two uploads at the same instant).
    """
    busy = ImportBusy(
        _(
            "Your previous import is still running. Wait for it to finish "
            "before importing another file."
        )
    )
    if user is not None and ImportJob.objects.active().filter(requested_by=user):
        raise busy
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                file_name=file_name[:200],
                dry_run=dry_run,
                requested_by=user,
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
            job.file.save(file_name, File(file), save=True)
            transaction.on_commit(partial(import_job_enqueue, job_id=job.pk))
    except IntegrityError as exc:
        raise busy from exc
    return job


def import_job_enqueue(*, job_id: int) -> bool:
    """Hand a job to the workers; False when the broker cannot be reached (the
    job waits and the requeue beat task sends it when the broker is back)."""
    from ..tasks import run_import

    try:
        run_import.apply_async(
            args=[job_id],
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 1},
        )
    except (KombuOperationalError, ConnectionError) as exc:
        logger.warning("import job %s waits for the broker: %s", job_id, exc)
        return False
    ImportJob.objects.filter(pk=job_id, enqueued_at__isnull=True).update(
        enqueued_at=timezone.now()
    )
    return True


def _issue_dict(issue: ImportIssue) -> dict[str, Any]:
    return {"row": issue.row, "column": issue.column, "message": issue.message}


def _finish(job: ImportJob, result: ImportResult) -> None:
    job.status = ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED
    job.rows = result.rows
    job.created = result.created
    job.updated = result.updated
    job.unchanged = result.unchanged
    job.error_count = len(result.errors)
    job.errors = [_issue_dict(i) for i in result.errors[: ImportJob.MAX_ERRORS_KEPT]]
    job.rows_read = job.rows_total  # the check has seen every row
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "rows",
            "created",
            "updated",
            "unchanged",
            "error_count",
            "errors",
            "rows_read",
            "finished_at",
        ]
    )


def _set_progress(job_id: int, done: int, total: int) -> None:
    # Never backwards (a re-delivered task starts over from its own zero only
    # after import_job_run reset the row), and a sign of life too.
    if done == 0:
        ImportJob.objects.filter(pk=job_id).update(
            rows_total=total, rows_read=0, heartbeat_at=timezone.now()
        )
        return
    ImportJob.objects.filter(pk=job_id, rows_read__lt=min(done, total)).update(
        rows_read=min(done, total), heartbeat_at=timezone.now()
    )


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Check the job's file, then write it in one transaction with the job's
    outcome: either both commit or neither does.

    Idempotent: a finished job is returned untouched; one found queued or
    running (re-delivered after its worker died) starts over, which is safe
    because nothing was written unless the job was also marked done.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.is_finished:
            return job
        if job.status == ImportJob.Status.RUNNING and job.attempts >= MAX_WORKER_LOSSES:
            return _fail(
                job,
                _(
                    "the worker checking it stopped %(count)s times; split the "
                    "file into smaller files."
                )
                % {"count": job.attempts},
            )
        job.status = ImportJob.Status.RUNNING
        job.attempts += 1
        job.rows_read = job.rows_total = 0
        job.started_at = job.heartbeat_at = timezone.now()
        job.save(
            update_fields=[
                "status",
                "attempts",
                "rows_read",
                "rows_total",
                "started_at",
                "heartbeat_at",
            ]
        )

    def on_written(result: ImportResult) -> None:
        job.refresh_from_db(fields=["rows_total"])
        _finish(job, result)

    try:
        with (
            translation.override(job.language or settings.LANGUAGE_CODE),
            job.file.open("rb") as upload,
        ):
            result = establishment_import(
                file=upload,
                dry_run=job.dry_run,
                user=job.requested_by,
                on_progress=partial(_set_progress, job.pk),
                on_written=on_written,
            )
            if not result.ok or job.dry_run:
                # Nothing written (a check only, errors in the file, or a race
                # that rolled the writing back): record the outcome alone.
                job.refresh_from_db(fields=["rows_total"])
                _finish(job, result)
    except TRANSIENT_ERRORS:
        with contextlib.suppress(*TRANSIENT_ERRORS):
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
        raise
    except FileNotFoundError:
        return _fail(job, _("the uploaded file is no longer there; upload it again."))
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        return _fail(
            job, _("an unexpected error occurred; the details are in the server log.")
        )
    _drop_file(job)
    return job


def _fail(job: ImportJob, reason: str) -> ImportJob:
    job.status = ImportJob.Status.FAILED
    job.error_count = 1
    job.errors = [
        {
            "row": None,
            "column": "",
            "message": _("The file could not be imported: %(reason)s")
            % {"reason": reason},
        }
    ]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error_count", "errors", "finished_at"])
    _drop_file(job)
    return job


def _drop_file(job: ImportJob) -> None:
    # The registry keeps what was imported; the upload (names, tax codes,
    # phone numbers) is not kept once the job has finished.
    if job.file:
        with contextlib.suppress(OSError):
            job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def import_heartbeat(*, job_id: int, every: float | None = None):
    """The job's heartbeat while the block runs (enterprises.background)."""
    return heartbeat(
        ImportJob, job_id=job_id, running=ImportJob.Status.RUNNING, every=every
    )


def import_job_requeue_stale(*, now: dt.datetime | None = None) -> list[int]:
    """Send again the jobs whose task the broker lost or whose worker died."""
    now = now or timezone.now()
    silent_since = now - dt.timedelta(seconds=settings.KC_REPORT_STALE_SECONDS)
    stale = ImportJob.objects.filter(
        Q(status=ImportJob.Status.QUEUED, enqueued_at__isnull=True)
        | Q(status=ImportJob.Status.QUEUED, created_at__lt=now - STALE_QUEUED_AFTER)
        | Q(status=ImportJob.Status.RUNNING, heartbeat_at__lt=silent_since)
        | Q(
            status=ImportJob.Status.RUNNING,
            heartbeat_at__isnull=True,
            started_at__lt=silent_since,
        )
    ).values_list("pk", flat=True)
    return [pk for pk in stale if import_job_enqueue(job_id=pk)]
