"""Re-tagging the articles that a gazetteer change affects, as a background job with visible progress.

An admin edits or adds an organisation in the gazetteer; its stories were tagged with the old entry. The
affected articles are those that mention the entity linked to the entry, plus those whose stories' text
contains any of its names (found through the full-text index, so a new entry reaches articles that never
named it as an organisation). `start_retag_job` records them; `run_retag_job` re-tags them a batch at a time,
saving its progress after each batch, so a job a worker dropped can be resumed where it stopped.
Not for: re-tagging everything after a model upgrade (`manage.py retag --stale` does that).
"""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from monitor.models import GazetteerEntry, Mention, RetagJob, StoryArticle
from monitor.search import Backend, SearchQuery, Term
from monitor.tagging import article_text, get_tagger, retag_article
from sources.models import Article

# A name found in more stories than this is not searched for (a one-word alias like "Police" would drag in
# much of the archive); the entity's own mentions still count.
MAX_TEXT_MATCHES = 20_000
BATCH = 32


def affected_article_ids(entry: GazetteerEntry) -> list[int]:
    mentioned = set(Mention.objects.filter(entity__gazetteer=entry).values_list("article_id", flat=True))
    names = [name for name in {entry.canonical, *entry.acronyms, *entry.aliases} if name and name.strip()]
    query = SearchQuery(groups=[[Term(tuple(re.findall(r"\w+", name.lower()))) for name in names]])
    if query.groups[0] and all(term.words for term in query.groups[0]):
        backend = Backend.for_vendor(connection.vendor)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {backend.driver_key} FROM {backend.driver_table} WHERE {backend.driver_where} "
                           "LIMIT %s", [backend.syntax(query), MAX_TEXT_MATCHES + 1])
            keys = [row[0] for row in cursor.fetchall()]
        if len(keys) <= MAX_TEXT_MATCHES:
            mentioned |= set(StoryArticle.objects.filter(story__sort_key__in=keys)
                             .values_list("article_id", flat=True))
    return sorted(Article.objects.filter(pk__in=mentioned, status=Article.Status.TAGGED)
                  .values_list("pk", flat=True))


def start_retag_job(entry: GazetteerEntry, user: User | None = None) -> RetagJob:
    return RetagJob.objects.create(gazetteer_entry=entry, reason=f"gazetteer change: {entry.canonical}",
                                   created_by=user, article_ids=affected_article_ids(entry))


def run_retag_job(job_id: int) -> RetagJob:
    job = RetagJob.objects.get(pk=job_id)
    if job.state == RetagJob.State.DONE:
        return job
    RetagJob.objects.filter(pk=job.pk).update(state=RetagJob.State.RUNNING)
    tagger = get_tagger()
    try:
        while job.done < job.total:
            ids = job.article_ids[job.done:job.done + BATCH]
            batch = list(Article.objects.filter(pk__in=ids).order_by("id"))
            for article, analysis in zip(batch, tagger.analyze_many([article_text(a) for a in batch])):
                retag_article(article, tagger, analysis)
            job.done += len(ids)
            RetagJob.objects.filter(pk=job.pk).update(done=job.done)
    except Exception as exc:  # noqa: BLE001 - the job records what went wrong and can be run again
        RetagJob.objects.filter(pk=job.pk).update(state=RetagJob.State.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    RetagJob.objects.filter(pk=job.pk).update(state=RetagJob.State.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job
