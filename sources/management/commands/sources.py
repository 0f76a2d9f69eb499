"""python manage.py sources [--json]: list sources and their polling state."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Sum

from sources.models import Source, SourceDay


class Command(BaseCommand):
    help = "List sources with their state; --json prints one JSON object per line for scripts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="one JSON line per source")

    def handle(self, *args: Any, **options: Any) -> None:
        # From the per-day counters, not by counting the articles themselves.
        counts = dict(SourceDay.objects.values_list("source_id").annotate(n=Sum("articles")).order_by())
        for source in Source.objects.order_by("id"):
            row = {
                "id": source.pk, "url": source.url, "name": source.name, "enabled": source.enabled,
                "status": source.status,
                "last_polled_at": source.last_polled_at.isoformat() if source.last_polled_at else None,
                "next_poll_at": source.next_poll_at.isoformat() if source.next_poll_at else None,
                "last_error": source.last_error or None, "consecutive_errors": source.consecutive_errors,
                "articles": counts.get(source.pk, 0),
            }
            if options["json"]:
                self.stdout.write(json.dumps(row))
            else:
                self.stdout.write(f"#{row['id']:<4} {row['status']:<13} {row['articles']:>6} articles  {source.url}"
                                  + (f"  ({source.last_error})" if source.last_error else ""))
