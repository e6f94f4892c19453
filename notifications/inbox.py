"""The inbox: what is unread, marking items read."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def notification_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of a user's unread items read; returns how many."""
    items = Notification.objects.for_user(user).unread()
    if ids is not None:
        items = items.filter(pk__in=list(ids))
    marked = items.update(read_at=timezone.now())
    inbox_changed(user.pk)
    return marked


def unread_count(user: Any) -> int:
    """The number shown beside "Notifications" in the navigation: on every
    page, so kept in the cache under the version of the user's inbox, which
    every write to it moves on commit (`inbox_changed`). A count computed
    while a write commits is stored under the version read before it, which
    the write has retired: it is never served."""

    def compute() -> int:
        return Notification.objects.for_user(user).unread().count()

    seconds = int(getattr(settings, "KC_INBOX_CACHE_SECONDS", 0))
    if seconds <= 0:
        return compute()
    version_key = f"kc:inbox:version:{user.pk}"
    try:
        version = cache.get(version_key)
        if version is None:
            cache.add(version_key, 1, None)
            version = cache.get(version_key, 1)
        key = f"kc:inbox:unread:{user.pk}:{version}"
        count = cache.get(key)
    except Exception:
        logger.warning("Inbox cache unavailable", exc_info=True)
        return compute()
    if count is None:
        count = compute()
        try:
            cache.set(key, count, seconds)
        except Exception:
            logger.warning("Inbox cache unavailable", exc_info=True)
    return count


def inbox_changed(*user_ids: int) -> None:
    """Retire these users' cached unread counts once the write commits."""

    def retire() -> None:
        for user_id in set(user_ids):
            key = f"kc:inbox:version:{user_id}"
            try:
                cache.incr(key)
            except ValueError:  # no version yet: nothing cached
                pass
            except Exception:
                logger.warning("Inbox cache unavailable", exc_info=True)

    transaction.on_commit(retire)


def notification_saved(sender: Any, instance: Notification, **kwargs: Any) -> None:
    """post_save and post_delete of one notice (the admin, deletions by
    cascade): its user's count moves."""
    inbox_changed(instance.user_id)
