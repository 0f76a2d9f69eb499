"""Texts longer than spaCy takes at once are tagged in pieces, with offsets into the whole text."""

from __future__ import annotations

import pytest

from monitor.nlp import Tagger
from monitor.nlp.tagger import split_text

STORY = ("The Federal Investigation Agency (FIA) arrested 12 suspects in Karachi, Mohsin Naqvi said.\n\n"
         "NACTA blocked 1,447 web addresses linked to Daesh.\n\n")


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger()


def test_split_text_cuts_at_paragraph_breaks_and_covers_everything() -> None:
    text = STORY * 50
    pieces = split_text(text, size=1000)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 1000 and piece.endswith("\n\n") for _, piece in pieces[:-1])
    assert [offset for offset, _ in pieces] == [sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))]


def test_a_text_over_spacys_limit_is_tagged_whole(tagger: Tagger) -> None:
    repeats = 7_100
    text = STORY * repeats  # just over a million characters: spaCy alone refuses it (E088)
    assert len(text) > tagger.nlp.max_length
    [analysis] = list(tagger.analyze_many(["A short one.", text]))[1:]
    fia = next(o for o in analysis.organisations if o.acronym == "FIA")
    assert fia.count == 2 * repeats  # "Federal Investigation Agency" and "(FIA)" in every repeat
    last_start, last_end, _ = max(fia.mentions)
    assert text[last_start:last_end] == "FIA" and last_start > 1_000_000
    figures = [f for f in analysis.figures if f.value == 1447]
    assert figures and max(f.start for f in figures) > 900_000  # found in the last piece too
    assert all(text[f.start:f.end] == f.text for f in figures)
