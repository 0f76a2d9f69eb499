"""What the pipeline is doing right now, in numbers the dashboard shows: freshness, backlog, failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q

from sources.models import Article, Source


@dataclass(frozen=True)
class PipelineStatus:
    sources_enabled: int
    sources_failing: int
    sources_disabled: int
    last_polled_at: datetime | None
    articles_waiting: int
    articles_failed: int


def pipeline_status() -> PipelineStatus:
    sources = Source.objects.aggregate(
        n_enabled=Count("id", filter=Q(enabled=True)),
        n_failing=Count("id", filter=Q(enabled=True, consecutive_errors__gt=0)),
        n_disabled=Count("id", filter=Q(enabled=False)),
        last=Max("last_polled_at"),
    )
    # Only the unfinished statuses are counted, through the (status, claimed_until) index: no table scan.
    waiting = [Article.Status.NEW, Article.Status.EXTRACTED, Article.Status.ANALYSED]
    articles = Article.objects.filter(status__in=[*waiting, Article.Status.FAILED]).aggregate(
        n_waiting=Count("id", filter=Q(status__in=waiting)),
        n_failed=Count("id", filter=Q(status=Article.Status.FAILED)),
    )
    return PipelineStatus(
        sources_enabled=sources["n_enabled"], sources_failing=sources["n_failing"],
        sources_disabled=sources["n_disabled"], last_polled_at=sources["last"], articles_waiting=articles["n_waiting"],
        articles_failed=articles["n_failed"],
    )
