"""How a transactional test leaves the database: every table emptied, then the
reference data put back (post_migrate), as Django's `flush` does.

Django's flush empties PostgreSQL with one TRUNCATE of every table. TRUNCATE
gives each table and index new files, whatever they hold: 0.5 s for the 91
tables here, nearly all of them empty or a few rows long after a test, where
DELETE of the same rows takes 0.05 s. About sixty transactional tests end
this way (the browser tests, the real workers, the races), so the suite
empties them with DELETE, in one transaction, with the triggers (the
settled-money guards, the foreign keys) switched off for it as a restore
does (session_replication_role = replica). That takes a superuser, as CI and
`make test` have; for any other role, and on SQLite (whose flush is DELETE
already), Django's own flush runs. Sequences are not reset, as Django's
flush of a transactional test does not reset them either.

Most transactional tests never touch the reference data (the administrative
units, the content types and permissions, the role groups, the activity
contents, the criteria). Deleting and writing it back again was most of the
cleanup's cost (0.45 s a test, 0.25 s of it the 3,321 communes), so the
cleanup remembers, per database, which tables the reference data fills and a
fingerprint of each (an md5 of its rows, ids included) as it stood after it
was last put back. When every fingerprint is unchanged, only the other
tables are emptied; when any differs (a test changed a commune's region, a
group's permissions), everything is emptied and put back, as before.

tests/test_cleanup.py checks that both leave the same rows behind, whether
or not a test changed the reference data.
"""

from __future__ import annotations

from typing import Any

from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, transaction
from django.test import TransactionTestCase

_django_teardown = TransactionTestCase._fixture_teardown


def may_delete_everything(alias: str) -> bool:
    """PostgreSQL, as a role that may switch the triggers off."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return cursor.fetchone()[0]


def django_tables(alias: str = "default") -> list[str]:
    """The tables Django knows and flush empties."""
    return connections[alias].introspection.django_table_names(
        only_existing=True, include_views=False
    )


def empty_tables(tables: list[str], alias: str = "default") -> None:
    """Delete every row of `tables`."""
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table in tables:
            # A table name from the introspection, quoted; no values.
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


def fingerprints(tables: list[str], alias: str = "default") -> dict[str, str]:
    """An md5 of each table's rows (as text, sorted), in one query."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    parts = [
        # Table names from the introspection, quoted; no values.
        f"SELECT %s, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
        f"FROM {quote(table)} AS t"
        for table in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), tables)
        return dict(cursor.fetchall())


def filled_tables(alias: str = "default") -> list[str]:
    """The tables holding rows, in one query."""
    connection = connections[alias]
    tables = django_tables(alias)
    parts = [
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)})"  # noqa: S608
        for table in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), tables)
        return [table for (table,) in cursor.fetchall()]


# Per database: the tables the reference data fills, with their fingerprints
# as they stood once it was last put back.
_reference: dict[str, dict[str, str]] = {}


def flush(alias: str = "default") -> None:
    """What `flush` does after a transactional test, with DELETE; the
    reference data is left in place when no test changed it."""
    kept = _reference.get(alias)
    if kept and fingerprints(list(kept), alias) == kept:
        empty_tables([t for t in django_tables(alias) if t not in kept], alias)
        return
    empty_tables(django_tables(alias), alias)
    emit_post_migrate_signal(verbosity=0, interactive=False, db=alias)
    _reference[alias] = fingerprints(filled_tables(alias), alias)


def _fixture_teardown(self: Any) -> None:
    aliases = list(self._databases_names(include_mirrors=False))
    if (
        self.available_apps is not None
        or self.serialized_rollback
        or not all(may_delete_everything(alias) for alias in aliases)
    ):
        _django_teardown(self)
        return
    for alias in aliases:
        flush(alias)


def install() -> None:
    """Make transactional tests end with `flush` above (tests/conftest.py)."""
    TransactionTestCase._fixture_teardown = _fixture_teardown
