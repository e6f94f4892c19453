"""The app's Celery tasks, for autodiscovery: each lives beside the service it
calls (sending enqueues its own task on commit)."""

from .digest import daily_digest
from .sending import send_due, send_notification_emails

__all__ = ["daily_digest", "send_due", "send_notification_emails"]
