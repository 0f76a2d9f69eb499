"""Claims: how workers share articles without losing one or doing one twice (sources.claims)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from sources import claims
from sources.claims import ClaimLost, claim_articles, commit_stage, release_orphaned_claims, run_claimed
from sources.models import Article, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles() -> list[Article]:
    source = Source.objects.create(url="https://news.example/feed.xml")
    return [Article.objects.create(source=source, guid=str(i), url=f"https://news.example/{i}",
                                   canonical_url=f"https://news.example/{i}", url_hash=str(i), title=f"Story {i}")
            for i in range(4)]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_claimed_article_is_not_claimed_again(articles: list[Article]) -> None:
    first = claim_articles(Article.Status.NEW, limit=2, owner="host:1:a:x")
    second = claim_articles(Article.Status.NEW, limit=10, owner="host:2:b:y")
    assert {a.pk for a in first}.isdisjoint({a.pk for a in second})
    assert len(first) + len(second) == 4


def test_an_expired_claim_can_be_taken_over_and_the_old_owner_cannot_commit(articles: list[Article]) -> None:
    (mine,) = claim_articles(Article.Status.NEW, limit=1, owner="host:1:a:x")
    Article.objects.filter(pk=mine.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    (theirs,) = claim_articles(Article.Status.NEW, limit=1, ids=[mine.pk], owner="host:2:b:y")
    assert theirs.pk == mine.pk
    with pytest.raises(ClaimLost), transaction.atomic():
        commit_stage(mine, to_status=Article.Status.EXTRACTED, fields={"text": "stale"})
    commit_stage(theirs, to_status=Article.Status.EXTRACTED, fields={"text": "fresh"})
    assert Article.objects.get(pk=mine.pk).text == "fresh"


def test_a_slow_batch_renews_each_claim_and_skips_those_taken_over(articles: list[Article]) -> None:
    done: list[int] = []

    def stage(article: Article) -> None:
        done.append(article.pk)
        # While this article is worked on, the batch's last claim expires and another worker takes it.
        last = articles[-1]
        Article.objects.filter(pk=last.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
        claim_articles(Article.Status.NEW, limit=1, ids=[last.pk], owner="host:9:z:z")
        with transaction.atomic():
            commit_stage(article, to_status=Article.Status.EXTRACTED, fields={})

    run_claimed(Article.Status.NEW, stage, ids=None, batch_size=10)
    assert articles[-1].pk not in done and len(done) == 3
    assert Article.objects.get(pk=articles[-1].pk).claimed_by == "host:9:z:z"


def test_claims_of_a_dead_process_on_this_host_are_released(articles: list[Article]) -> None:
    claim_articles(Article.Status.NEW, limit=1, owner=f"{claims.HOSTNAME}:{dead_pid()}:old:x")
    claim_articles(Article.Status.NEW, limit=1, owner=f"{claims.HOSTNAME}:{os.getpid()}:{claims.PROCESS_TOKEN}:y")
    claim_articles(Article.Status.NEW, limit=1, owner="another-host:1:t:z")
    assert release_orphaned_claims() == 1
    holders = set(Article.objects.exclude(claimed_by="").values_list("claimed_by", flat=True))
    assert holders == {f"{claims.HOSTNAME}:{os.getpid()}:{claims.PROCESS_TOKEN}:y", "another-host:1:t:z"}


def test_claims_of_an_earlier_process_with_our_pid_are_released(articles: list[Article]) -> None:
    claim_articles(Article.Status.NEW, limit=1, owner=f"{claims.HOSTNAME}:{os.getpid()}:earlier:x")
    assert release_orphaned_claims() == 1


def test_a_failing_stage_waits_with_backoff_and_gives_up_after_max_attempts(articles: list[Article]) -> None:
    calls: list[int] = []
    pk = articles[0].pk

    def broken(article: Article) -> None:
        calls.append(article.pk)
        raise RuntimeError("extractor crashed")

    run = run_claimed(Article.Status.NEW, broken, ids=[pk], batch_size=1)
    assert calls == [pk] and run.failed == 1  # once per run, not MAX_ATTEMPTS times back to back
    article = Article.objects.get(pk=pk)
    assert article.status == Article.Status.NEW and article.attempts == 1 and article.claimed_by == ""
    first_wait = article.claimed_until - timezone.now()
    assert timedelta(seconds=50) < first_wait <= timedelta(seconds=60)
    assert "retrying after" in article.last_error

    run_claimed(Article.Status.NEW, broken)  # a sweep before the wait is over leaves it alone
    assert calls.count(pk) == 1 and len(calls) == len(articles)

    for attempt in range(2, claims.MAX_ATTEMPTS + 1):
        Article.objects.filter(pk=pk).update(claimed_until=timezone.now() - timedelta(seconds=1))  # the wait is over
        run_claimed(Article.Status.NEW, broken, ids=[pk])
        assert calls.count(pk) == attempt
        article = Article.objects.get(pk=pk)
        if attempt < claims.MAX_ATTEMPTS:
            assert article.claimed_until - timezone.now() > first_wait  # each wait is longer than the last
    assert article.status == Article.Status.FAILED and "extractor crashed" in article.last_error
    assert article.claimed_by == "" and article.claimed_until is None and article.attempts == claims.MAX_ATTEMPTS
