"""Finding stories for the dashboard at a cost that does not grow with the archive.

Every list is a walk down one index in sort-key order (a story's sort key is its first publication time, then
its id: see monitor.models.sort_key_for), stopping after one page:
- the *driver* is the most selective access path the filters offer: the full-text index when there is a
  search, else the entity filter with the fewest stories (StoryEntity), else a single outlet (StorySource),
  else the story table itself;
- every other filter is a *probe*: an indexed EXISTS on the same sort key, checked only for the rows walked;
- dates are a sort-key range on whichever index drives, and the page cursor is just another bound.
Nothing here counts matches: pages go by cursor, facets are counted over the latest FACET_SAMPLE matches, and
`estimate` answers only where a maintained counter knows the answer. Run everything under
monitor.query_budget.time_limit, which stops a query whose probes find too little.
Not for: parsing what the user typed (monitor.filters, monitor.search) or rendering.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from monitor.models import SORT_KEY_FACTOR, Entity, Story
from monitor.search import Backend, SearchQuery
from sources.models import Source

# A search plus an entity filter: the entity's index drives only when the entity is in fewer stories than
# this and than the search matches (counted up to that many). Every story walked then costs a text probe.
RARE_ENTITY_STORIES = 20_000
# On PostgreSQL, a search the planner expects to match fewer stories than this collects its matches first.
FEW_TEXT_MATCHES = 20_000
# Facets and "entities mentioned with" are counted over the newest matches, never over all of them.
FACET_SAMPLE = 500
# Relevance ranks the newest matches of a search, never all of them.
RELEVANCE_WINDOW = 1_000


@dataclass
class StoryFilters:
    query: SearchQuery | None = None
    entity_ids: list[int] = field(default_factory=list)
    """Every one of these entities must be mentioned."""
    source_ids: list[int] = field(default_factory=list)
    """Carried by any one of these outlets."""
    source_kind_ids: list[int] | None = None
    """And carried by one of these (the sources of a group, type or grade); an empty list matches nothing."""
    since: date | None = None
    until: date | None = None
    has_figures: bool = False
    language: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.query or self.entity_ids or self.source_ids or self.since or self.until
                    or self.has_figures or self.language or self.source_kind_ids is not None)


@dataclass
class _Sql:
    table: str
    key: str
    where: list[str] = field(default_factory=list)
    params: list[int | str] = field(default_factory=list)
    table_params: list[int | str] = field(default_factory=list)
    """Parameters of a subquery in `table`; they come before those of `where` in the statement."""

    @property
    def all_params(self) -> list[int | str]:
        return [*self.table_params, *self.params]

    def add(self, condition: str, *params: int | str) -> None:
        self.where.append(condition)
        self.params.extend(params)


def day_start_key(day: date) -> int:
    moment = timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())
    return int(moment.timestamp()) * SORT_KEY_FACTOR


def _plan(filters: StoryFilters, *, text_driver: bool = False, fence: bool = True) -> _Sql:
    """Chooses the driving index and turns every other filter into a probe on the sort key."""
    backend = Backend.for_vendor(connection.vendor)
    counts = dict(Entity.objects.filter(pk__in=filters.entity_ids).values_list("pk", "story_count"))
    rarest = min(filters.entity_ids, key=lambda e: counts.get(e, 0)) if filters.entity_ids else None
    use_text = filters.query is not None and (
        text_driver or rarest is None or not _entity_is_rarer(filters.query, counts.get(rarest, 0), backend))
    if use_text:
        assert filters.query is not None
        syntax = backend.syntax(filters.query)
        if fence and backend.vendor == "postgresql" and _postgres_expects_few(syntax):
            # Few matches: PostgreSQL would walk the sort-key index newest first and test every row, reading
            # the whole table when the matches are old or absent. Fenced by OFFSET 0, it collects the matches
            # from the GIN index and sorts only those.
            sql = _Sql("(SELECT sort_key FROM monitor_storysearch WHERE document_tsv @@ to_tsquery('simple', %s) "
                       "OFFSET 0) f", "f.sort_key", table_params=[syntax])
        else:
            sql = _Sql(backend.driver_table, backend.driver_key)
            sql.add(backend.driver_where, syntax)
    elif rarest is not None:
        sql = _Sql("monitor_storyentity d", "d.sort_key")
        sql.add("d.entity_id = %s", rarest)
    elif len(filters.source_ids) == 1:
        sql = _Sql("monitor_storysource d", "d.sort_key")
        sql.add("d.source_id = %s", filters.source_ids[0])
    else:
        sql = _Sql("monitor_story d", "d.sort_key")
        sql.add("d.sort_key IS NOT NULL")
    k = sql.key
    if filters.query is not None and not use_text:
        sql.add(backend.probe.format(k=k), backend.syntax(filters.query))
    for entity_id in filters.entity_ids:
        if entity_id != rarest or use_text:
            sql.add(f"EXISTS (SELECT 1 FROM monitor_storyentity p WHERE p.entity_id = %s AND p.sort_key = {k})",
                    entity_id)
    if filters.source_ids and not sql.table.startswith("monitor_storysource"):
        marks = ", ".join(["%s"] * len(filters.source_ids))
        sql.add(f"EXISTS (SELECT 1 FROM monitor_storysource p WHERE p.source_id IN ({marks}) AND p.sort_key = {k})",
                *filters.source_ids)
    if filters.source_kind_ids is not None:
        if filters.source_kind_ids:
            marks = ", ".join(["%s"] * len(filters.source_kind_ids))
            sql.add(f"EXISTS (SELECT 1 FROM monitor_storysource p WHERE p.source_id IN ({marks}) "
                    f"AND p.sort_key = {k})", *filters.source_kind_ids)
        else:
            sql.add("1 = 0")  # a group, type or grade that no source has
    if filters.since:
        sql.add(f"{k} >= %s", day_start_key(filters.since))
    if filters.until:
        sql.add(f"{k} < %s", day_start_key(filters.until + timedelta(days=1)))
    if filters.has_figures or filters.language:
        story_checks = (["p.figure_count > 0"] if filters.has_figures else []) + (
            ["p.language = %s"] if filters.language else [])
        sql.add(f"EXISTS (SELECT 1 FROM monitor_story p WHERE p.sort_key = {k} AND {' AND '.join(story_checks)})",
                *([filters.language] if filters.language else []))
    return sql


def _postgres_expects_few(tsquery: str) -> bool:
    """Whether PostgreSQL's own estimate (from its statistics; no rows are read) puts the matches under
    FEW_TEXT_MATCHES."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) SELECT 1 FROM monitor_storysearch "
                       "WHERE document_tsv @@ to_tsquery('simple', %s)", [tsquery])
        plan = cursor.fetchone()[0]
    document = json.loads(plan) if isinstance(plan, str) else plan
    return int(document[0]["Plan"]["Plan Rows"]) < FEW_TEXT_MATCHES


def _entity_is_rarer(query: SearchQuery, entity_stories: int, backend: Backend) -> bool:
    """Whether walking the entity's stories beats walking the search's matches.

    On SQLite the matches are counted up to the entity's count, so the check costs no more than the walk it
    saves. PostgreSQL's planner weighs the text condition itself, so there the text always drives.
    """
    if entity_stories >= RARE_ENTITY_STORIES or backend.vendor != "sqlite":
        return False
    rows = _fetch(f"SELECT COUNT(*) FROM (SELECT 1 FROM {backend.driver_table} WHERE {backend.driver_where} "
                  "LIMIT %s)", [backend.syntax(query), entity_stories])
    return int(rows[0][0]) >= entity_stories


def story_keys(filters: StoryFilters, *, limit: int, after: int | None = None, before: int | None = None,
               oldest_first: bool = False) -> list[int]:
    """Sort keys of matching stories in list order, starting after the `after` key or ending before `before`."""
    sql = _plan(filters)
    k = sql.key
    descending = not oldest_first
    if before is not None:
        # The page before a cursor: walk the other way from it, then turn the page round.
        sql.add(f"{k} > %s" if descending else f"{k} < %s", before)
        descending = not descending
    elif after is not None:
        sql.add(f"{k} < %s" if descending else f"{k} > %s", after)
    rows = _fetch(f"SELECT {k} FROM {sql.table} WHERE {' AND '.join(sql.where) or 'TRUE'} "
                  f"ORDER BY {k} {'DESC' if descending else 'ASC'} LIMIT %s", [*sql.all_params, limit])
    keys = [row[0] for row in rows]
    return keys[::-1] if before is not None else keys


def ranked_story_keys(filters: StoryFilters, *, offset: int, limit: int) -> list[int]:
    """A search's matches, best first, among its RELEVANCE_WINDOW newest matches."""
    assert filters.query is not None
    backend = Backend.for_vendor(connection.vendor)
    sql = _plan(filters, text_driver=True, fence=False)
    score_params = [backend.syntax(filters.query)] if backend.score_takes_query else []
    inner = (f"SELECT {sql.key} AS k, {backend.score} AS score FROM {sql.table} WHERE {' AND '.join(sql.where)} "
             f"ORDER BY {sql.key} DESC LIMIT %s")
    rows = _fetch(f"SELECT k FROM ({inner}) ranked ORDER BY score, k DESC LIMIT %s OFFSET %s",
                  [*score_params, *sql.params, RELEVANCE_WINDOW, limit, offset])
    return [row[0] for row in rows]


def iter_story_keys(filters: StoryFilters, *, batch: int = 500, most: int | None = None) -> Iterator[list[int]]:
    """Every match, newest first, a batch at a time: for exports that must not hold them all in memory."""
    after: int | None = None
    sent = 0
    while most is None or sent < most:
        size = batch if most is None else min(batch, most - sent)
        keys = story_keys(filters, limit=size, after=after)
        if not keys:
            return
        yield keys
        sent += len(keys)
        after = keys[-1]


def stories_for(keys: list[int]) -> list[Story]:
    """The Story rows for these sort keys, in the same order."""
    by_key = {story.sort_key: story for story in Story.objects.filter(sort_key__in=keys)}
    return [by_key[key] for key in keys if key in by_key]


@dataclass
class Facet:
    label: str
    id: int
    count: int
    title: str = ""


@dataclass
class Facets:
    sample: int
    organisations: list[Facet] = field(default_factory=list)
    people: list[Facet] = field(default_factory=list)
    places: list[Facet] = field(default_factory=list)
    sources: list[Facet] = field(default_factory=list)


def facets(filters: StoryFilters, *, top: int = 8, leave_out: set[int] | None = None) -> Facets:
    """The most frequent entities and outlets among the newest FACET_SAMPLE matching stories."""
    keys = story_keys(filters, limit=FACET_SAMPLE)
    story_ids = [key % SORT_KEY_FACTOR for key in keys]
    result = Facets(sample=len(keys))
    if not story_ids:
        return result
    leave_out = leave_out or set()
    marks = ", ".join(["%s"] * len(story_ids))
    by_kind: dict[str, Counter[int]] = {str(kind): Counter() for kind in Entity.Kind.values}
    for row in _fetch(
            f"SELECT entity_id, kind, COUNT(*) FROM monitor_storyentity WHERE story_id IN ({marks}) "
            "GROUP BY entity_id, kind", story_ids):
        entity_id, kind, n = int(row[0]), str(row[1]), int(row[2])
        if entity_id not in leave_out and kind in by_kind:
            by_kind[kind][entity_id] = n
    chosen: dict[str, list[tuple[int, int]]] = {kind: counter.most_common(top) for kind, counter in by_kind.items()}
    entities = Entity.objects.in_bulk([entity_id for pairs in chosen.values() for entity_id, _ in pairs])
    for kind_name, attribute in ((str(Entity.Kind.ORGANISATION), "organisations"),
                                 (str(Entity.Kind.PERSON), "people"), (str(Entity.Kind.PLACE), "places")):
        setattr(result, attribute, [Facet(entities[e].acronym or entities[e].name, e, n, entities[e].name)
                                    for e, n in chosen[kind_name] if e in entities])
    source_counts: Counter[int] = Counter(dict(_fetch(
        f"SELECT source_id, COUNT(*) FROM monitor_storysource WHERE story_id IN ({marks}) GROUP BY source_id",
        story_ids)))
    sources = Source.objects.in_bulk([s for s, _ in source_counts.most_common(top)])
    result.sources = [Facet(str(sources[s]), s, n) for s, n in source_counts.most_common(top) if s in sources]
    return result


@dataclass(frozen=True)
class Estimate:
    count: int
    exact: bool


def estimate(filters: StoryFilters) -> Estimate | None:
    """How many stories match, where a maintained number says so without counting; None where nothing does."""
    if filters.is_empty:
        rows = _fetch("SELECT MAX(id) FROM monitor_story", [])
        return Estimate(int(rows[0][0] or 0), exact=False)
    only_entity = (len(filters.entity_ids) == 1 and not filters.query and not filters.source_ids
                   and filters.source_kind_ids is None
                   and not filters.since and not filters.until and not filters.has_figures and not filters.language)
    if only_entity:
        count = Entity.objects.filter(pk=filters.entity_ids[0]).values_list("story_count", flat=True).first()
        return Estimate(int(count or 0), exact=True)
    return None


def _fetch(sql: str, params: Sequence[int | str]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
