"""python manage.py analyze --json FILE...: tag plain-text files, one JSON line per file."""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitor.nlp import analyze_files
from monitor.tagging import get_tagger


class Command(BaseCommand):
    help = "Tag plain-text files with the same pipeline the worker uses and print one JSON object per file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="one JSON line per file (the only format)")

    def handle(self, *args: Any, **options: Any) -> None:
        missing = [path for path in options["files"] if not os.path.isfile(path)]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        refused = 0
        for row in analyze_files(options["files"], get_tagger()):
            self.stdout.write(json.dumps(row, ensure_ascii=False))
            if "error" in row:
                refused += 1
                self.stderr.write(f"{row['path']}: {row['error']}")
            elif "warning" in row:
                self.stderr.write(f"{row['path']}: {row['warning']}")
        if refused:
            raise CommandError(f"{refused} of {len(options['files'])} files could not be tagged (see above).")
