"""A database made before Article moved to sources/ migrates in place, with its articles, stories and tags.

The old schema is built by migrating back to the first migrations, filled through the historical models
(as the code of that time would have written it), and migrated forward again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from monitor.models import ArticleBand, Figure, Mention, Story, StoryArticle
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
    OldBand.objects.create(article=waiting, key=43)  # undated: its rows get no time
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
    # The candidate index took each article's publication time (migration 0014); an undated one has none.
    epochs = dict(ArticleBand.objects.values_list("article_id", "published_epoch"))
    assert epochs == {old["copy"]: int(datetime(2026, 11, 1, 9, 0, tzinfo=UTC).timestamp()), old["waiting"]: None}

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
