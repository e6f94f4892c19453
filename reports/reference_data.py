"""Reference data every installation starts with: the default report
schedules (issue 6). Kinds whose exporter is missing are skipped by the beat
task. The data migration and the post_migrate handler that restores them after
a `flush` both call `load`; only missing rows are added.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from enterprises.reference_data import add_missing

# (kind, frequency), for both sources.
DEFAULT_SCHEDULES = [
    ("progress", "monthly"),
    ("disbursement", "quarterly"),
    ("yearly_summary", "yearly"),
]


def create_default_schedules(apps: Any) -> None:
    schedule_model = apps.get_model("reports", "ReportSchedule")
    rows = (
        {"kind": kind, "frequency": frequency, "source": "", "active": True}
        for kind, frequency in DEFAULT_SCHEDULES
    )
    add_missing(schedule_model, rows, ["kind", "frequency", "source"])


def create_official_settings(apps: Any) -> None:
    """The one row of what documents print (symbols, signers' titles,
    recipients), with its defaults; the administrator edits it."""
    try:
        settings_model = apps.get_model("reports", "OfficialSettings")
    except LookupError:
        return  # migration 0002 runs before the table exists (0004)
    settings_model.objects.get_or_create(pk=1)


def load(apps: Any) -> None:
    with transaction.atomic():
        create_default_schedules(apps)
        create_official_settings(apps)
