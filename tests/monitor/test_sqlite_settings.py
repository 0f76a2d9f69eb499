"""The embedded database runs as settings.py promises: WAL, relaxed syncs, and checkpoints far enough apart
that grouping articles is not slowed by one every few articles."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings; PostgreSQL has none of these")
def test_each_sqlite_connection_is_set_up_for_one_writer_and_many_readers() -> None:
    with connection.cursor() as cursor:
        found = {}
        for pragma in ("journal_mode", "synchronous", "foreign_keys", "wal_autocheckpoint", "journal_size_limit"):
            cursor.execute(f"PRAGMA {pragma}")
            found[pragma] = cursor.fetchone()[0]
    assert found == {"journal_mode": "wal", "synchronous": 1, "foreign_keys": 1, "wal_autocheckpoint": 10_000,
                     "journal_size_limit": 64 * 1024 * 1024}
