"""The schedules issue 6 asks for. Kinds whose exporter is not merged yet are
skipped by the beat task, so these start producing as soon as it is."""

from django.db import migrations

DEFAULTS = [
    ("progress", "monthly"),
    ("disbursement", "quarterly"),
    ("yearly_summary", "yearly"),
]


def create(apps, schema_editor):
    ReportSchedule = apps.get_model("reports", "ReportSchedule")
    for kind, frequency in DEFAULTS:
        ReportSchedule.objects.get_or_create(
            kind=kind, frequency=frequency, source="", defaults={"active": True}
        )


def remove(apps, schema_editor):
    ReportSchedule = apps.get_model("reports", "ReportSchedule")
    for kind, frequency in DEFAULTS:
        ReportSchedule.objects.filter(kind=kind, frequency=frequency, source="").delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_report_jobs_and_schedules")]

    operations = [migrations.RunPython(create, remove)]
