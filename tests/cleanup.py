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
tests/test_cleanup.py checks that both leave the same rows behind.
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


def empty_every_table(alias: str = "default") -> None:
    """Delete every row of every table flush would truncate."""
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table in django_tables(alias):
            # A table name from the introspection, quoted; no values.
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


def flush(alias: str = "default") -> None:
    """What `flush` does after a transactional test, with DELETE."""
    empty_every_table(alias)
    emit_post_migrate_signal(verbosity=0, interactive=False, db=alias)


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
