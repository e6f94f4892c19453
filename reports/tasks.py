import contextlib

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ReportJob, WorkerHeartbeat
from .services import (
    TRANSIENT_ERRORS,
    report_fail,
    report_generate,
    report_heartbeat,
    report_notify,
)


@shared_task(name="reports.heartbeat", ignore_result=True)
def heartbeat(worker: str = "") -> int:
    """Record that a worker is alive; returns the heartbeat row id."""
    name = worker or (heartbeat.request.hostname or "in-process")
    row, _created = WorkerHeartbeat.objects.update_or_create(
        worker=name, defaults={"seen_at": timezone.now()}
    )
    return row.pk


GENERATE_MAX_RETRIES = 5


@shared_task(
    name="reports.generate",
    bind=True,
    ignore_result=True,
    # Acknowledged after it ran: a worker killed mid-report leaves the message
    # in the broker, which delivers it again (see report_generate).
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=GENERATE_MAX_RETRIES,
)
def generate(self, job_id: int) -> str:
    """Produce the files of one report job; returns the job's final status."""
    job = ReportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"  # deleted before a worker got to it
    # In a worker, a thread writes the job's heartbeat while it runs, so a job
    # whose worker dies is sent again within minutes (report_requeue_stale).
    # In-process (no broker) there is no other worker to send it to.
    in_process = self.app.conf.task_always_eager
    beating = (
        contextlib.nullcontext() if in_process else report_heartbeat(job_id=job.pk)
    )
    try:
        with beating:
            job = report_generate(job=job)
    except TRANSIENT_ERRORS as exc:
        # In-process (no broker) a retry would hold the user's request while
        # the database recovers: fail at once, readably, and let them retry.
        if in_process or self.request.retries >= GENERATE_MAX_RETRIES:
            report_fail(
                job_id=job_id,
                reason=_("the database did not answer; please request it again later."),
            )
            return ReportJob.Status.FAILED
        # Exponential backoff: 10 s, 20 s, 40 s... capped at 5 minutes.
        raise self.retry(
            exc=exc, countdown=min(300, 10 * 2**self.request.retries)
        ) from exc
    report_notify(job=job)
    return job.status


@shared_task(name="reports.run_schedules", ignore_result=True)
def run_schedules() -> int:
    """Beat entry point: create the scheduled jobs that are due."""
    from .services import report_schedules_run

    return len(report_schedules_run())


@shared_task(name="reports.requeue_stale", ignore_result=True)
def requeue_stale() -> int:
    """Beat entry point: re-enqueue jobs whose task the broker lost."""
    from .services import report_requeue_stale

    return len(report_requeue_stale())
