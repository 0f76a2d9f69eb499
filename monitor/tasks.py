"""Huey tasks for the article pipeline: thin wrappers around monitor.pipeline."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from monitor.pipeline import pending_articles, process_articles, release_orphaned_claims


@on_startup()
def resume_after_crash() -> None:
    # A worker killed mid-article left its claim behind, and the task it was running is gone from the queue:
    # release the claim and queue a sweep, so nothing waits for the next periodic tick.
    release_orphaned_claims()
    if pending_articles().exists():
        process_articles_task(None)


@db_task(retries=0)
def process_articles_task(article_ids: list[int] | None) -> None:
    """Runs the given articles (None: every waiting article) through extraction and tagging."""
    process_articles(article_ids)


@db_periodic_task(crontab(minute="*"))
def sweep_pipeline() -> None:
    """Every minute: pick up anything waiting, such as articles whose worker died or whose claim expired.

    No Huey lock (one left by a killed worker never expires); article claims keep concurrent sweeps apart.
    """
    release_orphaned_claims()
    process_articles()
