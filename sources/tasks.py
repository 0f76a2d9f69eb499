"""Huey tasks for polling. Each is a thin wrapper: load ids, call a domain function in sources.polling."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from monitor.tasks import process_articles_task
from sources.models import Source
from sources.polling import due_sources, poll_sources, prune_poll_history


@db_periodic_task(crontab(minute="*"))
def enqueue_due_polls() -> int:
    """Every minute: queue a poll for each source whose time has come.

    No Huey lock: a lock left by a killed worker would never expire and polling would stop for good. Running
    twice is harmless, because a poll task claims its source and polls only if it is still due.
    """
    ids = list(due_sources().values_list("id", flat=True))
    for source_id in ids:
        poll_source_task(source_id)
    return len(ids)


@db_task(retries=0)
def poll_source_task(source_id: int) -> None:
    results = poll_sources(Source.objects.filter(pk=source_id, enabled=True), concurrency=1)
    new_ids = [article_id for result in results for article_id in result.new_article_ids]
    if new_ids:
        process_articles_task(new_ids)


@on_startup()
def poll_due_sources_at_start() -> None:
    # A fresh install should not wait for the next minute's tick to show its first stories.
    enqueue_due_polls()


@db_periodic_task(crontab(minute="17", hour="3"))
def prune_poll_history_daily() -> int:
    return prune_poll_history()
