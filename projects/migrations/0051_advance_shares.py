"""Seed the largest advance per content from DOMAIN.md.

70 % of approved support for training/consulting-type work (contents 1, 2 and 7),
30 % (the field default) for the rest. Data the administrator keeps in the admin.
"""

from django.db import migrations

TRAINING_AND_CONSULTING = (1, 2, 7)


def seed(apps, schema_editor):
    ActivityContent = apps.get_model("projects", "ActivityContent")
    ActivityContent.objects.filter(code__in=TRAINING_AND_CONSULTING).update(
        max_advance_share=70
    )


class Migration(migrations.Migration):
    dependencies = [("projects", "0050_execution_and_money")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
