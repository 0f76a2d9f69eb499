"""The candidate index grouping keeps in memory (monitor.candidate_index): lookups within the dedup window,
catching up on what other workers grouped, rollbacks, a database that went back, eviction, moved and undated
articles, and the plans of the two queries it reads the database with. Runs on SQLite and PostgreSQL.

Each "worker" is a CandidateIndex of its own on the one database, as each grouping process has.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from django.db import connection, transaction
from django.utils import timezone

import monitor.candidate_index as candidate_index
import monitor.stories as stories
from monitor.candidate_index import CandidateIndex, _Week, index_fields
from monitor.models import ClusteringCounter, Story, StoryArticle
from monitor.stories import next_sequence
from sources.models import Article, Source
from tests.monitor.builders import clustered_article

WHEN = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
_serial = itertools.count()


def grouped(keys: list[int], when: datetime | None = WHEN, *, seq: int | None = None) -> int:
    """A grouped article with these index keys, written as assign_story writes one; returns its id."""
    n = next(_serial)
    outlet, _ = Source.objects.get_or_create(url="https://news.example/feed.xml", defaults={"name": "News"})
    article = Article.objects.create(source=outlet, guid=f"g{n}", url=f"https://news.example/{n}",
                                     canonical_url=f"https://news.example/{n}", url_hash=f"index-{n}",
                                     title="NACTA report", status=Article.Status.TAGGED, published_at=when)
    story = Story.objects.create(title="NACTA report")
    StoryArticle.objects.create(article=article, story=story, compared_seq=seq or next_sequence(),
                                **index_fields(when, keys))
    return article.pk


def top() -> int:
    """The last clustering number given, as assign_story passes it to catch_up (without taking a new one)."""
    return ClusteringCounter.objects.filter(pk=1).values_list("last", flat=True).first() or 0


def looked_up(index: CandidateIndex, keys: list[int], when: datetime | None = WHEN, exclude: int = 0) -> list[int]:
    """What a worker's grouping transaction finds: it catches up, then looks up."""
    with transaction.atomic():
        index.catch_up(top())
        return index.ranked([keys], when, exclude, 20)[0]


@pytest.mark.django_db
def test_articles_sharing_the_most_keys_come_first_within_the_window(settings: Any) -> None:
    settings.MONITOR_DEDUP_WINDOW_DAYS = 2
    itself = grouped([1, 2, 3])
    two = grouped([1, 2, 50])
    twice = grouped([1, 1, 60])  # a key stored twice counts twice, as two index rows did
    edge = grouped([1, 2, 3], WHEN - timedelta(days=2))
    past = grouped([1, 2, 3], WHEN - timedelta(days=2, seconds=1))
    later = grouped([3], WHEN + timedelta(days=1))
    index = CandidateIndex()
    index.catch_up(top())
    assert index.ranked([[3, 2, 1, 1]], WHEN, itself, 20) == [[edge, twice, two, later]]
    assert past not in index.ranked([[1, 2, 3]], WHEN, itself, 20)[0]
    assert index.ranked([[1, 2, 3]], WHEN, itself, 2) == [[edge, twice]]
    # Each set is ranked on its own keys, though all are looked up at once.
    assert index.ranked([[99], [60, 50], [3]], WHEN, itself, 20) == [[], [twice, two], [later, edge]]


@pytest.mark.django_db(transaction=True)
def test_a_worker_takes_in_what_another_worker_grouped_since_it_looked() -> None:
    first = grouped([5, 6])
    worker_a, worker_b = CandidateIndex(), CandidateIndex()
    assert looked_up(worker_a, [5]) == [first] and looked_up(worker_b, [5]) == [first]
    loads = worker_b.loads

    with transaction.atomic():  # worker A groups an article
        worker_a.catch_up(top())
        second = grouped([5, 7])
    assert looked_up(worker_b, [7]) == [second]
    assert looked_up(worker_b, [5]) == [second, first]
    assert worker_b.loads == loads  # taken in by catching up, not by reading its day again
    assert worker_b.held()["position"] == top()


@pytest.mark.django_db(transaction=True)
def test_a_copy_grouped_by_another_worker_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through assign_story: worker B held the day before worker A grouped the original; B groups the repost."""
    when = timezone.now()
    worker_a, worker_b = CandidateIndex(), CandidateIndex()
    with transaction.atomic():
        worker_b.catch_up(top())
        worker_b.load_window(when)
    monkeypatch.setattr(stories, "INDEX", worker_a)
    with transaction.atomic():
        original = clustered_article("nacta_original", "news.example", when=when)
    monkeypatch.setattr(stories, "INDEX", worker_b)
    with transaction.atomic():
        repost = clustered_article("nacta_repost", "aggregator.example", hours=3, when=when)
    assert repost.story_link.story_id == original.story_link.story_id
    assert repost.story_link.evidence["matched"] == original.pk


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_grouping_does_not_hide_the_article_that_reuses_its_number() -> None:
    index = CandidateIndex()
    looked_up(index, [1])  # holds the day
    doomed_seq = top() + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        grouped([9])  # takes the next number, doomed_seq
        index.catch_up(top())  # reads its own transaction's row...
        raise RuntimeError("the grouping transaction fails")  # ...which then never existed
    # Another worker groups an article and is given the same number (MAX + 1).
    reused = grouped([8])
    assert StoryArticle.objects.get(article_id=reused).compared_seq == doomed_seq
    assert looked_up(index, [8]) == [reused]


@pytest.mark.django_db(transaction=True)
def test_an_emptied_database_is_read_again() -> None:
    index = CandidateIndex()
    for _ in range(3):
        grouped([4])
    assert len(looked_up(index, [4])) == 3
    # Emptied, counter and all (as a test database is), then grouped afresh.
    StoryArticle.objects.all().delete()
    ClusteringCounter.objects.all().delete()
    restored = grouped([3])
    assert looked_up(index, [3]) == [restored]
    assert looked_up(index, [4]) == []


@pytest.mark.django_db(transaction=True)
def test_numbers_of_deleted_articles_are_not_given_again() -> None:
    """Deleting the newest grouped articles (a source deleted with its articles) must not hand their numbers
    to the next articles: a worker that caught up past those numbers would never read them."""
    index = CandidateIndex()
    grouped([1])
    newest = grouped([1])
    looked_up(index, [1])  # caught up past the newest number
    Article.objects.filter(pk=newest).delete()
    later = [grouped([2]) for _ in range(2)]
    assert sorted(looked_up(index, [2])) == sorted(later)


@pytest.mark.django_db
def test_the_counter_starts_past_every_number_in_use() -> None:
    grouped([1], seq=41)
    ClusteringCounter.objects.all().delete()  # as in a database emptied, or grouped before the counter
    assert next_sequence() == 42 and next_sequence() == 43


@pytest.mark.django_db
def test_a_deleted_article_gives_its_place_to_the_next_in_line(settings: Any) -> None:
    settings.MONITOR_DEDUP_MAX_CANDIDATES = 1
    newcomer_keys = [5, 6, 7]
    kept = clustered_article("nacta_original", "news.example", when=WHEN)
    StoryArticle.objects.filter(article=kept).update(compared_seq=next_sequence(),
                                                     **index_fields(WHEN, [5, 900]))
    deleted = grouped([5, 6, 7])  # shares more keys, so it ranks first
    with transaction.atomic():
        stories.INDEX.catch_up(top())
        assert stories.INDEX.ranked([newcomer_keys], WHEN, 0, 1) == [[deleted]]
    Article.objects.filter(pk=deleted).delete()
    newcomer = clustered_article("nacta_repost", "aggregator.example", when=WHEN)
    found = stories.candidates(newcomer, [newcomer_keys], seq=next_sequence())
    assert [compared.article_id for compared, _ in found] == [kept.pk]
    assert stories.INDEX.held()["articles"] == 2  # the deleted one forgotten: the kept one and the newcomer


@pytest.mark.django_db
def test_weeks_beyond_the_limit_are_dropped_least_recently_used_first(settings: Any) -> None:
    settings.MONITOR_DEDUP_WINDOW_DAYS = 1
    settings.MONITOR_STORY_INDEX_WEEKS = 1  # fewer than a lookup reads: it holds those
    start_of_week = datetime(2026, 11, 19, 12, 0, tzinfo=UTC)  # so a day either side spans two weeks
    assert int(start_of_week.timestamp()) // 86_400 % 7 == 0
    later = start_of_week + timedelta(weeks=10)
    early = grouped([7], start_of_week)
    late = grouped([7], later)
    index = CandidateIndex()
    assert looked_up(index, [7], start_of_week) == [early]
    assert index.held()["weeks"] == 2 and index.held()["articles"] == 1 and index.loads == 2
    assert looked_up(index, [7], later) == [late]
    assert index.held()["weeks"] == 2 and index.held()["articles"] == 1  # the early article's weeks went
    assert looked_up(index, [7], start_of_week) == [early]
    assert index.loads == 6


@pytest.mark.django_db
def test_an_article_dated_again_moves_to_its_new_day() -> None:
    article = grouped([4, 5])
    index = CandidateIndex()
    later = WHEN + timedelta(days=20)
    assert looked_up(index, [4]) == [article] and looked_up(index, [4], later) == []
    # Grouped again once a late extraction dated it 20 days later, with other keys.
    StoryArticle.objects.filter(article_id=article).update(compared_seq=next_sequence(), **index_fields(later, [5, 6]))
    assert looked_up(index, [4]) == [] and looked_up(index, [5]) == []
    assert looked_up(index, [6], later) == [article] and looked_up(index, [4], later) == []
    assert index.held()["articles"] == 1


@pytest.mark.django_db
def test_an_undated_article_is_compared_with_undated_ones_and_the_days_around_now() -> None:
    now = timezone.now()
    undated = grouped([2], None)
    recent = grouped([2], now - timedelta(days=1))
    old = grouped([2], now - timedelta(days=30))
    index = CandidateIndex()
    assert sorted(looked_up(index, [2], None)) == sorted([undated, recent])
    assert looked_up(index, [2], now) == [recent]  # a dated article is never compared with undated ones
    assert old not in looked_up(index, [2], None)


@pytest.mark.django_db
def test_rows_without_keys_are_not_in_the_index() -> None:
    outlet = Source.objects.create(url="https://old.example/feed.xml", name="Old")
    article = Article.objects.create(source=outlet, guid="o", url="https://old.example/o",
                                     canonical_url="https://old.example/o", url_hash="o", title="t", published_at=WHEN)
    StoryArticle.objects.create(article=article, story=Story.objects.create(title="t"), compared_seq=next_sequence(),
                                published_epoch=int(WHEN.timestamp()))
    keyed = grouped([1])
    index = CandidateIndex()
    assert looked_up(index, [1]) == [keyed]
    assert index.held()["articles"] == 1  # the keyless row was read with its week and left out


def test_a_day_answers_as_a_plain_dict_would_through_adds_removes_and_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    # Small tiers, so keys move from the dict to the recent arrays and on to the main ones again and again.
    monkeypatch.setattr(candidate_index, "_ADDED_UP_TO", 5)
    monkeypatch.setattr(candidate_index, "_MERGE_AFTER", 12)
    rng = random.Random(5)
    keys_of = {article: np.asarray([rng.randrange(8) for _ in range(4)], dtype=np.int64) for article in range(6)}
    day = _Week.of(list(keys_of.items()))
    for _ in range(300):
        article = rng.randrange(10)
        if article in keys_of and rng.random() < 0.5:
            day.remove(article)
            del keys_of[article]
        else:
            if article in keys_of:
                day.remove(article)
            keys_of[article] = np.asarray([rng.randrange(8) for _ in range(rng.randrange(1, 6))], dtype=np.int64)
            day.add(article, keys_of[article])
        wanted = np.unique(np.asarray([rng.randrange(8) for _ in range(3)], dtype=np.int64))
        expected = sorted((key, article) for article, keys in keys_of.items() for key in keys.tolist() if key in wanted)
        articles, positions = day.holders(wanted)
        assert sorted(zip(wanted[positions].tolist(), articles.tolist())) == expected
    day._merge()  # entries of removed articles are held until the next merge
    assert day.entries() == sum(len(keys) for keys in keys_of.values())
    articles, positions = day.holders(np.arange(8))
    held: dict[int, list[int]] = {}
    for key, article in zip(positions.tolist(), articles.tolist()):  # wanted is 0..7: a position is its key
        held.setdefault(key, []).append(article)
    held = {key: sorted(found) for key, found in held.items()}
    assert held == {key: sorted(a for a, keys in keys_of.items() for k in keys.tolist() if k == key)
                    for key in range(8) if any(key in keys.tolist() for keys in keys_of.values())}
    assert day.live_articles() == set(keys_of)


@pytest.mark.django_db
def test_reading_a_day_and_catching_up_use_their_indexes() -> None:
    for n in range(3):
        grouped([n])
    index = CandidateIndex()
    index.catch_up(0)
    statements: list[tuple[str, Any]] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        index.load_window(WHEN)
        index.catch_up(top())
    day_read = next(item for item in statements if "published_epoch >=" in item[0])
    catch_up = next(item for item in statements if "compared_seq >" in item[0])
    for (sql, params), name in [(day_read, "story_article_by_time"), (catch_up, "compared_seq")]:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                plan = " ".join(str(row[-1]) for row in cursor.fetchall())
                assert "USING INDEX" in plan and name in plan, plan
            else:  # three rows would be scanned: ask for the plan the index makes possible
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {sql}", params)
                plan = " ".join(row[0] for row in cursor.fetchall())
                assert "Index" in plan and name in plan, plan
