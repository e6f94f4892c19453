"""The audit trail: every recorded change of every tracked model, newest first.

django-simple-history keeps one history table per model (lifecycle, money and
the register, bulk imports included: they write history rows in bulk). This
module reads them together for the administrators' audit page: who, when, what
record, and the fields that changed with their before and after values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from simple_history.models import registered_models

HIDDEN_FIELDS = {"search_text", "updated_at", "created_at"}


@dataclass
class Change:
    field: str
    old: Any
    new: Any


@dataclass
class AuditEntry:
    when: dt.datetime
    user: Any
    model: str
    object_id: Any
    object_repr: str
    action: str  # "+" created, "~" changed, "-" deleted
    reason: str
    changes: list[Change] = field(default_factory=list)


def tracked_models() -> dict[str, type[models.Model]]:
    """Tracked models by label ("projects.project"), in a stable order."""
    return {
        m._meta.label_lower: m
        for m in sorted(registered_models.values(), key=lambda m: m._meta.label)
    }


def _fields(history_model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in history_model._meta.fields
        if not f.name.startswith("history_") and f.name not in HIDDEN_FIELDS
    ]


def _diff(record: Any, previous: Any, fields: list[models.Field]) -> list[Change]:
    changes = []
    for f in fields:
        new = getattr(record, f.attname)
        old = getattr(previous, f.attname) if previous is not None else None
        if previous is None and new in (None, "", 0, False):
            continue  # a creation lists only the fields it filled in
        if previous is None or old != new:
            label = str(f.verbose_name)
            changes.append(Change(label, old, new))
    return changes


def _describe(row: Any) -> str:
    """A record's name from its history row alone.

    `row.instance` would re-read excluded fields from the live table, one
    query per row; the names users recognise are on the history row anyway.
    """
    parts = [
        str(value)
        for name in ("code", "name", "title")
        if (value := getattr(row, name, None))
    ]
    return " — ".join(parts)


def audit_entries(
    *,
    model: str = "",
    user_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """The newest `limit` changes matching the filters, across tracked models.

    Two queries per tracked model: its newest rows, then the versions just
    before them, so the page's cost does not grow with the rows it shows.
    """
    picked: list[tuple[Any, type[models.Model]]] = []
    for label, tracked in tracked_models().items():
        if model and label != model:
            continue
        qs = tracked.history.select_related("history_user").order_by("-history_date")
        if user_id:
            qs = qs.filter(history_user_id=user_id)
        if since:
            qs = qs.filter(history_date__date__gte=since)
        if until:
            qs = qs.filter(history_date__date__lte=until)
        picked += [(row, tracked) for row in qs[:limit]]
    picked.sort(key=lambda pair: pair[0].history_date, reverse=True)
    picked = picked[:limit]

    previous: dict[tuple[type, int], Any] = {}
    by_model: dict[type, list[Any]] = {}
    for row, tracked in picked:
        by_model.setdefault(tracked, []).append(row)
    for tracked, rows in by_model.items():
        pk_name = tracked._meta.pk.attname
        ids = {getattr(r, pk_name) for r in rows}
        latest = max(r.history_date for r in rows)
        versions = tracked.history.filter(
            **{f"{pk_name}__in": ids}, history_date__lte=latest
        ).order_by(pk_name, "history_date", "history_id")
        last_seen: dict[Any, Any] = {}
        for version in versions:
            key = getattr(version, pk_name)
            previous[(tracked, version.history_id)] = last_seen.get(key)
            last_seen[key] = version

    entries = []
    for row, tracked in picked:
        fields = _fields(type(row))
        before = previous.get((tracked, row.history_id))
        entries.append(
            AuditEntry(
                when=row.history_date,
                user=row.history_user,
                model=str(tracked._meta.verbose_name),
                object_id=getattr(row, tracked._meta.pk.attname),
                object_repr=_describe(row),
                action=row.history_type,
                reason=row.history_change_reason or "",
                changes=[] if row.history_type == "-" else _diff(row, before, fields),
            )
        )
    return entries
