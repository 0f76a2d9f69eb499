"""Acronyms a text defines for itself: "Long Form (ACR)" and "ACR (Long Form)".

For: finding those definitions with the Schwartz & Hearst (2003) letter-matching test, so that an
acronym the gazetteer does not know, or spells differently, still links to its long form within
the document. Not for: acronyms without a definition in the text; the gazetteer handles those.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_BRACKETED_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z&\-]{1,11}?)(s?)\s*\)")
_SHORT_THEN_LONG = re.compile(r"\b([A-Z][A-Z&\-]{1,10})(s?)\s*\(\s*([A-Z][^()\n]{3,120}?)\s*\)")
_WORD = re.compile(r"[\w'\u2019]+(?:[\-\u2010-\u2013][\w'\u2019]+)*")
_MINOR_WORDS = {"of", "for", "and", "the", "on", "in", "to", "&", "de", "al", "ul", "e", "i"}


@dataclass(frozen=True)
class AcronymDefinition:
    acronym: str
    long_form: str
    long_start: int
    long_end: int
    acronym_start: int


def _is_acronym(text: str) -> bool:
    capitals = sum(ch.isupper() for ch in text)
    if 4 <= len(text) <= 8 and text.isalpha() and text[0].isupper() and text[1:].islower():
        return True  # "Nacta", "Nadra": some papers write acronyms as words
    return 2 <= len(text) <= 12 and capitals >= 2 and capitals >= len(text.replace("-", "")) / 2


def _match_long_form(acronym: str, candidate: str) -> int | None:
    """Schwartz & Hearst: where in ``candidate`` the shortest matching long form starts, or None."""
    short = [ch.lower() for ch in acronym if ch.isalnum()]
    long = candidate.lower()
    s, l_index = len(short) - 1, len(long) - 1
    while s >= 0:
        ch = short[s]
        while l_index >= 0 and (
            long[l_index] != ch or (s == 0 and l_index > 0 and long[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        s -= 1
        l_index -= 1
    start = l_index + 1
    # Start the long form at a word boundary.
    return candidate.rfind(" ", 0, start + 1) + 1 if " " in candidate[: start + 1] else 0


def _trim_long_form(acronym: str, text: str) -> tuple[str, int] | None:
    words = list(_WORD.finditer(text))
    if not words:
        return None
    # Only consider as many words as the acronym could plausibly cover.
    limit = min(len(words), len(acronym) + 5, 2 * len(acronym))
    window_start = words[-limit].start()
    window = text[window_start:]
    offset = _match_long_form(acronym, window)
    if offset is None:
        return None
    long_form = window[offset:].strip(" ,;:\u2019'\"“”")
    long_words = [w for w in _WORD.findall(long_form)]
    if not long_words or long_words[0].lower() in _MINOR_WORDS or not long_words[0][0].isupper():
        # Move on to the first capitalised word: "the Federal Investigation Agency" -> "Federal ...".
        for k, word in enumerate(long_words):
            if word[0].isupper():
                idx = long_form.find(word)
                long_form = long_form[idx:]
                break
        else:
            return None
    if len(long_form) <= len(acronym) or long_form.count(" ") + 1 > len(acronym) + 4:
        return None
    # Drop a possessive owner in front: "Pakistan's National ... Authority (NACTA)".
    owner = re.match(r"^[A-Z][\w\-]*['\u2019]s\s+", long_form)
    if owner and _match_long_form(acronym, long_form[owner.end():]) is not None:
        long_form = long_form[owner.end():]
    start = window_start + window.rfind(long_form)
    return long_form, start


def find_definitions(text: str) -> list[AcronymDefinition]:
    found: list[AcronymDefinition] = []
    for m in _BRACKETED_ACRONYM.finditer(text):
        acronym = m.group(1)
        if not _is_acronym(acronym):
            continue
        # The long form is in the same line, just before the bracket.
        window_start = max(text.rfind("\n", 0, m.start()) + 1, text.rfind("(", 0, m.start()) + 1,
                           text.rfind(")", 0, m.start()) + 1, m.start() - 160)
        before = text[window_start : m.start()].rstrip()
        if len(before) < 3:
            continue
        trimmed = _trim_long_form(acronym, before)
        if trimmed:
            long_form, start = trimmed
            start += window_start
            found.append(AcronymDefinition(acronym, long_form, start, start + len(long_form), m.start(1)))
    for m in _SHORT_THEN_LONG.finditer(text):
        acronym, inner = m.group(1), m.group(3)
        if not _is_acronym(acronym) or _match_long_form(acronym, inner) != 0:
            continue
        if not all(w[0].isupper() or w.lower() in _MINOR_WORDS for w in _WORD.findall(inner)):
            continue
        start = m.start(3)
        found.append(AcronymDefinition(acronym, inner, start, start + len(inner), m.start(1)))
    return found
