"""The daily run (beat): first the day's deadline reminders, then each user
at most one summary e-mail per day."""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from enterprises.roles import Role
from projects.models import RUNNING_STATUSES, Inspection, Project

from .models import Notification, NotificationKind, NotificationPreference
from .sending import _RETRY, _absolute, email_wanted, notify, users_with_role


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
    made += _settlement_reminders(today, staff)
    return made


def _settlement_reminders(today: dt.date, staff: list) -> int:
    """Settlements past their deadline (projects/models/deadlines.py): the
    drafter (or every staff member) and the managers are told once per
    project and due date."""
    made = 0
    managers = list(users_with_role(Role.MANAGER))
    for project in Project.objects.settlement_overdue(today).select_related(
        "created_by"
    ):
        users = [project.created_by] if project.created_by in staff else staff
        due = project.settlement_due_on
        made += len(
            notify(
                users=[*users, *managers],
                kind=NotificationKind.SETTLEMENT_OVERDUE,
                title=gettext(
                    "Settlement of project %(code)s is overdue (due %(date)s)"
                )
                % {"code": project.code, "date": date_format(due, "SHORT_DATE_FORMAT")},
                body=project.title,
                link=project.get_absolute_url(),
                email=False,
                key=f"settlement:{project.pk}:{due.isoformat()}",
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
                "notifications/email_digest.txt",
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


@shared_task(name="notifications.daily_digest", **_RETRY)
def daily_digest() -> int:
    return digest_send(today=timezone.localdate())
