"""The transition frame: every lifecycle step runs through `_transition`.

Each transition runs in one transaction with the project row locked
(select_for_update), re-reads the state after locking, checks the lifecycle
table, validates, changes the project and writes one timeline entry. A refused
transition raises Refused and changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

from .. import lifecycle
from ..models import Project, Refused, Transition, dates
from ..models.deadlines import settlement_due_on
from ..models.year_ends import store_year_ends

logger = logging.getLogger(__name__)

# --- the transition frame ------------------------------------------------------

# Called after the commit of every transition with project, action, by and
# comment. Apps above `projects` (reports: notifications) register here, so
# that `projects` never imports them.
TRANSITION_LISTENERS: list[Callable[..., None]] = []


def _after_commit(listener: Callable[..., None], **kwargs: Any) -> Callable[[], None]:
    """`listener(**kwargs)`, run after the commit, never raising.

    The transition is committed by then: a notice that fails (a broker that
    cannot be reached, a mail server down) must not turn it into an error page,
    which would invite the user to press again. The failure is logged; the
    notice's e-mail is sent later by the outbox task. (Django's own
    `robust=True` crashed logging a `functools.partial`, which has no
    `__qualname__`.)
    """

    def run() -> None:
        try:
            listener(**kwargs)
        except Exception:
            logger.exception(
                "after-commit listener %s failed", getattr(listener, "__name__", "?")
            )

    return run


def _transition(
    *,
    project: Project,
    by: Any,
    action: str,
    apply: Callable[[Project], str],
) -> Project:
    """Lock, check the table, apply, record. `apply` validates and mutates the
    locked copy and returns the timeline comment; it raises Refused to
    refuse, which rolls everything back."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        locked._history_user = by
        step = lifecycle.check(action, locked, by)
        from_status = locked.status
        # Which body acted: a review step's, or the level a return or a
        # rejection came from.
        body = (
            lifecycle.level(locked)
            if step.routed or action in lifecycle.AT_LEVEL
            else ""
        )
        # Dates follow the paper trail: a step is refused for any date rule
        # it breaks that the record did not already break.
        before = dates.date_problems(locked)
        comment = apply(locked)
        dates.refuse(dates.added_problems(locked, before))
        # The settlement deadline follows the acceptance date (deadlines.py).
        locked.settlement_due_on = settlement_due_on(locked)
        locked.status = step.target or from_status
        locked.save()
        Transition.objects.create(
            project=locked,
            action=action,
            from_status=from_status,
            to_status=locked.status,
            actor=by,
            comment=comment,
            body=body,
        )
        # The statuses at year end follow the timeline and its paper dates.
        store_year_ends([locked.pk])
        for listener in TRANSITION_LISTENERS:
            transaction.on_commit(
                _after_commit(
                    listener, project=locked, action=action, by=by, comment=comment
                )
            )
    project.refresh_from_db()
    # The route is read again (submission pins it, withdrawal unpins it).
    project.__dict__.pop("_route_cache", None)
    return project


def _required(value: Any, message: str) -> None:
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        raise Refused(message)
