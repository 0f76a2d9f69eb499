"""Keeping the database fast: planner statistics, and dashboard tables for stories made before they existed.

`optimize_database` gives the query planner fresh statistics (SQLite: ANALYZE the first time, PRAGMA optimize
after; PostgreSQL: ANALYZE). Without them SQLite once chose the wrong index for the story list and read every
mention in the archive. `index_unindexed_stories` fills the dashboard tables for stories an older Monitor
made (migration 0004 added the tables empty), a batch at a time, with progress.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from monitor.models import Story
from monitor.story_index import refresh_story_index


def optimize_database() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                cursor.execute("ANALYZE")
                return "ANALYZE"
            cursor.execute("PRAGMA optimize")
            return "PRAGMA optimize"
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
            return "ANALYZE"
    return "nothing to do"


def unindexed_stories() -> int:
    """Stories with articles that the dashboard cannot see yet."""
    return Story.objects.filter(sort_key__isnull=True, members__isnull=False).distinct().count()


def index_unindexed_stories(*, batch: int = 500, progress: Callable[[int], None] | None = None) -> int:
    done = 0
    while True:
        ids = list(Story.objects.filter(sort_key__isnull=True, members__isnull=False).distinct()
                   .order_by("id").values_list("id", flat=True)[:batch])
        if not ids:
            return done
        for story in Story.objects.filter(pk__in=ids):
            with transaction.atomic():
                refresh_story_index(story)
            done += 1
            if progress:
                progress(1)
