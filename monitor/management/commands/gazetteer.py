"""python manage.py gazetteer --sync: load the shipped organisation gazetteer into the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from monitor.gazetteer import sync_gazetteer


class Command(BaseCommand):
    help = ("Add shipped gazetteer entries that the database lacks and refresh shipped entries that no admin has "
            "edited. Entries admins created or changed are left alone.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sync", action="store_true", help="(default action)")

    def handle(self, *args: Any, **options: Any) -> None:
        added, updated = sync_gazetteer()
        self.stdout.write(f"gazetteer: {added} entries added, {updated} refreshed")
