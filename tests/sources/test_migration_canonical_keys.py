"""Upgrading a database that holds one feed under several addresses: the oldest source keeps the feed, a newer
spelling without articles is deleted, one with articles is kept disabled (its articles and stories stay), each
is reported, and the articles already stored are counted per day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sources.models import Source, SourceDay

BEFORE = [("sources", "0005_page_retries_internal_errors_feed_url")]


def migrate_to(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_duplicates_are_settled_and_days_counted(capsys: pytest.CaptureFixture[str]) -> None:
    try:
        apps = migrate_to(BEFORE)
        OldSource = apps.get_model("sources", "Source")
        OldArticle = apps.get_model("sources", "Article")
        original = OldSource.objects.create(url="https://News.example/feed", name="News")
        empty_twin = OldSource.objects.create(url="http://news.example/feed?utm_source=x", name="News (utm)")
        busy_twin = OldSource.objects.create(url="https://www.news.example/feed/", name="News (www)")
        other = OldSource.objects.create(url="https://other.example/rss", name="Other")
        when = datetime(2026, 11, 2, 23, 30, tzinfo=UTC)
        for n, source in enumerate([original, original, busy_twin, other]):
            OldArticle.objects.create(source=source, guid=str(n), url=f"https://news.example/{n}",
                                      canonical_url=f"https://news.example/{n}", url_hash=str(n), published_at=when)
        OldArticle.objects.create(source=other, guid="undated", url="https://other.example/u",
                                  canonical_url="https://other.example/u", url_hash="u", published_at=None)

        migrate_to(latest())

        output = capsys.readouterr().out
        assert "3 duplicate source(s)" not in output and "2 duplicate source(s) found" in output
        assert f"deleted source #{empty_twin.pk} (News (utm)): the same feed as #{original.pk}, no articles" in output
        assert f"disabled source #{busy_twin.pk} (News (www)): the same feed as #{original.pk}" in output

        kept = Source.objects.get(pk=original.pk)
        assert kept.url == "https://news.example/feed" and kept.enabled and len(kept.canonical_key) == 64
        assert not Source.objects.filter(pk=empty_twin.pk).exists()
        twin = Source.objects.get(pk=busy_twin.pk)
        assert not twin.enabled and twin.canonical_key == f"duplicate-of-{original.pk}-{busy_twin.pk}"
        assert f"The same feed as source #{original.pk}" in twin.disabled_reason
        assert twin.articles.count() == 1

        days = {(d.source_id, d.day): d.articles for d in SourceDay.objects.all()}
        assert days[(original.pk, date(2026, 11, 2))] == 2 and days[(busy_twin.pk, date(2026, 11, 2))] == 1
        assert sum(n for (source_id, _), n in days.items() if source_id == other.pk) == 2  # undated: its arrival day
    finally:
        migrate_to(latest())


@pytest.mark.django_db(transaction=True)
def test_the_migrations_roll_back() -> None:
    try:
        migrate_to(latest())
        Source.objects.create(url="https://news.example/feed", name="News")
        migrate_to(BEFORE)
        migrate_to(latest())
        assert Source.objects.get().canonical_key
    finally:
        migrate_to(latest())
