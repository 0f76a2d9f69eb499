"""python manage.py exportopml [--group NAME] [--output FILE]: sources as an OPML file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sources.models import Source, SourceGroup
from sources.opml import export_opml


class Command(BaseCommand):
    help = "Write every source, or one group's, as OPML 2.0 (to standard output, or --output FILE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--group", metavar="NAME", help="only this group (its name, any case, or its id)")
        parser.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        group = None
        if options["group"]:
            wanted = options["group"].strip()
            group = (SourceGroup.objects.filter(name__iexact=wanted).first()
                     or (SourceGroup.objects.filter(pk=int(wanted)).first() if wanted.isdigit() else None))
            if group is None:
                names = ", ".join(SourceGroup.objects.order_by("name").values_list("name", flat=True)) or "none yet"
                raise CommandError(f"There is no source group {wanted!r}. Groups: {names}.")
            sources = group.sources.order_by("name", "id")
        else:
            sources = Source.objects.order_by("name", "id").prefetch_related("groups")
        body = export_opml(sources, title=f"Monitor sources: {group.name}" if group else "Monitor sources",
                           group=group)
        if options["output"]:
            Path(options["output"]).write_bytes(body)
            self.stderr.write(f"wrote {options['output']}")
        else:
            self.stdout.write(body.decode("utf-8"), ending="")
