"""The gazetteer in the database: what the tagger is built from, and how shipped entries sync.

GazetteerEntry rows are the editable copy of monitor/nlp/data/organisations.json and places.json. Rows whose
kind is in NAME_KINDS are people, places, and stop-list entries (a name that is not a person, place or
organisation); the rest are organisations. Admins add and edit entries; `sync_gazetteer` brings in what a new
release ships without overwriting their edits.
Not for: matching text against the gazetteer (monitor.nlp.gazetteer does that, on plain records).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Max

from monitor.models import GazetteerEntry
from monitor.nlp import load_default_records
from monitor.nlp.gazetteer import NAME_KINDS, PLACE_KIND, load_default_place_records


def _enabled_records() -> list[dict[str, Any]]:
    try:
        return [entry.as_record() for entry in GazetteerEntry.objects.filter(enabled=True)]
    except DatabaseError:
        return []


def gazetteer_records() -> list[dict[str, Any]]:
    """The enabled organisation entries, or the shipped set when the table is empty or not migrated yet.

    The fallback lets `manage.py analyze` work on a fresh install before `migrate`.
    """
    entries = [r for r in _enabled_records() if r["kind"] not in NAME_KINDS]
    return entries or load_default_records()


def place_records() -> list[dict[str, Any]]:
    """The enabled place entries, or the shipped places when the database has none yet."""
    entries = [r for r in _enabled_records() if r["kind"] == PLACE_KIND]
    return entries or load_default_place_records()


def correction_records() -> list[dict[str, Any]]:
    """The enabled people and stop-list entries (admins' corrections)."""
    return [r for r in _enabled_records() if r["kind"] in NAME_KINDS and r["kind"] != PLACE_KIND]


def sync_gazetteer() -> tuple[int, int]:
    """Adds shipped gazetteer entries the database lacks, and refreshes shipped ones admins have not touched.

    Returns (added, updated). Entries that admins created or edited are never overwritten.
    """
    added = updated = 0
    existing = {entry.key: entry for entry in GazetteerEntry.objects.all()}
    for record in [*load_default_records(), *load_default_place_records()]:
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


def gazetteer_stamp() -> tuple[Any, ...]:
    """Changes whenever the enabled gazetteer (or the model setting) does: the tagger cache's key."""
    try:
        stats = GazetteerEntry.objects.filter(enabled=True).aggregate(n=Count("id"), latest=Max("updated_at"))
    except DatabaseError:
        return (settings.MONITOR_SPACY_MODEL, "shipped")
    return (settings.MONITOR_SPACY_MODEL, stats["n"], stats["latest"])
