"""Stage 3 of the pipeline: tag an article's text and store what the tagger found.

The tagger itself (monitor.nlp) knows nothing of Django. This module builds it from the gazetteer in the
database, keeps one per process, rebuilds it when admins edit the gazetteer, and turns an Analysis into
Entity, Mention and Figure rows.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from monitor.clustering import assign_story
from monitor.models import Article, Entity, Figure, GazetteerEntry, Mention
from monitor.nlp import Analysis, Gazetteer, Tagger, load_default_records
from monitor.pipeline import commit_stage

_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], Tagger] | None = None


def gazetteer_records() -> list[dict[str, Any]]:
    """The enabled gazetteer entries, or the shipped set when the table is empty or not migrated yet.

    The fallback lets `manage.py analyze` work on a fresh install before `migrate`.
    """
    try:
        entries = [entry.as_record() for entry in GazetteerEntry.objects.filter(enabled=True)]
    except DatabaseError:
        entries = []
    return entries or load_default_records()


def sync_gazetteer() -> tuple[int, int]:
    """Adds shipped gazetteer entries the database lacks, and refreshes shipped ones admins have not touched.

    Returns (added, updated). Entries that admins created or edited are never overwritten.
    """
    added = updated = 0
    existing = {entry.key: entry for entry in GazetteerEntry.objects.all()}
    for record in load_default_records():
        fields = {"canonical": record["canonical"], "acronyms": record.get("acronyms", []),
                  "aliases": record.get("aliases", []), "kind": record.get("kind", ""),
                  "country": record.get("country", "") or "", "context": record.get("context", [])}
        entry = existing.get(record["key"])
        if entry is None:
            GazetteerEntry.objects.create(key=record["key"], origin=GazetteerEntry.Origin.SHIPPED, **fields)
            added += 1
        elif entry.origin == GazetteerEntry.Origin.SHIPPED and any(getattr(entry, k) != v for k, v in fields.items()):
            GazetteerEntry.objects.filter(pk=entry.pk).update(**fields)
            updated += 1
    return added, updated


def _gazetteer_stamp() -> tuple[Any, ...]:
    try:
        stats = GazetteerEntry.objects.filter(enabled=True).aggregate(n=Count("id"), latest=Max("updated_at"))
    except DatabaseError:
        return (settings.MONITOR_SPACY_MODEL, "shipped")
    return (settings.MONITOR_SPACY_MODEL, stats["n"], stats["latest"])


def get_tagger() -> Tagger:
    """One tagger per process, rebuilt when the gazetteer changes."""
    global _cached
    stamp = _gazetteer_stamp()
    with _lock:
        if _cached is None or _cached[0] != stamp:
            tagger = Tagger(model_name=settings.MONITOR_SPACY_MODEL,
                            gazetteer=Gazetteer.from_records(gazetteer_records()))
            _cached = (stamp, tagger)
        return _cached[1]


def article_text(article: Article) -> str:
    """What the tagger reads: the title as its own paragraph, then the body."""
    return article.text or article.title


def tag_article(article: Article) -> None:
    """Tags one claimed article, replaces its stored tags, assigns it to a story, and marks it tagged."""
    tagger = get_tagger()
    analysis = tagger.analyze(article_text(article))
    with transaction.atomic():
        commit_stage(article, to_status=Article.Status.TAGGED,
                     fields={"pipeline_version": tagger.version, "tagged_at": timezone.now()})
        store_analysis(article, analysis, version=tagger.version)
        assign_story(article)


def retag_article(article: Article, tagger: Tagger, analysis: Analysis | None = None) -> None:
    """Re-tags an already tagged article (after a gazetteer or model change), keeping its status."""
    analysis = analysis or tagger.analyze(article_text(article))
    with transaction.atomic():
        store_analysis(article, analysis, version=tagger.version)
        Article.objects.filter(pk=article.pk).update(pipeline_version=tagger.version, tagged_at=timezone.now())


def store_analysis(article: Article, analysis: Analysis, *, version: str) -> None:
    """Replaces the article's mentions and figures with those in `analysis`."""
    article.mentions.all().delete()
    article.figures.all().delete()
    mentions: list[Mention] = []
    org_by_name: dict[str, Entity] = {}
    groups: list[tuple[str, list[Any]]] = [
        (Entity.Kind.ORGANISATION, analysis.organisations),
        (Entity.Kind.PERSON, analysis.people),
        (Entity.Kind.PLACE, analysis.places),
    ]
    gazetteer = {entry.key: entry for entry in GazetteerEntry.objects.filter(
        key__in=[o.gazetteer_key for o in analysis.organisations if o.gazetteer_key])}
    for kind, found in groups:
        for item in found:
            entity = _upsert_entity(kind, item, gazetteer)
            if kind == Entity.Kind.ORGANISATION:
                org_by_name[item.name] = entity
            seen: set[int] = set()
            for start, end, surface in item.mentions:
                if start in seen:
                    continue
                seen.add(start)
                mentions.append(Mention(article=article, entity=entity, start=start, end=end,
                                        surface=surface[:300], pipeline_version=version))
    Mention.objects.bulk_create(mentions)
    figures: list[Figure] = []
    seen_starts: set[int] = set()
    for fig in analysis.figures:
        if fig.start in seen_starts:
            continue
        seen_starts.add(fig.start)
        figures.append(Figure(
            article=article, text=fig.text[:500], value=fig.value, unit=fig.unit or "", counts=(fig.counts or "")[:300],
            qualifier=fig.qualifier or "", approx=bool(fig.approx), start=fig.start, end=fig.end,
            sentence=fig.sentence or "", subject=(fig.subject or "")[:300], date_context=fig.date or "",
            pipeline_version=version,
        ))
    Figure.objects.bulk_create(figures)


def _upsert_entity(kind: str, item: Any, gazetteer: dict[str, GazetteerEntry]) -> Entity:
    entity, _ = Entity.objects.get_or_create(kind=kind, name=item.name[:300])
    aliases = sorted(set(entity.aliases) | set(item.aliases))
    changed = aliases != entity.aliases
    entity.aliases = aliases
    if kind == Entity.Kind.ORGANISATION:
        entry = gazetteer.get(item.gazetteer_key) if item.gazetteer_key else None
        updates = {"acronym": (item.acronym or entity.acronym or "")[:50], "category": (item.kind or "")[:50]}
        if entry is not None and entity.gazetteer_id != entry.pk:
            entity.gazetteer = entry
            changed = True
        for name, value in updates.items():
            if value and getattr(entity, name) != value:
                setattr(entity, name, value)
                changed = True
    if changed:
        entity.save()
    return entity
