"""SQL said once for both databases.

PostgreSQL runs the portal; SQLite runs `make run` and `make test` on a
fresh machine. The reports and the API gather a group's values in SQL
(one grouped query instead of a query per row, issue 20): the aggregates
here say it once for both databases, with PostgreSQL's own functions where
it has them. `add_to_counts` moves the counts kept on write (the board's
year totals, the supported establishments) by their differences.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from django.contrib.postgres.aggregates import StringAgg
from django.db import connection, models


class ListField(models.Field):
    """A list read back from SQL: an array (PostgreSQL) or JSON text (SQLite)."""

    def from_db_value(self, value, expression, connection):
        if isinstance(value, str):
            return json.loads(value)
        return value


class Collect(models.Aggregate):
    """The group's values as a list, in no set order: ARRAY_AGG on
    PostgreSQL, JSON_GROUP_ARRAY on SQLite."""

    function = "ARRAY_AGG"
    output_field = ListField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, function="JSON_GROUP_ARRAY", **extra
        )


class AllTrue(models.Aggregate):
    """Whether every value of the group is true: BOOL_AND on PostgreSQL;
    SQLite stores booleans as 0 and 1, so their MIN."""

    function = "BOOL_AND"
    output_field = models.BooleanField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="MIN", **extra)


class Joined(StringAgg):
    """The group's texts joined by `delimiter` in `order_by` order
    (STRING_AGG on PostgreSQL). SQLite before 3.44 cannot order inside an
    aggregate: there GROUP_CONCAT joins them in the order it reads the rows,
    which for a project's few rows is the order they were written."""

    def as_sqlite(self, compiler, connection, **extra):
        expression, delimiter = self.get_source_expressions()[:2]
        sql, params = compiler.compile(expression)
        sep_sql, sep_params = compiler.compile(delimiter)
        return f"GROUP_CONCAT({sql}, {sep_sql})", [*params, *sep_params]


def add_to_counts(
    model: type[models.Model],
    key: Sequence[str],
    figures: Sequence[str],
    deltas: Mapping[tuple, Sequence[int]],
) -> None:
    """Add each key's differences to the row of `model` with that key (made
    at 0 when new; `key` is a unique constraint of the model): one
    INSERT … ON CONFLICT DO UPDATE for all the keys (as many as the
    database takes at once; SQLite's parameter limit may split them), keys
    in order, so that concurrent writers lock the rows in the same order and
    never deadlock on them. Keys whose differences are all 0 are left out."""
    changed = sorted((k, list(v)) for k, v in deltas.items() if any(v))
    if not changed:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [*key, *figures]
    names = ", ".join(quote(c) for c in columns)
    conflict = ", ".join(quote(c) for c in key)
    updates = ", ".join(
        f"{q} = {table}.{q} + excluded.{q}" for q in (quote(c) for c in figures)
    )
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    batch = max(connection.ops.bulk_batch_size(columns, changed), 1)
    with connection.cursor() as cursor:
        for i in range(0, len(changed), batch):
            rows = changed[i : i + batch]
            cursor.execute(
                # Names and placeholders only; the values are parameters.
                f"INSERT INTO {table} ({names}) "  # noqa: S608
                f"VALUES {', '.join([row] * len(rows))} "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}",
                [value for k, v in rows for value in (*k, *v)],
            )
