"""An outlet's recurring lines: the sentences and page furniture it repeats from article to article.

A daily bulletin that reuses 60% of yesterday's sentences, or a page whose navigation and "Related" lists
outweigh the report, looks like a copy of every other article from that outlet. So each line (a paragraph's
sentence, or a furniture line) gets a key, the database counts in how many of an outlet's articles each key
appeared (monitor.models.RecurringLine), and a line seen in RECURRING_AFTER articles or more is left out of
the text that clustering compares. The stored article keeps every line; only the comparison skips them.

A line's key is its frame: words in lower case, with every capitalised word and every number replaced by
one placeholder ("In Jhang, a CTD team arrested 2 suspects" and "In Multan, a CTD team arrested 9 suspects"
share a key). So a template's slots (names, places, counts) count as the template, and so does one-line
furniture. The figures and names in those slots still count as evidence: clustering reads them from the
tagger, not from this text.

Not for: removing furniture from the stored text (extraction and sources.boilerplate do that) or deciding
which articles are one story (monitor.story_evidence).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Set as AbstractSet

# A line in this many of an outlet's earlier articles is template. Three: two articles sharing a sentence
# may be one report and its update; a third is a pattern. Measured with benchmarks/stories.py.
RECURRING_AFTER = 3

# Sentence ends: a full stop, question or exclamation mark, maybe closing quotes, then space and a capital
# letter, a digit or an opening quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[A-Z0-9\"'\u201c\u2018(])")
_TOKEN = re.compile(r"\w+(?:['\u2019.-]\w+)*")


def lines_of(text: str) -> list[str]:
    """The text's lines: every non-empty paragraph line, cut into sentences."""
    found: list[str] = []
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if paragraph:
            found.extend(part.strip() for part in _SENTENCE_END.split(paragraph) if part.strip())
    return found


def line_frame(line: str) -> str:
    """The line's words in lower case, capitalised words and numbers each replaced by "#"."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFKC", line))
    return " ".join("#" if token[0].isupper() or token[0].isdigit() else token.casefold() for token in tokens)


# Remembered by line: template lines recur from article to article, and a candidate whose outlet's template
# changed is cut again from its text (monitor.stories.sides_of). 20,000 lines of about 200 characters, with
# the cache's own overhead: about 10 MB.
@functools.lru_cache(maxsize=20_000)
def line_key(line: str) -> int:
    """A signed 64-bit key for the line's frame (line_frame)."""
    digest = hashlib.blake2b(line_frame(line).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


KeyedLines = list[tuple[str, int]]


def keyed_lines(text: str) -> KeyedLines:
    """The text's lines with their keys, so a caller that needs both hashes each line once."""
    return [(line, line_key(line)) for line in lines_of(text)]


def line_keys(text: str, keyed: KeyedLines | None = None) -> list[int]:
    """Each distinct line key of the text once, in order of first appearance."""
    return list(dict.fromkeys(key for _, key in (keyed if keyed is not None else keyed_lines(text))))


def without_recurring(text: str, recurring: AbstractSet[int], keyed: KeyedLines | None = None) -> str:
    """The text with its recurring lines left out, one kept line per line. `keyed`: keyed_lines(text), if
    the caller already has them."""
    if not recurring:
        return text
    return "\n".join(line for line, key in (keyed if keyed is not None else keyed_lines(text))
                     if key not in recurring)


class RecurringLines:
    """The same counts the database keeps, in memory: for the benchmark and tests."""

    def __init__(self) -> None:
        self._seen: Counter[tuple[Hashable, int]] = Counter()

    def learn(self, outlet: Hashable, text: str) -> None:
        """Counts one more article of `outlet` for every line key in `text`."""
        for key in line_keys(text):
            self._seen[(outlet, key)] += 1

    def recurring(self, outlet: Hashable, keys: Iterable[int]) -> set[int]:
        return {key for key in keys if self._seen[(outlet, key)] >= RECURRING_AFTER}
