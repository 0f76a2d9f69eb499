"""A time limit on the database work of one request, so no query can hold a server thread for long.

SQLite: a progress handler, called every few thousand virtual-machine steps, aborts the statement once the
deadline has passed. PostgreSQL: `SET LOCAL statement_timeout` inside a transaction. Either way the caller
gets `QueryTooSlow`, which views turn into a message that says how to narrow the request.
Not for: limiting the size of a query (monitor.search does that before anything runs).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction

# How many SQLite virtual-machine instructions run between two looks at the clock.
SQLITE_STEPS = 20_000


class QueryTooSlow(Exception):
    """The request's database work ran past MONITOR_QUERY_SECONDS and was stopped."""


@contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    seconds = settings.MONITOR_QUERY_SECONDS if seconds is None else seconds
    try:
        if connection.vendor == "postgresql":
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)",
                                   [f"{max(1, int(seconds * 1000))}ms"])
                yield
        elif connection.vendor == "sqlite":
            connection.ensure_connection()
            raw = connection.connection
            deadline = time.monotonic() + seconds
            raw.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, SQLITE_STEPS)
            try:
                yield
            finally:
                raw.set_progress_handler(None, 0)
        else:
            yield
    except OperationalError as exc:
        message = str(exc).lower()
        if "interrupted" in message or "statement timeout" in message or "canceling statement" in message:
            raise QueryTooSlow(f"stopped after {seconds:g} s") from exc
        raise
