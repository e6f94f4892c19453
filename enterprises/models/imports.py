"""ImportJob: one uploaded workbook on its way into the registry
(enterprises.importing.jobs runs it).

Like a report job, the row is the whole truth: the page reads it and the
worker updates it, so a restarted broker or a reloaded page loses nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..importing.results import ImportIssue, ImportResult


def import_file_name(job: ImportJob, filename: str) -> str:
    """Private storage, a random name fixed per job: never guessed, and a
    re-delivered task reads the very file the user sent."""
    return f"imports/{job.token.hex}.xlsx"


class ImportJobQuerySet(models.QuerySet):
    def active(self) -> ImportJobQuerySet:
        return self.filter(status__in=ImportJob.ACTIVE)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", pgettext_lazy("import status", "Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    # Errors kept on the row and listed on the page; the rest are counted.
    MAX_ERRORS_KEPT = 200

    token = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    # Deleted once the job has finished: the registry keeps the data, not the file.
    file = models.FileField(
        _("file"), upload_to=import_file_name, max_length=200, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    dry_run = models.BooleanField(_("check only"), default=False)
    # The uploader's language: the errors are written in it.
    language = models.CharField(max_length=10, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    rows_read = models.PositiveIntegerField(_("rows checked"), default=0)
    rows = models.PositiveIntegerField(_("valid rows"), default=0)
    created = models.PositiveIntegerField(_("records created"), default=0)
    updated = models.PositiveIntegerField(_("records updated"), default=0)
    unchanged = models.PositiveIntegerField(_("records unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # The first MAX_ERRORS_KEPT errors: [{"row": 12, "column": "...", "message": "..."}]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_jobs",
        verbose_name=_("requested by"),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    enqueued_at = models.DateTimeField(_("sent to the workers"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # Written on each step of progress and by a thread while the job runs: a
    # running job silent for KC_REPORT_STALE_SECONDS lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("establishment import")
        verbose_name_plural = _("establishment imports")
        constraints = [
            # One import at a time per person: a second upload while the first
            # runs would race it for the same tax codes.
            models.UniqueConstraint(
                fields=["requested_by"],
                condition=Q(status__in=["queued", "running"]),
                name="import_job_one_active_per_user",
            ),
            models.CheckConstraint(
                condition=Q(rows_read__lte=models.F("rows_total")),
                name="import_job_read_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="import_job_status_idx"),
            models.Index(
                fields=["requested_by", "-created_at"], name="import_job_user_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name or str(self.pk)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def writing(self) -> bool:
        """Every row read: the checks against the registry and the writing
        transaction are under way."""
        return (
            self.status == self.Status.RUNNING
            and self.rows_total > 0
            and self.rows_read >= self.rows_total
        )

    @property
    def progress(self) -> int:
        """Percent of the rows checked (writing is the last percent)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_read * 100 // self.rows_total)

    @property
    def last_sign_of_life(self) -> dt.datetime | None:
        return self.heartbeat_at or self.started_at

    @property
    def is_stale(self) -> bool:
        last = self.last_sign_of_life
        if self.status != self.Status.RUNNING or last is None:
            return False
        stale_after = dt.timedelta(seconds=settings.KC_REPORT_STALE_SECONDS)
        return last < timezone.now() - stale_after

    @property
    def result(self) -> ImportResult:
        """The outcome, summarised in the reader's language."""
        return ImportResult(
            dry_run=self.dry_run,
            rows=self.rows,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            errors=self.issues,
        )

    @property
    def issues(self) -> list[ImportIssue]:
        return [
            ImportIssue(
                str(e.get("message", "")), row=e.get("row"), column=e.get("column", "")
            )
            for e in self.errors
        ]

    @property
    def errors_hidden(self) -> int:
        return max(self.error_count - len(self.errors), 0)

    @property
    def ok(self) -> bool:
        """Done: written (or, for a check, found right). A job with errors in
        the file is failed and wrote nothing."""
        return self.status == self.Status.DONE
