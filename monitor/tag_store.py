"""Stores what the tagger found: an Analysis becomes Entity, Mention and Figure rows.

Not for: running the tagger (monitor.tagging) or deciding what counts as an entity (monitor.nlp).
"""

from __future__ import annotations

from django.db.models import Model

from monitor.models import Entity, Figure, GazetteerEntry, Mention
from monitor.nlp import Analysis, NamedEntity, Organisation
from monitor.story_index import remember_names
from sources.models import Article


def store_analysis(article: Article, analysis: Analysis, *, version: str) -> None:
    """Replaces the article's mentions and figures with those in `analysis`."""
    Mention.objects.filter(article=article).delete()
    Figure.objects.filter(article=article).delete()
    gazetteer = {entry.key: entry for entry in GazetteerEntry.objects.filter(
        key__in=[o.gazetteer_key for o in analysis.organisations if o.gazetteer_key])}
    found: list[tuple[Entity, NamedEntity | Organisation]] = []
    for organisation in analysis.organisations:
        found.append((upsert_organisation(organisation, gazetteer), organisation))
    for kind, named in ((Entity.Kind.PERSON, analysis.people), (Entity.Kind.PLACE, analysis.places)):
        for person_or_place in named:
            found.append((upsert_named_entity(kind, person_or_place), person_or_place))
    subjects = {item.name: entity.pk for entity, item in found if entity.kind == Entity.Kind.ORGANISATION}
    mentions: list[Mention] = []
    for entity, item in found:
        seen: set[int] = set()
        rules = item.mention_rules if len(item.mention_rules) == len(item.mentions) else [item.rule] * len(item.mentions)
        for (start, end, surface), rule in zip(item.mentions, rules):
            if start in seen:
                continue
            seen.add(start)
            mentions.append(Mention(article=article, entity=entity, start=start, end=end,
                                    surface=surface[:300], pipeline_version=version, rule=rule[:60]))
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
            subject_entity_id=subjects.get(fig.subject or ""), pipeline_version=version, rule=fig.rule[:60],
        ))
    Figure.objects.bulk_create(figures)


def upsert_named_entity(kind: str, item: NamedEntity) -> Entity:
    """The person or place entity by canonical name, with any new aliases added."""
    entity, created = Entity.objects.get_or_create(kind=kind, name=item.name[:300])
    if _merge_aliases(entity, item.aliases) or created:
        entity.save()
        remember_names(entity)
    return entity


def upsert_organisation(item: Organisation, gazetteer: dict[str, GazetteerEntry]) -> Entity:
    """The organisation entity by canonical name, linked to its gazetteer entry, acronym and kind kept fresh."""
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
