"""Serial numbers are kept as typed; the duplicate check compares a normalised
copy. Rows stored so far were stored normalised, so the copy is the serial."""

from django.db import migrations, models
from django.db.models import F


def copy_serials(apps, schema_editor):
    for name in ("EquipmentSerial", "HistoricalEquipmentSerial"):
        apps.get_model("projects", name).objects.update(normalised=F("serial"))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0012_acceptance_contributed"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="equipmentserial",
            name="equipment_serial_supported_once",
        ),
        migrations.RemoveConstraint(
            model_name="equipmentserial",
            name="equipment_serial_not_empty",
        ),
        migrations.AddField(
            model_name="equipmentserial",
            name="normalised",
            field=models.CharField(
                default="",
                editable=False,
                max_length=100,
                verbose_name="serial number (compared)",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalequipmentserial",
            name="normalised",
            field=models.CharField(
                default="",
                editable=False,
                max_length=100,
                verbose_name="serial number (compared)",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(copy_serials, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="equipmentserial",
            constraint=models.UniqueConstraint(
                condition=models.Q(("active", True)),
                fields=("normalised",),
                name="equipment_serial_supported_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="equipmentserial",
            constraint=models.CheckConstraint(
                condition=models.Q(("normalised", ""), _negated=True),
                name="equipment_serial_not_empty",
            ),
        ),
    ]
