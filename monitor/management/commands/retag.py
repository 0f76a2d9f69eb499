"""python manage.py retag [--since DATE]: re-run the tagger over stored articles."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date
from tqdm import tqdm

from monitor.tagging import article_text, get_tagger, retag_article
from sources.models import Article


class Command(BaseCommand):
    help = ("Re-run the tagging pipeline over tagged articles (for example after a gazetteer edit or a model "
            "upgrade), replacing their entities, mentions and figures. Shows a progress bar.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", metavar="DATE", help="only articles published on or after DATE (YYYY-MM-DD)")
        parser.add_argument("--stale", action="store_true",
                            help="only articles tagged by another pipeline version than the current one")
        parser.add_argument("--batch-size", type=int, default=32)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        articles = Article.objects.filter(status=Article.Status.TAGGED).order_by("id")
        if options["since"]:
            day = parse_date(options["since"])
            if day is None:
                raise CommandError(f"--since {options['since']!r} is not a date; use YYYY-MM-DD.")
            articles = articles.filter(published_at__gte=timezone.make_aware(datetime.combine(day, time.min)))
        tagger = get_tagger()
        if options["stale"]:
            articles = articles.exclude(pipeline_version=tagger.version)
        ids = list(articles.values_list("id", flat=True))
        size = max(1, options["batch_size"])
        with tqdm(total=len(ids), desc="retag", unit="article", disable=options["no_progress"]) as bar:
            for offset in range(0, len(ids), size):
                batch = list(Article.objects.filter(id__in=ids[offset:offset + size]).order_by("id"))
                analyses = tagger.analyze_many([article_text(a) for a in batch], batch_size=size)
                for article, analysis in zip(batch, analyses):
                    retag_article(article, tagger, analysis)
                    bar.update(1)
        self.stdout.write(f"re-tagged {len(ids)} articles with pipeline {tagger.version}")
