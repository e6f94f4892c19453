"""The status at each year end stored on the project (issue 20), filled from
the timelines already recorded (projects.models.year_ends)."""

from django.db import migrations, models

from projects.models.year_ends import (
    PAPER_DATES,
    STEP_FIELDS,
    write_year_ends,
    year_ends_of,
)


def fill(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Transition = apps.get_model("projects", "Transition")
    ids = list(
        Transition.objects.order_by("project_id")
        .values_list("project_id", flat=True)
        .distinct()
    )
    for i in range(0, len(ids), 2000):
        chunk = ids[i : i + 2000]
        steps = {pk: [] for pk in chunk}
        for step in (
            Transition.objects.filter(project_id__in=chunk)
            .order_by("project_id", "at", "pk")
            .values(*STEP_FIELDS)
        ):
            steps[step["project_id"]].append(step)
        updates = []
        for row in Project.objects.filter(pk__in=chunk).values(
            "pk", *PAPER_DATES.values()
        ):
            start, codes = year_ends_of(steps[row["pk"]], row)
            updates.append(Project(pk=row["pk"], year_ends_from=start, year_ends=codes))
        write_year_ends(updates)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0018_transition_project_at_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="year_ends",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="project",
            name="year_ends_from",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
