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
    # How it was found: "gazetteer", "acronym-definition", "model" or the name of a rule (see entities),
    # for the entity and for each of its mentions (parallel to ``mentions``).
    rule: str = ""
    mention_rules: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "acronym": self.acronym, "aliases": self.aliases, "kind": self.kind,
            "country": self.country, "count": self.count, "gazetteer_key": self.gazetteer_key, "rule": self.rule,
        }


@dataclass
class NamedEntity:
    """A person or a place."""

    name: str
    aliases: list[str]
    count: int
    mentions: list[Mention] = field(default_factory=list)
    rule: str = ""
    mention_rules: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "aliases": self.aliases, "count": self.count, "rule": self.rule}


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
    # How the number was read and where its counted noun came from, e.g. "digits+counted-phrase".
    rule: str = ""
    # Which attribution rule chose ``subject`` ("reporting-verb", "passive-agent", ...); empty when none did.
    subject_rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "value": self.value, "unit": self.unit, "counts": self.counts,
            "qualifier": self.qualifier, "approx": self.approx, "start": self.start, "end": self.end,
            "sentence": self.sentence, "subject": self.subject, "date": self.date, "rule": self.rule,
            "subject_rule": self.subject_rule,
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


def merge_pieces(pieces: list[tuple[int, Analysis]]) -> Analysis:
    """One Analysis from the analyses of consecutive pieces of a text, each given with its offset.

    Entities with the same canonical name are one entity: counts add up, aliases join, and mention and
    figure offsets are moved to the whole text's.
    """
    merged = Analysis()
    organisations: dict[str, Organisation] = {}
    people: dict[str, NamedEntity] = {}
    places: dict[str, NamedEntity] = {}
    for offset, piece in pieces:
        for org in piece.organisations:
            shifted = [(start + offset, end + offset, surface) for start, end, surface in org.mentions]
            known = organisations.get(org.name)
            if known is None:
                organisations[org.name] = Organisation(org.name, org.acronym, list(org.aliases), org.kind,
                                                       org.country, org.count, org.gazetteer_key, shifted, org.rule,
                                                       list(org.mention_rules))
            else:
                known.count += org.count
                known.aliases = sorted(set(known.aliases) | set(org.aliases))
                known.acronym = known.acronym or org.acronym
                known.mentions.extend(shifted)
                known.mention_rules.extend(org.mention_rules)
        for found, into in ((piece.people, people), (piece.places, places)):
            for entity in found:
                shifted = [(start + offset, end + offset, surface) for start, end, surface in entity.mentions]
                known_entity = into.get(entity.name)
                if known_entity is None:
                    into[entity.name] = NamedEntity(entity.name, list(entity.aliases), entity.count, shifted, entity.rule,
                                                    list(entity.mention_rules))
                else:
                    known_entity.count += entity.count
                    known_entity.aliases = sorted(set(known_entity.aliases) | set(entity.aliases))
                    known_entity.mentions.extend(shifted)
                    known_entity.mention_rules.extend(entity.mention_rules)
        for figure in piece.figures:
            merged.figures.append(Figure(figure.text, figure.value, figure.unit, figure.counts, figure.qualifier,
                                         figure.approx, figure.start + offset, figure.end + offset, figure.sentence,
                                         figure.subject, figure.date, figure.rule, figure.subject_rule))
    merged.organisations = sorted(organisations.values(), key=lambda o: -o.count)
    merged.people = sorted(people.values(), key=lambda p: -p.count)
    merged.places = sorted(places.values(), key=lambda p: -p.count)
    return merged
