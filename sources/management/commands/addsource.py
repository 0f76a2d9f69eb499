"""python manage.py addsource URL... [--name NAME] [--interval MINUTES]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sources.adding import InvalidSourceURL, add_source


class Command(BaseCommand):
    help = "Add one or more feed URLs as sources. Adding a URL that is already a source changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("urls", nargs="+", metavar="URL", help="feed address (http or https)")
        parser.add_argument("--name", default="", help="display name (default: the feed's own title)")
        parser.add_argument("--interval", type=int, metavar="MINUTES",
                            help="poll at exactly this interval instead of letting it tune itself")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] is not None and options["interval"] < 1:
            raise CommandError("--interval must be at least 1 minute.")
        failed = False
        for url in options["urls"]:
            try:
                source, created = add_source(url, name=options["name"], interval_minutes=options["interval"])
            except InvalidSourceURL as exc:
                self.stderr.write(str(exc))
                failed = True
                continue
            verb = "added" if created else "already present"
            self.stdout.write(f"{verb}: #{source.pk} {source.url}")
        if failed:
            raise CommandError("Some URLs were not added; see the messages above.")
