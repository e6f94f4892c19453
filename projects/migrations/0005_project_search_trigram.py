"""Trigram GIN indexes for the project list's search (PostgreSQL only).

The search (enterprises.text.search) compares the folded code and title,
LOWER(TRANSLATE(column, <Vietnamese letters>, <plain letters>)) LIKE
'%word%'; these indexes hold that same expression, so the planner can serve
the search from them. The letters come from enterprises.text at migration
time, as the query builds them. SQLite scans its few rows.
"""

from django.db import migrations

COLUMNS = ("code", "title")


def _expression(column: str, schema_editor) -> str:
    from enterprises.text import folding_letters

    marked, plain = folding_letters()
    quote = schema_editor.quote_value
    return f"lower(translate({column}, {quote(marked)}, {quote(plain)}))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS project_{column}_fold_trgm_idx "
            f"ON projects_project USING gin "
            f"(({_expression(column, schema_editor)}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS project_{column}_fold_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_funding_totals_trigger")]

    operations = [migrations.RunPython(create, drop)]
