"""The board's SQL, built by the ORM once per process and shape.

Each of the board's queries has a fixed shape for a (year, source): only the
data it reads changes. Building one through the ORM (resolving some thirty
filtered sums, compiling the subqueries) cost more CPU than PostgreSQL spent
running it, at every request. Here the first run of a query is made by the
ORM as usual and its statement (SQL and parameters) kept, under a key that
names everything the statement depends on besides the data: the query, the
year, the source, the database and the time zone (dates are turned into
instants with it). Later runs send the kept statement and read its rows by
column name, as the ORM would have returned them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.utils import timezone

_STATEMENTS: dict[tuple, tuple] = {}


def _key(key: tuple) -> tuple:
    return (
        *key,
        connection.alias,
        connection.settings_dict["NAME"],
        timezone.get_current_timezone_name(),
    )


def _run(call: Callable[[], Any]) -> tuple[Any, tuple[str, Any] | None]:
    """call() as the ORM runs it, and its one statement."""
    statements: list[tuple[str, Any]] = []

    def keep(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        result = call()
    return result, statements[0] if len(statements) == 1 else None


def _rows(statement: tuple[str, Any]) -> tuple[list[str], list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        # A description row is a sequence on every driver (sqlite3: a tuple).
        return [column[0] for column in cursor.description], cursor.fetchall()


def _casts(rows: list[dict]) -> dict[str, Callable] | None:
    """How to turn each column's database value into what the ORM returned
    (its converters: a sum of whole numbers comes back from PostgreSQL as a
    Decimal and the ORM makes it an int; a JSON object as text), learnt from
    the ORM's own rows; None when they do not tell (no row, or no value)."""
    if not rows:
        return None
    casts: dict[str, Callable] = {}
    for name in rows[0]:
        kinds = {type(row[name]) for row in rows} - {type(None)}
        if len(kinds) != 1:
            return None
        (kind,) = kinds
        if kind is int:
            casts[name] = int
        elif kind in (dict, list):
            casts[name] = _json
    return casts


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _dicts(
    names: list[str], rows: list[tuple], casts: dict[str, Callable]
) -> list[dict]:
    todo = [(i, casts[name]) for i, name in enumerate(names) if name in casts]
    result = []
    for row in rows:
        values = list(row)
        for i, cast in todo:
            if values[i] is not None:
                values[i] = cast(values[i])
        result.append(dict(zip(names, values, strict=True)))
    return result


def values(key: tuple, build: Callable[[], Iterable[dict]]) -> list[dict]:
    """The rows of a values() query (`build` returns it), as dicts keyed by
    its columns' names, converted as the ORM converts them."""
    kept = _STATEMENTS.get(_key(key))
    if kept is None:
        result, statement = _run(lambda: list(build()))
        casts = _casts(result)
        if statement is not None and casts is not None:
            _STATEMENTS[_key(key)] = (statement, casts)
        return result
    statement, casts = kept
    names, rows = _rows(statement)
    return _dicts(names, rows, casts)


def aggregate(key: tuple, call: Callable[[], dict]) -> dict:
    """The dict of an aggregate() (`call` runs it), converted as the ORM
    converts it."""
    kept = _STATEMENTS.get(_key(key))
    if kept is None:
        result, statement = _run(call)
        casts = _casts([result])
        if statement is not None and casts is not None:
            _STATEMENTS[_key(key)] = (statement, casts, list(result))
        return result
    statement, casts, names = kept
    _names, rows = _rows(statement)
    return _dicts(names, rows[:1], casts)[0]
