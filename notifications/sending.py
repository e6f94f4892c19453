"""Telling people: `notify(...)` writes one inbox row per user and, after the
commit, a task e-mails those who want e-mail.

Any app above `projects` tells people something with `notify(...)`; the
lifecycle listener is registered with projects.services by this app's config.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

# users_with_role is also read from here (applicants, followups, reports).
from enterprises.roles import Role, users_with_role
from projects.lifecycle import ROUTED_ACTIONS

from .inbox import inbox_changed
from .models import Notification, NotificationKind, NotificationPreference

logger = logging.getLogger(__name__)

# The ordinary task sends a notice within seconds; the outbox leaves it that
# long before sending it itself, and sends at most this many per run.
OUTBOX_GRACE = dt.timedelta(minutes=2)
OUTBOX_BATCH = 500

# --- who ----------------------------------------------------------------------


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
    wanted = {u.pk for u in email_wanted(users)} if email else set()
    rows = [
        Notification(
            user=u,
            kind=kind,
            title=title[:255],
            body=body,
            link=link,
            key=key,
            email_due=u.pk in wanted,
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
    # Bulk writes send no post_save: the new notices' users' counts move.
    inbox_changed(*(u.pk for u in users))
    ids = [n.pk for n in made if n.user_id in wanted]
    if ids:
        transaction.on_commit(lambda: notification_enqueue_emails(ids=ids))
    return made


def notification_enqueue_emails(*, ids: list[int]) -> bool:
    """Hand the e-mails of these notices to a worker; False when the broker
    cannot be reached.

    Runs after the commit of whatever made the notices: a broker that is down
    must not turn that committed action into an error page. The notices stay
    due and the outbox task sends them once the broker is back.
    """
    try:
        send_notification_emails.apply_async(
            args=[ids],
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 1},
        )
    except Exception as exc:  # kombu and redis raise many kinds
        logger.warning("notices %s wait for the outbox: %s", ids, exc)
        return False
    return True


def notification_send_due(*, now: dt.datetime | None = None) -> int:
    """The outbox: e-mail the notices still due a while after they were made
    (their task never reached a worker, or failed); returns how many went out.

    Safe beside the ordinary task: each notice is claimed before it is sent.
    """
    now = now or timezone.now()
    due = Notification.objects.filter(
        email_due=True,
        emailed_at__isnull=True,
        created__lt=now - OUTBOX_GRACE,
    ).values_list("pk", flat=True)
    return notification_send_emails(ids=list(due[:OUTBOX_BATCH]))


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
                "notifications/email_notification.txt",
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
        # The level it came from (the Sở, the province, the ministry).
        last = project.transitions.order_by("-at", "-pk").first()
        body = last.body if last and last.action == "return" else ""
        title = gettext("Project %(code)s was returned for changes") % params
        notify(
            users=_drafters(project),
            kind=NotificationKind.RETURNED,
            title=f"{title} ({body})" if body else title,
            body=comment,
            link=link,
        )
    elif action in ("approve", "record_decision", "reject"):
        title = (
            gettext("Project %(code)s was rejected")
            if action == "reject"
            else gettext("Project %(code)s was approved: sign the contract")
        )
        notify(
            users=_drafters(project),
            kind=NotificationKind.DECIDED,
            title=title % params,
            body=comment,
            link=link,
        )
    elif action in ROUTED_ACTIONS:
        # A review step taken: the reviewers take the next one.
        notify(
            users=users_with_role(Role.REVIEWER),
            kind=NotificationKind.REVIEW_STEP,
            title=gettext("Project %(code)s is now “%(status)s”")
            % {**params, "status": project.get_status_display()},
            body=comment,
            link=link,
        )
    elif action == "withdraw":
        notify(
            users=users_with_role(Role.REVIEWER),
            kind=NotificationKind.WITHDRAWN,
            title=gettext("Project %(code)s was withdrawn by its author") % params,
            body=comment,
            link=link,
        )


def _drafters(project: Any) -> list:
    """The drafter if still on the staff; otherwise the whole staff."""
    drafter = project.created_by
    staff = users_with_role(Role.STAFF)
    return [drafter] if staff.filter(pk=drafter.pk).exists() else list(staff)


# --- tasks ---------------------------------------------------------------------

# A mail server that is down is retried; what was sent is never sent again.
_RETRY = {
    "ignore_result": True,
    "autoretry_for": (OSError, smtplib.SMTPException),
    "retry_backoff": 60,
    "max_retries": 5,
}


@shared_task(name="notifications.send_notification_emails", **_RETRY)
def send_notification_emails(ids: list[int]) -> int:
    return notification_send_emails(ids=ids)


@shared_task(name="notifications.send_due", **_RETRY)
def send_due() -> int:
    return notification_send_due()
