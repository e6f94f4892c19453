"""The inbox: what is unread, marking items read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from .models import Notification


def notification_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of a user's unread items read; returns how many."""
    items = Notification.objects.for_user(user).unread()
    if ids is not None:
        items = items.filter(pk__in=list(ids))
    return items.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    """The number shown beside "Notifications" in the navigation."""
    return Notification.objects.for_user(user).unread().count()
