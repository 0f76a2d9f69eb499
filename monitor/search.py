"""Full-text search: the query language analysts type, and how it becomes FTS5 or PostgreSQL tsquery syntax.

The language (documented in the README and on the search box's help):
- words: every word must appear (`nacta daesh`); words match as whole words, so `NA` finds "NA", not "nation";
- `"exact phrase"`; `word*` for a prefix (at least two letters before the star);
- `OR` between two terms: either may appear (`fia OR nacta`);
- `-word` or `-"phrase"`: must not appear.
Queries are bounded (MAX_QUERY_CHARS, MAX_TERMS) and anything else is refused with a message that says what
to change, never passed to the database as written.

Backends differ only in syntax: `Backend.for_vendor` gives the SQL pieces for SQLite's FTS5 table
(monitor_story_fts, rowid = story sort key) or PostgreSQL's tsvector column (monitor_storysearch.document_tsv).
Matching is case-insensitive and without stemming on both, so they find the same stories.
Not for: choosing which index drives a query (monitor.story_query) or snippets' HTML (see `snippet`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


class QueryError(ValueError):
    """The query cannot be run as written; the message says why and what to type instead."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    """Lower-cased word tokens; more than one makes a phrase."""
    prefix: bool = False


@dataclass
class SearchQuery:
    groups: list[list[Term]] = field(default_factory=list)
    """Every group must match; a group matches when any of its terms does (terms joined by OR)."""
    excluded: list[Term] = field(default_factory=list)
    text: str = ""

    @property
    def positive_terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


def parse_query(text: str) -> SearchQuery | None:
    """Parses what an analyst typed; None for an empty query. Raises QueryError for one that cannot run."""
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"The search is {len(text)} characters long; keep it under {MAX_QUERY_CHARS}. "
                         "Use filters (organisation, date) to narrow the list instead.")
    if text.count('"') % 2:
        raise QueryError('A quotation mark is not closed. Put phrases between two quotation marks: "blocked websites".')
    query = SearchQuery(text=text)
    join_next = False
    count = 0
    for match in _TOKEN.finditer(text):
        negated_phrase, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare == "OR":
            if not query.groups or join_next:
                raise QueryError("OR must stand between two terms, as in: fia OR nacta.")
            join_next = True
            continue
        negated = bool(negated_phrase) or (bare is not None and bare.startswith("-") and len(bare) > 1)
        raw = phrase if phrase is not None else (bare[1:] if negated else bare)
        term = _term(raw, quoted=phrase is not None)
        if term is None:
            continue
        count += 1
        if count > MAX_TERMS:
            raise QueryError(f"The search has more than {MAX_TERMS} terms. Keep the few that matter most, and "
                             "use filters for the rest.")
        if negated:
            if join_next:
                raise QueryError("OR cannot join an excluded term; write: fia OR nacta -karachi.")
            query.excluded.append(term)
        elif join_next:
            query.groups[-1].append(term)
            join_next = False
        else:
            query.groups.append([term])
    if join_next:
        raise QueryError("OR must stand between two terms, as in: fia OR nacta.")
    if not query.groups:
        if query.excluded:
            raise QueryError("A search needs at least one word to look for, not only words to leave out.")
        return None
    return query


def _term(raw: str, *, quoted: bool) -> Term | None:
    prefix = not quoted and raw.endswith("*")
    words = tuple(w.lower() for w in _WORD.findall(raw))
    if not words:
        return None
    if prefix:
        if len(words) > 1 or len(words[0]) < 2:
            raise QueryError(f"{raw!r}: a prefix search needs at least two letters before the star, as in: terror*.")
        return Term(words, prefix=True)
    return Term(words)


def to_fts5(query: SearchQuery) -> str:
    """FTS5 MATCH syntax. Every term is quoted, so nothing the user typed is read as an FTS5 operator."""
    def term(t: Term) -> str:
        quoted = '"' + " ".join(t.words) + '"'
        return quoted + "*" if t.prefix else quoted

    positive = " AND ".join("(" + " OR ".join(term(t) for t in group) + ")" for group in query.groups)
    return positive + "".join(f" NOT {term(t)}" for t in query.excluded)


def to_tsquery(query: SearchQuery) -> str:
    """PostgreSQL to_tsquery('simple', ...) syntax. Words are \\w+ tokens, so quoting them is enough."""
    def term(t: Term) -> str:
        lexemes = [f"'{w}'" for w in t.words]
        if t.prefix:
            return lexemes[0] + ":*"
        return "(" + " <-> ".join(lexemes) + ")" if len(lexemes) > 1 else lexemes[0]

    positive = " & ".join("(" + " | ".join(term(t) for t in group) + ")" for group in query.groups)
    return positive + "".join(f" & !{term(t)}" for t in query.excluded)


@dataclass(frozen=True)
class Backend:
    """The SQL that finds stories by text, for one database. `{k}` in a probe is the outer sort-key column."""

    vendor: str
    driver_table: str
    driver_key: str
    driver_where: str
    probe: str
    score: str
    """An expression whose ascending order is best match first."""

    @classmethod
    def for_vendor(cls, vendor: str) -> Backend:
        if vendor == "postgresql":
            return cls(
                vendor=vendor,
                driver_table="monitor_storysearch f",
                driver_key="f.sort_key",
                driver_where="f.document_tsv @@ to_tsquery('simple', %s)",
                probe=("EXISTS (SELECT 1 FROM monitor_storysearch p WHERE p.sort_key = {k} "
                       "AND p.document_tsv @@ to_tsquery('simple', %s))"),
                score="-ts_rank(f.document_tsv, to_tsquery('simple', %s))",
            )
        return cls(
            vendor=vendor,
            # Not aliased: FTS5's MATCH needs the table's own name on its left.
            driver_table="monitor_story_fts",
            driver_key="monitor_story_fts.rowid",
            driver_where="monitor_story_fts MATCH %s",
            probe="EXISTS (SELECT 1 FROM monitor_story_fts WHERE monitor_story_fts MATCH %s AND rowid = {k})",
            score="bm25(monitor_story_fts)",
        )

    def syntax(self, query: SearchQuery) -> str:
        return to_tsquery(query) if self.vendor == "postgresql" else to_fts5(query)

    @property
    def score_takes_query(self) -> bool:
        return self.vendor == "postgresql"


def snippet(text: str, query: SearchQuery, *, width: int = 220) -> SafeString:
    """A short passage around the first matched word, HTML-escaped, with the matched words in <mark>."""
    patterns = []
    for term in query.positive_terms:
        if term.prefix:
            patterns.append(rf"\b{re.escape(term.words[0])}\w*")
        else:
            patterns.append(r"\b" + r"\W+".join(re.escape(w) for w in term.words) + r"\b")
    finder = re.compile("|".join(patterns), re.IGNORECASE)
    flat = " ".join(text.split())
    found = finder.search(flat)
    start = max(0, (found.start() if found else 0) - width // 3)
    if start:
        space = flat.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    piece = flat[start:start + width]
    pieces: list[str] = ["…" if start else ""]
    cursor = 0
    for match in finder.finditer(piece):
        pieces.append(escape(piece[cursor:match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        cursor = match.end()
    pieces.append(escape(piece[cursor:]))
    if start + width < len(flat):
        pieces.append("…")
    return mark_safe("".join(pieces))
