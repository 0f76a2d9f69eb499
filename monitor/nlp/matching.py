"""spaCy components: gazetteer names over the statistical NER, and line breaks as sentence ends.

For: walking a document's tokens once, finding the longest organisation or place name the
gazetteer knows at each position (folded spelling for long names, exact case for one-word names
and acronyms), and writing those spans into ``doc.ents`` ahead of the model's guesses. Where the
model's span only partly overlaps a gazetteer name ("FIA Abdul Rab"), the rest keeps its label.
Not for: deciding what the spans mean; ``entities`` does that after the pipeline has run.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from monitor.nlp.gazetteer import Gazetteer, NameCorrections, PlaceList
from monitor.nlp.names import fold_token, is_izafat_joiner

MAX_NAME_TOKENS = 16


def document_text(doc: Doc) -> str:
    """``doc.text``, built once: spaCy joins every token again on each access."""
    text = doc.user_data.get("monitor_text")
    if not isinstance(text, str):
        text = doc.text
        doc.user_data["monitor_text"] = text
    return text


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    label: str  # "ORG" or "GPE"
    ids: str  # gazetteer keys joined by "|", or a place's canonical name


_NAME_BREAKS = frozenset({":", ";", ",", "|", "\u2014", "\u2013", "/"})


class NameIndex:
    """Every folded name with all its prefixes, so a scan can stop as soon as no name can follow."""

    def __init__(self, gazetteer: Gazetteer, places: PlaceList, corrections: NameCorrections | None = None) -> None:
        self.gazetteer = gazetteer
        self.places = places
        self.people = corrections.by_exact if corrections else {}
        self.folded: dict[str, tuple[str, str]] = {}
        for name, canonical in (corrections.people.items() if corrections else ()):
            self.folded[name] = ("PERSON", canonical)
        for name, canonical in places.by_folded.items():
            self.folded[name] = ("GPE", canonical)
        for name, keys in gazetteer.by_folded.items():
            self.folded[name] = ("ORG", "|".join(keys))
        # "The News", "The Nation": folding drops a leading "the", which would leave one common word, so
        # these names match only as written, capital "The" included.
        self.the_names: dict[str, dict[tuple[str, ...], list[str]]] = {}  # second word -> words -> keys
        for record in gazetteer.records.values():
            for name in (record.canonical, *record.aliases):
                words = tuple(name.split())
                if len(words) >= 2 and words[0] == "The" and all(w[:1].isupper() for w in words):
                    keys = self.the_names.setdefault(words[1], {}).setdefault(words, [])
                    if record.key not in keys:
                        keys.append(record.key)
        self.prefixes: set[str] = set()
        for name in self.folded:
            for i in range(1, len(name) + 1):
                self.prefixes.add(name[:i])

    def exact(self, text: str) -> tuple[str, str] | None:
        keys = self.gazetteer.by_exact.get(text)
        if keys:
            return ("ORG", "|".join(keys))
        place = self.places.by_exact.get(text)
        if place:
            return ("GPE", place)
        person = self.people.get(text)
        return ("PERSON", person) if person else None

    def find(self, doc: Doc) -> list[NameMatch]:
        texts = [t.text for t in doc]
        n = len(texts)
        folded = []
        for i, text in enumerate(texts):
            previous = texts[i - 1] if i else ""
            following = texts[i + 1] if i + 1 < n else ""
            folded.append("" if is_izafat_joiner(previous, text, following) else fold_token(text))
        matches: list[NameMatch] = []
        i = 0
        while i < n:
            if not folded[i] or not texts[i][0].isalnum():
                i += 1
                continue
            best: NameMatch | None = None
            hit = self.exact(texts[i])
            if hit:
                best = NameMatch(i, i + 1, *hit)
            if texts[i] == "The" and i + 1 < n and texts[i + 1] in self.the_names:
                for words, keys in self.the_names[texts[i + 1]].items():
                    if tuple(texts[i : i + len(words)]) == words and (best is None or i + len(words) > best.end):
                        best = NameMatch(i, i + len(words), "ORG", "|".join(keys))
            key, j = "", i
            while j < n and j - i < MAX_NAME_TOKENS:
                if doc[j].is_space or texts[j] in _NAME_BREAKS:
                    break  # "KARACHI: Police arrested ...": a dateline and the next word are not one name
                # A name with its acronym in the middle: "National Action Plan (NAP) Coordination Committee".
                if texts[j] == "(" and j > i and j + 2 < n and texts[j + 2] == ")" and texts[j + 1].isupper():
                    j += 3
                    continue
                piece = folded[j]
                if piece:
                    key += piece
                    if key not in self.prefixes:
                        break
                    found = self.folded.get(key)
                    if found and j > i and (best is None or j + 1 > best.end):
                        best = NameMatch(i, j + 1, *found)
                j += 1
            if best:
                matches.append(best)
                i = best.end
            else:
                i += 1
        return matches


class GazetteerRuler:
    """Pipeline component; the tagger installs the index after ``add_pipe``."""

    def __init__(self) -> None:
        self.index: NameIndex | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self.index is None:
            return doc
        matches = self.index.find(doc)
        spans = [Span(doc, m.start, m.end, label=m.label, kb_id=m.ids) for m in matches]
        taken = [False] * len(doc)
        for m in matches:
            for k in range(m.start, m.end):
                taken[k] = True
        for ent in doc.ents:
            spans.extend(_free_parts(doc, ent, taken))
        doc.ents = sorted(spans, key=lambda s: s.start)
        return doc


def _free_parts(doc: Doc, ent: Span, taken: list[bool]) -> list[Span]:
    """The pieces of a model span that no gazetteer name claimed, if they still look like names."""
    parts: list[Span] = []
    start = None
    for k in range(ent.start, ent.end + 1):
        free = k < ent.end and not taken[k]
        if free and start is None:
            start = k
        elif not free and start is not None:
            if any(t.text[:1].isupper() and t.is_alpha for t in doc[start:k]):
                parts.append(Span(doc, start, k, label=ent.label_))
            start = None
    if len(parts) == 1 and parts[0].start == ent.start and parts[0].end == ent.end:
        return [ent]
    return parts


@Language.factory("monitor_gazetteer")
def make_gazetteer_ruler(nlp: Language, name: str) -> GazetteerRuler:
    return GazetteerRuler()


def _line_break_sentences(doc: Doc) -> Doc:
    # Headings and list items rarely end with a full stop; without this the model runs them
    # into the next line and attributes figures to the wrong sentence.
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text and not token.is_space:
            token.is_sent_start = True
    return doc


line_break_sentences: Callable[[Doc], Doc] = Language.component("monitor_line_breaks")(_line_break_sentences)
