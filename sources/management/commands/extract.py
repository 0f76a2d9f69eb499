"""python manage.py extract --json PATH_OR_URL...: extract articles from saved pages or URLs."""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sources.articles import PageUnavailable, fetch_page
from sources.extraction import ExtractedPage, ExtractionSkipped, extract_file
from sources.http import FetchError


class Command(BaseCommand):
    help = ("Extract title, text, author, date, site name and language from HTML files (.html or .html.gz) or "
            "http(s) URLs, printing one JSON object per input (with an \"error\" key for an input that failed; the "
            "others still run, and the exit status is 1). URLs go through the same safe fetcher as polling.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument("--json", action="store_true", help="one JSON line per input (the only format)")

    def handle(self, *args: Any, **options: Any) -> None:
        failures = 0
        for item in options["inputs"]:
            try:
                page = self.extract_one(item)
            except (FetchError, PageUnavailable, ExtractionSkipped, OSError, ValueError) as exc:
                failures += 1
                reason = getattr(exc, "reason", None) or getattr(exc, "code", None) or type(exc).__name__
                self.stdout.write(json.dumps({"input": item, "error": str(exc), "reason": reason}))
                continue
            row = {"input": item, **{k: v for k, v in page.to_dict().items() if k != "image"}}
            self.stdout.write(json.dumps(row, ensure_ascii=False))
        if failures == len(options["inputs"]):
            raise CommandError("Nothing could be extracted; see the error of each input above.")
        if failures:
            raise CommandError(f"{failures} of {len(options['inputs'])} inputs could not be extracted; "
                               "see their error lines above.")

    def extract_one(self, item: str) -> ExtractedPage:
        if item.lower().startswith(("http://", "https://")):
            return fetch_page(item)
        if "://" in item:
            raise ValueError(f"{item}: only http(s) URLs and local files can be extracted")
        if not os.path.isfile(item):
            raise OSError(f"no such file: {item}")
        return extract_file(item)
