"""python manage.py poll --once [--all]: poll, extract and tag in this process, then exit."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from monitor.pipeline import pending_steps, process_articles
from sources.claims import release_orphaned_claims
from sources.models import Source
from sources.poll_runner import poll_sources


class Command(BaseCommand):
    help = ("Poll every due source (with --all, every enabled source), then run every new article through "
            "extraction and tagging in this process, and print a summary. The worker does the same continuously.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="poll once and exit (the only mode for now)")
        parser.add_argument("--all", action="store_true", help="poll every enabled source, whatever its schedule")
        parser.add_argument("--json", action="store_true", help="print the summary as one JSON line")
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["once"]:
            raise CommandError("Use --once (the background worker, `python manage.py run_huey`, polls continuously).")
        show = not options["no_progress"] and not options["json"]
        release_orphaned_claims()
        sources = list(Source.objects.filter(enabled=True) if options["all"] else Source.objects.due())
        with tqdm(total=len(sources), desc="polling", unit="source", disable=not show) as bar:
            results = poll_sources(sources, force=options["all"], on_result=lambda _: bar.update(1))
        outcomes: dict[str, int] = {}
        for result in results:
            outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        new_articles = sum(len(r.new_article_ids) for r in results)
        with tqdm(total=pending_steps(), desc="extract+tag", unit="step", disable=not show) as bar:
            report = process_articles(progress=bar.update)
        errors = [f"{r.source_name}: {r.error}" for r in results if r.error][:20] + report.errors[:20]
        summary = {"sources_polled": len(results), "outcomes": outcomes, "new_articles": new_articles,
                   "extracted": report.extracted, "tagged": report.tagged, "failed": report.failed,
                   "errors": errors}
        if options["json"]:
            self.stdout.write(json.dumps(summary))
            return
        self.stdout.write(f"polled {summary['sources_polled']} sources: "
                          + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
        self.stdout.write(f"new articles {new_articles}; extracted {report.extracted}; tagged {report.tagged}; "
                          f"failed {report.failed}")
        for error in errors:
            self.stdout.write(f"  error: {error}")
