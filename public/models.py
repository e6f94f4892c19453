"""What the public page leaves out: an administrator's decision, with its reason.

A project is published once approved (publication.PUBLISHED_STATUSES); a
withholding hides the whole project or one of its published fields from the
page, its downloads and the API's public figures. Each decision is a row with
who and why, kept in the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import Project


class WithheldField(models.TextChoices):
    PROJECT = "project", _("The whole project")
    TITLE = "title", _("Title")
    BENEFICIARIES = "beneficiaries", _("Beneficiaries")
    COMMUNE = "commune", _("Place (commune / ward)")
    SUPPORT = "support", _("Approved support")
    RESULTS = "results", _("Results at acceptance")


class Withholding(models.Model):
    """One project, or one field of it, kept off the public page."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="withholdings",
        verbose_name=_("project"),
    )
    field = models.CharField(
        _("what is withheld"), max_length=20, choices=WithheldField.choices
    )
    reason = models.TextField(
        _("reason"), help_text=_("Why this is not published (kept for the record).")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "field"]
        verbose_name = _("withheld from publication")
        verbose_name_plural = _("withheld from publication")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "field"], name="withholding_once_per_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.get_field_display()}"
