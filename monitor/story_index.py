"""Keeps the tables the dashboard reads in step with the stories and their tags.

The dashboard never joins stories to articles to mentions at request time. Instead, whenever a story's
articles or tags change, `refresh_story_index(story)` rewrites, in the same transaction:
- the story's own copied columns: sort key, language, figure count, lead outlet, top organisations;
- StoryEntity (which entities it mentions) and StorySource (which outlets carried it), both carrying the
  sort key, so a filter is one index range scan;
- EntityDay and Entity.story_count, the counters behind the entity page's chart and the autocomplete;
- StorySearch, the text the full-text index covers (migration 0005 keeps FTS5 or the tsvector in step);
- the copied columns of the story's figures (story, outlet, sort key).
Its cost depends on the story's size, never on the archive's. When one article joins a story,
`add_to_story_index` does the same for that article's share alone, at a cost that does not grow with the story.

Not for: deciding which story an article joins (monitor.stories) or querying (monitor.story_query).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from monitor.models import (
    Entity, EntityDay, EntityName, Figure, Mention, Story, StoryArticle, StoryEntity, StorySearch, StorySource,
    sort_key_for, time_of_sort_key,
)
from monitor.plain_sql import aware, execute, execute_many, fetch_all, fetch_one, insert_rows, marks, table, update_row
from sources.models import Article, Source

TOP_ORGANISATIONS = 6
# The search document holds the title, every outlet's headline and the lead article's text, up to this size.
SEARCH_DOCUMENT_CHARS = 20_000


class Named(NamedTuple):
    """What the story's rows need of an entity it mentions."""

    pk: int
    kind: str
    name: str
    acronym: str


class Member(NamedTuple):
    """What the story's rows need of one of its articles (members_of)."""

    pk: int
    source_id: int
    # The outlet's name, feed title and address, from which its label is made (Source.__str__).
    source_names: tuple[str, str, str]
    title: str
    published_at: datetime | None
    created_at: datetime
    language: str
    copy_kind: str

    def outlet(self) -> str:
        return Source.label(*self.source_names)


# A story's articles in publication order, then id, as SQL over Article `a`. Undated articles last on both
# databases (SQLite sorts NULL first, PostgreSQL last): a dated one is the first report whenever there is one.
_PUBLICATION_ORDER = "a.published_at IS NULL, a.published_at, a.id"


def members_of(story_id: int) -> list[Member]:
    """The story's articles in publication order (then id, undated ones last): one query, without their texts."""
    rows = fetch_all(
        f"SELECT a.id, a.source_id, s.name, s.feed_title, s.url, a.title, a.published_at, a.created_at, a.language, "
        f"l.copy_kind FROM {table(StoryArticle)} l JOIN {table(Article)} a ON a.id = l.article_id "
        f"JOIN {table(Source)} s ON s.id = a.source_id WHERE l.story_id = %s ORDER BY {_PUBLICATION_ORDER}",
        [story_id])
    return [Member(pk, source_id, (name, feed_title, url), title, aware(published_at), aware(created_at),
                   language, copy_kind)
            for pk, source_id, name, feed_title, url, title, published_at, created_at, language, copy_kind in rows]


class EntityRow(NamedTuple):
    """A StoryEntity row as the refresh compares it."""

    pk: int
    mentions: int
    sort_key: int


def refresh_story_index(story: Story, members: Sequence[Member] | None = None, also: Iterable[str] = (), *,
                        new: bool = False, lead_text: str | None = None) -> None:
    """Rewrites every dashboard table row that describes `story`. Call inside the transaction that changed it.

    `members`: the story's articles (members_of), when the caller has them.
    `also`: more of the story's fields the caller changed, saved in the same UPDATE.
    `new`: the story was created in this transaction, so it has no rows yet to read and compare.
    `lead_text`: the text of the story's first report, when the caller has it."""
    if members is None:
        members = members_of(story.pk)
    old_rows = {} if new else {entity_id: EntityRow(pk, mentions, key) for entity_id, pk, mentions, key in fetch_all(
        f"SELECT entity_id, id, mentions, sort_key FROM {table(StoryEntity)} WHERE story_id = %s", [story.pk])}
    old_day = day_of_key(next(iter(old_rows.values())).sort_key) if old_rows else None
    if not members:
        _forget(story, old_rows, old_day)
        return
    lead = next((m for m in members if m.pk == story.first_article_id), members[0])
    # Feeds nearly always date their items (and undated ones get their fetch time); failing that, the time
    # Monitor stored the article keeps the story listed rather than invisible.
    key = sort_key_for(story.first_published_at or lead.created_at, story.pk)
    ids = [member.pk for member in members]
    mentions: Counter[int] = Counter()
    entities: dict[int, Named] = {}
    _count_mentions(ids, mentions, entities)

    story.sort_key = key
    story.language = (lead.language or "")[:20]
    story.figure_count = _refresh_figures(story.pk, key, ids)
    story.lead_source_name = lead.outlet()[:200]
    story.top_organisations = top_organisations(entities.values(), mentions)
    fields = {field.name: field for field in Story._meta.concrete_fields}
    copied = [fields[name] for name in
              ("sort_key", "language", "figure_count", "lead_source_name", "top_organisations", *also)]
    update_row(Story, story.pk, {str(field.column): getattr(story, field.attname) for field in copied})

    _refresh_entities(story.pk, key, mentions, entities, old_rows, old_day)
    _refresh_sources(story.pk, key, {member.source_id for member in members}, new=new)
    if lead_text is None:
        found = fetch_one(f"SELECT text FROM {table(Article)} WHERE id = %s", [lead.pk])
        lead_text = found[0] if found else ""
    document = search_document(story.title, lead_text or "", [member.title for member in members])
    _write_search_document(story.pk, key, document, new=new)


def _count_mentions(article_ids: list[int], mentions: Counter[int], entities: dict[int, Named]) -> None:
    """Adds the articles' mentions to `mentions` (per entity) and the entities they name to `entities`."""
    found = fetch_all(f"SELECT m.entity_id, e.kind, e.name, e.acronym FROM {table(Mention)} m "
                      f"JOIN {table(Entity)} e ON e.id = m.entity_id WHERE m.article_id IN ({marks(len(article_ids))})",
                      article_ids)
    for row in found:
        mentions[row[0]] += 1
        entities[row[0]] = Named(*row)


def top_organisations(entities: Iterable[Named], mentions: Counter[int]) -> list[list[Any]]:
    """The story's most mentioned organisations, as Story.top_organisations stores them."""
    organisations = sorted((e for e in entities if e.kind == Entity.Kind.ORGANISATION),
                           key=lambda e: (-mentions[e.pk], e.name))[:TOP_ORGANISATIONS]
    return [[e.pk, e.acronym or e.name, e.name] for e in organisations]


def add_to_story_index(story_id: int, article_id: int) -> bool:
    """What refresh_story_index (with refresh_story's counts) does when one article has just joined a story,
    reading the new article's mentions and figures and the story's own rows (StoryEntity, StorySource), never
    the other articles' mentions and figures; their titles only when the newcomer brings a headline. The whole
    refresh reads every article's tags again: 14 ms for a story of 200 articles, 58 ms for 800 (timed alone),
    so a big event's copies grew slower one after another (benchmarks/stories.py, "joining").

    Returns False, having written nothing, when the article would be the story's first report (an earlier
    copy arriving late) or the story's rows are not as a refresh leaves them; the caller then refreshes the
    whole story (monitor.stories.refresh_story). tests/monitor/test_story_index.py checks that both ways
    leave every row the same."""
    articles, stories = table(Article), table(Story)
    found = fetch_one(
        f"SELECT s.first_article_id, s.sort_key, s.article_count, s.outlet_count, s.figure_count, s.title, "
        f"f.published_at FROM {stories} s JOIN {articles} f ON f.id = s.first_article_id WHERE s.id = %s",
        [story_id])
    joined = fetch_one(f"SELECT source_id, title, published_at FROM {articles} WHERE id = %s", [article_id])
    if found is None or joined is None or found[1] is None:
        return False
    first_id, key, article_count, outlet_count, figure_count, title, first_published = found
    source_id, _, published_at = joined
    if _publication_order(aware(published_at), article_id) < _publication_order(aware(first_published), first_id):
        return False

    old_rows: dict[int, EntityRow] = {}
    entities: dict[int, Named] = {}
    mentions: Counter[int] = Counter()
    for entity_id, pk, count, row_key, kind, name, acronym in fetch_all(
            f"SELECT se.entity_id, se.id, se.mentions, se.sort_key, e.kind, e.name, e.acronym "
            f"FROM {table(StoryEntity)} se JOIN {table(Entity)} e ON e.id = se.entity_id WHERE se.story_id = %s",
            [story_id]):
        if row_key != key:
            return False
        old_rows[entity_id] = EntityRow(pk, count, row_key)
        entities[entity_id] = Named(entity_id, kind, name, acronym)
        mentions[entity_id] = count
    _count_mentions([article_id], mentions, entities)

    new_outlet = fetch_one(f"SELECT 1 FROM {table(StorySource)} WHERE story_id = %s AND source_id = %s",
                           [story_id, source_id]) is None
    values = {"article_count": article_count + 1, "outlet_count": outlet_count + (1 if new_outlet else 0),
              "figure_count": figure_count + _refresh_figures(story_id, key, [article_id]),
              "top_organisations": top_organisations(entities.values(), mentions), "updated_at": timezone.now()}
    update_row(Story, story_id, values)
    _refresh_entities(story_id, key, mentions, entities, old_rows, day_of_key(key))
    if new_outlet:
        insert_rows(StorySource, [{"story_id": story_id, "source_id": source_id, "sort_key": key}])
    if joined[1] and joined[1] != title:
        # A headline the search document may lack, in its place among the others: the one read of every
        # article's row, titles only (a millisecond for a story of 800).
        headlines = [row[0] for row in fetch_all(
            f"SELECT a.title FROM {table(StoryArticle)} l JOIN {articles} a ON a.id = l.article_id "
            f"WHERE l.story_id = %s ORDER BY {_PUBLICATION_ORDER}", [story_id])]
        lead = fetch_one(f"SELECT text FROM {articles} WHERE id = %s", [first_id])
        _write_search_document(story_id, key, search_document(title, (lead[0] if lead else "") or "", headlines))
    return True


def _publication_order(published_at: datetime | None, article_id: int) -> tuple[bool, datetime, int]:
    """An article's place in its story, as _PUBLICATION_ORDER sorts them in SQL."""
    return published_at is None, published_at or datetime.min.replace(tzinfo=UTC), article_id


def _refresh_figures(story_id: int, key: int, ids: list[int]) -> int:
    """Copies the story, outlet and sort key onto the articles' figures that lack them; returns how many
    figures the articles have. Plain SQL, one statement for every outlet's articles."""
    figures = table(Figure)
    execute(f"UPDATE {figures} SET story_id = %s, sort_key = %s, "
            f"source_id = (SELECT a.source_id FROM {table(Article)} a WHERE a.id = {figures}.article_id) "
            f"WHERE article_id IN ({marks(len(ids))}) AND (story_id IS NULL OR story_id <> %s OR sort_key IS NULL "
            f"OR sort_key <> %s OR source_id IS NULL)", [story_id, key, *ids, story_id, key])
    found = fetch_one(f"SELECT COUNT(*) FROM {figures} WHERE article_id IN ({marks(len(ids))})", ids)
    return int(found[0]) if found else 0


def _refresh_sources(story_id: int, key: int, source_ids: set[int], *, new: bool = False) -> None:
    """StorySource: one row per outlet that carried the story, each with its sort key."""
    rows = {} if new else dict(fetch_all(f"SELECT source_id, sort_key FROM {table(StorySource)} WHERE story_id = %s",
                                         [story_id]))
    gone = [source_id for source_id, row_key in rows.items() if source_id not in source_ids or row_key != key]
    if gone:
        execute(f"DELETE FROM {table(StorySource)} WHERE story_id = %s AND source_id IN ({marks(len(gone))})",
                [story_id, *gone])
    insert_rows(StorySource, [{"story_id": story_id, "source_id": source_id, "sort_key": key}
                              for source_id in sorted(source_ids) if source_id in gone or source_id not in rows])


def search_document(title: str, lead_text: str, headlines: Sequence[str]) -> str:
    """What a story is found by: its title, every outlet's headline (`headlines`: its articles' titles in
    publication order), then the lead article's text."""
    parts = [title, *dict.fromkeys(h for h in headlines if h and h != title), lead_text]
    return "\n\n".join(part for part in parts if part)[:SEARCH_DOCUMENT_CHARS]


def _write_search_document(story_id: int, key: int, document: str, *, new: bool = False) -> None:
    """Written only when it changed: the full-text index re-reads every document written."""
    stored = None if new else fetch_one(f"SELECT sort_key, document FROM {table(StorySearch)} WHERE story_id = %s",
                                        [story_id])
    if stored is None:
        insert_rows(StorySearch, [{"story_id": story_id, "sort_key": key, "document": document}])
    elif stored != (key, document):
        update_row(StorySearch, story_id, {"sort_key": key, "document": document})


def name_key(name: str) -> str:
    """How names are compared: case-folded, inner spaces collapsed."""
    return " ".join(name.casefold().split())


def remember_names(entity: Entity) -> None:
    """Adds the entity's canonical name, acronym and aliases to EntityName (used by filters and autocomplete)."""
    keys = {name_key(n) for n in [entity.name, entity.acronym, *entity.aliases] if n and n.strip()}
    known = set(EntityName.objects.filter(entity=entity).values_list("key", flat=True))
    EntityName.objects.bulk_create([EntityName(entity=entity, key=k[:300]) for k in sorted(keys - known)])


def day_of_key(key: int) -> date:
    """The UTC day a sort key falls on: the day the chart counts a story under."""
    return datetime.fromtimestamp(time_of_sort_key(key), tz=UTC).date()


def _refresh_entities(story_id: int, key: int, mentions: Counter[int], entities: dict[int, Named],
                      old_rows: dict[int, EntityRow], old_day: date | None) -> None:
    new_day = day_of_key(key)
    kept = [entity_id for entity_id in old_rows if entity_id in mentions]
    gone = [entity_id for entity_id in old_rows if entity_id not in mentions]
    added = [entity_id for entity_id in mentions if entity_id not in old_rows]
    if gone:
        execute(f"DELETE FROM {table(StoryEntity)} WHERE story_id = %s AND entity_id IN ({marks(len(gone))})",
                [story_id, *gone])
        _add_to_story_counts(gone, -1)
    changed = [(mentions[entity_id], key, row.pk) for entity_id, row in old_rows.items()
               if entity_id in mentions and (row.mentions != mentions[entity_id] or row.sort_key != key)]
    execute_many(f"UPDATE {table(StoryEntity)} SET mentions = %s, sort_key = %s WHERE id = %s", changed)
    if added:
        insert_rows(StoryEntity, [{"story_id": story_id, "entity_id": entity_id, "kind": entities[entity_id].kind,
                                   "mentions": mentions[entity_id], "sort_key": key} for entity_id in added])
        _add_to_story_counts(added, +1)
    # The chart counts a story on the day it was first published: move it when that day changes.
    moved = kept if old_day is not None and old_day != new_day else []
    if old_day is not None:
        _count_days(gone + moved, old_day, -1)
    _count_days(added + moved, new_day, +1)


def _add_to_story_counts(entity_ids: list[int], delta: int) -> None:
    execute(f"UPDATE {table(Entity)} SET story_count = story_count + %s WHERE id IN ({marks(len(entity_ids))})",
            [delta, *entity_ids])


def _count_days(entity_ids: list[int], day: date, delta: int) -> None:
    """Adds `delta` to each entity's count of stories on `day`: one upsert, on SQLite and PostgreSQL."""
    if not entity_ids:
        return
    days = table(EntityDay)
    execute_many(f"INSERT INTO {days} (entity_id, day, stories) VALUES (%s, %s, %s) "
                 f"ON CONFLICT (entity_id, day) DO UPDATE SET stories = {days}.stories + %s",
                 [(entity_id, connection.ops.adapt_datefield_value(day), delta, delta) for entity_id in entity_ids])


def _forget(story: Story, old_rows: dict[int, EntityRow], old_day: date | None) -> None:
    """A story left with no articles: take it out of every dashboard table."""
    if old_rows:
        _add_to_story_counts(list(old_rows), -1)
    if old_day is not None:
        _count_days(list(old_rows), old_day, -1)
    StoryEntity.objects.filter(story=story).delete()
    StorySource.objects.filter(story=story).delete()
    StorySearch.objects.filter(story=story).delete()
    Story.objects.filter(pk=story.pk).update(sort_key=None, figure_count=0, top_organisations=[])


def entity_story_counts() -> dict[int, int]:
    """Story counts recomputed from StoryEntity: for checking the maintained counters in tests."""
    return dict(StoryEntity.objects.values_list("entity_id").annotate(n=Count("id")).order_by())
