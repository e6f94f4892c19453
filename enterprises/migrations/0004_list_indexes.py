"""Indexes for the establishment list at scale (issue 8).

- (name, id): the list's default order; a page reads 50 index entries instead
  of sorting the whole registry.
- A trigram GIN index on search_text (PostgreSQL only): the search filters
  with `search_text LIKE '%word%'` (EstablishmentQuerySet.search), which no
  b-tree can serve; pg_trgm's gin_trgm_ops can. pg_trgm is a trusted
  extension (PostgreSQL 13+), so the database owner may create it. SQLite (the
  embedded `make run`) keeps scanning its few rows.
"""

from django.db import migrations, models

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS enterprises_establishment_search_trgm "
    "ON enterprises_establishment USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS enterprises_establishment_search_trgm"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_seed_sectors")]

    operations = [
        migrations.AddIndex(
            model_name="establishment",
            index=models.Index(
                fields=["name", "id"], name="enterprises_name_c0fe2d_idx"
            ),
        ),
        migrations.RunPython(create, drop),
    ]
