"""Aggregates that PostgreSQL has under one name and SQLite under another.

PostgreSQL runs the portal; SQLite runs `make run` and `make test` on a
fresh machine. The reports and the API gather a group's values in SQL
(one grouped query instead of a query per row, issue 20); these say it once
for both databases, with PostgreSQL's own functions where it has them.
"""

from __future__ import annotations

import json

from django.contrib.postgres.aggregates import StringAgg
from django.db import models


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
