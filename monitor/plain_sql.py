"""Plain SQL for the per-article paths of tagging and grouping, where building a statement through the ORM
took longer than running it (benchmarks/stories.py --steps): reads that return tuples, and writes of rows
given as {column: value}. Everything here runs on SQLite and PostgreSQL.

Values are prepared by their model field, as the ORM would prepare them (JSON, bytes, dates), and datetimes
read come back timezone-aware on both databases.

Statements run on the driver's cursor, not through Django's cursor wrapper, which made a small statement
half as slow again (a primary-key read on SQLite through fetch_one: 18 microseconds, 12 without). Database errors
still come out as Django's, and a transaction already broken is still refused. Whenever something watches
the queries (DEBUG, assertNumQueries, an execute_wrapper such as a benchmark's timer), they go through
Django's wrapper as usual, so nothing is hidden from it.

Not for: pages, admin actions or anything run once per request; there the ORM's clarity is worth its cost.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NamedTuple, overload

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.models import Field, Model

# Field types whose Python values both drivers take as they are; every other field's values are prepared.
_UNPREPARED_TYPES = {"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "FloatField",
                     "ForeignKey", "IntegerField", "OneToOneField", "PositiveIntegerField", "SmallIntegerField",
                     "TextField"}


def marks(count: int) -> str:
    """`count` parameter placeholders, comma-separated, for an IN list."""
    return ", ".join(["%s"] * count)


@functools.cache
def table(model: type[Model]) -> str:
    """The model's table name, quoted. Both databases quote names alike ("name"), so it is worked out once."""
    return connection.ops.quote_name(model._meta.db_table)


# The cursor one_cursor holds open for this thread, if any.
_held = threading.local()


@contextmanager
def one_cursor() -> Iterator[None]:
    """Runs every statement of this module inside on one cursor, opened and checked once. For a path that runs
    a few dozen small statements per call (grouping an article): finding the connection and checking it cost
    several microseconds a statement, more than some of the statements. Errors still come out as Django's,
    when they leave the block; code inside that catches a database error must not use it. Whether the
    statements go through Django's cursor (DEBUG, an execute_wrapper, assertNumQueries) is decided when the
    block opens: a watcher opened inside it does not see them."""
    if getattr(_held, "cursor", None) is not None:
        yield
        return
    with _cursor() as cursor:
        _held.cursor, _held.db = cursor, connections[DEFAULT_DB_ALIAS]
        try:
            yield
        finally:
            _held.cursor = _held.db = None


def _db() -> BaseDatabaseWrapper:
    """The default connection: the one one_cursor found, inside it. Finding it through Django's connection
    handler each time cost a few microseconds, and the per-article paths ask for it a dozen times."""
    held = getattr(_held, "db", None)
    return held if held is not None else connections[DEFAULT_DB_ALIAS]


@contextmanager
def _cursor() -> Iterator[Any]:
    """A cursor of the database's driver, closed after use (see the module's docstring); the one one_cursor
    holds, inside it."""
    held = getattr(_held, "cursor", None)
    if held is not None:
        yield held
        return
    db = connections[DEFAULT_DB_ALIAS]
    if db.queries_logged or db.execute_wrappers:
        with db.cursor() as watched:
            yield watched
        return
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_no_broken_transaction()
    with db.wrap_database_errors:
        cursor = _QmarkCursor(db.connection.cursor()) if db.vendor == "sqlite" else db.create_cursor()
        try:
            yield cursor
        finally:
            cursor.close()


class _QmarkCursor:
    """SQLite's own cursor, taking statements in the "%s" style both databases' code here is written in.

    Django's SQLite cursor rewrites every statement's "%s" marks into "?" with a regular expression, each
    time it runs: for the two dozen statements grouping runs per article, a third of a millisecond
    (benchmarks/stories.py, under a profiler). The same few statements run again and again, so each is
    rewritten once (_qmark)."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.cursor.execute(_qmark(sql), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.cursor.executemany(_qmark(sql), rows)

    def fetchone(self) -> Any:
        return self.cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self.cursor.fetchall())

    @property
    def rowcount(self) -> int:
        return int(self.cursor.rowcount)

    @property
    def lastrowid(self) -> Any:
        return self.cursor.lastrowid

    def close(self) -> None:
        self.cursor.close()


@functools.lru_cache(maxsize=4096)
def _qmark(sql: str) -> str:
    """A statement's "%s" marks as SQLite's "?", and "%%" as "%": what Django's SQLite cursor does."""
    return FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


def fetch_all(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def fetch_one(sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
    with _cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        return tuple(row) if row is not None else None


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    """Runs one statement; returns the rows it changed."""
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def execute_many(sql: str, rows: Sequence[Sequence[Any]]) -> None:
    if rows:
        with _cursor() as cursor:
            cursor.executemany(sql, rows)


@overload
def aware(value: datetime) -> datetime: ...


@overload
def aware(value: datetime | None) -> datetime | None: ...


def aware(value: datetime | None) -> datetime | None:
    """A datetime column's value as the ORM gives it: SQLite returns the stored time without its zone (UTC
    unless the database settings name another)."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=_db().timezone)
    return value


def json_column(value: Any) -> Any:
    """A JSON column's value decoded, as the ORM gives it: Django has both databases' drivers hand over the text."""
    return None if value is None else json.loads(value)


def insert_rows(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """Inserts rows given as {column: value}, every row with the same columns, with one statement.
    An article has a hundred-odd mentions and figures: making a model object for each cost more than the
    insert itself."""
    if not rows:
        return
    statement = _statement(model, tuple(rows[0]))
    execute_many(statement.insert, [statement.values(row) for row in rows])


def insert_row(model: type[Model], values: dict[str, Any]) -> Any:
    """Inserts one row given as {column: value}; returns its new primary key: INSERT ... RETURNING where the
    database has it (PostgreSQL; SQLite from 3.35), else the cursor's last row id (older SQLite)."""
    statement = _statement(model, tuple(values))
    with _cursor() as cursor:
        if _db().features.can_return_columns_from_insert:
            cursor.execute(f"{statement.insert} RETURNING {statement.pk}", statement.values(values))
            return cursor.fetchone()[0]
        cursor.execute(statement.insert, statement.values(values))
        return cursor.lastrowid


def update_row(model: type[Model], pk: Any, values: dict[str, Any]) -> int:
    """Sets these columns of the row with primary key `pk`; returns how many rows changed (0 or 1)."""
    statement = _statement(model, tuple(values))
    return execute(statement.update, [*statement.values(values), pk])


class _Statement(NamedTuple):
    """The INSERT and the UPDATE (by primary key) of these columns of a model's table, and how to prepare
    their values."""

    insert: str  # INSERT INTO table (columns) VALUES (%s, ...)
    update: str  # UPDATE table SET column = %s, ... WHERE pk = %s
    pk: str  # the quoted primary key column
    names: tuple[str, ...]
    preparers: tuple[Field[Any, Any] | None, ...]
    plain: bool  # no value needs preparing

    def values(self, row: dict[str, Any]) -> list[Any]:
        if self.plain:  # the common case, a row of numbers and strings: no call per value
            return [row[name] for name in self.names]
        db = _db()  # once per row, not once per value
        return [row[name] if field is None else _prepared(field, row[name], db)
                for name, field in zip(self.names, self.preparers)]


# Worked out once per model and set of columns: grouping writes the same few statements for every
# article, and quoting and looking up fields each time cost more than some of the statements themselves.
@functools.lru_cache(maxsize=256)
def _statement(model: type[Model], names: tuple[str, ...]) -> _Statement:
    fields = {field.column: field for field in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    assert model._meta.pk is not None  # every model has a primary key
    preparers = tuple(None if fields[name].get_internal_type() in _UNPREPARED_TYPES else fields[name]
                      for name in names)
    pk = quote(str(model._meta.pk.column))
    return _Statement(
        insert=f"INSERT INTO {table(model)} ({', '.join(quote(name) for name in names)}) VALUES ({marks(len(names))})",
        update=f"UPDATE {table(model)} SET {', '.join(f'{quote(name)} = %s' for name in names)} WHERE {pk} = %s",
        pk=pk, names=names, preparers=preparers, plain=all(field is None for field in preparers))


def _prepared(field: Field[Any, Any] | None, value: Any, db: BaseDatabaseWrapper) -> Any:
    return value if field is None or value is None else field.get_db_prep_save(value, db)
