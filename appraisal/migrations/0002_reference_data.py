"""The default appraisal criteria (appraisal/reference_data.py; the same
functions restore them after a flush, see appraisal/apps.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from appraisal import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
