"""Tagging security news text: organisations, people, places and figures.

Pure Python on top of spaCy, with no Django imports, so it can be tested and benchmarked on plain
text. The Django side builds a ``Gazetteer`` from its organisation table (same record shape as
``data/organisations.json``), keeps one ``Tagger`` per worker and stores ``Analysis.to_dict()``
with ``Tagger.version`` as provenance.
"""
from __future__ import annotations

from monitor.nlp.analysis import Analysis, Figure, NamedEntity, Organisation
from monitor.nlp.files import analyze_files
from monitor.nlp.gazetteer import Gazetteer, PlaceList, load_default_places, load_default_records
from monitor.nlp.tagger import PIPELINE_VERSION, Tagger

__all__ = [
    "PIPELINE_VERSION", "Analysis", "Figure", "Gazetteer", "NamedEntity", "Organisation", "PlaceList",
    "Tagger", "analyze_files", "load_default_places", "load_default_records",
]
