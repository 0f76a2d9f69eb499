"""Turning the pipeline's entity spans into organisations, people and places for one document.

For: trimming spans (determiners, possessive owners, datelines, titles, sentence-initial verbs),
rejecting junk, correcting the model's label with the gazetteer, the place list and local cues
("X district", "Minister X", lists of like items), linking acronyms the text defines, choosing
between records that share an acronym, adding capitalised names that end in an organisation word
(and committee names, names that contain another body's name, neighbourhood names), reading
"the Sindh government" as a description that names a place and "AML/CFT" as a regime, and merging
a document's mentions into one entry per organisation, person or place.
Not for: figures (``figures``) or running spaCy (``tagger``).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from monitor.nlp.acronyms import AcronymDefinition, find_definitions
from monitor.nlp.matching import document_text
from monitor.nlp.analysis import NamedEntity, Organisation
from monitor.nlp.gazetteer import Gazetteer, NameCorrections, PlaceList, context_words
from monitor.nlp.names import fold_name, is_junk_span, starts_with_symbol, tidy_surface
from monitor.nlp.vocabulary import (
    DEMONYMS_AND_FAITHS,
    DESCRIPTIVE_BODY_WORDS,
    FIELD_WORDS,
    JOB_TITLE_ENDINGS,
    LOCALITY_ENDINGS,
    NON_ORGANISATION_ACRONYMS,
    NOT_ORGANISATION_ENDINGS,
    OFFICE_TITLES,
    ORGANISATION_HEADS,
    PERSON_NAME_PREFIXES,
    PERSON_TITLES,
    PLACE_FOLLOWERS,
    PLACE_NAMED_THINGS,
    REFERENCE_OPENERS,
    URDU_ORGANISATION_WORDS,
)

ORG, PERSON, PLACE = "ORG", "PERSON", "PLACE"
# A capitalised span of unclear kind; only a list of like items can give it one.
UNKNOWN = "UNKNOWN"
_APPOSITION_OF_PERSON = re.compile(
    r"^\s*(?:,\s*(?:a|an|the|former|retired|ex-|who|whose|chief|head|director|spokesman|spokesperson)\b|"
    r",?\s+(?:said|says|told|added|stated|claimed|alleged)\b)",
    re.IGNORECASE,
)
_FACTION = re.compile(r"^\s*\(((?:[A-Z][\w\-]*\s+){0,5}(?:Group|Faction|Wing|[Gg]roup|[Ff]action))\)")
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our"}
_POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
_CONNECTORS = {"of", "for", "and", "on", "the", "&", "al", "ul", "-", "e", "i", "in"}
_JOINERS = {"e", "i", "ul", "ud", "al", "ut", "us", "un", "o"}
_ALIAS_CUE = re.compile(
    r"^\s*,?\s*(?:also known as|alias|aka|a\.k\.a\.|better known as)\s+((?:[A-Za-z.()\-]+\s+)*)$", re.IGNORECASE
)
_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+)$")
# Narrower than _APPOSITION_OF_PERSON: "Baka Khel, a village ..." is a place, "Amna Farooqui, head of
# research ..." a person the model called a place.
_LOWER_CASE_WORD = re.compile(r"\b[a-z]+\b")
_APPOSITION_OF_PERSON_NOT_PLACE = re.compile(
    r"^\s*(?:,\s*(?:former|retired|ex-|who|whose|chief|head|director|spokesman|spokesperson)\b|"
    r",?\s+(?:said|says|told|added|stated|claimed|alleged)\b)",
    re.IGNORECASE,
)
# Acronyms joined by slashes ("AML/CFT", "KYC/AML") name a regime or a field, not a body, unless
# every part is a known organisation ("PTI/PML-N" style pairs are not matched by this pattern).
_SLASH_ACRONYMS = re.compile(r"(?<![\w/])([A-Z][A-Za-z]{1,7}(?:/[A-Z][A-Za-z]{1,7})+)(?![\w/])")
# A name that contains the name of another body after "on", "of", "for" or "against":
# "National Task Force on FATF". The model stops before the inner name the gazetteer claimed.
_INNER_NAME_CONNECTORS = {"on", "of", "for", "against"}
_TRAILING_CONNECTORS = {"on", "of", "for", "against", "and", "&", "the", "in"}
_LOCALITY = re.compile(
    r"\b((?:[A-Z][a-z]+\s+){1,2}(?:" + "|".join(sorted(LOCALITY_ENDINGS)) + r"))\b"
)
# "in Tasp area", "near Babri area": a capitalised name before the lower-case word "area" is a place.
_NAMED_AREA = re.compile(r"(?:\b(?:in|near|at|of|from|and|outskirts of)\s+|,\s*)((?:[A-Z][a-z]+\s+){0,1}[A-Z][a-z]+)\s+area\b")
_ROUTE_NAME = re.compile(
    r"\b[A-Z][a-z]+(?:\s*-\s*[A-Z][a-z]+)+\s+(?:[Nn]ational\s+|[Ii]nternational\s+)?"
    r"(?:[Hh]ighway|[Rr]oad|[Mm]otorway|[Rr]ailway|[Tt]rack|[Rr]oute|[Ee]xpressway|[Bb]ypass)\b"
)
# A body's office in a named city: "PTA Lahore Zonal Office", "FBR Karachi Regional Office".
_CITY_OFFICE = re.compile(
    r"\b([A-Z]{2,6})\s+((?:[A-Z][a-z]+\s+){1,2})((?:Zonal|Regional|Divisional|District|Provincial|Sub-Regional)\s+"
    r"(?:Office|Directorate|Headquarters|Unit))\b"
)
# An adjective that makes a new body of a known kind: "National Counter Terrorism Department".
_NEW_BODY_OPENERS = {"National", "Federal"}
_LEGISLATURE_COMMITTEE = re.compile(
    r"\b((?:National Assembly|Senate|Provincial Assembly|[A-Z][a-z]+ Assembly)(?:['\u2019]s)?\s+"
    r"(?:[Ss]tanding\s+|[Ss]pecial\s+|[Ss]elect\s+|[Pp]arliamentary\s+|[Ss]ub-?)?[Cc]ommittee\s+(?:on|for)\s+"
    r"[A-Z][\w\-]+(?:(?:\s+|\s+(?:and|&|of)\s+)[A-Z][\w\-]+)*)"
)


@dataclass
class EntityMention:
    start: int
    end: int
    text: str
    label: str
    token_start: int
    token_end: int
    keys: tuple[str, ...] = ()
    place: str | None = None
    fixed: bool = False  # known to the gazetteer or place list, so list votes cannot relabel it
    rule: str = "model"  # the pass or classification rule that decided the label (see RULE_NAMES)


@dataclass
class OrganisationGroup:
    name: str
    key: str | None
    acronym: str | None = None
    surfaces: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


@dataclass
class DocumentEntities:
    organisations: list[Organisation]
    people: list[NamedEntity]
    places: list[NamedEntity]


@dataclass
class PassState:
    """What the entity passes share for one document."""

    doc: Doc
    text: str
    lowered: str
    skip: list[tuple[int, int]]
    mentions: list[EntityMention] = field(default_factory=list)
    acronym_targets: dict[str, tuple[str, str]] = field(default_factory=dict)

    def skipped(self, start: int) -> bool:
        return any(a <= start < b for a, b in self.skip)


# The order the passes run in; each is EntityBuilder._pass_<name>, short enough to read on one screen.
ENTITY_PASSES = (
    "model_spans",            # trim and classify the model's spans
    "named_organisations",    # committees and capitalised names ending in an organisation word
    "localities",             # "Sohrab Goth", "in Tasp area": neighbourhoods, villages and named areas
    "route_names",            # "Quetta-Taftan highway": places inside a road's name are not places here
    "person_surnames",        # a surname the model left off a person
    "list_votes",             # items of a list are of one kind; a name has one kind per document
    "alias_cues",             # the name after "alias" is the same person
    "acronym_definitions",    # "Long Form (LF)" links the acronym; later LFs are that body
    "name_repeats",           # later bare surnames of a person named in full
    "stop_list",              # admins' entries saying a name is not a person, place or organisation
)


class EntityBuilder:
    def __init__(self, gazetteer: Gazetteer, places: PlaceList, corrections: NameCorrections | None = None) -> None:
        self.gazetteer = gazetteer
        self.places = places
        self.corrections = corrections if corrections is not None else NameCorrections()

    def build(self, doc: Doc, skip: list[tuple[int, int]]) -> DocumentEntities:
        """Runs ENTITY_PASSES in order over the document's mentions, then groups them into entities."""
        text = document_text(doc)
        state = PassState(doc, text, context_words(text), skip)
        for name in ENTITY_PASSES:
            getattr(self, "_pass_" + name)(state)
        return DocumentEntities(
            organisations=self._group_organisations(state.mentions, state.acronym_targets, state.lowered),
            people=self._group_people(text, [m for m in state.mentions if m.label == PERSON]),
            places=self._group_places([m for m in state.mentions if m.label == PLACE]),
        )

    # --- the passes, in ENTITY_PASSES order ---------------------------------------------------

    def _pass_model_spans(self, st: PassState) -> None:
        """The model's and the gazetteer component's spans, trimmed and classified (CLASSIFICATION_RULES)."""
        terms = self._slash_term_parts(st.text)
        for ent in _join_inner_names(st.doc, list(st.doc.ents)):
            if st.skipped(ent.start_char) or tidy_surface(ent.text).strip("/") in terms:
                continue
            st.mentions.extend(self._mentions_from_span(st.doc, ent))

    def _pass_named_organisations(self, st: PassState) -> None:
        st.mentions = self._add_named_organisations(st.doc, st.mentions, st.skipped)

    def _pass_localities(self, st: PassState) -> None:
        st.mentions = self._add_localities(st.doc, st.mentions, st.skipped)

    def _pass_route_names(self, st: PassState) -> None:
        st.mentions = self._drop_route_names(st.text, st.mentions)

    def _pass_person_surnames(self, st: PassState) -> None:
        st.mentions = self._extend_person_names(st.doc, st.mentions)

    def _pass_list_votes(self, st: PassState) -> None:
        st.mentions = self._vote_in_lists(st.doc, st.mentions)

    def _pass_alias_cues(self, st: PassState) -> None:
        self._label_aliases(st.text, st.mentions)

    def _pass_acronym_definitions(self, st: PassState) -> None:
        definitions = [d for d in find_definitions(st.text) if not st.skipped(d.long_start)]
        st.acronym_targets = self._link_definitions(st.doc, definitions, st.mentions, st.lowered)
        st.mentions = self._add_acronym_mentions(st.doc, st.mentions, st.acronym_targets, st.skipped)

    def _pass_name_repeats(self, st: PassState) -> None:
        st.mentions = self._add_name_repeats(st.doc, st.mentions, st.skipped)

    def _pass_stop_list(self, st: PassState) -> None:
        """Admins' "not a person / place / organisation" entries win over every other rule."""
        st.mentions = [m for m in st.mentions
                       if not self.corrections.is_stopped(m.label, _strip_possessive(tidy_surface(m.text)))]

    # --- spans to mentions -------------------------------------------------------------------

    def _slash_term_parts(self, text: str) -> set[str]:
        parts: set[str] = set()
        for m in _SLASH_ACRONYMS.finditer(text):
            pieces = m.group(1).split("/")
            if not all(piece in self.gazetteer.by_exact for piece in pieces):
                parts.update(pieces)
        return parts

    def _mentions_from_span(self, doc: Doc, ent: Span) -> Iterable[EntityMention]:
        if ent.end - ent.start > 1 and doc[ent.end - 1].text in DESCRIPTIVE_BODY_WORDS and ent.label_ in ("ORG", "GPE"):
            # "the Sindh government": the place is named, the body only described.
            mention = self._classify(doc, ent.start, ent.end - 1, "GPE")
            if mention is not None and mention.label == PLACE:
                yield mention
            return
        if ent.kb_id_:
            if ent.end < len(doc) and doc[ent.end].text in NOT_ORGANISATION_ENDINGS:
                return  # "Parliament House", "Pakistan Day": a building or an occasion
            if ent.label_ == "PERSON":  # a person an admin added
                yield self._mention(doc, ent.start, ent.end, PERSON, fixed=True, rule="correction")
            elif ent.label_ == "ORG":
                yield self._mention(doc, ent.start, ent.end, ORG, keys=tuple(ent.kb_id_.split("|")), fixed=True,
                                    rule="gazetteer")
            else:
                end = ent.end
                if end < len(doc) and doc[end].lower_ in ("district", "tehsil"):
                    end += 1  # "Khyber district" is a district, not the province or the pass
                yield self._mention(doc, ent.start, end, PLACE, place=ent.kb_id_, fixed=True, rule="place-list")
            return
        if ent.label_ not in ("ORG", "PERSON", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"):
            return
        line_start = document_text(doc).rfind("\n", 0, ent.start_char) + 1
        if starts_with_symbol(document_text(doc)[line_start : ent.start_char + 1]):
            return
        # A possessive splits two names: "Khyber Pakhtunkhwa's North Waziristan", "NA's committee".
        start = ent.start
        for k in range(ent.start, ent.end + 1):
            if k == ent.end or doc[k].text in _POSSESSIVE or doc[k].text == ":":
                mention = self._classify(doc, start, k, ent.label_)
                if mention:
                    yield mention
                start = k + 1

    def _classify(self, doc: Doc, start: int, end: int, label: str) -> EntityMention | None:
        """Trim a model span, then let the first classification rule with an opinion decide its kind."""
        trimmed = self._trim(doc, start, end)
        if trimmed is None:
            return None
        start, end, titled = trimmed
        surface = tidy_surface(doc[start:end].text)
        if not surface or is_junk_span(surface):
            return None
        span = SpanFacts(self, doc, start, end, label, surface, titled)
        for rule in CLASSIFICATION_RULES:
            decision = rule(span)
            if decision is None:
                continue
            if isinstance(decision, _Reject):
                return None
            kind, fixed = decision
            name = _rule_name(rule)
            if kind == PLACE and fixed:
                return self._mention(doc, start, end, PLACE, place=self.places.lookup(surface), fixed=True, rule=name)
            if kind == ORG and fixed:
                return self._mention(doc, start, end, ORG, keys=tuple(self.gazetteer.lookup(surface)), fixed=True,
                                     rule=name)
            return self._mention(doc, start, end, kind, fixed=fixed, rule=name)
        return None

    @staticmethod
    def _trim(doc: Doc, start: int, end: int) -> tuple[int, int, bool] | None:
        """Determiners, stray punctuation, trailing connectors, a heading's verb and titles off a span."""
        while start < end and (doc[start].lower_ in _DETERMINERS or not doc[start].text[0].isalnum()):
            start += 1
        while end > start and (not doc[end - 1].text[-1].isalnum() or doc[end - 1].lower_ in _TRAILING_CONNECTORS and end - start > 1):
            end -= 1  # "the National Task Force on" when the model stopped before the inner name
        if start < end and doc[start].lower_ in REFERENCE_OPENERS and (end - start == 1 or doc[start + 1].like_num):
            return None  # "Sections 4 and 5 of the Act"
        if start < end and doc[start].is_sent_start and _verb_like(doc[start]) and end - start > 1:
            start += 1  # "Strengthening Provincial ...": a heading's verb, not part of a name
        titled = False
        while end - start > 1 and doc[start].lower_.rstrip(".") in PERSON_TITLES:
            titled = True
            start += 1
        if start >= end or (end - start == 1 and doc[start].lower_.rstrip(".") in PERSON_TITLES):
            return None
        if start > 0 and doc[start - 1].lower_.rstrip(".") in PERSON_TITLES and doc[start - 1].text[0].isupper():
            titled = True
        return start, end, titled

    def _is_demonym(self, surface: str) -> bool:
        lower = surface.lower()
        if lower in DEMONYMS_AND_FAITHS:
            return True
        for suffix in ("is", "i", "ns", "n", "ese"):
            if lower.endswith(suffix) and self.places.lookup(surface[: -len(suffix)]):
                return True
        return False

    @staticmethod
    def _mention(doc: Doc, start: int, end: int, label: str, keys: tuple[str, ...] = (),
                 place: str | None = None, fixed: bool = False, rule: str = "model") -> EntityMention:
        span = doc[start:end]
        return EntityMention(span.start_char, span.end_char, span.text, label, start, end, keys, place, fixed, rule)

    # --- rules that add organisations the model missed ---------------------------------------

    def _add_named_organisations(self, doc: Doc, mentions: list[EntityMention], skipped: Callable[[int], bool]) -> list[EntityMention]:
        extra: list[tuple[EntityMention, bool]] = []
        for m in _LEGISLATURE_COMMITTEE.finditer(document_text(doc)):
            span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
            if span is not None:
                extra.append((self._mention(doc, span.start, span.end, ORG, rule="legislature-committee"), True))
        for m in _CITY_OFFICE.finditer(document_text(doc)):
            if self.gazetteer.lookup(m.group(1)) and self.places.lookup(m.group(2).strip()):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is not None:
                    extra.append((self._mention(doc, span.start, span.end, ORG, rule="city-office"), True))
        for start, end in _capitalised_organisation_names(doc):
            extra.append((self._mention(doc, start, end, ORG, rule="capitalised-organisation-name"), False))
        for mention, beats_gazetteer in extra:
            if skipped(mention.start):
                continue
            overlapping = [m for m in mentions if m.token_start < mention.token_end and mention.token_start < m.token_end]
            # A known place inside a longer organisation name belongs to the name:
            # "Tehreek-i-Jafria Pakistan", "Pakistan Institute for Peace Studies".
            blocking = [m for m in overlapping if m.fixed and (
                m.label == ORG or m.token_start < mention.token_start or m.token_end > mention.token_end)]
            if blocking and not beats_gazetteer and not _names_new_body(doc, mention, blocking):
                continue
            if any(m.token_start <= mention.token_start and mention.token_end <= m.token_end and m.label == ORG
                   for m in overlapping):
                continue
            mentions = [m for m in mentions if m not in overlapping] + [mention]
        # The city in a city office names the jurisdiction of a state body, so it is a place too.
        for office in [m for m in mentions if m.rule == "city-office"]:
            city = _CITY_OFFICE.match(document_text(doc), office.start)
            span = doc.char_span(city.start(2), city.end(2) - len(city.group(2)) + len(city.group(2).rstrip())) if city else None
            if span is not None:
                mentions.append(self._mention(doc, span.start, span.end, PLACE,
                                              place=self.places.lookup(span.text), fixed=True, rule="city-office"))
        # A faction in brackets is part of the name: "Balochistan National Front (Abdul Hameed Khan Group)".
        text = document_text(doc)
        extended: list[EntityMention] = []
        swallowed: set[int] = set()
        for mention in mentions:
            faction = _FACTION.match(text[mention.end : mention.end + 80]) if mention.label == ORG else None
            span = doc.char_span(mention.start, mention.end + faction.end(), alignment_mode="expand") if faction else None
            if span is None:
                extended.append(mention)
                continue
            swallowed.update(id(o) for o in mentions if mention.end <= o.start and o.end <= span.end_char)
            extended.append(self._mention(doc, span.start, span.end, ORG, keys=mention.keys, fixed=mention.fixed,
                                          rule="faction-in-brackets"))
        mentions = [m for m in extended if id(m) not in swallowed]
        return sorted(mentions, key=lambda m: m.start)

    def _add_localities(self, doc: Doc, mentions: list[EntityMention], skipped: Callable[[int], bool]) -> list[EntityMention]:
        """Neighbourhood and village names the model rarely knows: "near the Sohrab Goth bus terminal"."""
        text = document_text(doc)
        found = [(m, "locality-name") for m in _LOCALITY.finditer(text)]
        found += [(m, "named-area") for m in _NAMED_AREA.finditer(text)]
        for m, rule in sorted(found, key=lambda item: item[0].start(1)):
            span = doc.char_span(m.start(1), m.end(1))
            if span is None or skipped(span.start_char) or span[0].lower_ in _DETERMINERS:
                continue
            if span[0].lower_.rstrip(".") in PERSON_TITLES or (span.start > 0 and doc[span.start - 1].text[:1].isupper()
                                                                  and doc[span.start - 1].is_alpha):
                continue  # part of a longer capitalised name
            overlapping = [x for x in mentions if x.token_start < span.end and span.start < x.token_end]
            if any(x.fixed or x.token_start < span.start or x.token_end > span.end for x in overlapping):
                continue
            mentions = [x for x in mentions if x not in overlapping]
            mentions.append(self._mention(doc, span.start, span.end, PLACE, rule=rule))
        return sorted(mentions, key=lambda x: x.start)

    @staticmethod
    def _drop_route_names(text: str, mentions: list[EntityMention]) -> list[EntityMention]:
        """Places inside a route's name ("the Quetta-Taftan national highway") name a road, not a place."""
        routes = [(m.start(), m.end()) for m in _ROUTE_NAME.finditer(text)]
        if not routes:
            return mentions
        return [m for m in mentions if m.label != PLACE or not any(a <= m.start < b for a, b in routes)]

    def _extend_person_names(self, doc: Doc, mentions: list[EntityMention]) -> list[EntityMention]:
        """A surname the model left off a person's span: "Rao Tahir" + "Saleem told reporters"."""
        covered = {i for m in mentions for i in range(m.token_start, m.token_end)}
        result = []
        for m in mentions:
            k = m.token_end
            if m.label == PERSON and not m.fixed and k < len(doc) and k not in covered:
                token = doc[k]
                after = doc[k + 1] if k + 1 < len(doc) else None
                if (token.is_alpha and token.text.istitle() and not token.is_sent_start
                        and token.lower_ not in _CALENDAR_WORDS
                        and token.ent_type_ not in ("GPE", "LOC", "ORG", "DATE")
                        and (after is None or not after.text[:1].isupper())
                        and self.places.lookup(token.text) is None and not self.gazetteer.lookup(token.text)):
                    m = self._mention(doc, m.token_start, k + 1, PERSON, rule="surname-extension")
            result.append(m)
        return result

    @staticmethod
    def _label_aliases(text: str, mentions: list[EntityMention]) -> None:
        """The name after "alias" is another name of the person before it, whatever the model said."""
        for previous, m in zip(mentions, mentions[1:]):
            if previous.label == PERSON and m.label != PERSON and _is_alias_gap(text[previous.end : m.start]):
                m.label, m.rule = PERSON, "alias-cue"

    def _vote_in_lists(self, doc: Doc, mentions: list[EntityMention]) -> list[EntityMention]:
        """Items of a comma list are usually of one kind: "Haider Sultan, Wali Khan, Rehman and Zubair"."""
        text = document_text(doc)
        result = list(mentions)
        runs: list[list[EntityMention]] = []
        run: list[EntityMention] = []
        for m in mentions:
            if run and _LIST_GAP.match(text[run[-1].end : m.start]):
                run.append(m)
            else:
                if len(run) >= 2:
                    runs.append(run)
                run = [m]
        if len(run) >= 2:
            runs.append(run)
        for items in runs:
            # The gazetteer and place list are surer than the model, which is unsure of local names.
            votes: dict[str, float] = {}
            for m in items:
                if m.label in (PERSON, PLACE):
                    votes[m.label] = votes.get(m.label, 0.0) + (2.0 if m.fixed else (1.0 if m.label == PERSON else 0.5))
            if not votes:
                continue
            label, weight = max(votes.items(), key=lambda item: item[1])
            if weight * 2 <= sum(votes.values()):
                continue
            for m in items:
                if len(items) == 2 and m.label == PERSON:
                    continue  # a pair is too little evidence to overrule a person
                if not m.fixed and m.label != label and m.label in (PERSON, PLACE, ORG, UNKNOWN):
                    if m.label == ORG and (m.text.split()[-1] in ORGANISATION_HEADS or _looks_like_acronym(m.text)):
                        continue
                    m.label, m.rule = label, "list-vote"
        result = [m for m in result if m.label != UNKNOWN]
        # One name, one kind per document: "Mohsin Zamir" tagged a person once is a person throughout.
        person_names = {m.text for m in result if m.label == PERSON}
        # ... and so is a bare surname of a person named in full: "Dad Karim ... Karim, 29, had".
        person_names |= {m.text.split()[-1] for m in result if m.label == PERSON and len(m.text.split()) > 1}
        for m in result:
            if m.label == PLACE and not m.fixed and m.text in person_names:
                m.label, m.rule = PERSON, "one-kind-per-name"
        # One more name after the run that the model skipped: "..., Saddam, and others".
        for items in runs:
            label = Counter(m.label for m in items).most_common(1)[0][0]
            if label != PERSON:
                continue
            last = items[-1]
            tail = re.match(r"\s*,\s*(?:and\s+)?([A-Z][a-z]+)(?=\s*(?:,|\.|and\b))", text[last.end :])
            if tail:
                span = doc.char_span(last.end + tail.start(1), last.end + tail.end(1))
                if span is not None and not any(m.start == span.start_char for m in result):
                    if self.places.lookup(span.text) is None and not self.gazetteer.lookup(span.text):
                        result.append(self._mention(doc, span.start, span.end, PERSON, rule="list-tail"))
        return sorted(result, key=lambda m: m.start)

    def _link_definitions(self, doc: Doc, definitions: list[AcronymDefinition],
                          mentions: list[EntityMention], lowered: str) -> dict[str, tuple[str, str]]:
        """Map each acronym the text defines to ("key", gazetteer key), ("candidate", long form) or ("place", name)."""
        targets: dict[str, tuple[str, str]] = {}
        for d in definitions:
            long_keys = self.gazetteer.lookup(d.long_form)
            acronym_keys = self.gazetteer.lookup(d.acronym)
            if long_keys:
                shared = [k for k in long_keys if k in acronym_keys] or long_keys
                targets.setdefault(d.acronym, ("key", self.gazetteer.choose(shared, lowered)))
                continue
            place = self.places.lookup(d.long_form)
            if place:
                targets.setdefault(d.acronym, ("place", place))
                continue
            words = d.long_form.split()
            if (len(words) < 2 or words[-1] in NOT_ORGANISATION_ENDINGS or d.acronym in NON_ORGANISATION_ACRONYMS
                    or not all(w[0].isupper() or w.lower() in _CONNECTORS for w in words)):
                continue
            # A capitalised name defining an acronym is itself strong evidence of an organisation.
            if acronym_keys:
                key = self.gazetteer.choose(acronym_keys, lowered)
                targets.setdefault(d.acronym, ("key", key))
                keys: tuple[str, ...] = (key,)
            else:
                targets.setdefault(d.acronym, ("candidate", d.long_form))
                keys = ()
            span = doc.char_span(d.long_start, d.long_end, alignment_mode="expand")
            if span is None:
                continue
            mentions[:] = [m for m in mentions if not (m.start < span.end_char and span.start_char < m.end)]
            mentions.append(self._mention(doc, span.start, span.end, ORG, keys=keys, fixed=bool(keys),
                                          rule="acronym-definition"))
            mentions.sort(key=lambda m: m.start)
        return targets

    @staticmethod
    def _relabel(mentions: list[EntityMention], d: AcronymDefinition, label: str, keys: Iterable[str]) -> None:
        for m in mentions:
            if m.start < d.long_end and d.long_start < m.end and not m.fixed:
                m.label = label
                m.keys = tuple(keys)

    def _add_acronym_mentions(self, doc: Doc, mentions: list[EntityMention],
                              targets: dict[str, tuple[str, str]], skipped: Callable[[int], bool]) -> list[EntityMention]:
        if not targets:
            return mentions
        for m in mentions:
            target = targets.get(m.text[:-1] if m.text.endswith("s") and m.text[:-1] in targets else m.text)
            if target is not None and target[0] != "place" and not m.fixed:
                m.label, m.rule = ORG, "acronym-definition"  # the text said what it stands for; the model guessed
        covered = {i for m in mentions for i in range(m.token_start, m.token_end)}
        added = list(mentions)
        for token in doc:
            if token.i in covered:
                continue
            acronym = token.text[:-1] if token.text.endswith("s") and token.text[:-1] in targets else token.text
            target = targets.get(acronym)
            if target is None or (skipped(token.idx)):
                continue
            if target[0] == "place":
                added.append(self._mention(doc, token.i, token.i + 1, PLACE, place=target[1], fixed=True,
                                           rule="acronym-definition"))
            else:
                added.append(self._mention(doc, token.i, token.i + 1, ORG, rule="acronym-definition"))
        for m in added:
            if m.label == PLACE and m.text in targets and targets[m.text][0] == "place":
                m.place = targets[m.text][1]
        return sorted(added, key=lambda m: m.start)

    def _add_name_repeats(self, doc: Doc, mentions: list[EntityMention], skipped: Callable[[int], bool]) -> list[EntityMention]:
        """Later bare surnames of a person named in full: "Mohsin Naqvi said ... Naqvi added"."""
        surnames: dict[str, int] = {}
        for m in mentions:
            words = m.text.split()
            if m.label == PERSON and len(words) >= 2:
                surnames[words[-1]] = surnames.get(words[-1], 0) + 1
        unique = {name for name, n in surnames.items() if n >= 1 and name.istitle() and len(name) > 2}
        if not unique:
            return mentions
        covered = {i for m in mentions for i in range(m.token_start, m.token_end)}
        added = list(mentions)
        for token in doc:
            if token.i in covered or token.text not in unique or (skipped(token.idx)):
                continue
            if token.i + 1 < len(doc) and doc[token.i + 1].text[:1].isupper() and doc[token.i + 1].is_alpha:
                continue  # part of some other capitalised name
            added.append(self._mention(doc, token.i, token.i + 1, PERSON, rule="surname-repeat"))
        return sorted(added, key=lambda m: m.start)

    # --- grouping ------------------------------------------------------------------------------

    def _group_organisations(self, mentions: list[EntityMention], targets: dict[str, tuple[str, str]],
                             lowered: str) -> list[Organisation]:
        groups: dict[str, OrganisationGroup] = {}
        long_form_acronym = {fold_name(t[1]): a for a, t in targets.items() if t[0] == "candidate"}
        key_acronym = {t[1]: a for a, t in targets.items() if t[0] == "key"}
        for m in mentions:
            if m.label != ORG:
                continue
            surface = _clean_organisation_surface(m.text)
            if not surface:
                continue
            bare = surface[:-1] if surface.endswith("s") and surface[:-1] in targets else surface
            target = targets.get(bare)
            key: str | None = None
            if target and target[0] == "key":
                key = target[1]
            elif m.keys:
                key = self.gazetteer.choose(list(m.keys), lowered)
            if key:
                group_id = "key:" + key
                group = groups.setdefault(group_id, OrganisationGroup(self.gazetteer.records[key].canonical, key))
                record = self.gazetteer.records[key]
                group.acronym = group.acronym or key_acronym.get(key) or (record.acronyms[0] if record.acronyms else None)
            else:
                name = target[1] if target and target[0] == "candidate" else surface
                group_id = "candidate:" + fold_name(name)
                group = groups.setdefault(group_id, OrganisationGroup(name, None))
                group.acronym = group.acronym or long_form_acronym.get(fold_name(name))
            if surface not in group.surfaces:
                group.surfaces.append(surface)
            group.mentions.append((m.start, m.end, m.text))
            group.rules.append(m.rule)
        result = []
        for group in groups.values():
            known = self.gazetteer.records.get(group.key) if group.key else None
            result.append(Organisation(
                name=group.name, acronym=group.acronym, aliases=group.surfaces,
                kind=known.kind if known else None, country=known.country if known else None,
                count=len(group.mentions), gazetteer_key=group.key, mentions=group.mentions,
                rule=entity_rule(group.rules), mention_rules=group.rules,
            ))
        return result

    def _group_people(self, text: str, mentions: list[EntityMention]) -> list[NamedEntity]:
        names: dict[str, list[EntityMention]] = {}
        alias_of: dict[str, str] = {}
        for i, m in enumerate(mentions):
            name = self.corrections.person(_strip_possessive(m.text)) or _clean_person_name(m.text)
            if not name:
                continue
            names.setdefault(name, []).append(m)
            if i > 0 and _is_alias_gap(text[mentions[i - 1].end : m.start]):
                alias_of[name] = _clean_person_name(mentions[i - 1].text)
        # A short form joins the one longer name it is part of ("Naqvi" -> "Mohsin Naqvi").
        full_names = sorted(names, key=lambda n: -len(n.split()))
        merged: dict[str, str] = {}
        for name in names:
            if name in alias_of and alias_of[name] in names:
                merged[name] = alias_of[name]
                continue
            parts = name.split()
            longer = [f for f in full_names if len(f.split()) > len(parts) and _is_subsequence(parts, f.split())]
            if len(longer) == 1:
                merged[name] = longer[0]
        people: dict[str, NamedEntity] = {}
        for name, items in names.items():
            head = name
            while head in merged and merged[head] != head:
                head = merged[head]
            entity = people.setdefault(head, NamedEntity(head, [], 0))
            for m in items:
                surface = _strip_possessive(m.text)
                if surface not in entity.aliases:
                    entity.aliases.append(surface)
                entity.count += 1
                entity.mentions.append((m.start, m.end, m.text))
                entity.mention_rules.append(m.rule)
                entity.rule = entity_rule(entity.mention_rules)
        return sorted(people.values(), key=lambda e: e.mentions[0][0])

    def _group_places(self, mentions: list[EntityMention]) -> list[NamedEntity]:
        groups: dict[str, NamedEntity] = {}
        districts: dict[str, str] = {}
        for m in mentions:
            surface = _strip_possessive(tidy_surface(m.text))
            if not surface:
                continue
            name = m.place or self.places.lookup(surface) or _title_if_shouting(surface)
            if re.search(r"\s(district|tehsil)$", surface, re.IGNORECASE):
                base = surface.rsplit(" ", 1)[0]
                name = (self.places.lookup(base) or base) + " " + surface.rsplit(" ", 1)[1].capitalize()
                districts[self.places.lookup(base) or base] = name
            entity = groups.setdefault(name, NamedEntity(name, [], 0))
            if surface not in entity.aliases:
                entity.aliases.append(surface)
            entity.count += 1
            entity.mentions.append((m.start, m.end, m.text))
            entity.mention_rules.append(m.rule)
            entity.rule = entity_rule(entity.mention_rules)
        for base, district in districts.items():
            if base in groups and district in groups and base != district:
                plain = groups.pop(base)
                target = groups[district]
                target.aliases.extend(a for a in plain.aliases if a not in target.aliases)
                target.count += plain.count
                target.mentions.extend(plain.mentions)
                target.mention_rules.extend(plain.mention_rules)
                target.rule = entity_rule(target.mention_rules)
        return sorted(groups.values(), key=lambda e: min(m[0] for m in e.mentions))


# --- classification rules, run in this order on each trimmed model span ---------------------------
# Each rule looks at one span and returns None (no opinion: ask the next rule), REJECT (not a name we
# keep), or (kind, fixed). The first rule with an opinion decides, and its name is kept with the
# mention, so `analyze --explain` can say why a span is an organisation, a person or a place.


class SpanFacts:
    """What the classification rules read about one trimmed span."""

    def __init__(self, builder: EntityBuilder, doc: Doc, start: int, end: int, label: str, surface: str,
                 titled: bool) -> None:
        self.builder, self.doc, self.start, self.end = builder, doc, start, end
        self.label, self.surface, self.titled = label, surface, titled
        self.words = surface.split()
        self.following = doc[end].lower_ if end < len(doc) else ""

    @property
    def text_after(self) -> str:
        last = self.doc[self.end - 1]
        return document_text(self.doc)[last.idx + len(last):]

    @property
    def all_title_case(self) -> bool:
        return len(self.words) > 1 and all(w.istitle() for w in self.words)


class _Reject:
    def __repr__(self) -> str:
        return "REJECT"


REJECT = _Reject()
Decision = tuple[str, bool] | _Reject | None


def known_person(s: SpanFacts) -> Decision:
    """A person an admin added (Admin › Name corrections)."""
    return (PERSON, True) if s.builder.corrections.person(s.surface) else None


def known_place(s: SpanFacts) -> Decision:
    return (PLACE, True) if s.builder.places.lookup(s.surface) else None


def known_organisation(s: SpanFacts) -> Decision:
    return (ORG, True) if s.builder.gazetteer.lookup(s.surface) else None


def demonym(s: SpanFacts) -> Decision:
    return REJECT if s.builder._is_demonym(s.surface) else None


def scheme_named_like_place(s: SpanFacts) -> Decision:
    """"a new Safe City project": a scheme named like a place."""
    return REJECT if s.label in ("GPE", "LOC") and s.following in PLACE_NAMED_THINGS else None


def place_before_place_word(s: SpanFacts) -> Decision:
    """"Bannu district", "Kurram valley", "Orakzai agency"."""
    if s.following in PLACE_FOLLOWERS and s.label != "PERSON" or (s.following in ("district", "tehsil") and not s.titled):
        return (PLACE, False)
    return None


def person_after_title(s: SpanFacts) -> Decision:
    """"Minister Ahsan Iqbal". Not a law or plan after a word that can open a title ("Foreign Exchange
    Regulation Act", "Federal Anti-Terrorism Plan")."""
    if s.titled and all(w[0].isupper() for w in s.words) and s.words[-1] not in NOT_ORGANISATION_ENDINGS:
        return (PERSON, False)
    return None


def office_title(s: SpanFacts) -> Decision:
    """"Interior Minister", "Chief Secretary": a post, not a name."""
    return REJECT if s.words[0].lower() in OFFICE_TITLES and len(s.words) > 1 else None


def job_title(s: SpanFacts) -> Decision:
    """"National Coordinator", "Director General": a post named without a person."""
    words = [w.lower() for w in s.words]
    if len(words) <= 3 and words[-1] in JOB_TITLE_ENDINGS and not any(w in ORGANISATION_HEADS for w in s.words):
        return REJECT
    return None


def field_of_work(s: SpanFacts) -> Decision:
    """"Counter Terrorism", "Cyber Crime": a subject, not a body."""
    return REJECT if all(w.lower() in FIELD_WORDS for w in s.words) else None


def urdu_organisation_word(s: SpanFacts) -> Decision:
    """"Tehreek-e-...", "Jamaat-ud-...", "Lashkar-e-...": names that open with a word for a body."""
    first = s.words[0].lower().split("-")[0]
    return (ORG, False) if first in URDU_ORGANISATION_WORDS and len(s.words) + s.surface.count("-") > 1 else None


def organisation_head_word(s: SpanFacts) -> Decision:
    """Capitalised names that end in "Authority", "Department", "Police", ..."""
    return (ORG, False) if s.words[-1] in ORGANISATION_HEADS and len(s.words) > 1 else None


def person_name_prefix(s: SpanFacts) -> Decision:
    """"Syed ...", "Muhammad ...", "Malik ...": Pakistani name openers."""
    if len(s.words) > 1 and s.words[0].lower() in PERSON_NAME_PREFIXES and all(w[0].isupper() for w in s.words):
        return (PERSON, False)
    return None


def person_in_apposition(s: SpanFacts) -> Decision:
    """"Khawaja Khalid Farooq, former IG, told ...": the model said organisation or place."""
    if s.label == "ORG" and s.all_title_case and _APPOSITION_OF_PERSON.match(s.text_after):
        return (PERSON, False)
    if s.label in ("GPE", "LOC") and s.all_title_case and _APPOSITION_OF_PERSON_NOT_PLACE.match(s.text_after):
        return (PERSON, False)
    return None


def not_an_organisation_name(s: SpanFacts) -> Decision:
    """Laws, plans, buildings, occasions and operations; and spans that are not capitalised."""
    if s.words[-1] in NOT_ORGANISATION_ENDINGS or s.words[0] == "Operation" or not s.surface[0].isupper():
        return REJECT
    return None


def model_organisation(s: SpanFacts) -> Decision:
    if s.label != "ORG":
        return None
    if len(s.words) == 1:
        if _looks_like_acronym(s.surface) and s.surface not in NON_ORGANISATION_ACRONYMS:
            return (ORG, False)
        # One capitalised word the gazetteer does not know: usually a person or place.
        return (UNKNOWN, False) if s.surface.istitle() else REJECT
    if s.surface.isupper() and any(w in NON_ORGANISATION_ACRONYMS for w in s.words):
        return REJECT
    return (ORG, False)


def model_person(s: SpanFacts) -> Decision:
    if s.label != "PERSON":
        return None
    if any(ch.isdigit() for ch in s.surface) or s.surface.isupper() and len(s.words) == 1:
        return REJECT
    return (PERSON, False)


def common_word_opening_a_sentence(s: SpanFacts) -> Decision:
    """"Hawala, the informal transfer of money, ...": one word the model took for a place, capitalised only
    because it opens the sentence, and written in lower case elsewhere in the text."""
    if (s.label in ("GPE", "LOC") and s.end - s.start == 1 and s.doc[s.start].is_sent_start
            and s.surface.lower() in _lower_case_words(s.doc)):
        return REJECT
    return None


def _lower_case_words(doc: Doc) -> frozenset[str]:
    """The words the text writes in lower case, found once per document."""
    words = doc.user_data.get("monitor_lower_case_words")
    if not isinstance(words, frozenset):
        words = frozenset(_LOWER_CASE_WORD.findall(document_text(doc)))
        doc.user_data["monitor_lower_case_words"] = words
    return words


def model_place(s: SpanFacts) -> Decision:
    return (PLACE, False) if s.label in ("GPE", "LOC") else None


def model_other_name(s: SpanFacts) -> Decision:
    """A short title-case PRODUCT/EVENT/WORK_OF_ART span: only a list of like items can give it a kind."""
    if s.label in ("PRODUCT", "WORK_OF_ART", "EVENT") and len(s.words) <= 3 and all(w.istitle() for w in s.words):
        return (UNKNOWN, False)
    return REJECT


CLASSIFICATION_RULES: tuple[Callable[[SpanFacts], Decision], ...] = (
    known_person, known_place, known_organisation, demonym, scheme_named_like_place, place_before_place_word,
    person_after_title, office_title, job_title, field_of_work, urdu_organisation_word, organisation_head_word, person_name_prefix,
    person_in_apposition, not_an_organisation_name, model_organisation, model_person, common_word_opening_a_sentence,
    model_place, model_other_name,
)
# The statistical model's label stands, so the tag says "model"; the first two say where the name is listed.
_RULE_ALIASES = {"known_person": "correction", "known_place": "place-list", "known_organisation": "gazetteer", "model_organisation": "model",
                 "model_person": "model", "model_place": "model", "model_other_name": "model"}


def _rule_name(rule: Callable[[SpanFacts], Decision]) -> str:
    name = rule.__name__
    return _RULE_ALIASES.get(name, name.replace("_", "-"))


# Which mention's rule names the entity: a listed name or a definition in the text beats a named rule,
# which beats the model's guess.
_RULE_RANK = {"correction": 0, "gazetteer": 1, "place-list": 1, "acronym-definition": 2, "model": 9,
              "surname-repeat": 10, "one-kind-per-name": 10}


def entity_rule(rules: list[str]) -> str:
    """The rule that best explains an entity found by several mentions."""
    return min(rules, key=lambda r: (_RULE_RANK.get(r, 5), rules.index(r))) if rules else "model"


def _join_inner_names(doc: Doc, ents: list[Span]) -> list[Span]:
    """Join a model span that ends in "on"/"of"/"for" to the known name right after it."""
    joined: list[Span] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if (nxt is not None and ent.label_ == "ORG" and not ent.kb_id_ and ent.end - ent.start > 2
                and doc[ent.end - 1].lower_ in _INNER_NAME_CONNECTORS and nxt.start == ent.end
                and nxt.label_ in ("ORG", "GPE") and doc[ent.end - 2].text[:1].isupper()):
            joined.append(Span(doc, ent.start, nxt.end, label="ORG"))
            i += 2
            continue
        joined.append(ent)
        i += 1
    return joined


def _capitalised_organisation_names(doc: Doc) -> Iterable[tuple[int, int]]:
    """Runs of capitalised words (with "of", "for", "and" …) that end in an organisation word."""
    n = len(doc)
    i = 0
    while i < n:
        token = doc[i]
        if not (token.text[:1].isupper() and token.is_alpha) or token.lower_ in _DETERMINERS:
            i += 1
            continue
        j = i
        last_head = -1
        unit_end = -1  # end of "Anti-Human Trafficking Circle" in "... Circle of the Federal ... Agency"
        while j < n:
            t = doc[j]
            if t.is_space or "\n" in t.text:
                break
            if t.text == "(" and j + 2 < n and doc[j + 2].text == ")" and doc[j + 1].text.isupper():
                j += 3
                continue
            if t.text[:1].isupper() and (t.is_alpha or "-" in t.text):
                if t.text in ORGANISATION_HEADS:
                    last_head = j
                j += 1
                continue
            if t.lower_ in _CONNECTORS and j + 1 < n and (doc[j + 1].text[:1].isupper() or doc[j + 1].text == "-"):
                if t.lower_ == "of" and last_head == j - 1 and doc[j + 1].lower_ == "the" and unit_end < 0:
                    unit_end = j
                j += 1
                continue
            if t.text == "-" and j + 2 < n and doc[j + 1].lower_ in _JOINERS and doc[j + 2].text == "-":
                j += 2  # "Tehreek-i-Jafria": the izafat joiner inside a name
                continue
            break
        if token.lower_.split("-")[0] in URDU_ORGANISATION_WORDS and j - i > 1 and doc[j - 1].text[:1].isupper():
            yield i, j
            i = j
            continue
        if unit_end > i + 1 and last_head > unit_end and token.lower_ not in OFFICE_TITLES:
            # The parent ("the Federal Investigation Agency") is a name of its own, found again from there.
            start = i + 1 if doc[i].is_sent_start and _verb_like(doc[i]) else i
            if unit_end - start >= 2:
                yield start, unit_end
            i = unit_end + 1
            continue
        if last_head > i and token.lower_ not in OFFICE_TITLES:
            start = i
            if doc[start].is_sent_start and _verb_like(doc[start]):
                start += 1
            while start < last_head and doc[start].lower_ in _DETERMINERS:
                start += 1  # "the Board": one word is not enough evidence of a name
            if last_head >= start + 1:
                yield start, last_head + 1
        i = max(j, i + 1)


def _names_new_body(doc: Doc, mention: EntityMention, blocking: list[EntityMention]) -> bool:
    """"National" + a known kind of body names another body: the known name inside it does not block it."""
    return (doc[mention.token_start].text in _NEW_BODY_OPENERS
            and all(m.label == ORG and m.token_start == mention.token_start + 1 and m.token_end == mention.token_end
                    for m in blocking))


def _is_alias_gap(gap: str) -> bool:
    """True when the text between two names says the second is an alias ("alias", "alias Qari")."""
    match = _ALIAS_CUE.match(gap)
    return match is not None and all(w.lower().strip("().") in PERSON_TITLES for w in match.group(1).split())


_CALENDAR_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                   "february", "march", "april", "may", "june", "july", "august", "september", "october",
                   "november", "december", "today", "yesterday"}


def _looks_like_acronym(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return 2 <= len(letters) <= 8 and sum(ch.isupper() for ch in letters) >= max(2, len(letters) - 1)


def _clean_organisation_surface(text: str) -> str:
    text = tidy_surface(text)
    text = re.sub(r"^(?:the|The|THE)\s+", "", text)
    return _strip_possessive(text)


def _strip_possessive(text: str) -> str:
    return re.sub(r"['\u2019]s?$", "", text.strip()).strip()


def _clean_person_name(text: str) -> str:
    words = _strip_possessive(tidy_surface(text)).split()
    while len(words) > 1 and words[0].lower().rstrip(".") in PERSON_TITLES:
        words = words[1:]
    # A post of several words before the name: "National Coordinator Rabia Qizilbash".
    titles = [i for i, w in enumerate(words[:-2]) if w.lower().rstrip(".") in PERSON_TITLES]
    if titles and all(w[:1].isupper() for w in words[: titles[-1]]):
        words = words[titles[-1] + 1 :]
    return " ".join(words)


def _title_if_shouting(text: str) -> str:
    return text.title() if text.isupper() and len(text) > 3 else text


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(any(word == candidate for candidate in it) for word in short)


def _verb_like(token: Token) -> bool:
    # Only sentences with numbers carry part-of-speech tags (see tagger); elsewhere a heading's
    # opening verb is recognised by its -ing form.
    if token.tag_:
        return token.tag_.startswith("VB")
    return token.lower_.endswith("ing") and len(token) > 5
