"""The board's beneficiaries kept on write (issue 20): the links as counted
here, the establishments' supported years in enterprises, filled from the
projects' kept rows (projects.models.year_totals.rebuild_beneficiaries)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from projects.models.year_totals import rebuild_beneficiaries

    rebuild_beneficiaries(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0010_supported_years"),
        ("projects", "0021_year_totals"),
    ]

    operations = [
        migrations.CreateModel(
            name="CountedBeneficiary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("project_id", models.IntegerField(db_index=True)),
                ("establishment_id", models.IntegerField()),
            ],
            options={
                "verbose_name": "beneficiary link as counted",
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
