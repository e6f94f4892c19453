"""The data version: one number in the shared cache, bumped on commit of
every write to projects, their money, plans and the registry (the signals
connected in projects.apps). Whatever is cached from those tables — the
dashboard's board, the public page's fragments, the project list's count and
totals — is keyed by it, so one write retires all of it at once and nothing
is served stale by age. The names the project list shows and filters by
(programmes, activity contents, communes) move it too: its cached page
writes them."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

VERSION_KEY = "kc:dashboard:version"


def _first_version() -> int:
    # From the clock, not 1, so that a cache emptied and restarted never
    # meets what a process keeps of an earlier version (the public page's
    # finished bytes, public.page_cache).
    return time.time_ns() // 1000


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _first_version(), None)
        version = cache.get(VERSION_KEY, 0)
    return int(version)


def data_changed() -> None:
    """Retire everything cached under the current version (called on commit
    of a write it reads)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or the cache was cleared)
        cache.add(VERSION_KEY, _first_version(), None)
    except Exception:
        logger.warning("Could not retire the cached figures", exc_info=True)


# The version of the names the list filters offer (programmes, activity
# contents, communes): their selects are drawn once per process under it
# (projects.filters.ReferenceSelect). It starts from the clock too
# (_first_version): a process's old drawings are never met again.
REFERENCE_KEY = "kc:projects:reference-version"


def reference_version() -> int:
    version = cache.get(REFERENCE_KEY)
    if version is None:
        cache.add(REFERENCE_KEY, _first_version(), None)
        version = cache.get(REFERENCE_KEY, 0)
    return int(version)


def reference_changed() -> None:
    try:
        cache.incr(REFERENCE_KEY)
    except ValueError:  # no version yet: nothing drawn under it
        pass
    except Exception:
        logger.warning("Could not retire the drawn filters", exc_info=True)


def changed_names(**kwargs) -> None:
    """A signal receiver for the named reference rows: both versions move."""
    from django.db import transaction

    transaction.on_commit(data_changed)
    transaction.on_commit(reference_changed)


def changed(**kwargs) -> None:
    """A signal receiver: the data version moves on when the write commits."""
    from django.db import transaction

    transaction.on_commit(data_changed)


def watch_models(*models) -> None:
    """Retire the cached figures on every save and delete of `models` (apps
    above projects whose data the dashboard reads call this in `ready`)."""
    from django.db.models.signals import post_delete, post_save

    for model in models:
        post_save.connect(changed, sender=model, weak=False)
        post_delete.connect(changed, sender=model, weak=False)


def watch() -> None:
    """Connect the writes that change the data version (once, at startup).
    Signals rather than a call in each service: the services need not know
    what is cached, and this is cache bookkeeping, not a business rule."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from enterprises.admin_units import units_loaded
    from enterprises.models import Commune, Establishment

    from .models import (
        Acceptance,
        ActivityContent,
        CarryForward,
        Disbursement,
        Plan,
        Programme,
        Project,
        ProjectFunding,
    )

    for model in (Programme, ActivityContent, Commune):
        post_save.connect(changed_names, sender=model, weak=False)
        post_delete.connect(changed_names, sender=model, weak=False)
    watch_models(
        Plan,
        Project,
        ProjectFunding,
        Disbursement,
        CarryForward,
        Acceptance,
        Establishment,
    )
    m2m_changed.connect(changed, sender=Project.beneficiaries.through, weak=False)
    # The official units' loader writes communes in bulk (no post_save).
    units_loaded.connect(changed_names, weak=False)
