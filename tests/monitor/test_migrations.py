"""A database made before Article moved to sources/ migrates in place, with its articles, stories and tags.

The old schema is built by migrating back to the first migrations, filled through the historical models
(as the code of that time would have written it), and migrated forward again.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import numpy as np

from monitor.models import Figure, Mention, Story, StoryArticle
from sources.models import Article, ArticleRevision

BEFORE = [("sources", "0001_initial"), ("monitor", "0001_initial"), ("contenttypes", "0002_remove_content_type_name")]


def migrate_to(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def fill_old_schema(apps: Any) -> dict[str, int]:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Source = apps.get_model("sources", "Source")
    OldArticle = apps.get_model("monitor", "Article")
    OldRevision = apps.get_model("monitor", "ArticleRevision")
    OldStory = apps.get_model("monitor", "Story")
    Entity = apps.get_model("monitor", "Entity")
    OldMention = apps.get_model("monitor", "Mention")
    OldFigure = apps.get_model("monitor", "Figure")
    OldBand = apps.get_model("monitor", "ArticleBand")

    # An old database has its article content types under monitor, made by its own post_migrate.
    ContentType.objects.filter(app_label="sources", model__in=["article", "articlerevision"]).delete()
    article_type, _ = ContentType.objects.get_or_create(app_label="monitor", model="article")

    source = Source.objects.create(url="https://news.example/feed.xml", name="News")
    when = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    story = OldStory.objects.create(title="NACTA blocks 1,447 web addresses", first_published_at=when,
                                    article_count=2, outlet_count=1)
    original = OldArticle.objects.create(
        source=source, guid="a", url="https://news.example/a", canonical_url="https://news.example/a", url_hash="a",
        title="NACTA blocks 1,447 web addresses", text="NACTA said 1,447 web addresses were blocked.",
        status="tagged", published_at=when, story=story, copy_kind="original", fingerprint=b"\x01\x02" * 8)
    copy = OldArticle.objects.create(
        source=source, guid="b", url="https://news.example/b", canonical_url="https://news.example/b", url_hash="b",
        title="NACTA blocks websites", text="NACTA blocked 1,447 web addresses, it said.", status="tagged",
        published_at=when, story=story, copy_kind="rewritten", fingerprint=b"\x03" * 16)
    waiting = OldArticle.objects.create(
        source=source, guid="c", url="https://news.example/c", canonical_url="https://news.example/c", url_hash="c",
        title="PTA note", status="new")
    OldStory.objects.filter(pk=story.pk).update(first_article=original)
    OldRevision.objects.create(article=waiting, old_title="PTA note (draft)")
    nacta = Entity.objects.create(kind="org", name="National Counter Terrorism Authority", acronym="NACTA")
    OldMention.objects.create(article=original, entity=nacta, start=0, end=5, surface="NACTA", pipeline_version="v1")
    OldFigure.objects.create(article=original, text="1,447 web addresses", value=1447, start=11, end=30,
                             pipeline_version="v1")
    OldBand.objects.create(article=copy, key=42)
    OldBand.objects.create(article=copy, key=-7)
    OldBand.objects.create(article=waiting, key=43)  # never grouped: its keys go with the table
    return {"original": original.pk, "copy": copy.pk, "waiting": waiting.pk, "story": story.pk,
            "article_type": article_type.pk}


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_migrates_with_its_data() -> None:
    old = fill_old_schema(migrate_to(BEFORE))
    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert Article.objects.count() == 3
    original = Article.objects.get(pk=old["original"])
    assert original.title == "NACTA blocks 1,447 web addresses" and original.status == Article.Status.TAGGED
    assert original.source.name == "News"
    assert ArticleRevision.objects.get().article_id == old["waiting"]

    members = {m.article_id: m for m in StoryArticle.objects.all()}
    assert set(members) == {old["original"], old["copy"]}
    assert members[old["original"]].copy_kind == StoryArticle.CopyKind.ORIGINAL
    assert members[old["copy"]].copy_kind == StoryArticle.CopyKind.REWRITTEN
    assert bytes(members[old["original"]].fingerprint) == b"\x01\x02" * 8
    assert {m.story_id for m in members.values()} == {old["story"]}
    assert Story.objects.get(pk=old["story"]).first_article_id == old["original"]

    assert Mention.objects.get().article_id == old["original"]
    assert Figure.objects.get().article.title == original.title
    # The candidate index took each article's publication time (migration 0014), and then moved onto the
    # grouped articles' rows as bytes (0015); the original had no keys.
    indexed = {row.article_id: row for row in StoryArticle.objects.all()}
    assert np.frombuffer(bytes(indexed[old["copy"]].index_keys), dtype="<i8").tolist() == [42, -7]
    assert indexed[old["copy"]].published_epoch == int(datetime(2026, 11, 1, 9, 0, tzinfo=UTC).timestamp())
    assert indexed[old["original"]].index_keys is None and indexed[old["original"]].published_epoch is None
    assert "monitor_articleband" not in connection.introspection.table_names()

    # The tables took sources' names, and the admin's content type followed them with its id.
    tables = connection.introspection.table_names()
    assert "sources_article" in tables and "monitor_article" not in tables
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.get_for_model(Article).pk == old["article_type"]


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_rolled_back() -> None:
    migrate_to(BEFORE)
    tables = connection.introspection.table_names()
    assert "monitor_article" in tables and "sources_article" not in tables
    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_candidate_index_keys_survive_migrating_back_and_forth(monkeypatch: pytest.MonkeyPatch) -> None:
    """Migration 0015 both ways, a batch of articles at a time: the keys go back into ArticleBand rows, one per
    key with the article's time, and return to each article's row in their order."""
    migration = importlib.import_module("monitor.migrations.0015_candidate_index_in_memory")
    monkeypatch.setattr(migration, "_ARTICLES_PER_BATCH", 2)  # three grouped articles: a batch ends mid-way
    from monitor.models import ClusteringCounter
    from sources.models import Source

    outlet = Source.objects.create(url="https://news.example/feed.xml", name="News")
    when = int(datetime(2026, 11, 1, 9, 0, tzinfo=UTC).timestamp())
    expected: dict[int, tuple[list[int], int | None]] = {}
    for n in range(4):
        article = Article.objects.create(source=outlet, guid=f"g{n}", url=f"https://news.example/{n}",
                                         canonical_url=f"https://news.example/{n}", url_hash=f"h{n}", title="NACTA")
        keys = [] if n == 3 else [100 + n, -5 - n, 100 + n]  # the last never indexed; a key may repeat
        epoch = None if n == 1 else when + n
        StoryArticle.objects.create(article=article, story=Story.objects.create(title="NACTA"), compared_seq=10 + n,
                                    index_keys=np.asarray(keys, dtype="<i8").tobytes() if keys else None,
                                    published_epoch=epoch)
        if keys:
            expected[article.pk] = (keys, epoch)

    migrate_to([("monitor", "0014_article_band_lookup")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT article_id, key, published_epoch FROM monitor_articleband")
        bands = sorted(cursor.fetchall())
    assert bands == sorted((article, key, epoch) for article, (keys, epoch) in expected.items() for key in keys)

    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
    back = {row.article_id: (np.frombuffer(bytes(row.index_keys), dtype="<i8").tolist(), row.published_epoch)
            for row in StoryArticle.objects.exclude(index_keys=None)}
    assert back == expected
    assert ClusteringCounter.objects.get().last == 13  # started at the highest number in use


@pytest.mark.django_db(transaction=True)
def test_rows_stored_at_the_number_that_made_their_line_recurring_are_compared_afresh_after_0016() -> None:
    """Before 0016 an article's stored data kept the lines its own count made recurring, and `>=` made it
    stale; the new rule is `>`, so such rows move back one number, and only such rows."""
    from monitor.models import RecurringLine
    from sources.models import Source

    migrate_to([("monitor", "0015_candidate_index_in_memory")])
    templated, other = (Source.objects.create(url=f"https://{name}.example/feed.xml", name=name)
                        for name in ("templated", "other"))
    RecurringLine.objects.create(source=templated, key=7, articles=3, recurring_from=20)
    RecurringLine.objects.create(source=templated, key=8, articles=1)  # never recurring
    seqs = {}
    for name, outlet, seq in [("made-it", templated, 20), ("later", templated, 21), ("other-outlet", other, 20),
                              ("never-compared", templated, None)]:
        article = Article.objects.create(source=outlet, guid=name, url=f"https://x.example/{name}",
                                         canonical_url=f"https://x.example/{name}", url_hash=name, title=name)
        StoryArticle.objects.create(article=article, story=Story.objects.create(title=name), compared_seq=seq)
        seqs[name] = article.pk

    migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
    after = dict(StoryArticle.objects.values_list("article_id", "compared_seq"))
    assert {name: after[pk] for name, pk in seqs.items()} == {
        "made-it": 19, "later": 21, "other-outlet": 20, "never-compared": None}
