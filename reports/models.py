from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Source

from .periods import Frequency, Period


class WorkerHeartbeat(models.Model):
    """Last time each Celery worker ran the heartbeat task (shown by /healthz)."""

    worker = models.CharField(_("worker"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker


class ReportKind(models.TextChoices):
    # Every report of issue 6 is listed now so that adding its exporter needs no
    # migration; only kinds with a registered exporter are offered to users.
    PROGRESS = "progress", _("Project progress report")
    DISBURSEMENT = "disbursement", _("Disbursement report")
    YEARLY_SUMMARY = "yearly_summary", _("Yearly summary")
    ESTABLISHMENTS = "establishments", _("Establishment list")
    DOSSIER = "dossier", _("Project dossier")


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel")
    PDF = "pdf", _("PDF")
    ZIP = "zip", _("ZIP archive")


# The files each kind of report can produce, in the order they are made (the
# dossier's ZIP carries its PDF).
TABULAR_FORMATS = (ReportFormat.XLSX, ReportFormat.PDF)
DOSSIER_FORMATS = (ReportFormat.PDF, ReportFormat.ZIP)


def formats_of(kind: str) -> tuple[str, ...]:
    return DOSSIER_FORMATS if kind == ReportKind.DOSSIER else TABULAR_FORMATS


def ascii_name(text: str) -> str:
    """'KCĐP-2026-001' -> 'KCDP-2026-001': for file names any system accepts."""
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-") or "x"


def report_file_name(job: ReportJob, fmt: str) -> str:
    """Where a job's file of one format lives in private storage.

    Random (the job's token) so names cannot be guessed, yet fixed per job and
    format, so a re-delivered task overwrites a dead worker's partial file
    instead of leaving a second one.
    """
    return f"reports/{job.token.hex}.{fmt}"


class ReportJobQuerySet(models.QuerySet):
    def for_history(self) -> ReportJobQuerySet:
        return self.select_related("requested_by", "schedule").order_by("-created_at")


class ReportJob(models.Model):
    """One request for a report and, once produced, its files.

    The row is the whole truth about a job: the page reads it, the worker
    updates it, so a restarted broker loses nothing.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("report"), max_length=30, choices=ReportKind.choices)
    parameters = models.JSONField(
        _("parameters"),
        default=dict,
        blank=True,
        help_text=_("Period code, funding source, programme id, formats."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    xlsx_file = models.FileField(_("Excel file"), max_length=200, blank=True)
    pdf_file = models.FileField(_("PDF file"), max_length=200, blank=True)
    # The project dossier's archive: its PDF and every file of the project.
    zip_file = models.FileField(_("ZIP file"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_jobs",
        verbose_name=_("requested by"),
        help_text=_("Empty for scheduled reports."),
    )
    schedule = models.ForeignKey(
        "ReportSchedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("schedule"),
    )
    # The period a schedule produced this job for: one job per schedule and
    # period, enforced by the database, so beat may run as often as it likes.
    scheduled_for = models.CharField(max_length=10, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When the task message reached the broker; empty while the broker could
    # not be reached (the job waits and is sent by the requeue beat task).
    enqueued_at = models.DateTimeField(_("sent to the workers"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # Written every KC_REPORT_HEARTBEAT_SECONDS by the worker producing the job
    # (and on each step of progress): a running job whose heartbeat is older
    # than KC_REPORT_STALE_SECONDS lost its worker and is sent again.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    notified_at = models.DateTimeField(_("managers notified"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="report_job_progress_max_100"
            ),
            models.UniqueConstraint(
                fields=["schedule", "scheduled_for"],
                condition=Q(schedule__isnull=False),
                name="report_job_once_per_schedule_period",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_job_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scope_label}"

    @property
    def is_dossier(self) -> bool:
        return self.kind == ReportKind.DOSSIER

    @property
    def project_id(self) -> int | None:
        """The project a dossier is about (None for the other reports)."""
        value = self.parameters.get("project_id")
        return int(value) if self.is_dossier and value else None

    @property
    def project_code(self) -> str:
        """Kept in the parameters when asked for, so lists need no query."""
        return str(self.parameters.get("project_code") or "")

    @property
    def scope_label(self) -> str:
        """What the report covers: a period, or a dossier's project."""
        if self.is_dossier:
            return self.project_code
        return self.period_label

    @property
    def period_code(self) -> str:
        return str(self.parameters.get("period", ""))

    @property
    def period(self) -> Period:
        return Period.parse(self.period_code)

    @property
    def period_label(self) -> str:
        try:
            return self.period.label
        except Exception:
            return self.period_code

    @property
    def source(self) -> str:
        return str(self.parameters.get("source") or "")

    @property
    def source_label(self) -> str:
        if self.source in Source.values:
            return str(Source(self.source).label)
        return ""

    @property
    def formats(self) -> list[str]:
        offered = formats_of(self.kind)
        wanted = self.parameters.get("formats") or offered
        return [f for f in offered if f in wanted]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def waiting_for_broker(self) -> bool:
        """Asked for while the broker was down: not yet sent to the workers."""
        return self.status == self.Status.QUEUED and self.enqueued_at is None

    @property
    def last_sign_of_life(self) -> dt.datetime | None:
        return self.heartbeat_at or self.started_at

    @property
    def is_stale(self) -> bool:
        """Running, but its worker has not shown a sign of life for a while:
        the requeue beat task will send it again."""
        last = self.last_sign_of_life
        if self.status != self.Status.RUNNING or last is None:
            return False
        stale_after = dt.timedelta(seconds=settings.KC_REPORT_STALE_SECONDS)
        return last < timezone.now() - stale_after

    def file_for(self, fmt: str) -> models.fields.files.FieldFile | None:
        field = {
            ReportFormat.XLSX: self.xlsx_file,
            ReportFormat.PDF: self.pdf_file,
            ReportFormat.ZIP: self.zip_file,
        }
        found = field.get(fmt)
        return found if found else None

    def download_name(self, fmt: str) -> str:
        """A readable, ASCII file name: bao-cao-establishments-2018-Q3.xlsx,
        ho-so-de-an-KCDP-2026-001-7.zip."""
        if self.is_dossier:
            return f"ho-so-de-an-{ascii_name(self.project_code)}-{self.pk}.{fmt}"
        period = self.period_code or "all"
        return f"bao-cao-{self.kind}-{period}-{self.pk}.{fmt}"


class ReportSchedule(models.Model):
    """A report produced by itself every period (Celery beat), kept in history.

    Recipients are the managers (Lãnh đạo) with an e-mail address.
    """

    kind = models.CharField(_("report"), max_length=30, choices=ReportKind.choices)
    frequency = models.CharField(
        _("frequency"), max_length=12, choices=Frequency.choices
    )
    source = models.CharField(
        _("funding source"),
        max_length=4,
        choices=Source.choices,
        blank=True,
        help_text=_("Empty for both sources."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "frequency"]
        verbose_name = _("report schedule")
        verbose_name_plural = _("report schedules")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "frequency", "source"],
                name="report_schedule_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_frequency_display()}"
