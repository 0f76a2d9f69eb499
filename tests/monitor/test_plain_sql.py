"""Plain-SQL writes and reads give what the ORM would: JSON, bytes and datetimes on the database the suite
runs on (SQLite, and PostgreSQL in .ci/run's second pass)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from monitor.models import Story, StoryArticle
from monitor import plain_sql
from monitor.plain_sql import (aware, fetch_all, fetch_one, insert_row, insert_rows, json_column, one_cursor, table,
                               update_row)
from monitor.story_index import members_of
from sources.models import Article
from tests.monitor.builders import BASE_TIME, source

pytestmark = pytest.mark.django_db


def _article(n: int) -> Article:
    url = f"https://news.example/plain-{n}"
    return Article.objects.create(source=source("Plain News"), guid=url, url=url, canonical_url=url, url_hash=url,
                                  title=f"Report {n}", text="NACTA said 1,447 websites were blocked.",
                                  published_at=BASE_TIME + timedelta(hours=n))


def test_inserted_row_reads_back_through_the_orm_with_its_json_and_bytes() -> None:
    story = Story.objects.create(title="NACTA blocks websites")
    article = _article(1)
    evidence = {"rule": "near-copy", "shared_figures": ["1,447 websites"], "wording": 0.91}
    insert_rows(StoryArticle, [{"article_id": article.pk, "story_id": story.pk, "copy_kind": "verbatim",
                                "pinned": False, "evidence": evidence, "features": {"people": ["Ali Khan"]},
                                "fingerprint": b"\x00\x01\xff", "reported": None}])

    link = StoryArticle.objects.get(article=article)
    assert link.evidence == evidence
    assert link.features == {"people": ["Ali Khan"]}
    assert bytes(link.fingerprint) == b"\x00\x01\xff"
    assert StoryArticle.objects.filter(article=article, reported__isnull=True).exists()  # SQL NULL, not JSON null


def test_insert_row_returns_the_new_key_with_and_without_returning(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {"title": "NACTA blocks websites", "article_count": 0, "outlet_count": 0, "updated_at": BASE_TIME,
              "language": "", "figure_count": 0, "lead_source_name": "", "top_organisations": [[1, "NACTA", "NACTA"]]}
    first = insert_row(Story, values)
    assert Story.objects.get(pk=first).top_organisations == [[1, "NACTA", "NACTA"]]
    if connection.vendor == "sqlite":  # SQLite before 3.35 has no RETURNING; PostgreSQL always has it
        monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
        second = insert_row(Story, {**values, "title": "PTA acts on SIM misuse"})
        assert second != first and Story.objects.get(pk=second).title == "PTA acts on SIM misuse"


def test_update_row_changes_only_that_row() -> None:
    story = Story.objects.create(title="PTA acts on SIM misuse")
    first, second = _article(1), _article(2)
    for article in (first, second):
        StoryArticle.objects.create(article=article, story=story, evidence={"rule": "no-earlier-report"})

    changed = update_row(StoryArticle, second.pk, {"evidence": {"rule": "analyst-merge"}, "pinned": True})

    assert changed == 1
    assert StoryArticle.objects.get(article=second).evidence == {"rule": "analyst-merge"}
    assert StoryArticle.objects.get(article=second).pinned
    assert StoryArticle.objects.get(article=first).evidence == {"rule": "no-earlier-report"}


def test_datetimes_and_json_read_back_as_the_orm_gives_them() -> None:
    article = _article(3)
    story = Story.objects.create(title="FIA arrests", top_organisations=[[1, "FIA", "Federal Investigation Agency"]])
    row = fetch_one(f"SELECT published_at FROM {table(Article)} WHERE id = %s", [article.pk])
    assert row is not None
    assert aware(row[0]) == Article.objects.get(pk=article.pk).published_at
    organisations = fetch_one(f"SELECT top_organisations FROM {table(Story)} WHERE id = %s", [story.pk])
    assert organisations is not None
    assert json_column(organisations[0]) == [[1, "FIA", "Federal Investigation Agency"]]


def test_members_are_read_in_publication_order_with_their_outlet() -> None:
    story = Story.objects.create(title="CTD raid")
    later, earlier = _article(5), _article(4)
    for article, kind in ((later, "original"), (earlier, "rewritten")):
        StoryArticle.objects.create(article=article, story=story, copy_kind=kind)

    members = members_of(story.pk)

    assert [m.pk for m in members] == [earlier.pk, later.pk]
    assert [m.copy_kind for m in members] == ["rewritten", "original"]
    assert members[0].published_at == earlier.published_at
    assert members[0].outlet() == "Plain News"


def test_an_undated_member_comes_last_on_every_database() -> None:
    story = Story.objects.create(title="CTD raid")
    dated = _article(6)
    undated = _article(7)
    Article.objects.filter(pk=undated.pk).update(published_at=None)
    for article in (undated, dated):
        StoryArticle.objects.create(article=article, story=story)

    assert [m.pk for m in members_of(story.pk)] == [dated.pk, undated.pk]


def test_statements_skip_djangos_cursor_wrapper_when_nothing_watches(monkeypatch: pytest.MonkeyPatch) -> None:
    story = Story.objects.create(title="NACTA blocks websites")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("went through Django's cursor wrapper")

    monkeypatch.setattr(connection, "cursor", refuse)
    assert fetch_one(f"SELECT title FROM {table(Story)} WHERE id = %s", [story.pk]) == ("NACTA blocks websites",)


def test_watched_queries_still_see_every_statement() -> None:
    story = Story.objects.create(title="NACTA blocks websites")
    seen: list[str] = []

    def spy(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as captured:
        update_row(Story, story.pk, {"title": "PTA acts on SIM misuse"})
    with connection.execute_wrapper(spy):
        assert fetch_all(f"SELECT title FROM {table(Story)} WHERE id = %s", [story.pk]) == [("PTA acts on SIM misuse",)]
    assert len(captured) == 1 and "UPDATE" in captured[0]["sql"]
    assert len(seen) == 1 and "SELECT title" in seen[0]


def _linked_once() -> tuple[Article, dict[str, Any]]:
    """An article linked to a story through insert_rows, and its link's row: inserting it again breaks the
    one-link-per-article constraint."""
    story = Story.objects.create(title="NACTA blocks websites")
    article = _article(1)
    row = {"article_id": article.pk, "story_id": story.pk, "copy_kind": "verbatim", "pinned": False, "evidence": {},
           "features": {}}
    insert_rows(StoryArticle, [row])
    return article, row


def test_a_database_error_comes_out_as_djangos() -> None:
    article, row = _linked_once()
    with pytest.raises(IntegrityError), transaction.atomic():  # one link per article
        insert_rows(StoryArticle, [row])
    assert StoryArticle.objects.filter(article=article).count() == 1


def test_a_transaction_marked_for_rollback_refuses_more_statements() -> None:
    with transaction.atomic():
        transaction.set_rollback(True)
        with pytest.raises(TransactionManagementError):
            fetch_one(f"SELECT COUNT(*) FROM {table(Story)}")


def test_a_literal_percent_sign_is_written_twice_on_every_database() -> None:
    # SQLite statements are rewritten from "%s" marks to "?" by plain_sql itself: "%%" must still mean "%",
    # as the PostgreSQL driver reads it, and a mark beside it must still take its parameter.
    assert fetch_one("SELECT %s || '%%'", ["100"]) == ("100%",)
    assert fetch_one("SELECT '%%s', %s", ["NACTA"]) == ("%s", "NACTA")


def test_statements_inside_one_cursor_share_it_and_the_checks_run_once(monkeypatch: pytest.MonkeyPatch) -> None:
    story = Story.objects.create(title="NACTA blocks websites")
    opened: list[object] = []
    real = plain_sql._QmarkCursor.__init__

    def counting(self: Any, cursor: Any) -> None:
        opened.append(cursor)
        real(self, cursor)

    monkeypatch.setattr(plain_sql._QmarkCursor, "__init__", counting)
    with one_cursor():
        update_row(Story, story.pk, {"title": "PTA acts on SIM misuse"})
        with one_cursor():  # nested: the same cursor
            found = fetch_one(f"SELECT title FROM {table(Story)} WHERE id = %s", [story.pk])
            assert found == ("PTA acts on SIM misuse",)
        assert fetch_all(f"SELECT COUNT(*) FROM {table(Story)}") == [(1,)]
    expected = 1 if connection.vendor == "sqlite" else 0  # PostgreSQL's driver cursor is not wrapped
    assert len(opened) == expected
    fetch_one("SELECT 1")  # after the block: a cursor of its own again
    assert len(opened) == 2 * expected


def test_a_database_error_inside_one_cursor_still_comes_out_as_djangos() -> None:
    article, row = _linked_once()
    with pytest.raises(IntegrityError), transaction.atomic(), one_cursor():
        insert_rows(StoryArticle, [row])
    assert StoryArticle.objects.filter(article=article).count() == 1
    assert fetch_one(f"SELECT COUNT(*) FROM {table(StoryArticle)}") == (1,)  # and the next statement runs
