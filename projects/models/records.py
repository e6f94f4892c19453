"""What a project's life leaves behind: its timeline (one Transition per
lifecycle step), the adjustments asked and decided, and its documents."""

from __future__ import annotations

import datetime as dt
import os
import uuid

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from enterprises.models import Commune, Establishment

from .. import attachments
from .choices import (
    Status,
    _money,
)
from .projects import Project
from .rules import ActivityContent


class Transition(models.Model):
    """One step of a project's timeline: who moved it where, when and why."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("project"),
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(
        _("from"), max_length=20, choices=Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    # The body at whose level the step was taken, as named then (a return
    # from the ministry's appraisal reads "Bộ Công Thương").
    body = models.CharField(_("level"), max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            # A project's status on a day (reports.queries.status_at): its
            # last step by then, newest first, read without a sort.
            models.Index(
                fields=["project", "-at", "-id"], name="transition_project_at_idx"
            ),
        ]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.action} {self.from_status}→{self.to_status}"

    @property
    def action_label(self) -> str:
        from ..lifecycle import action_label

        return action_label(self.action)


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Adjustment(models.Model):
    """A change to a running project (điều chỉnh), asked by staff and decided
    by a reviewer; the values before and after are kept as they were."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="adjustments",
        verbose_name=_("project"),
    )
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AdjustmentStatus.choices,
        default=AdjustmentStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    # The decision (điều chỉnh) that approved it; none for a refused request.
    decision = models.ForeignKey(
        "projects.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision"),
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [
            # At most one open request per project, so a decision is unambiguous.
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status="pending"),
                name="adjustment_one_pending_per_project",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.get_status_display()}"

    def changes(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) in words, for the detail page."""
        communes = set()
        establishments = set()
        for values in (self.before, self.after):
            if values.get("commune"):
                communes.add(values["commune"])
            establishments.update(values.get("beneficiaries") or [])
        commune_names = dict(
            Commune.objects.filter(pk__in=communes).values_list("pk", "name")
        )
        establishment_names = dict(
            Establishment.objects.filter(pk__in=establishments).values_list(
                "pk", "name"
            )
        )

        def words(field: str, value) -> str:
            if value in (None, "", []):
                return "—"
            if field == "approved":
                return "; ".join(
                    f"{source}: {_money(amount)}"
                    for source, amount in sorted(value.items())
                )
            if field == "content":
                return str(ActivityContent.objects.filter(pk=value).first() or value)
            if field == "commune":
                return commune_names.get(value, str(value))
            if field == "beneficiaries":
                return ", ".join(establishment_names.get(v, str(v)) for v in value)
            if field in ("total_cost", "counterpart", "other_sources"):
                return _money(value)
            if field in ("start_date", "end_date"):
                return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")
            return str(value)

        return [
            (
                str(
                    _("support approved (đồng)")
                    if field == "approved"
                    else Project._meta.get_field(field).verbose_name
                ),
                words(field, self.before.get(field)),
                words(field, value),
            )
            for field, value in self.after.items()
        ]


class AttachmentKind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    DECISION = "decision", _("Decision")
    CONTRACT = "contract", _("Contract")
    MINUTES = "minutes", _("Minutes")
    OTHER = "other", _("Other document")


class StoredFile(models.Model):
    """An uploaded document in private storage, served only through a view
    that checks who asks: the columns a project's attachment and an
    applicant's request document share, and the one way to fill them from an
    upload. A concrete model adds `file` (with its storage path), its kind
    and what it belongs to."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def take(self, upload: UploadedFile) -> None:
        """Fill the columns and the (unsaved) file from `upload` after the
        type and size checks (projects.attachments.check): the stored name is
        random with the sniffed extension, the uploader's name never reaches
        the disk. ValidationError, nothing stored, when refused."""
        file_type = attachments.check(upload)
        self.original_name = os.path.basename(upload.name or "")[:255] or "document"
        self.content_type = file_type.content_type
        self.extension = file_type.extension
        self.size = upload.size
        self.file.save("upload", upload, save=False)


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random stored name: the uploader's file name never reaches the disk,
    # and a path cannot be guessed. The extension comes from the sniffed type.
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(StoredFile):
    """A project document, kept in private storage and served only through a
    permission-checked view."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)

    class Meta(StoredFile.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def get_absolute_url(self) -> str:
        return reverse("projects:attachment", args=[self.project_id, self.pk])
