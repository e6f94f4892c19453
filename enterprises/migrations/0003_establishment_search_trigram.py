"""A trigram GIN index on search_text (PostgreSQL only, issue 8).

The search filters with `search_text LIKE '%word%'` (EstablishmentQuerySet.
search), which no b-tree can serve; pg_trgm's gin_trgm_ops can. pg_trgm is a
trusted extension (PostgreSQL 13+), so the database owner may create it. SQLite
(the embedded `make run`) keeps scanning its few rows.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS establishment_search_trgm_idx "
    "ON enterprises_establishment USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS establishment_search_trgm_idx"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_reference_data")]

    operations = [migrations.RunPython(create, drop)]
