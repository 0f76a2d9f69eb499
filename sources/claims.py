"""Claims on articles, so each pipeline stage runs exactly once per article even when workers die.

A worker *claims* a batch of articles (claimed_by, claimed_until) before working on them and gives the claim
up in the same transaction that stores a stage's output and moves the article's status on. So:
- a worker that dies mid-stage has committed nothing for that article; its claim is released at the next
  start on the same host (the owning pid is gone) or, from other hosts, when the claim expires;
- a worker that finds its claim gone when it commits (someone took the article over) rolls back, so no
  stage is ever stored twice;
- a stage that fails on an article leaves it unclaimed but with `claimed_until` set to when it may be tried
  again, with backoff, so neither the same run nor the next sweeps retry it at once.
This module knows nothing of the stages themselves: it works on any status. Which stages exist and in what
order is monitor.pipeline's business.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sources.models import Article

log = logging.getLogger(__name__)

HOSTNAME = socket.gethostname()
# Tells this process apart from an earlier one that had the same pid (a restarted container often does).
PROCESS_TOKEN = uuid.uuid4().hex[:8]
# A stage that fails this many times on one article gives up and marks it failed, rather than crash-looping.
MAX_ATTEMPTS = 3
# Between attempts: MONITOR_STAGE_RETRY_SECONDS after the first failure, this many times longer after each further one.
RETRY_BACKOFF_FACTOR = 5


class ClaimLost(Exception):
    """Another worker took this article over while we worked on it; our result must not be stored."""


def worker_identity() -> str:
    """host:pid:process-token:run-token. Each stage run gets its own, so threads of one process never share."""
    return f"{HOSTNAME}:{os.getpid()}:{PROCESS_TOKEN}:{uuid.uuid4().hex[:8]}"


def _claimable(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def claim_articles(status: str, *, limit: int, ids: Iterable[int] | None = None, owner: str | None = None,
                   where: Q | None = None) -> list[Article]:
    """Claims up to `limit` articles in `status` that nobody holds (and that meet `where`), oldest first."""
    owner = owner or worker_identity()
    now = timezone.now()
    until = now + timedelta(seconds=settings.MONITOR_CLAIM_SECONDS)
    with transaction.atomic():
        candidates = Article.objects.filter(_claimable(now), status=status)
        if where is not None:
            candidates = candidates.filter(where)
        if ids is not None:
            candidates = candidates.filter(id__in=list(ids))
        # skip_locked lets PostgreSQL workers claim side by side; SQLite serialises through IMMEDIATE instead.
        chosen = list(candidates.select_for_update(skip_locked=True).order_by("id").values_list("id", flat=True)[:limit])
        Article.objects.filter(id__in=chosen).update(claimed_by=owner, claimed_until=until)
    return list(Article.objects.filter(id__in=chosen, claimed_by=owner).select_related("source").order_by("id"))


def renew_claim(article: Article) -> bool:
    """Extends our claim just before working on the article, so a slow batch cannot outlive its claims."""
    until = timezone.now() + timedelta(seconds=settings.MONITOR_CLAIM_SECONDS)
    renewed = Article.objects.filter(pk=article.pk, claimed_by=article.claimed_by, status=article.status).update(
        claimed_until=until)
    article.claimed_until = until
    return renewed == 1


def commit_stage(article: Article, *, to_status: str, fields: dict[str, object]) -> None:
    """Stores a stage's output and releases the claim; raises ClaimLost if the claim is no longer ours.

    Call inside transaction.atomic() together with any rows the stage writes, so all of it commits or none.
    """
    updated = Article.objects.filter(pk=article.pk, claimed_by=article.claimed_by, status=article.status).update(
        status=to_status, claimed_by="", claimed_until=None, last_error="", **fields
    )
    if updated != 1:
        raise ClaimLost(f"article {article.pk} was taken over by another worker")
    article.status = to_status
    for name, value in fields.items():
        setattr(article, name, value)
    article.claimed_by = ""
    article.claimed_until = None


def retry_delay(attempts: int) -> timedelta:
    """How long an article waits after its `attempts`-th failure before a stage tries it again."""
    return timedelta(seconds=settings.MONITOR_STAGE_RETRY_SECONDS * RETRY_BACKOFF_FACTOR ** max(0, attempts - 1))


def record_failure(article: Article, error: BaseException) -> None:
    """Keeps the error and releases the claim; the article waits with backoff, and is given up on (FAILED)
    after MAX_ATTEMPTS."""
    attempts = article.attempts + 1
    give_up = attempts >= MAX_ATTEMPTS
    retry_at = None if give_up else timezone.now() + retry_delay(attempts)
    note = "" if retry_at is None else (
        f" (attempt {attempts} of {MAX_ATTEMPTS}; retrying after {retry_at:%Y-%m-%d %H:%M:%S} UTC)")
    Article.objects.filter(pk=article.pk, claimed_by=article.claimed_by).update(
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[: 2000 - len(note)] + note,
        claimed_by="",
        claimed_until=retry_at,
        **({"status": Article.Status.FAILED} if give_up else {}),
    )
    log.warning("article %s failed (attempt %s%s): %s", article.pk, attempts, ", giving up" if give_up else "", error)


def release_orphaned_claims() -> int:
    """Releases claims held by processes on this host that no longer exist (a killed worker).

    Claims from other hosts are left to expire (MONITOR_CLAIM_SECONDS): from here we cannot tell whether
    their worker is alive.
    """
    released = 0
    for article_id, owner in Article.objects.filter(claimed_by__startswith=f"{HOSTNAME}:").values_list("id", "claimed_by"):
        if _owner_is_gone(owner):
            released += Article.objects.filter(pk=article_id, claimed_by=owner).update(claimed_by="", claimed_until=None)
    if released:
        log.info("released %s articles claimed by dead workers", released)
    return released


def _owner_is_gone(owner: str) -> bool:
    parts = owner.split(":")
    try:
        pid, token = int(parts[1]), parts[2]
    except (IndexError, ValueError):
        return False  # not a claim format we know: leave it to expire
    if pid == os.getpid():
        return token != PROCESS_TOKEN  # our pid, but an earlier process's claim
    return not _pid_alive(pid)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class StageRun:
    """What one run of a stage over claimed articles did."""

    done: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def run_claimed(status: str, work: Callable[[Article], None], *, ids: Iterable[int] | None = None,
                batch_size: int = 16, progress: Callable[[int], None] | None = None,
                prepare: Callable[[list[Article]], None] | None = None,
                stop: Callable[[], bool] | None = None, max_batches: int | None = None) -> StageRun:
    """Claims batches of articles in `status` and calls `work` on each until none is left (or after
    `max_batches` batches).

    `work` must store its output through `commit_stage`; an exception from it is recorded on the article
    (`record_failure`), which then waits out its backoff, and the loop goes on with the next one.
    `prepare`, when given, first sees the whole claimed batch (the tagging stage runs the NLP over it in one
    go); if it fails, `work` still runs article by article. `stop`, when given, is asked before each batch
    is claimed: a worker shutting down finishes its batch and claims no more.
    """
    id_list = list(ids) if ids is not None else None
    owner = worker_identity()
    run = StageRun()
    batches = 0
    while (stop is None or not stop()) and (max_batches is None or batches < max_batches):
        batches += 1
        batch = claim_articles(status, limit=batch_size, ids=id_list, owner=owner)
        if not batch:
            return run
        if prepare is not None:
            try:
                prepare(batch)
            except Exception:  # noqa: BLE001 - each article is then worked on alone, and fails alone
                log.exception("preparing a batch of %d articles failed; working on them one by one", len(batch))
        for article in batch:
            if not renew_claim(article):
                continue  # held too long behind slow neighbours in the batch: another worker has it now
            try:
                work(article)
            except ClaimLost as exc:
                log.info("%s", exc)
            except Exception as exc:  # noqa: BLE001 - one bad article must not stop the batch
                record_failure(article, exc)
                run.failed += 1
                run.errors.append(f"article {article.pk}: {exc}")
            else:
                run.done += 1
            if progress:
                progress(1)
    return run
