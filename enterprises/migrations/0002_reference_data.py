"""The reference data a new installation starts with (enterprises/reference_data.py;
the same functions restore it after a flush, see enterprises/apps.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from enterprises import reference_data

    reference_data.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
