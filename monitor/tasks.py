"""Huey tasks: thin wrappers that load ids and call one function of monitor.pipeline or sources.

All tasks live here, because the pipeline is composed here: a poll hands its new articles straight to the
extraction and tagging stages, and only monitor/ may know of both.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from monitor.maintenance import optimize_database
from monitor.pipeline import pending_articles, poll_and_collect, process_articles, worker_stages
from monitor.retagging import run_retag_job
from sources.actions import retry_sources_refused_as_private
from sources.articles import retry_due_pages
from sources.claims import release_orphaned_claims
from sources.models import Source
from sources.polling import prune_poll_history


@on_startup()
def resume_after_crash() -> None:
    # A worker killed mid-article left its claim behind, and the task it was running is gone from the queue:
    # release the claim and queue a sweep, so nothing waits for the next periodic tick.
    release_orphaned_claims()
    if pending_articles().exists():
        process_articles_task(None)


@on_startup()
def poll_due_sources_at_start() -> None:
    # A fresh install should not wait for the next minute's tick to show its first stories. Sources refused
    # only because private addresses were not allowed get another go, in case the worker now allows them.
    retry_sources_refused_as_private()
    enqueue_due_polls()


@db_periodic_task(crontab(minute="*"))
def enqueue_due_polls() -> int:
    """Every minute: queue a poll for each source whose time has come.

    No Huey lock: a lock left by a killed worker would never expire and polling would stop for good. Running
    twice is harmless, because a poll task claims its source and polls only if it is still due.
    """
    ids = list(Source.objects.due().values_list("id", flat=True))
    for source_id in ids:
        poll_source_task(source_id)
    return len(ids)


@db_task(retries=0)
def poll_source_task(source_id: int) -> None:
    new_ids = poll_and_collect(source_id)
    if new_ids:
        process_articles_task(new_ids)


@db_task(retries=0)
def process_articles_task(article_ids: list[int] | None) -> None:
    """Runs the given articles (None: every waiting article) through extraction and (unless tag workers run
    apart) tagging."""
    process_articles(article_ids, stages=worker_stages())


@db_periodic_task(crontab(minute="*"))
def sweep_pipeline() -> None:
    """Every minute: pick up anything waiting, such as articles whose worker died or whose claim expired.

    No Huey lock (one left by a killed worker never expires); article claims keep concurrent sweeps apart.
    """
    release_orphaned_claims()
    retry_due_pages()  # pages that failed for a passing reason; those that now work go back to tagging
    process_articles(stages=worker_stages())


@db_periodic_task(crontab(minute="17", hour="3"))
def prune_poll_history_daily() -> int:
    return prune_poll_history()


@db_periodic_task(crontab(minute="41", hour="*/6"))
def optimize_database_regularly() -> str:
    """Every six hours: fresh planner statistics as the archive grows (cheap: PRAGMA optimize skips fresh ones)."""
    return optimize_database()


@db_task(retries=0)
def retag_job_task(job_id: int) -> None:
    """Re-tags the articles a gazetteer change affects (monitor.retagging), saving progress as it goes."""
    run_retag_job(job_id)
