"""python manage.py importopml FILE: add the feeds of an OPML file, with groups from its folders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sources.opml import MalformedOPML, import_opml


class Command(BaseCommand):
    help = ("Add every feed in an OPML file as a source; its folders and categories become source groups. Feeds "
            "already followed and bad addresses are skipped and listed. A file that cannot be read imports nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="an OPML file (.opml or .xml)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        try:
            report = import_opml(data, actor="manage.py importopml", file_name=path.name)
        except MalformedOPML as exc:
            raise CommandError(f"{path}: {exc}.") from exc
        for source in report.added:
            self.stdout.write(f"added: #{source.pk} {source.url}")
        for url, existing in report.duplicates:
            self.stdout.write(f"skipped, already followed as #{existing.pk} {existing}: {url}")
        for url, problem in report.invalid:
            self.stdout.write(f"skipped, bad address: {problem}")
        self.stdout.write(report.summary())
