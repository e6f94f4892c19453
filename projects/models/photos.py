"""Photos of installed equipment and of inspections, kept private."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
)
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .equipment import EquipmentInvestment
from .execution import Inspection, lock_project, refuse_if_frozen
from .projects import Project
from .refusals import Refused

PHOTO_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]


def validate_photo_size(file: Any) -> None:
    # Read at call time so that the limit can follow the settings.
    limit = getattr(settings, "PHOTO_MAX_BYTES", 5 * 1024 * 1024)
    if file.size > limit:
        raise ValidationError(
            gettext("The photo is larger than %(mb)s MB.")
            % {"mb": round(limit / 1024 / 1024, 1)}
        )


def _photo_path(photo: ExecutionPhoto, filename: str) -> str:
    # A random name: the uploader's file name says nothing we need and could
    # collide or leak; MEDIA_ROOT has no public URL, photos are served by a view.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"execution/{photo.project_id}/{uuid.uuid4().hex}.{extension}"


class ExecutionPhoto(models.Model):
    """A photo of installed equipment or of an inspection, kept private."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("project"),
    )
    equipment = models.ForeignKey(
        EquipmentInvestment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("equipment"),
    )
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("inspection"),
    )
    image = models.ImageField(
        _("photo"),
        upload_to=_photo_path,
        validators=[
            FileExtensionValidator(PHOTO_EXTENSIONS),
            validate_photo_size,
        ],
    )
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            refuse_if_frozen(lock_project(self.project_id))
            for parent in (self.equipment, self.inspection):
                if parent is not None and parent.project_id != self.project_id:
                    raise Refused(
                        gettext("The photo belongs to another project's record.")
                    )
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any):
        with transaction.atomic():
            refuse_if_frozen(lock_project(self.project_id))
            return super().delete(*args, **kwargs)

    def store(self, *, by: Any) -> ExecutionPhoto:
        """The one way the portal writes a photo."""
        self.uploaded_by_id = self.uploaded_by_id or by.pk
        self._history_user = by
        self.save()
        return self
