from django.db import migrations


def load(apps, schema_editor):
    from appraisal import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [("appraisal", "0001_council")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
