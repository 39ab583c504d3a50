"""Hand-written SQL for the hottest reads (the study page's), and the rows it
returns made into model instances, as the ORM would make them.

The ORM spends far longer building and compiling a large query than the
database spends running it; these reads are a few fixed statements with
parameters instead, portable to SQLite and PostgreSQL (the only vendor
differences, JSON, are named here).
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache

from django.db import connection, connections
from django.db.models import Model


def vendor() -> str:
    return connection.vendor


def at(moment: datetime | None):
    """A datetime as the database compares it (SQLite: naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(moment)


def rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def row(sql: str, params: dict) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def execute(sql: str, params: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def columns(model: type[Model], alias: str, fields=None) -> str:
    """The select list of a model's columns (all, or the named fields)."""
    return ", ".join(
        f'{alias}."{field.column}"' for field in model_fields(model, fields)
    )


def model_fields(model: type[Model], fields=None) -> list:
    """In the model's order (Model.from_db wants them so)."""
    concrete = model._meta.concrete_fields
    if fields is None:
        return list(concrete)
    return [field for field in concrete if field.name in fields]


def instance(model: type[Model], values, fields=None) -> Model:
    """A model instance from the values of `columns(model, ..., fields)`, each
    converted as a queryset converts it (SQLite's datetimes and booleans);
    the fields not selected are deferred, loaded if read."""
    names, converting = _loading(model, fields, connections[connection.alias])
    if converting:
        values = list(values)
        for index, expression, converters in converting:
            value = values[index]
            for converter in converters:
                value = converter(value, expression, connection)
            values[index] = value
    return model.from_db(connection.alias, names, values)


@lru_cache(maxsize=64)
def _loading(model: type[Model], fields, database) -> tuple:
    """The field names Model.from_db needs (None: all), and the converters
    of the fields that have any (per database connection, as the ORM's)."""
    chosen = model_fields(model, fields)
    converting = []
    for index, field in enumerate(chosen):
        expression = field.get_col(model._meta.db_table)
        converters = database.ops.get_db_converters(
            expression
        ) + field.get_db_converters(database)
        if converters:
            converting.append((index, expression, tuple(converters)))
    names = None if fields is None else [field.attname for field in chosen]
    return names, tuple(converting)


def json_value(value):
    """A JSON aggregate's value: PostgreSQL's driver decodes it, SQLite's not."""
    return json.loads(value) if isinstance(value, str) else value


# The JSON parts of the SQL, per vendor: the Review.state_before tests of the
# daily limits, and a JSON array aggregate.
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


def json_sql(part: str, **names) -> str:
    return JSON[vendor()][part].format(**names)


def cache_related(instance: Model, name: str, value) -> None:
    """Set what `instance.<name>` returns without a query (as select_related
    does; None makes a reverse one-to-one raise DoesNotExist)."""
    instance._meta.get_field(name).set_cached_value(instance, value)


# An essay's columns but its body (possibly a megabyte), which the study
# page does not show; read if asked for.
ESSAY_FIELDS = ("id", "title", "slug", "attribution", "created_at", "updated_at")


def essay_with_settings(values) -> Model:
    """An Essay and its DeckSettings (or None) from the values of
    `essay_columns(...)`."""
    from quizzes.models import DeckSettings, Essay

    split = len(ESSAY_FIELDS)
    essay = instance(Essay, values[:split], ESSAY_FIELDS)
    settings = None
    if values[split] is not None:
        settings = instance(DeckSettings, values[split:])
        cache_related(settings, "essay", essay)
    cache_related(essay, "deck_settings", settings)
    return essay


def essay_columns(essay: str = "e", settings: str = "ds") -> str:
    from quizzes.models import DeckSettings, Essay

    return f"{columns(Essay, essay, ESSAY_FIELDS)}, {columns(DeckSettings, settings)}"


def db_value(model: type[Model], name: str, value):
    """A value as the model's field saves it (JSON, SQLite's datetimes)."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def lock_clause(table: str) -> str:
    """FOR UPDATE of one table's rows where the database locks rows (SQLite
    locks the whole database for the write transaction instead)."""
    if connection.features.has_select_for_update_of:
        return f" FOR UPDATE OF {table}"
    if connection.features.has_select_for_update:
        return " FOR UPDATE"
    return ""
