"""The sources admin at archive scale: list pages never count the whole table."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sources import paginators
from sources.models import Article, Source

pytestmark = pytest.mark.django_db


def test_article_list_counts_no_further_than_the_cap(admin_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paginators, "CAP", 2)
    source = Source.objects.create(url="https://news.example/feed.xml")
    for n in range(5):
        Article.objects.create(source=source, guid=str(n), url=f"https://news.example/{n}",
                               canonical_url=f"https://news.example/{n}", url_hash=str(n), title=f"Story {n}")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get("/admin/sources/article/", {"status__exact": "new"})
    assert response.status_code == 200
    assert "3 articles" in response.content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 3" in sql for sql in counts), counts


def test_source_list_does_not_count_articles(admin_client: Client) -> None:
    Source.objects.create(url="https://news.example/feed.xml", name="News")
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/admin/sources/source/").status_code == 200
    assert not [q for q in queries.captured_queries if "sources_article" in q["sql"]]
