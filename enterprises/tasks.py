import contextlib

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from .importing.jobs import (
    TRANSIENT_ERRORS,
    import_heartbeat,
    import_job_requeue_stale,
    import_job_run,
)
from .models import ImportJob

RUN_MAX_RETRIES = 5


@shared_task(
    name="enterprises.run_import",
    bind=True,
    ignore_result=True,
    # Acknowledged after it ran: a worker killed mid-import leaves the message
    # in the broker, which delivers it again (import_job_run is idempotent).
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=RUN_MAX_RETRIES,
)
def run_import(self, job_id: int) -> str:
    """Check and apply one uploaded workbook; returns the job's final status."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    in_process = self.app.conf.task_always_eager
    beating = (
        contextlib.nullcontext() if in_process else import_heartbeat(job_id=job_id)
    )
    try:
        with beating:
            job = import_job_run(job=job)
    except TRANSIENT_ERRORS as exc:
        if in_process or self.request.retries >= RUN_MAX_RETRIES:
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportJob.Status.FAILED,
                finished_at=timezone.now(),
                error_count=1,
                errors=[
                    {
                        "row": None,
                        "column": "",
                        "message": _(
                            "The file could not be imported: the database did "
                            "not answer; nothing was written, import it again later."
                        ),
                    }
                ],
            )
            return ImportJob.Status.FAILED
        raise self.retry(
            exc=exc, countdown=min(300, 10 * 2**self.request.retries)
        ) from exc
    return job.status


@shared_task(name="enterprises.requeue_stale_imports", ignore_result=True)
def requeue_stale_imports() -> int:
    """Beat entry point: send again the imports whose worker or message was lost."""
    return len(import_job_requeue_stale())
