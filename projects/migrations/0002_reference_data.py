"""The reference data a new installation starts with (projects/reference_data.py;
the same functions restore it after a flush, see projects/apps.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from projects import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
