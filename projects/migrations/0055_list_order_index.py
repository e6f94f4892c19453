"""The project list's order, newest first with the pk as tie-break (issue 8):
its first page reads 50 index entries instead of sorting every project."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0054_merge_0003_attachments_0053_settled_money_trigger")
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(
                fields=["created_at", "id"], name="projects_pr_created_3ed563_idx"
            ),
        ),
    ]
