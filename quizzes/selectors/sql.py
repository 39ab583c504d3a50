"""Hand-written SQL for the hottest reads, returning model instances.

Building and compiling a queryset with joins and annotated subqueries costs
more than the query itself on the pages a student loads on every question
(about 1 ms, against 0.1 ms for the same SQL written out). These helpers let
a selector write that SQL once, portable to SQLite and PostgreSQL, and still
hand back ordinary instances: each model's columns are listed from its
fields, and each value goes through the converters Django's own compiler
applies (SQLite's dates as text, JSON fields), so that what a caller reads is
exactly what the ORM would have given it. The few vendor differences
(JSON, row locks) are named here too, and a rating's writes use
``db_value`` to save values as the ORM saves them.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache

from django.db import connection


def q(name: str) -> str:
    """A table or column name, quoted for the database."""
    return connection.ops.quote_name(name)


@cache
def fields(model, without: tuple = ()) -> tuple:
    """The model's fields that ``columns`` lists, in its order."""
    return tuple(f for f in model._meta.concrete_fields if f.name not in without)


@cache  # a select list depends on the model alone (the same on both vendors)
def columns(model, alias: str, *, without: tuple = ()) -> str:
    """The model's columns under ``alias``, in field order, for a SELECT;
    ``without`` names fields left out (deferred, as ``.defer()`` does)."""
    return ", ".join(f"{alias}.{q(f.column)}" for f in fields(model, without))


def only(model, *names: str) -> tuple:
    """The ``without`` of ``columns`` that keeps only these fields (and the
    primary key): the rest are deferred."""
    keep = {"id", *names}
    return tuple(f.name for f in model._meta.concrete_fields if f.name not in keep)


# Per field: they depend on its type and the database's vendor, never on data.
@cache
def _field_converters(field) -> tuple:
    return tuple(
        connection.ops.get_db_converters(field.cached_col)
        + field.get_db_converters(connection)
    )


class Reader:
    """Splits a row of ``columns(...)`` blocks into instances: each of
    ``specs`` is a model, or (model, without) as given to ``columns``; the
    trailing values (after the models' columns) are returned as they are."""

    def __init__(self, *specs) -> None:
        self.blocks = []
        for spec in specs:
            model, without = spec if isinstance(spec, tuple) else (spec, ())
            read = fields(model, tuple(without))
            self.blocks.append(
                (
                    model,
                    read,
                    [f.attname for f in read],
                    [_field_converters(f) for f in read],
                )
            )

    def __call__(self, row) -> list:
        made, start = [], 0
        for model, read, names, converters in self.blocks:
            values = list(row[start : start + len(read)])
            start += len(read)
            if values[0] is None:  # the null side of an outer join
                made.append(None)
                continue
            for n, field in enumerate(read):
                for convert in converters[n]:
                    values[n] = convert(values[n], field.cached_col, connection)
            made.append(model.from_db(connection.alias, names, values))
        return made + list(row[start:])


@cache  # a Reader keeps nothing of the rows it reads
def reader(*specs) -> Reader:
    """The Reader of these specs (see Reader), made once per process."""
    return Reader(*specs)


def convert(field, value):
    """A value read for ``field`` (a model's field) as the ORM would give it."""
    for converter in _field_converters(field):
        value = converter(value, field.cached_col, connection)
    return value


def instance(model, values, *, without: tuple = ()):
    """One instance from the values of ``columns(model, ..., without=...)``."""
    return reader((model, tuple(without)))(values)[0]


def cache_related(instance, name: str, value) -> None:
    """Set what ``instance.<name>`` returns without a query (as select_related
    does; None makes a reverse one-to-one raise DoesNotExist)."""
    instance._meta.get_field(name).set_cached_value(instance, value)


def fetch(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def row(sql: str, params) -> tuple | None:
    """The first row of a statement (or None)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def execute(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def vendor() -> str:
    return connection.vendor


def at(moment: datetime | None):
    """A datetime parameter as the database compares it (SQLite: UTC text)."""
    return connection.ops.adapt_datetimefield_value(moment)


def db_value(model, name: str, value):
    """A value as the model's field saves it (JSON, SQLite's datetimes)."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def json_value(value):
    """A JSON aggregate's value: PostgreSQL's driver decodes it, SQLite's not."""
    return json.loads(value) if isinstance(value, str) else value


# The JSON parts of the SQL, per vendor: a key of a JSON column is JSON null,
# or equals a value; the rows' values as one JSON array of arrays.
JSON = {
    "sqlite": {
        "is_null": "json_type({column}, '$.{key}') = 'null'",
        "equals": "json_extract({column}, '$.{key}') = {value}",
        "array_agg": "json_group_array(json_array({items}))",
    },
    "postgresql": {
        "is_null": "({column} -> '{key}') = 'null'::jsonb",
        "equals": "({column} -> '{key}') = '{value}'::jsonb",
        "array_agg": "json_agg(json_build_array({items}))",
    },
}


def for_update(alias: str) -> str:
    """``FOR UPDATE OF alias`` where the database has row locks (SQLite has
    none: its IMMEDIATE transactions queue writers instead)."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR UPDATE OF {alias}"


def fence() -> str:
    """Ends a subquery that PostgreSQL must plan on its own (``OFFSET 0``):
    a join of many tables costs its planner more than running it (it weighs
    every order of the tables), and a subquery planned apart is a smaller
    search. SQLite plans joins in the order written and needs none."""
    return " OFFSET 0" if connection.vendor == "postgresql" else ""
