"""Keeps the tables the dashboard reads in step with the stories and their tags.

The dashboard never joins stories to articles to mentions at request time. Instead, whenever a story's
articles or tags change, `refresh_story_index(story)` rewrites, in the same transaction:
- the story's own copied columns: sort key, language, figure count, lead outlet, top organisations;
- StoryEntity (which entities it mentions) and StorySource (which outlets carried it), both carrying the
  sort key, so a filter is one index range scan;
- EntityDay and Entity.story_count, the counters behind the entity page's chart and the autocomplete;
- StorySearch, the text the full-text index covers (migration 0005 keeps FTS5 or the tsvector in step);
- the copied columns of the story's figures (story, outlet, sort key).
Its cost depends on the story's size, never on the archive's.

Not for: deciding which story an article joins (monitor.stories) or querying (monitor.story_query).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, F

from monitor.models import (
    Entity, EntityDay, EntityName, Figure, Mention, Story, StoryEntity, StorySearch, StorySource, sort_key_for,
    time_of_sort_key,
)
from sources.models import Article

TOP_ORGANISATIONS = 6
# The search document holds the title, every outlet's headline and the lead article's text, up to this size.
SEARCH_DOCUMENT_CHARS = 20_000


class Named(NamedTuple):
    """What the story's rows need of an entity it mentions."""

    pk: int
    kind: str
    name: str
    acronym: str


def refresh_story_index(story: Story, articles: Sequence[Article] | None = None, also: Iterable[str] = (), *,
                        new: bool = False) -> None:
    """Rewrites every dashboard table row that describes `story`. Call inside the transaction that changed it.

    `articles`: the story's articles with their sources, in publication order, when the caller has them.
    `also`: more of the story's fields the caller changed, saved in the same UPDATE.
    `new`: the story was created in this transaction, so it has no rows yet to read and compare."""
    if articles is None:
        articles = list(Article.objects.filter(story_link__story=story).select_related("source")
                        .order_by("published_at", "id"))
    old_rows = {} if new else {row.entity_id: row for row in StoryEntity.objects.filter(story=story)}
    old_day = day_of_key(next(iter(old_rows.values())).sort_key) if old_rows else None
    if not articles:
        _forget(story, old_rows, old_day)
        return
    lead = story.first_article or articles[0]
    # Feeds nearly always date their items (and undated ones get their fetch time); failing that, the time
    # Monitor stored the article keeps the story listed rather than invisible.
    key = sort_key_for(story.first_published_at or lead.created_at, story.pk)
    mentions: Counter[int] = Counter()
    entities: dict[int, Named] = {}
    for row in Mention.objects.filter(article__in=articles).values_list(
            "entity_id", "entity__kind", "entity__name", "entity__acronym"):
        mentions[row[0]] += 1
        entities[row[0]] = Named(*row)

    story.sort_key = key
    story.language = (lead.language or "")[:20]
    story.figure_count = _refresh_figures(story, key, articles)
    story.lead_source_name = str(lead.source)[:200]
    organisations = sorted((e for e in entities.values() if e.kind == Entity.Kind.ORGANISATION),
                           key=lambda e: (-mentions[e.pk], e.name))[:TOP_ORGANISATIONS]
    story.top_organisations = [[e.pk, e.acronym or e.name, e.name] for e in organisations]
    copied = ("sort_key", "language", "figure_count", "lead_source_name", "top_organisations", *also)
    Story.objects.filter(pk=story.pk).update(**{name: getattr(story, name) for name in copied})

    _refresh_entities(story, key, mentions, entities, old_rows, old_day)
    _refresh_sources(story, key, {a.source_id for a in articles}, new=new)
    document = search_document(story, lead, articles)
    # Written only when it changed: the full-text index re-reads every document written.
    stored = None if new else StorySearch.objects.filter(story=story).values_list("sort_key", "document").first()
    if stored is None:
        StorySearch.objects.create(story=story, sort_key=key, document=document)
    elif stored != (key, document):
        StorySearch.objects.filter(story=story).update(sort_key=key, document=document)


def _refresh_figures(story: Story, key: int, articles: Sequence[Article]) -> int:
    """Copies the story, outlet and sort key onto the articles' figures that lack them; returns how many
    figures the articles have. Plain SQL, one statement for every outlet's articles."""
    figures, articles_table = Figure._meta.db_table, Article._meta.db_table
    ids = [article.pk for article in articles]
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {figures} SET story_id = %s, sort_key = %s, "
            f"source_id = (SELECT a.source_id FROM {articles_table} a WHERE a.id = {figures}.article_id) "
            f"WHERE article_id IN ({marks}) AND (story_id IS NULL OR story_id <> %s OR sort_key IS NULL "
            f"OR sort_key <> %s OR source_id IS NULL)", [story.pk, key, *ids, story.pk, key])
        cursor.execute(f"SELECT COUNT(*) FROM {figures} WHERE article_id IN ({marks})", ids)
        return int(cursor.fetchone()[0])


def _refresh_sources(story: Story, key: int, source_ids: set[int], *, new: bool = False) -> None:
    """StorySource: one row per outlet that carried the story, each with its sort key."""
    rows = {} if new else dict(StorySource.objects.filter(story=story).values_list("source_id", "sort_key"))
    gone = [source_id for source_id, row_key in rows.items() if source_id not in source_ids or row_key != key]
    if gone:
        StorySource.objects.filter(story=story, source_id__in=gone).delete()
    StorySource.objects.bulk_create([StorySource(story=story, source_id=source_id, sort_key=key)
                                     for source_id in sorted(source_ids) if source_id in gone or source_id not in rows])


def search_document(story: Story, lead: Article, articles: Sequence[Article]) -> str:
    """What a story is found by: its title, every outlet's headline, then the lead article's text."""
    headlines = [a.title for a in articles if a.title and a.title != story.title]
    parts = [story.title, *dict.fromkeys(headlines), lead.text or ""]
    return "\n\n".join(part for part in parts if part)[:SEARCH_DOCUMENT_CHARS]


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


def _refresh_entities(story: Story, key: int, mentions: Counter[int], entities: dict[int, Named],
                      old_rows: dict[int, StoryEntity], old_day: date | None) -> None:
    new_day = day_of_key(key)
    kept = [entity_id for entity_id in old_rows if entity_id in mentions]
    gone = [entity_id for entity_id in old_rows if entity_id not in mentions]
    added = [entity_id for entity_id in mentions if entity_id not in old_rows]
    if gone:
        StoryEntity.objects.filter(story=story, entity_id__in=gone).delete()
        Entity.objects.filter(pk__in=gone).update(story_count=F("story_count") - 1)
    changed = [(mentions[entity_id], key, row.pk) for entity_id, row in old_rows.items()
               if entity_id in mentions and (row.mentions != mentions[entity_id] or row.sort_key != key)]
    if changed:  # plain SQL: the ORM's bulk_update builds a CASE per row, and took longer than the update
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {StoryEntity._meta.db_table} SET mentions = %s, sort_key = %s WHERE id = %s",
                               changed)
    if added:
        StoryEntity.objects.bulk_create([
            StoryEntity(story=story, entity_id=entity_id, kind=entities[entity_id].kind, mentions=mentions[entity_id],
                        sort_key=key) for entity_id in added])
        Entity.objects.filter(pk__in=added).update(story_count=F("story_count") + 1)
    # The chart counts a story on the day it was first published: move it when that day changes.
    moved = kept if old_day is not None and old_day != new_day else []
    if old_day is not None:
        _count_days(gone + moved, old_day, -1)
    _count_days(added + moved, new_day, +1)


def _count_days(entity_ids: list[int], day: date, delta: int) -> None:
    """Adds `delta` to each entity's count of stories on `day`: one upsert, on SQLite and PostgreSQL."""
    if not entity_ids:
        return
    table = EntityDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (entity_id, day, stories) VALUES (%s, %s, %s) "
            f"ON CONFLICT (entity_id, day) DO UPDATE SET stories = {table}.stories + %s",
            [(entity_id, connection.ops.adapt_datefield_value(day), delta, delta) for entity_id in entity_ids])


def _forget(story: Story, old_rows: dict[int, StoryEntity], old_day: date | None) -> None:
    """A story left with no articles: take it out of every dashboard table."""
    Entity.objects.filter(pk__in=list(old_rows)).update(story_count=F("story_count") - 1)
    if old_day is not None:
        _count_days(list(old_rows), old_day, -1)
    StoryEntity.objects.filter(story=story).delete()
    StorySource.objects.filter(story=story).delete()
    StorySearch.objects.filter(story=story).delete()
    Story.objects.filter(pk=story.pk).update(sort_key=None, figure_count=0, top_organisations=[])


def entity_story_counts() -> dict[int, int]:
    """Story counts recomputed from StoryEntity: for checking the maintained counters in tests."""
    return dict(StoryEntity.objects.values_list("entity_id").annotate(n=Count("id")).order_by())
