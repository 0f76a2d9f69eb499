"""The curated organisation gazetteer and the list of known place names.

For: loading records (from the packaged JSON or from the database, which stores the same shape),
folding every name, acronym and alias to a lookup key, resolving acronyms that several records
share by the words around them, and a version hash that changes whenever any record changes.
Not for: finding names in text; ``matching`` walks the tokens and asks this module.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from monitor.nlp.names import fold_name


@dataclass(frozen=True)
class OrganisationRecord:
    key: str
    canonical: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]
    kind: str
    country: str | None
    # Words whose presence in a document makes this record the likely meaning of a shared acronym.
    context: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, record: Mapping[str, Any]) -> OrganisationRecord:
        return cls(
            key=str(record["key"]),
            canonical=str(record["canonical"]),
            acronyms=tuple(dict.fromkeys(str(a) for a in record.get("acronyms") or () if a)),
            aliases=tuple(dict.fromkeys(str(a) for a in record.get("aliases") or () if a)),
            kind=str(record.get("kind") or "other"),
            country=record.get("country") or None,
            context=tuple(str(c).lower() for c in record.get("context") or () if c),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "canonical": self.canonical, "acronyms": list(self.acronyms),
            "aliases": list(self.aliases), "kind": self.kind, "country": self.country,
            "context": list(self.context),
        }


@dataclass(frozen=True)
class PlaceRecord:
    canonical: str
    aliases: tuple[str, ...]
    kind: str
    country: str | None


# Names of one word are matched with their case, so "Dawn" the newspaper is not "dawn" the time
# of day and "IS" is never "is"; longer names are matched case-insensitively after folding.
_SINGLE_WORD = re.compile(r"^[\w.&@/$]+$")


def is_single_word(name: str) -> bool:
    return bool(_SINGLE_WORD.match(name))


def exact_forms(name: str, is_acronym: bool) -> list[str]:
    """The case-sensitive spellings under which a one-word name is recognised."""
    forms = [name]
    if is_acronym:
        forms.append(name + "s")  # "CTFs", "NGOs"
        if len(name) >= 4 and name.isupper():
            forms.append(name.capitalize())  # "Nacta", "Nadra": house style of some papers
    elif len(name) >= 4:
        forms.append(name.upper())  # headlines and datelines in capitals
    return forms


# The FIA's wings are as often called its departments or directorates in the press ("the FIA immigration
# department", "FIA Economic Crime Directorate"); a wing named with its parent matches under either word.
_FIA_WING = re.compile(r"^(FIA\s.+\s)Wing$")


def wing_variants(name: str) -> list[str]:
    m = _FIA_WING.match(name)
    return [m.group(1) + "Department", m.group(1) + "Directorate"] if m else []


class Gazetteer:
    """Organisation records indexed by folded long names and by exact one-word names."""

    def __init__(self, records: Iterable[OrganisationRecord]) -> None:
        self.records: dict[str, OrganisationRecord] = {}
        self.by_folded: dict[str, list[str]] = {}
        self.by_exact: dict[str, list[str]] = {}
        for record in records:
            self.records[record.key] = record
            for name in (record.canonical, *record.aliases, *record.acronyms):
                is_acronym = name in record.acronyms
                if is_single_word(name):
                    for form in exact_forms(name, is_acronym):
                        self._index(self.by_exact, form, record.key)
                else:
                    for form in (name, *wing_variants(name)):
                        self._index(self.by_folded, fold_name(form), record.key)
        payload = json.dumps(
            [r.as_dict() for r in sorted(self.records.values(), key=lambda r: r.key)], sort_keys=True
        )
        self.version = hashlib.sha256(payload.encode()).hexdigest()[:12]

    @staticmethod
    def _index(index: dict[str, list[str]], name: str, key: str) -> None:
        if name:
            keys = index.setdefault(name, [])
            if key not in keys:
                keys.append(key)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Gazetteer:
        return cls(OrganisationRecord.from_mapping(r) for r in records)

    def __len__(self) -> int:
        return len(self.records)

    def lookup(self, name: str) -> list[str]:
        """Keys of the records a surface form may refer to (several for a shared acronym)."""
        name = name.strip()
        if name in self.by_exact:
            return list(self.by_exact[name])
        return list(self.by_folded.get(fold_name(name), []))

    def choose(self, keys: list[str], document_words: str) -> str:
        """Pick among records sharing a name by counting their context words in the document.

        ``document_words`` is the document as ``context_words`` returns it.
        """
        if len(keys) == 1:
            return keys[0]
        best, best_score = keys[0], -1
        for key in keys:
            score = _context_score(document_words, self.records[key].context)
            if score > best_score:
                best, best_score = key, score
        return best


_WORDS = re.compile(r"[\w\-]+")


def context_words(text: str) -> str:
    """A document as lower-case words between single spaces, for fast whole-word counting."""
    return " " + " ".join(_WORDS.findall(text.lower())) + " "


@lru_cache(maxsize=1024)
def _context_score(document_words: str, phrases: tuple[str, ...]) -> int:
    return sum(document_words.count(" " + " ".join(_WORDS.findall(p)) + " ") for p in phrases)


class PlaceList:
    """Known place names: the model often mistakes Pakistani places for people or organisations."""

    def __init__(self, places: Iterable[PlaceRecord]) -> None:
        self.places: dict[str, PlaceRecord] = {}
        self.by_folded: dict[str, str] = {}
        self.by_exact: dict[str, str] = {}
        places = list(places)
        payload = json.dumps(sorted((p.canonical, sorted(p.aliases)) for p in places))
        self.version = hashlib.sha256(payload.encode()).hexdigest()[:12]
        for place in places:
            self.places[place.canonical] = place
            for name in (place.canonical, *place.aliases):
                if is_single_word(name):
                    for form in exact_forms(name, is_acronym=name.isupper()):
                        self.by_exact.setdefault(form, place.canonical)
                else:
                    self.by_folded.setdefault(fold_name(name), place.canonical)

    def lookup(self, name: str) -> str | None:
        name = name.strip()
        return self.by_exact.get(name) or self.by_folded.get(fold_name(name))


# Kinds of gazetteer records that are not organisations: people and places to know, and names that are
# NOT a person, place or organisation (an admin's stop-list against a recurring false tag).
PERSON_KIND, PLACE_KIND = "person", "place"
STOP_KINDS = {"not-person": "PERSON", "not-place": "PLACE", "not-organisation": "ORG"}
NAME_KINDS = frozenset({PERSON_KIND, PLACE_KIND, *STOP_KINDS})


class NameCorrections:
    """People the tagger must know, and names it must never tag as a given kind, from admins' entries."""

    def __init__(self, people: Iterable[tuple[str, Iterable[str]]] = (),
                 stops: Iterable[tuple[str, str]] = ()) -> None:
        self.people: dict[str, str] = {}  # folded name or alias -> canonical
        self.by_exact: dict[str, str] = {}
        for canonical, aliases in people:
            for name in (canonical, *aliases):
                if is_single_word(name):
                    self.by_exact.setdefault(name, canonical)
                else:
                    self.people.setdefault(fold_name(name), canonical)
        self.stops: set[tuple[str, str]] = {(label, fold_name(name)) for label, name in stops}
        payload = json.dumps([sorted(self.people.items()), sorted(self.by_exact.items()), sorted(self.stops)])
        self.version = hashlib.sha256(payload.encode()).hexdigest()[:12]

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> NameCorrections:
        people: list[tuple[str, list[str]]] = []
        stops: list[tuple[str, str]] = []
        for r in records:
            kind = str(r.get("kind") or "")
            names = [str(r["canonical"]), *(str(a) for a in r.get("aliases") or () if a)]
            if kind == PERSON_KIND:
                people.append((names[0], names[1:]))
            elif kind in STOP_KINDS:
                stops.extend((STOP_KINDS[kind], name) for name in names)
        return cls(people, stops)

    def person(self, name: str) -> str | None:
        name = name.strip()
        return self.by_exact.get(name) or self.people.get(fold_name(name))

    def is_stopped(self, label: str, name: str) -> bool:
        return bool(self.stops) and (label, fold_name(name)) in self.stops


def place_list_from_records(records: Iterable[Mapping[str, Any]]) -> PlaceList:
    """A place list from records in the gazetteer's shape (kind "place"), as the database stores them."""
    return PlaceList(
        PlaceRecord(canonical=str(r["canonical"]), aliases=tuple(str(a) for a in r.get("aliases") or () if a),
                    kind=str((r.get("context") or ["place"])[0]), country=r.get("country") or None)
        for r in records
    )


def _read_data(filename: str) -> Any:
    return json.loads(resources.files("monitor.nlp").joinpath("data", filename).read_text("utf-8"))


def load_default_records() -> list[dict[str, Any]]:
    """The packaged organisation records, in the shape the database stores them."""
    records: list[dict[str, Any]] = _read_data("organisations.json")["records"]
    return records


def load_default_place_records() -> list[dict[str, Any]]:
    """The packaged places as gazetteer-shaped records (kind "place"), for syncing into the database."""
    return [
        {"key": "place-" + re.sub(r"[^a-z0-9]+", "-", p["canonical"].lower()).strip("-"), "canonical": p["canonical"],
         "acronyms": [], "aliases": list(p.get("aliases") or ()), "kind": PLACE_KIND,
         "country": p.get("country") or "", "context": [p.get("kind") or "place"]}
        for p in _read_data("places.json")["places"]
    ]


def load_default_places() -> PlaceList:
    return PlaceList(
        PlaceRecord(
            canonical=p["canonical"], aliases=tuple(p.get("aliases") or ()),
            kind=p.get("kind") or "place", country=p.get("country"),
        )
        for p in _read_data("places.json")["places"]
    )
