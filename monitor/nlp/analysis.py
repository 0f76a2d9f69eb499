"""The result of tagging one text: organisations, people, places and figures.

For: the dataclasses the tagger returns and their JSON shape (``to_dict``), which the Django side
stores and the evaluation scores.
Not for: producing them; see ``tagger``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Mention = tuple[int, int, str]


@dataclass
class Organisation:
    name: str
    acronym: str | None
    aliases: list[str]
    kind: str | None
    country: str | None
    count: int
    # None marks a candidate: a name the text uses that the gazetteer does not (yet) know.
    gazetteer_key: str | None
    mentions: list[Mention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "acronym": self.acronym, "aliases": self.aliases, "kind": self.kind,
            "country": self.country, "count": self.count, "gazetteer_key": self.gazetteer_key,
        }


@dataclass
class NamedEntity:
    """A person or a place."""

    name: str
    aliases: list[str]
    count: int
    mentions: list[Mention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "aliases": self.aliases, "count": self.count}


@dataclass
class Figure:
    text: str
    value: int | float | None
    unit: str | None
    counts: str | None
    qualifier: str | None
    approx: bool
    start: int
    end: int
    sentence: str
    subject: str | None
    date: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "value": self.value, "unit": self.unit, "counts": self.counts,
            "qualifier": self.qualifier, "approx": self.approx, "start": self.start, "end": self.end,
            "sentence": self.sentence, "subject": self.subject, "date": self.date,
        }


@dataclass
class Analysis:
    organisations: list[Organisation] = field(default_factory=list)
    people: list[NamedEntity] = field(default_factory=list)
    places: list[NamedEntity] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {
            "organisations": [o.to_dict() for o in self.organisations],
            "people": [p.to_dict() for p in self.people],
            "places": [p.to_dict() for p in self.places],
            "figures": [f.to_dict() for f in self.figures],
        }
