"""python manage.py analyze [--json | --explain] FILE...: tag plain-text files, one JSON line per file, or each
tagged span with the rule that found it (--explain)."""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from monitor.nlp.files import analyze_files_with_analyses, explain_lines
from monitor.tagging import get_tagger


class Command(BaseCommand):
    help = "Tag plain-text files with the same pipeline the worker uses and print one JSON object per file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="one JSON line per file (the default)")
        parser.add_argument("--explain", action="store_true",
                            help="print each organisation, person, place and figure span with the rule that found it")

    def handle(self, *args: Any, **options: Any) -> None:
        missing = [path for path in options["files"] if not os.path.isfile(path)]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")
        refused = 0
        for row, analysis in analyze_files_with_analyses(options["files"], get_tagger()):
            if options["explain"] and analysis is not None:
                self.stdout.write("\n".join(explain_lines(row, analysis)))
            else:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            if "error" in row:
                refused += 1
                self.stderr.write(f"{row['path']}: {row['error']}")
            elif "warning" in row:
                self.stderr.write(f"{row['path']}: {row['warning']}")
        if refused:
            raise CommandError(f"{refused} of {len(options['files'])} files could not be tagged (see above).")
