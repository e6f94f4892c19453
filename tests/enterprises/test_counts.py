"""`enterprises.sql.add_to_counts`: the counts kept on write move by their
differences, created at 0 when new, whatever the number of keys (SQLite
takes 142 keys of these counts per statement, PostgreSQL all of them in
one)."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models.supported import TOTAL_KEY, SupportedTotal
from enterprises.sql import add_to_counts

pytestmark = pytest.mark.django_db

# (year, onward, scope, three flags): 10 × 2 × 2 × 2 × 2 × 2 = 320 keys.
KEYS = list(
    itertools.product(
        range(2020, 2030), (False, True), ("KCQG", "KCDP"), *[(False, True)] * 3
    )
)


def stored() -> dict[tuple, int]:
    return {
        tuple(row[:-1]): row[-1]
        for row in SupportedTotal.objects.values_list(*TOTAL_KEY, "establishments")
    }


def add(deltas: dict[tuple, int]) -> None:
    add_to_counts(
        SupportedTotal,
        TOTAL_KEY,
        ("establishments",),
        {k: (n,) for k, n in deltas.items()},
    )


def test_new_keys_start_at_zero_and_later_differences_add_up():
    add({key: i + 1 for i, key in enumerate(KEYS)})
    add(dict.fromkeys(KEYS[::2], -1) | dict.fromkeys(KEYS[1::2], 10))

    assert stored() == {
        key: (i + 1) + (-1 if i % 2 == 0 else 10) for i, key in enumerate(KEYS)
    }


def test_keys_with_no_difference_write_nothing():
    with CaptureQueriesContext(connection) as queries:
        add({KEYS[0]: 0, KEYS[1]: 0})
    assert len(queries) == 0
    assert stored() == {}


def test_all_the_keys_go_in_as_few_statements_as_the_database_takes():
    with CaptureQueriesContext(connection) as queries:
        add(dict.fromkeys(KEYS, 1))
    statements = {"postgresql": 1, "sqlite": 3}[connection.vendor]
    assert len(queries) == statements
    # Not one statement per key (Django logs an executemany as one entry,
    # "320 times: INSERT …").
    assert not any(" times: " in query["sql"] for query in queries)
    assert stored() == dict.fromkeys(KEYS, 1)
