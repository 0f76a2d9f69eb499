"""python manage.py reindex [--optimize]: fill the dashboard tables for stories they do not cover yet."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from monitor.maintenance import index_unindexed_stories, optimize_database, unindexed_stories


class Command(BaseCommand):
    help = ("Fill the dashboard's tables (stories by entity, by outlet, search) for stories made before they "
            "existed, with a progress bar; --optimize then refreshes the query planner's statistics.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--optimize", action="store_true", help="also run ANALYZE / PRAGMA optimize")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        waiting = unindexed_stories()
        with tqdm(total=waiting, desc="indexing stories", unit="story", disable=options["no_progress"]) as bar:
            done = index_unindexed_stories(progress=bar.update)
        self.stdout.write(f"indexed {done} stories")
        if options["optimize"]:
            self.stdout.write(f"statistics: {optimize_database()}")
