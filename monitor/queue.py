"""Huey's SQLite queue, made to survive a full or read-only var/.

Stock SqliteHuey creates its tables when Django loads, so with a read-only or full var/ every `manage.py`
command died at start-up, even `sources`, and a running worker logged a traceback for every poll of the queue
(about 1,300 in 75 seconds). This storage creates its tables on first use, and when the queue file cannot be
read or written it logs one warning saying what is wrong and what to do, answers "nothing queued" so the
worker backs off, and logs once more when the queue works again. Tasks enqueued meanwhile still fail loudly:
losing them silently would be worse.
Not for: Redis (RedisHuey, chosen by REDIS_URL, is used as it comes).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from huey import SqliteHuey
from huey.storage import SqliteStorage

log = logging.getLogger(__name__)


class ResilientSqliteStorage(SqliteStorage):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["create_tables"] = False
        super().__init__(*args, **kwargs)
        self._tables_made = False
        self._schema_lock = threading.Lock()
        self._schema_owner: int | None = None
        self._failing = False
        self._state_lock = threading.Lock()

    @contextmanager
    def db(self, commit: bool = False, close: bool = False) -> Iterator[Any]:
        """Every storage operation opens its cursor here: the tables are made before the first one.

        The scheduler and the worker threads share this storage, so the first ones to arrive wait while one of
        them makes the tables (initialize_schema opens its own cursor through here, hence the owner check).
        """
        if not self._tables_made and self._schema_owner != threading.get_ident():
            with self._schema_lock:
                if not self._tables_made:
                    self._schema_owner = threading.get_ident()
                    try:
                        self.initialize_schema()
                        self._tables_made = True
                    finally:
                        self._schema_owner = None
        with super().db(commit=commit, close=close) as cursor:
            yield cursor

    def dequeue(self) -> bytes | None:
        try:
            data: bytes | None = super().dequeue()
        except sqlite3.Error as exc:
            self._went_wrong(exc)
            return None
        self._went_right()
        return data

    def read_schedule(self, ts: Any) -> list[bytes]:
        try:
            result: list[bytes] = super().read_schedule(ts)
        except sqlite3.Error as exc:
            self._went_wrong(exc)
            return []
        self._went_right()
        return result

    def _went_wrong(self, exc: sqlite3.Error) -> None:
        with self._state_lock:
            if not self._failing:
                self._failing = True
                log.warning("the task queue %s cannot be used (%s): is var/ full or read-only? Free space or fix "
                            "its permissions; the worker waits and tries again.", self.filename, exc)

    def _went_right(self) -> None:
        if self._failing:
            with self._state_lock:
                if self._failing:
                    self._failing = False
                    log.warning("the task queue %s works again", self.filename)


class ResilientSqliteHuey(SqliteHuey):  # type: ignore[misc]
    storage_class = ResilientSqliteStorage
