"""Notifications: one inbox row per user and item, and each user's e-mail
preference. Writing them goes through notifications.sending.notify."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("Project submitted")
    RETURNED = "returned", _("Project returned")
    REVIEW_STEP = "review_step", _("Review step taken")
    DECIDED = "decided", _("Project approved or rejected")
    WITHDRAWN = "withdrawn", _("Project withdrawn")
    ENDING_SOON = "ending_soon", _("End date approaching")
    INSPECTION_DUE = "inspection_due", _("Inspection due")
    SETTLEMENT_OVERDUE = "settlement_overdue", _("Settlement overdue")
    REPORT_READY = "report_ready", _("Report ready")
    OTHER = "other", _("Other")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_user(self, user: Any) -> NotificationQuerySet:
        return self.filter(user=user)


class Notification(models.Model):
    """One item in one user's inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # Reminders made by the daily run carry a key (e.g. "ending:12:2026-11-30")
    # so that running it again never makes a second copy.
    key = models.CharField(max_length=100, blank=True, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # To be e-mailed (the user wants e-mail and the notice is one to send):
    # while emailed_at is empty, the outbox task (beat) sends it, so a broker
    # that was down when the notice was made delays the e-mail, never loses it.
    email_due = models.BooleanField(_("e-mail due"), default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~Q(key=""),
                name="notification_key_once_per_user",
            )
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["kind"], name="notification_kind_idx"),
            models.Index(fields=["created"], name="notification_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice about e-mail, and the last day a digest went out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_enabled = models.BooleanField(
        _("send me e-mail"),
        default=True,
        help_text=_(
            "Notices and the daily digest by e-mail; the inbox keeps everything "
            "either way."
        ),
    )
    last_digest_on = models.DateField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)
