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
from django.utils import formats
from django.utils.translation import gettext as _
from simple_history.models import registered_models

# Internal columns: the folded search copy, timestamps the history has anyway,
# the invoice de-duplication key, a serial's uniqueness flag (cleared with its
# project's cancellation, which the log shows) and ids (records are named).
HIDDEN_FIELDS = {
    "search_text",
    "updated_at",
    "created_at",
    "invoice_key",
    "active",
    "id",
}


@dataclass
class Change:
    field: str
    old: Any
    new: Any
    model_field: models.Field | None = None
    old_label: str = ""
    new_label: str = ""


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
            changes.append(Change(label, old, new, f))
    return changes


def display_value(f: models.Field | None, value: Any, names: dict) -> str:
    """A stored value as people read it: the label of a choice, Có/Không,
    the name behind an id, money with its unit, years and codes as typed."""
    if value is None or value == "":
        return "—"
    if f is None:
        return str(value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.ForeignKey):
        return names.get((f.related_model, value)) or "—"
    if isinstance(f, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(f, models.BigIntegerField):
        # Money is whole đồng in BigIntegerField (ARCHITECTURE.md).
        return f"{formats.number_format(value, force_grouping=True)} đ"
    if isinstance(f, models.DateTimeField):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(f, models.DateField):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(f, models.DecimalField | models.FloatField):
        return formats.number_format(value, force_grouping=True)
    # Years, counts, codes and text: as stored, never grouped ("2015").
    return str(value)


def _names(entries: list[AuditEntry]) -> dict:
    """The names behind the ids the entries show, one query per model."""
    wanted: dict[type, set] = {}
    for entry in entries:
        for c in entry.changes:
            if isinstance(c.model_field, models.ForeignKey):
                ids = wanted.setdefault(c.model_field.related_model, set())
                ids.update(v for v in (c.old, c.new) if v is not None)
    names = {}
    for model, ids in wanted.items():
        for pk, obj in model._default_manager.in_bulk(ids).items():
            full_name = getattr(obj, "get_full_name", None)
            names[(model, pk)] = (full_name and full_name()) or str(obj)
    return names


def label_changes(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Fill every change's before and after as the page shows them."""
    names = _names(entries)
    for entry in entries:
        for c in entry.changes:
            c.old_label = display_value(c.model_field, c.old, names)
            c.new_label = display_value(c.model_field, c.new, names)
    return entries


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
    if not parts and hasattr(row, "get_kind_display"):
        # A record named by its kind only (a report job: "Báo cáo … 2026-H1").
        period = (getattr(row, "parameters", None) or {}).get("period", "")
        parts = [str(p) for p in (row.get_kind_display(), period) if p]
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
    return label_changes(entries)
