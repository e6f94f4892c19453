"""The dashboard's figures per year, kept on write, filled from the projects
as they are (projects.models.year_totals)."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from projects.models.year_totals import rebuild

    # The beneficiaries' tables come later (0022_counted_beneficiaries).
    rebuild(apps, beneficiaries=False)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0020_decision_order_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProjectYear",
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
                ("year", models.PositiveSmallIntegerField()),
                ("onward", models.BooleanField(default=False)),
                ("scope", models.CharField(blank=True, max_length=4)),
                ("status", models.CharField(max_length=20)),
                ("region", models.CharField(blank=True, max_length=20)),
                ("members", models.BigIntegerField(default=0)),
                ("holders", models.BigIntegerField(default=0)),
                ("approved", models.BigIntegerField(default=0)),
                ("committed", models.BigIntegerField(default=0)),
                ("released", models.BigIntegerField(default=0)),
                ("disbursed", models.BigIntegerField(default=0)),
                ("settled", models.BigIntegerField(default=0)),
                ("to_pay", models.BigIntegerField(default=0)),
                ("waiting", models.BigIntegerField(default=0)),
                ("carried", models.BigIntegerField(default=0)),
                ("requested", models.BigIntegerField(default=0)),
                ("target_machines", models.BigIntegerField(default=0)),
                ("target_trainees", models.BigIntegerField(default=0)),
                ("target_products", models.BigIntegerField(default=0)),
                ("baseline_jobs", models.BigIntegerField(default=0)),
                ("accepted", models.BigIntegerField(default=0)),
                ("machines_achieved", models.BigIntegerField(default=0)),
                ("trainees_achieved", models.BigIntegerField(default=0)),
                ("products_achieved", models.BigIntegerField(default=0)),
                ("jobs_created", models.BigIntegerField(default=0)),
                ("revenue_increase", models.BigIntegerField(default=0)),
                ("energy_saved_centi", models.BigIntegerField(default=0)),
                ("project_id", models.IntegerField(db_index=True)),
                (
                    "content",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.activitycontent",
                    ),
                ),
            ],
            options={
                "verbose_name": "project's share of a year's figures",
                "indexes": [
                    models.Index(
                        condition=models.Q(
                            ("members", 1),
                            (
                                "status__in",
                                ("approved", "in_progress", "accepted", "settled"),
                            ),
                        ),
                        fields=["scope", "year"],
                        include=("onward", "project_id"),
                        name="project_year_committed_idx",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="YearTotal",
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
                ("year", models.PositiveSmallIntegerField()),
                ("onward", models.BooleanField(default=False)),
                ("scope", models.CharField(blank=True, max_length=4)),
                ("status", models.CharField(max_length=20)),
                ("region", models.CharField(blank=True, max_length=20)),
                ("members", models.BigIntegerField(default=0)),
                ("holders", models.BigIntegerField(default=0)),
                ("approved", models.BigIntegerField(default=0)),
                ("committed", models.BigIntegerField(default=0)),
                ("released", models.BigIntegerField(default=0)),
                ("disbursed", models.BigIntegerField(default=0)),
                ("settled", models.BigIntegerField(default=0)),
                ("to_pay", models.BigIntegerField(default=0)),
                ("waiting", models.BigIntegerField(default=0)),
                ("carried", models.BigIntegerField(default=0)),
                ("requested", models.BigIntegerField(default=0)),
                ("target_machines", models.BigIntegerField(default=0)),
                ("target_trainees", models.BigIntegerField(default=0)),
                ("target_products", models.BigIntegerField(default=0)),
                ("baseline_jobs", models.BigIntegerField(default=0)),
                ("accepted", models.BigIntegerField(default=0)),
                ("machines_achieved", models.BigIntegerField(default=0)),
                ("trainees_achieved", models.BigIntegerField(default=0)),
                ("products_achieved", models.BigIntegerField(default=0)),
                ("jobs_created", models.BigIntegerField(default=0)),
                ("revenue_increase", models.BigIntegerField(default=0)),
                ("energy_saved_centi", models.BigIntegerField(default=0)),
                (
                    "content",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="projects.activitycontent",
                    ),
                ),
            ],
            options={
                "verbose_name": "year's figures",
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "year",
                            "onward",
                            "scope",
                            "status",
                            "content_id",
                            "region",
                        ),
                        name="year_total_one_per_key",
                    )
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
