"""Reminders: an in-app inbox per user, e-mail, and a daily digest.

Any app above `projects` tells people something with `notify(...)`: it writes
one inbox row per user and, after the commit, a task e-mails those who want
e-mail. The daily digest (beat) first records the day's deadline reminders,
then sends each user at most one summary e-mail per day.

Imported by reports/models.py so that Django sees the models.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Iterable
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enterprises.roles import GROUP_NAMES, Role
from projects.models import RUNNING_STATUSES, Inspection, Project


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("Project submitted")
    RETURNED = "returned", _("Project returned")
    ENDING_SOON = "ending_soon", _("End date approaching")
    INSPECTION_DUE = "inspection_due", _("Inspection due")
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
    kind = models.CharField(
        _("kind"), max_length=20, choices=NotificationKind.choices, db_index=True
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # Reminders made by the daily run carry a key (e.g. "ending:12:2026-11-30")
    # so that running it again never makes a second copy.
    key = models.CharField(max_length=100, blank=True, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

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
        indexes = [models.Index(fields=["user", "read_at"])]

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


# --- who ----------------------------------------------------------------------


def users_with_role(*roles: str) -> models.QuerySet:
    """Active users holding any of `roles` through their group."""
    names = [GROUP_NAMES[r] for r in roles]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=names)
        .distinct()
        .order_by("pk")
    )


def email_wanted(users: Iterable[Any]) -> list[Any]:
    """Those of `users` with an address who have not turned e-mail off."""
    users = [u for u in users if u.email]
    off = set(
        NotificationPreference.objects.filter(
            user__in=users, email_enabled=False
        ).values_list("user_id", flat=True)
    )
    return [u for u in users if u.pk not in off]


def _absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    # SITE_URL is set where workers send mail (no request to build it from).
    return getattr(settings, "SITE_URL", "").rstrip("/") + link


# --- telling people -----------------------------------------------------------


def notify(
    *,
    users: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    email: bool = True,
    key: str = "",
) -> list[Notification]:
    """Put an item in each user's inbox; e-mail it after the commit.

    With `key`, a user who already has an item with that key gets nothing new
    (for reminders made by a periodic run).
    """
    users = list({u.pk: u for u in users}.values())
    if key:
        have = set(
            Notification.objects.filter(user__in=users, key=key).values_list(
                "user_id", flat=True
            )
        )
        users = [u for u in users if u.pk not in have]
    if not users:
        return []
    rows = [
        Notification(
            user=u, kind=kind, title=title[:255], body=body, link=link, key=key
        )
        for u in users
    ]
    if key:
        # Two simultaneous runs must not fail on the key; ignore_conflicts
        # leaves pks unset, so read back what exists now.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        made = list(Notification.objects.filter(user__in=users, key=key))
    else:
        made = Notification.objects.bulk_create(rows)
    if email:
        wanted = {u.pk for u in email_wanted(users)}
        ids = [n.pk for n in made if n.user_id in wanted]
        if ids:
            transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return made


def notification_send_emails(*, ids: list[int]) -> int:
    """E-mail each notification once; returns how many went out."""
    sent = 0
    for item in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True):
        # Claim the row first, so a task delivered twice sends it once.
        claimed = Notification.objects.filter(
            pk=item.pk, emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
        if not claimed or not email_wanted([item.user]):
            continue
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "reports/dashboard/email_notification.txt",
                {"item": item, "url": _absolute(item.link)},
            )
        try:
            send_mail(
                subject=item.title,
                message=body,
                from_email=None,
                recipient_list=[item.user.email],
            )
        except (OSError, smtplib.SMTPException):
            # Give the claim back so that the retried task sends it.
            Notification.objects.filter(pk=item.pk).update(emailed_at=None)
            raise
        sent += 1
    return sent


def notification_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of a user's unread items read; returns how many."""
    items = Notification.objects.for_user(user).unread()
    if ids is not None:
        items = items.filter(pk__in=list(ids))
    return items.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    """The number shown beside "Notifications" in the navigation."""
    return Notification.objects.for_user(user).unread().count()


# --- lifecycle events -----------------------------------------------------------


def on_project_transition(*, project: Any, action: str, by: Any, comment: str) -> None:
    """Tell the people who must act next; registered with projects.services."""
    link = project.get_absolute_url()
    params = {"code": project.code, "title": project.title}
    if action in ("submit", "resubmit"):
        notify(
            users=users_with_role(Role.REVIEWER),
            kind=NotificationKind.SUBMITTED,
            title=gettext("Project %(code)s was submitted for appraisal") % params,
            body=project.title,
            link=link,
        )
    elif action == "return":
        drafter = project.created_by
        staff = users_with_role(Role.STAFF)
        # The drafter if still on the staff; otherwise the whole staff.
        users = [drafter] if staff.filter(pk=drafter.pk).exists() else list(staff)
        notify(
            users=users,
            kind=NotificationKind.RETURNED,
            title=gettext("Project %(code)s was returned for changes") % params,
            body=comment,
            link=link,
        )


# --- the daily run ---------------------------------------------------------------


def reminders_create(*, today: dt.date) -> int:
    """Deadline reminders of the day (end dates and inspections coming up or
    passed), each made once per user and deadline."""
    made = 0
    days = settings.KC_REMINDER_DAYS_BEFORE_END
    staff = list(users_with_role(Role.STAFF))
    for project in Project.objects.ending_within(days, today).select_related(
        "created_by"
    ):
        users = [project.created_by] if project.created_by in staff else staff
        made += len(
            notify(
                users=users,
                kind=NotificationKind.ENDING_SOON,
                title=gettext("Project %(code)s ends on %(date)s")
                % {
                    "code": project.code,
                    "date": date_format(project.end_date, "SHORT_DATE_FORMAT"),
                },
                body=project.title,
                link=project.get_absolute_url(),
                # The digest carries it; no separate e-mail for a reminder.
                email=False,
                key=f"ending:{project.pk}:{project.end_date.isoformat()}",
            )
        )
    soon = today + dt.timedelta(days=settings.KC_REMINDER_DAYS_BEFORE_INSPECTION)
    inspections = (
        Inspection.objects.planned()
        .filter(planned_date__lte=soon, project__status__in=RUNNING_STATUSES)
        .select_related("project__created_by")
    )
    for inspection in inspections:
        project = inspection.project
        users = [project.created_by] if project.created_by in staff else staff
        made += len(
            notify(
                users=users,
                kind=NotificationKind.INSPECTION_DUE,
                title=gettext("Inspection of project %(code)s planned for %(date)s")
                % {
                    "code": project.code,
                    "date": date_format(inspection.planned_date, "SHORT_DATE_FORMAT"),
                },
                body=project.title,
                link=project.get_absolute_url(),
                email=False,
                key=f"inspection:{inspection.pk}:{inspection.planned_date.isoformat()}",
            )
        )
    return made


DIGEST_MAX_ITEMS = 50


def digest_send(*, today: dt.date) -> int:
    """Send each user with unread items one summary e-mail today; at most once.

    Returns how many e-mails went out. Running it again the same day sends
    nothing new: the user's preference row is claimed for the day first.
    """
    reminders_create(today=today)
    User = get_user_model()
    unread = User.objects.filter(
        is_active=True,
        pk__in=Notification.objects.unread().values("user_id"),
    )
    # Staff and reviewers also hear about their to-do list (projects waiting
    # for them) even when their inbox is read.
    acting = [
        u
        for u in users_with_role(Role.STAFF, Role.REVIEWER)
        if Project.objects.todo_for(u, today).exists()
    ]
    candidates = email_wanted({u.pk: u for u in [*unread, *acting]}.values())
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=u) for u in candidates], ignore_conflicts=True
    )
    previous = dict(
        NotificationPreference.objects.filter(user__in=candidates).values_list(
            "user_id", "last_digest_on"
        )
    )
    sent = 0
    for user in candidates:
        claimed = (
            NotificationPreference.objects.filter(user=user, email_enabled=True)
            .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today))
            .update(last_digest_on=today)
        )
        if not claimed:
            continue
        unread_items = Notification.objects.for_user(user).unread()
        items = list(unread_items[:DIGEST_MAX_ITEMS])
        total = unread_items.count()
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(
                "reports/dashboard/email_digest.txt",
                {
                    "user": user,
                    "items": [(n, _absolute(n.link)) for n in items],
                    "total": total,
                    "todo": Project.objects.todo_for(user, today).count(),
                    "inbox": _absolute(reverse("dashboard:inbox")),
                    "today": today,
                },
            )
            subject = gettext("Daily digest of %(date)s") % {
                "date": date_format(today, "SHORT_DATE_FORMAT")
            }
        try:
            send_mail(
                subject=subject,
                message=body,
                from_email=None,
                recipient_list=[user.email],
            )
        except (OSError, smtplib.SMTPException):
            # Give the day back so that the retried task sends this digest;
            # those already sent stay claimed and are not sent twice.
            NotificationPreference.objects.filter(user=user).update(
                last_digest_on=previous.get(user.pk)
            )
            raise
        sent += 1
    return sent


# --- tasks ------------------------------------------------------------------------
# Here rather than in tasks.py so the reports branch's module stays its own;
# Celery registers them because reports.models imports this module.


# A mail server that is down is retried; what was sent is never sent again.
_RETRY = {
    "ignore_result": True,
    "autoretry_for": (OSError, smtplib.SMTPException),
    "retry_backoff": 60,
    "max_retries": 5,
}


@shared_task(name="reports.send_notification_emails", **_RETRY)
def send_notification_emails(ids: list[int]) -> int:
    return notification_send_emails(ids=ids)


@shared_task(name="reports.daily_digest", **_RETRY)
def daily_digest() -> int:
    return digest_send(today=timezone.localdate())
