"""PostgreSQL safeguard: a settled project's disbursement and equipment rows
cannot be inserted, updated or deleted, even by QuerySet.update()/delete() or
raw SQL that skip the model layer (which refuses first, with a translated
message). SQLite (the embedded `make run`) relies on the model layer alone.

The settlement itself writes its last payment while the project is still
"accepted", so the trigger never stands in its way.
"""

from django.db import migrations

TABLES = ("projects_disbursement", "projects_equipmentinvestment")

# Doubled percent signs: the SQL goes through the driver's parameter formatting.
CREATE = """
CREATE OR REPLACE FUNCTION projects_refuse_settled_money() RETURNS trigger AS $$
DECLARE
    row_project bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        row_project := OLD.project_id;
    ELSE
        row_project := NEW.project_id;
    END IF;
    IF EXISTS (
        SELECT 1 FROM projects_project
        WHERE id IN (row_project, CASE WHEN TG_OP = 'UPDATE' THEN OLD.project_id END)
          AND status = 'settled'
    ) THEN
        RAISE EXCEPTION 'project %% is settled: its money records are read-only',
            row_project USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = """
DROP TRIGGER IF EXISTS {table}_settled_read_only ON {table};
CREATE TRIGGER {table}_settled_read_only
    BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION projects_refuse_settled_money();
"""

DROP = """
DROP TRIGGER IF EXISTS {table}_settled_read_only ON {table};
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    for table in TABLES:
        schema_editor.execute(TRIGGER.format(table=table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DROP.format(table=table))
    schema_editor.execute("DROP FUNCTION IF EXISTS projects_refuse_settled_money();")


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_reference_data")]

    operations = [migrations.RunPython(create, drop)]
