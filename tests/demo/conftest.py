"""The demo data (`manage.py seed_demo`), seeded once per test run for every
test of this package.

Seeding takes a while (half a minute on a quiet machine), so it happens once:
the package-scoped fixture seeds inside a transaction that stays open while
this package's tests run and is rolled back after the last of them. Each test
runs in its own savepoint within it (the `db` fixture), so what a test writes
is undone before the next one and every test reads the same demo data; tests
elsewhere never see it.

This holds on SQLite and PostgreSQL alike as long as the tests here are not
transactional: a transactional test (`transaction=True`, `live_server`)
flushes the database, and pytest-django runs those after all others, which
would split this package and seed twice. Both are refused below, so the rule
cannot be broken silently. Tests that need the demo data live in this package.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from tests.builders import shared_for_the_scope

_SEEDINGS = []


@pytest.fixture(scope="package")
def demo_data(django_db_setup, django_db_blocker) -> str:
    """Seed once; the outer transaction is rolled back after the package."""
    if _SEEDINGS:
        raise pytest.UsageError(
            "The demo data would be seeded a second time in this run: the tests "
            "of tests/demo/ must run together (none of them transactional)."
        )
    _SEEDINGS.append(True)
    with shared_for_the_scope(django_db_blocker), override_settings(DEBUG=True):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()


@pytest.fixture(autouse=True)
def demo(request, demo_data, db) -> str:
    """Every test here reads the demo data, in a savepoint of its own; the
    value is the seeding command's output."""
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if transactional or (marker and marker.kwargs.get("transaction")):
        pytest.fail(
            "A test reading the demo data cannot be transactional: its flush "
            "would empty the data the other tests read."
        )
    return demo_data
