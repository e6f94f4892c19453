"""Report workflows: request a job, produce its files, run schedules, notify.

`report_generate` is the single code path of every report, whoever asks: the
Celery worker, the in-process fallback without a broker, and the CLI.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import tempfile
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import (
    IntegrityError,
    transaction,
)
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from enterprises.background import TRANSIENT_ERRORS, heartbeat
from enterprises.roles import Role
from projects.models import Source

from .exporters import get_exporter
from .exporters.base import ReportError
from .models import (
    DocumentSeries,
    MoneyUnit,
    OfficialSettings,
    RegisterEntry,
    ReportFormat,
    ReportJob,
    ReportKind,
    ReportSchedule,
    formats_of,
    report_file_name,
)
from .periods import Period
from .writers.head import head_for_job

__all__ = ["ReportError"]

logger = logging.getLogger(__name__)

# Errors that pass by themselves (database restarting, connection dropped):
# the task retries them instead of failing the job.
REPORT_LANGUAGE = "vi"  # official reports are Vietnamese, whoever asks
MAX_WORKER_LOSSES = 3
# A queued job older than this has lost its message (broker restarted without
# persistence); a running one is judged by its heartbeat (KC_REPORT_STALE_SECONDS).
STALE_QUEUED_AFTER = dt.timedelta(minutes=30)


def report_parameters(
    *,
    period: str,
    source: str = "",
    programme_id: int | None = None,
    formats: Iterable[str] | None = None,
    unit: str = "",
) -> dict[str, Any]:
    """The canonical JSON parameters of a job (period validated and normalised)."""
    parameters: dict[str, Any] = {"period": Period.parse(period).code}
    if unit and unit != MoneyUnit.DONG:
        if unit not in MoneyUnit.values:
            raise ValidationError(_("Unknown unit of money."))
        parameters["unit"] = unit
    if source:
        # One vocabulary: "kcdp" from an old link is stored as Source.LOCAL.
        parameters["source"] = Source.parse(source).value
    if programme_id:
        parameters["programme_id"] = programme_id
    if formats:
        parameters["formats"] = [f for f in ReportFormat.values if f in set(formats)]
    return parameters


def report_available(kind: str) -> bool:
    """A kind whose class is registered (reports.exporters)."""
    return get_exporter(kind) is not None


def dossier_parameters(
    *, project: Any, formats: Iterable[str] | None = None
) -> dict[str, Any]:
    """A dossier job's parameters; the code is kept so lists need no query."""
    parameters: dict[str, Any] = {
        "project_id": project.pk,
        "project_code": project.code,
    }
    if formats:
        wanted = set(formats)
        parameters["formats"] = [
            f for f in formats_of(ReportKind.DOSSIER) if f in wanted
        ]
    return parameters


def dossier_request(*, project: Any, requested_by: Any = None) -> ReportJob:
    """Ask for a project's dossier (PDF and ZIP) through the one job path.

    The caller has checked that `requested_by` may see the project; the job's
    pages and downloads check it again on every request.
    """
    return report_request(
        kind=ReportKind.DOSSIER,
        parameters=dossier_parameters(project=project),
        requested_by=requested_by,
    )


def report_request(
    *, kind: str, parameters: dict[str, Any], requested_by: Any = None
) -> ReportJob:
    """Create a queued job and hand it to a worker once the row is committed."""
    if not report_available(kind):
        raise ValidationError(_("This report is not available yet."))
    with transaction.atomic():
        job = ReportJob(kind=kind, parameters=parameters, requested_by=requested_by)
        # The audit trail names who asked, also when the request came with
        # an API key (no session for the history middleware to read).
        job._history_user = requested_by
        job.save()
        transaction.on_commit(partial(report_enqueue, job_id=job.pk))
    return job


def report_enqueue(*, job_id: int) -> bool:
    """Hand a job to the workers; False when the broker cannot be reached.

    A broker that is down must not turn a report request into a server error:
    the row stays queued without `enqueued_at`, the page says it is waiting,
    and the requeue beat task sends it as soon as the broker answers again.
    """
    from .tasks import generate

    try:
        generate.apply_async(
            args=[job_id],
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 1},
        )
    except (KombuOperationalError, ConnectionError) as exc:
        logger.warning("report job %s waits for the broker: %s", job_id, exc)
        return False
    ReportJob.objects.filter(pk=job_id, enqueued_at__isnull=True).update(
        enqueued_at=timezone.now()
    )
    return True


def report_generate(*, job: ReportJob) -> ReportJob:
    """Produce the job's files and record the outcome on the row.

    Idempotent: a finished job is returned untouched. A job found queued or
    running (a task delivered again after its worker died) starts over: its
    files have fixed names per job and format, so the new files replace any
    partial ones and exactly one file per format remains.

    A job found running MAX_WORKER_LOSSES times has killed its worker each
    time (out of memory, say): it is failed instead of tried forever.

    Transient database errors propagate (the task retries them); any other
    failure marks the job failed with a readable message.
    """
    with transaction.atomic():
        job = (
            ReportJob.objects.select_for_update(of=("self",))
            .select_related("register_entry")
            .get(pk=job.pk)
        )
        if job.status == ReportJob.Status.DONE:
            return job
        if job.status == ReportJob.Status.RUNNING and job.attempts >= MAX_WORKER_LOSSES:
            return _fail(
                job,
                _(
                    "the worker producing it stopped %(count)s times; the report "
                    "may be too large, try a shorter period."
                )
                % {"count": job.attempts},
            )
        job.status = ReportJob.Status.RUNNING
        job.attempts += 1
        job.progress = 0
        job.error = ""
        job.started_at = job.heartbeat_at = timezone.now()
        job.finished_at = None
        # The worker's writes are updates: the audit trail holds who asked
        # for what (the job's creation), its run is on the job's page.
        ReportJob.objects.filter(pk=job.pk).update(
            status=job.status,
            attempts=job.attempts,
            progress=job.progress,
            error=job.error,
            started_at=job.started_at,
            heartbeat_at=job.heartbeat_at,
            finished_at=job.finished_at,
        )

    try:
        with translation.override(REPORT_LANGUAGE):
            _produce_files(job)
    except TRANSIENT_ERRORS:
        # Back to the queue while the task waits to retry: "running" on a row
        # means a worker is (or died) producing it.
        with contextlib.suppress(*TRANSIENT_ERRORS):
            ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.QUEUED)
        raise
    except SoftTimeLimitExceeded:
        return _fail(
            job,
            _("it took longer than the time limit; try a shorter period."),
        )
    except (ReportError, ValidationError) as exc:
        message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc
        return _fail(job, str(message))
    except Exception:
        logger.exception("Report job %s failed", job.pk)
        return _fail(
            job,
            _("an unexpected error occurred; the details are in the server log."),
        )

    _set_progress(job, 100, status=ReportJob.Status.DONE)
    return job


def _fail(job: ReportJob, reason: str) -> ReportJob:
    return report_fail(job_id=job.pk, reason=reason, job=job)


def report_fail(
    *, job_id: int, reason: str, job: ReportJob | None = None
) -> ReportJob | None:
    """The one place a job is marked failed (the service's own refusals and
    the task's give-up after retries alike). Returns the updated row."""
    error = _("The report could not be produced: %(reason)s") % {"reason": reason}
    now = timezone.now()
    ReportJob.objects.filter(pk=job_id).update(
        status=ReportJob.Status.FAILED, error=error, finished_at=now
    )
    if job is None:
        return ReportJob.objects.filter(pk=job_id).first()
    job.status, job.error, job.finished_at = ReportJob.Status.FAILED, error, now
    return job


def _store_file(job: ReportJob, fmt: str, path: str | Path) -> None:
    """Put a finished file in private storage under the job's name for it."""
    name = report_file_name(job, fmt)
    # A dead worker may have left this very name behind: replace it.
    default_storage.delete(name)
    with open(path, "rb") as f:
        saved = default_storage.save(name, File(f))
    setattr(job, f"{fmt}_file", saved)
    ReportJob.objects.filter(pk=job.pk).update(**{f"{fmt}_file": saved})


def _clear_unasked(job: ReportJob, formats: list[str]) -> None:
    # Formats not asked for this time must not keep an older file.
    for fmt in ReportFormat.values:
        if fmt not in formats:
            setattr(job, f"{fmt}_file", "")


def _set_progress(job: ReportJob, value: int, *, status: str = "") -> None:
    """The one writer of a job's progress (and of DONE, with 100 %): a step
    of progress is a sign of life too. Below 100 % it only moves forward."""
    now = timezone.now()
    if status == ReportJob.Status.DONE:
        # With the files made (and those not asked for this time cleared).
        files = {
            f"{fmt}_file": getattr(job, f"{fmt}_file").name or ""
            for fmt in ReportFormat.values
        }
        ReportJob.objects.filter(pk=job.pk).update(
            status=status, progress=100, heartbeat_at=now, finished_at=now, **files
        )
        job.status, job.progress, job.finished_at = status, 100, now
        job.heartbeat_at = now
        return
    ReportJob.objects.filter(pk=job.pk, progress__lt=value).update(
        progress=min(value, 99), heartbeat_at=now
    )


def report_heartbeat(*, job_id: int, every: float | None = None):
    """The job's heartbeat while the block runs (enterprises.background)."""
    return heartbeat(
        ReportJob, job_id=job_id, running=ReportJob.Status.RUNNING, every=every
    )


def _produce_files(job: ReportJob) -> None:
    """The job's files, by its kind's registered class (reports.exporters):
    written to a temporary folder first, so storage only ever sees whole files."""
    report_class = get_exporter(job.kind)
    if report_class is None:
        raise ReportError(_("this report is not available yet."))
    head = head_for_job(job, series=report_class.series)
    with tempfile.TemporaryDirectory(prefix="kc-report-") as folder:
        files = report_class.produce(
            job=job,
            folder=Path(folder),
            head=head,
            progress=partial(_set_progress, job),
        )
        for fmt, path in files.items():
            _store_file(job, fmt, path)
    _clear_unasked(job, list(files))


def report_issue(
    *, job: ReportJob, by: Any, on: dt.date | None = None
) -> RegisterEntry:
    """Issue a finished report: give it the next number of its series in the
    centre's register for the year, then produce its files again with that
    number and date (no longer "Dự thảo").

    The numbers are taken under a row lock (the settings row): two people
    pressing "Ban hành" at once get two consecutive numbers, and the database
    holds (year, symbol, number) unique. A job is issued once.
    """
    on = on or timezone.localdate()
    report_class = get_exporter(job.kind)
    if report_class is None:
        raise ValidationError(_("This report is not available yet."))
    series = DocumentSeries(report_class.series)
    with transaction.atomic():
        OfficialSettings.current()
        official = OfficialSettings.objects.select_for_update().get(pk=1)
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ReportJob.Status.DONE:
            raise ValidationError(_("Only a finished report can be issued."))
        if RegisterEntry.objects.filter(job=job).exists():
            raise ValidationError(_("This report has already been issued."))
        symbol = official.symbol_of(series)
        last = (
            RegisterEntry.objects.filter(year=on.year, symbol=symbol)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        entry = RegisterEntry.objects.create(
            year=on.year,
            series=series,
            symbol=symbol,
            number=(last or 0) + 1,
            issued_on=on,
            issued_by=by,
            job=job,
            subject=str(job)[:300],
        )
        # Made again with its number: back to the queue, through the one path.
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.QUEUED, progress=0, attempts=0, finished_at=None
        )
        transaction.on_commit(partial(report_enqueue, job_id=job.pk))
    return entry


def report_schedules_run(*, today: dt.date | None = None) -> list[ReportJob]:
    """Create the job of every active schedule whose last period has no job yet.

    Safe to run any number of times: one job per schedule and period, held by a
    unique constraint.
    """
    today = today or timezone.localdate()
    created = []
    for schedule in ReportSchedule.objects.filter(active=True):
        if get_exporter(schedule.kind) is None:
            continue
        period = Period.last_complete(schedule.frequency, today)
        if ReportJob.objects.filter(
            schedule=schedule, scheduled_for=period.code
        ).exists():
            continue
        try:
            with transaction.atomic():
                job = ReportJob.objects.create(
                    kind=schedule.kind,
                    parameters=report_parameters(
                        period=period.code, source=schedule.source
                    ),
                    schedule=schedule,
                    scheduled_for=period.code,
                )
                transaction.on_commit(partial(report_enqueue, job_id=job.pk))
        except IntegrityError:
            continue  # another beat run created it a moment ago
        created.append(job)
    return created


def report_requeue_stale(*, now: dt.datetime | None = None) -> list[int]:
    """Hand again to the workers the jobs whose task the broker lost.

    The job row, not the broker, is the truth: a Redis restarted without its
    data, or a worker killed past the visibility timeout, leaves rows queued or
    running that nothing will pick up. Running them again is safe because
    report_generate is idempotent. Returns the ids re-enqueued.
    """
    now = now or timezone.now()
    silent_since = now - dt.timedelta(seconds=settings.KC_REPORT_STALE_SECONDS)
    stale = ReportJob.objects.filter(
        # Never reached the broker (it was down when the job was asked for).
        Q(status=ReportJob.Status.QUEUED, enqueued_at__isnull=True)
        | Q(status=ReportJob.Status.QUEUED, created_at__lt=now - STALE_QUEUED_AFTER)
        # Its worker stopped writing the heartbeat (killed, machine gone).
        | Q(status=ReportJob.Status.RUNNING, heartbeat_at__lt=silent_since)
        | Q(
            status=ReportJob.Status.RUNNING,
            heartbeat_at__isnull=True,
            started_at__lt=silent_since,
        )
    ).values_list("pk", flat=True)
    return [pk for pk in stale if report_enqueue(job_id=pk)]


def report_notify(*, job: ReportJob) -> int:
    """Tell people that a job has finished, once.

    The one who asked for a report finds a line in their inbox when it is done
    or has failed (they may have left the page). A scheduled report goes to
    every manager: an inbox line and an e-mail with the link.

    Returns the number of people told.
    """
    from notifications.models import NotificationKind
    from notifications.sending import notify, users_with_role

    done = job.status == ReportJob.Status.DONE
    scheduled = job.schedule_id is not None
    if not (done or (job.status == ReportJob.Status.FAILED and not scheduled)):
        return 0
    # Claim the notice first: a re-delivered task must not tell twice.
    claimed = ReportJob.objects.filter(pk=job.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return 0
    path = reverse("reports:detail", args=[job.pk])
    params = {"report": job.get_kind_display(), "period": job.scope_label}
    with translation.override(REPORT_LANGUAGE):
        if done:
            title = _("Report ready: %(report)s, %(period)s") % params
        else:
            title = _("Report failed: %(report)s, %(period)s") % params
        if not scheduled:
            users = [job.requested_by] if job.requested_by_id else []
            notify(
                users=users,
                kind=NotificationKind.REPORT_READY,
                title=title,
                body=job.error,
                link=path,
                email=False,
                key=f"report:{job.pk}",
            )
            return len(users)
        managers = list(users_with_role(Role.MANAGER))
        notify(
            users=managers,
            kind=NotificationKind.REPORT_READY,
            title=title,
            link=path,
            email=False,  # the e-mail below carries the link
            key=f"report:{job.pk}",
        )
        link = settings.SITE_URL.rstrip("/") + path
        body = _(
            "The scheduled report “%(report)s” for %(period)s is ready.\n\n"
            "Download it here: %(link)s\n"
        ) % {**params, "link": link}
    recipients = sorted({u.email for u in managers if u.email})
    if not recipients:
        return len(managers)
    try:
        send_mail(title, body, None, recipients)
    except Exception:
        # The report itself is fine and listed in the history; only the e-mail
        # failed. Release the claim so that a later run may send it (the inbox
        # lines exist already and are not made twice: they carry the job's key).
        logger.exception("Report job %s: notice to managers not sent", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(notified_at=None)
        return 0
    return len(managers)
