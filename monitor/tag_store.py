"""Stores what the tagger found: an Analysis becomes Entity, Mention and Figure rows.

Not for: running the tagger (monitor.tagging) or deciding what counts as an entity (monitor.nlp).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from monitor.models import Entity, Figure, GazetteerEntry, Mention
from monitor.nlp import Analysis, NamedEntity, Organisation
from monitor.plain_sql import insert_rows
from monitor.story_index import remember_names
from sources.models import Article


def store_analysis(article: Article, analysis: Analysis, *, version: str) -> None:
    """Replaces the article's mentions and figures with those in `analysis`."""
    Mention.objects.filter(article=article).delete()
    Figure.objects.filter(article=article).delete()
    gazetteer = {entry.key: entry for entry in GazetteerEntry.objects.filter(
        key__in=[o.gazetteer_key for o in analysis.organisations if o.gazetteer_key])}
    named: list[tuple[str, NamedEntity | Organisation]] = [(Entity.Kind.ORGANISATION, o) for o in analysis.organisations]
    named += [(Entity.Kind.PERSON, p) for p in analysis.people] + [(Entity.Kind.PLACE, p) for p in analysis.places]
    # One query for the entities already known (nearly all, once an archive has started); each new one is made
    # by get_or_create, which copes with another worker making it at the same moment.
    known = {(e.kind, e.name): e for e in Entity.objects.filter(
        kind__in={kind for kind, _ in named}, name__in={item.name[:300] for _, item in named})}
    found: list[tuple[Entity, NamedEntity | Organisation]] = []
    for kind, item in named:
        existing = known.get((kind, item.name[:300]))
        if isinstance(item, Organisation):
            found.append((upsert_organisation(item, gazetteer, existing), item))
        else:
            found.append((upsert_named_entity(kind, item, existing), item))
    subjects = {item.name: entity.pk for entity, item in found if entity.kind == Entity.Kind.ORGANISATION}
    mentions: list[dict[str, Any]] = []
    for entity, mentioned in found:
        seen: set[int] = set()
        rules = (mentioned.mention_rules if len(mentioned.mention_rules) == len(mentioned.mentions)
                 else [mentioned.rule] * len(mentioned.mentions))
        for (start, end, surface), rule in zip(mentioned.mentions, rules):
            if start in seen:
                continue
            seen.add(start)
            mentions.append({"article_id": article.pk, "entity_id": entity.pk, "start": start, "end": end,
                             "surface": surface[:300], "pipeline_version": version, "rule": rule[:60]})
    insert_rows(Mention, mentions)
    figures: list[dict[str, Any]] = []
    seen_starts: set[int] = set()
    for fig in analysis.figures:
        if fig.start in seen_starts:
            continue
        seen_starts.add(fig.start)
        figures.append({
            "article_id": article.pk, "text": fig.text[:500], "value": fig.value, "unit": (fig.unit or "")[:20],
            "counts": (fig.counts or "")[:300], "qualifier": (fig.qualifier or "")[:50], "approx": bool(fig.approx),
            "start": fig.start, "end": fig.end, "sentence": fig.sentence or "", "subject": (fig.subject or "")[:300],
            "date_context": (fig.date or "")[:20], "subject_entity_id": subjects.get(fig.subject or ""),
            "pipeline_version": version, "rule": fig.rule[:60], "story_id": None, "source_id": None,
            "sort_key": None,
        })
    insert_rows(Figure, figures)


def upsert_named_entity(kind: str, item: NamedEntity, entity: Entity | None = None) -> Entity:
    """The person or place entity by canonical name, with any new aliases added. `entity`: it, if already read."""
    created = False
    if entity is None:
        entity, created = Entity.objects.get_or_create(kind=kind, name=item.name[:300])
    if _merge_aliases(entity, item.aliases) or created:
        entity.save()
        remember_names(entity)
    return entity


def upsert_organisation(item: Organisation, gazetteer: dict[str, GazetteerEntry], entity: Entity | None = None,
                        ) -> Entity:
    """The organisation entity by canonical name, linked to its gazetteer entry, acronym and kind kept fresh.
    `entity`: it, if already read."""
    created = False
    if entity is None:
        entity, created = Entity.objects.get_or_create(kind=Entity.Kind.ORGANISATION, name=item.name[:300])
    changed = _merge_aliases(entity, item.aliases) or created
    entry = gazetteer.get(item.gazetteer_key) if item.gazetteer_key else None
    if entry is not None and entity.gazetteer_id != entry.pk:
        entity.gazetteer = entry
        changed = True
    updates = {"acronym": (item.acronym or entity.acronym or "")[:50], "category": (item.kind or "")[:50]}
    changed = _set_if_given(entity, updates) or changed
    if changed:
        entity.save()
        remember_names(entity)
    return entity


def _merge_aliases(entity: Entity, aliases: list[str]) -> bool:
    merged = sorted(set(entity.aliases) | set(aliases))
    if merged == entity.aliases:
        return False
    entity.aliases = merged
    return True


def _set_if_given(instance: Model, values: dict[str, str]) -> bool:
    changed = False
    for name, value in values.items():
        if value and getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
