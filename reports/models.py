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
from simple_history.models import HistoricalRecords

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
    FOLLOW_UP = "followup", _("Follow-up after support")


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel")
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word")
    ZIP = "zip", _("ZIP archive")


def formats_of(kind: str) -> tuple[str, ...]:
    """The files a kind of report produces, in the order they are made: its
    exporter says (reports.exporters.base.Exporter.formats)."""
    from .exporters import get_exporter

    exporter = get_exporter(kind)
    return tuple(exporter.formats) if exporter else ()


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


class MoneyUnit(models.TextChoices):
    """The unit line of a report ("Đơn vị tính"), chosen per request."""

    DONG = "dong", _("đồng")
    MILLION = "million", _("million đồng")


class ReportJobQuerySet(models.QuerySet):
    def for_history(self) -> ReportJobQuerySet:
        return self.select_related(
            "requested_by", "schedule", "register_entry"
        ).order_by("-created_at")


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
    docx_file = models.FileField(_("Word file"), max_length=200, blank=True)
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

    # In the audit trail like every other write: who asked for which report
    # (pages, API, schedules). The worker's writes (status, progress, files)
    # are queryset updates, outside it: a job's run is on its own page.
    history = HistoricalRecords(excluded_fields=["progress", "heartbeat_at", "token"])

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
    def project_id(self) -> int | None:
        """The one project a report is about (a dossier), else None. A job
        with a project is shown only to those who may see that project."""
        value = self.parameters.get("project_id")
        return int(value) if value else None

    @property
    def is_dossier(self) -> bool:
        """About one project (kept for the templates: the project's link)."""
        return self.project_id is not None

    @property
    def project_code(self) -> str:
        """Kept in the parameters when asked for, so lists need no query."""
        return str(self.parameters.get("project_code") or "")

    @property
    def scope_label(self) -> str:
        """What the report covers: a period, or a project."""
        if self.project_id is not None:
            return self.project_code
        return self.period_label

    @property
    def unit(self) -> str:
        """The money unit the request chose (MoneyUnit), đồng by default."""
        value = str(self.parameters.get("unit") or "")
        return value if value in MoneyUnit.values else MoneyUnit.DONG

    @property
    def issued_entry(self) -> RegisterEntry | None:
        """The register's entry once someone issued the report, else None
        (the files are then drafts, marked "Dự thảo")."""
        try:
            return self.register_entry
        except RegisterEntry.DoesNotExist:
            return None

    @property
    def is_issued(self) -> bool:
        return self.issued_entry is not None

    @property
    def can_be_issued(self) -> bool:
        return self.status == self.Status.DONE and not self.is_issued

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
        if fmt not in ReportFormat.values:
            return None
        found = getattr(self, f"{fmt}_file")
        return found if found else None

    def download_name(self, fmt: str) -> str:
        """A readable file name in Vietnamese without spaces or accents:
        bao-cao-tien-do_2018-H1_KCQG.xlsx, ho-so-de-an_KCDP-2026-001.zip;
        a draft says so (..._du-thao-7.pdf), an issued one carries its number."""
        from .exporters import get_exporter

        exporter = get_exporter(self.kind)
        stem = exporter.file_stem if exporter else ascii_name(self.kind).lower()
        if self.project_id is not None:
            parts = [stem, ascii_name(self.project_code)]
        else:
            parts = [stem, ascii_name(self.period_code or "all")]
            if self.source:
                parts.append(ascii_name(self.source))
        entry = self.issued_entry
        if entry is not None:
            parts.append(f"so-{entry.number}-{entry.year}")
        else:
            parts.append(f"du-thao-{self.pk}")
        return "_".join(parts) + f".{fmt}"


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


# --- the centre's document register ----------------------------------------------


class DocumentSeries(models.TextChoices):
    """The series of the register: each has its own symbol and numbering."""

    REPORT = "report", _("Reports")
    DOSSIER = "dossier", _("Project dossiers")
    MINUTES = "minutes", _("Council minutes")


class OfficialSettings(models.Model):
    """What the centre prints on its documents, editable by the administrator:
    the register's symbols, the signature block and the recipients.

    One row (pk 1); `OfficialSettings.current()` makes it from the settings
    (ORGANISATION_*) the first time. Names are left empty until someone types
    them: the portal never invents a signer.
    """

    report_symbol = models.CharField(
        _("symbol of reports"),
        max_length=30,
        default="BC-TTKC",
        help_text=_('Printed after the number: "12/BC-TTKC".'),
    )
    dossier_symbol = models.CharField(
        _("symbol of project dossiers"), max_length=30, default="HS-TTKC"
    )
    minutes_symbol = models.CharField(
        _("symbol of council minutes"), max_length=30, default="BB-TTKC"
    )
    preparer_title = models.CharField(
        _("title of the preparer"), max_length=100, default="NGƯỜI LẬP BIỂU"
    )
    preparer_name = models.CharField(
        _("name of the preparer"), max_length=100, blank=True
    )
    signer_title = models.CharField(
        _("title of the signer"), max_length=100, default="GIÁM ĐỐC"
    )
    signer_name = models.CharField(_("name of the signer"), max_length=100, blank=True)
    recipients = models.TextField(
        _("recipients"),
        default="Sở Công Thương (để báo cáo);\nLưu: VT.",
        help_text=_('The "Nơi nhận" lines, one a line.'),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("official document settings")
        verbose_name_plural = _("official document settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> OfficialSettings:
        row = cls.objects.filter(pk=1).first()
        return row if row is not None else cls.objects.get_or_create(pk=1)[0]

    def symbol_of(self, series: str) -> str:
        # Papers drafted from a project's record carry no register symbol of
        # the centre's: their number is given by whoever signs them.
        return {
            DocumentSeries.REPORT: self.report_symbol,
            DocumentSeries.DOSSIER: self.dossier_symbol,
            DocumentSeries.MINUTES: self.minutes_symbol,
        }.get(series, "")

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class RegisterEntry(models.Model):
    """One number of the centre's yearly register ("12/BC-TTKC" of 2026).

    Given when a person issues a finished report (reports.services.report_issue),
    under a row lock; the database holds (year, symbol, number) unique.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    series = models.CharField(
        _("series"), max_length=10, choices=DocumentSeries.choices
    )
    symbol = models.CharField(_("symbol"), max_length=30)
    number = models.PositiveIntegerField(_("number"))
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="register_entries",
        verbose_name=_("issued by"),
    )
    job = models.OneToOneField(
        ReportJob,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="register_entry",
        verbose_name=_("report"),
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "symbol", "-number"]
        verbose_name = _("register entry")
        verbose_name_plural = _("document register")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "symbol", "number"], name="register_entry_unique_number"
            )
        ]
        indexes = [
            models.Index(fields=["year", "series"], name="register_entry_year_idx")
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """What the document prints after "Số:": "12/BC-TTKC"."""
        return f"{self.number}/{self.symbol}"


def _template_upload(instance: DocumentTemplate, filename: str) -> str:
    return f"document-templates/{instance.key}-{uuid.uuid4().hex}.docx"


class DocumentTemplate(models.Model):
    """A Word template uploaded by the administrator, used instead of the one
    shipped in reports/docx_templates/ under the same key."""

    key = models.CharField(_("document"), max_length=40, unique=True)
    file = models.FileField(_("Word template (.docx)"), upload_to=_template_upload)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("Word template")
        verbose_name_plural = _("Word templates")

    def __str__(self) -> str:
        return self.key
