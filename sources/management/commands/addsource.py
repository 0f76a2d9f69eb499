"""python manage.py addsource URL... [--name NAME] [--interval MINUTES] [--group G]... [--type T] [--grade X]
[--language L] [--country C] [--no-check]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sources.adding import (DuplicateSource, FeedChoice, InvalidSource, add_source, check_address, groups_named,
                            interval_problem)
from sources.models import Source


class Command(BaseCommand):
    help = ("Add feed sources. Each address is fetched first, as on the dashboard's add page: a feed is added (its "
            "title as the name unless --name), a web page lists the feeds it leads to so you can add one, and "
            "anything else is refused with the reason. An address already followed, however it is spelled, "
            "changes nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("urls", nargs="+", metavar="URL", help="feed address (http or https)")
        parser.add_argument("--name", default="", help="display name (default: the feed's own title)")
        parser.add_argument("--interval", type=int, metavar="MINUTES",
                            help="poll at exactly this interval instead of letting it tune itself "
                                 "(1 to MONITOR_MAX_INTERVAL_MINUTES)")
        parser.add_argument("--group", action="append", default=[], metavar="NAME",
                            help="put the source in this group (created if needed); repeat for several")
        parser.add_argument("--type", default="", choices=[""] + list(Source.SourceType.values),
                            help="source type")
        parser.add_argument("--grade", default="", choices=[""] + list(Source.Reliability.values),
                            help="reliability grade, A (completely reliable) to F (cannot be judged, the default)")
        parser.add_argument("--language", default="", help="language tag, e.g. en (default: as the feed declares)")
        parser.add_argument("--country", default="", help="two-letter country code, e.g. PK")
        parser.add_argument("--no-check", action="store_true",
                            help="add without fetching the address first (for scripts and offline set-ups)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] is not None and (problem := interval_problem(options["interval"])):
            raise CommandError(f"{problem}.")
        failed = False
        for url in options["urls"]:
            try:
                self.add_one(url, options)
            except InvalidSource as exc:
                self.stderr.write(str(exc))
                failed = True
        if failed:
            raise CommandError("Some URLs were not added; see the messages above.")

    def add_one(self, url: str, options: dict[str, Any]) -> None:
        name, language, detail = options["name"], options["language"], "added with addsource --no-check"
        if not options["no_check"]:
            try:
                checked = check_address(url)
            except DuplicateSource as exc:
                self.stdout.write(f"already present: #{exc.existing.pk} {exc.existing.url}")
                return
            if isinstance(checked, FeedChoice):
                feeds = "\n".join(f"  {feed.url}  ({feed.title or 'untitled'}, {feed.item_count} items"
                                  f"{f'; already source #{feed.existing.pk}' if feed.existing else ''})"
                                  for feed in checked.feeds)
                raise InvalidSource(f"{url} is a web page, not a feed. It leads to:\n{feeds}\n"
                                    "Run addsource again with the feed's address.")
            url, name = checked.url, name or checked.title
            language = language or checked.language
            detail = f"checked with addsource: {checked.title or 'untitled feed'}, {checked.item_count} items"
        source, created = add_source(
            url, name=name, interval_minutes=options["interval"], language=language, country=options["country"],
            source_type=options["type"], reliability=options["grade"], groups=groups_named(options["group"]),
            actor="manage.py addsource", detail=detail)
        verb = "added" if created else "already present"
        self.stdout.write(f"{verb}: #{source.pk} {source.url}")
