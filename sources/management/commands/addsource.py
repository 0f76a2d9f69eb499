"""python manage.py addsource URL... [--name NAME] [--interval MINUTES]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sources.adding import InvalidSource, add_source, interval_problem


class Command(BaseCommand):
    help = "Add one or more feed URLs as sources. Adding a URL that is already a source changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("urls", nargs="+", metavar="URL", help="feed address (http or https)")
        parser.add_argument("--name", default="", help="display name (default: the feed's own title)")
        parser.add_argument("--interval", type=int, metavar="MINUTES",
                            help="poll at exactly this interval instead of letting it tune itself "
                                 "(1 to MONITOR_MAX_INTERVAL_MINUTES)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] is not None and (problem := interval_problem(options["interval"])):
            raise CommandError(f"{problem}.")
        failed = False
        for url in options["urls"]:
            try:
                source, created = add_source(url, name=options["name"], interval_minutes=options["interval"])
            except InvalidSource as exc:
                self.stderr.write(str(exc))
                failed = True
                continue
            verb = "added" if created else "already present"
            self.stdout.write(f"{verb}: #{source.pk} {source.url}")
        if failed:
            raise CommandError("Some URLs were not added; see the messages above.")
