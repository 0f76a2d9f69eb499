"""Groups articles into stories: copies of one report (wire copy, reposts, rewrites, updates) share a story.

For each newly tagged article, `assign_story`:
1. leaves out the lines its outlet repeats in many articles (RecurringLine; monitor.recurring_lines), then
   counts this article's lines for the outlet;
2. asks the candidate index (monitor.candidate_index, held in the process's memory: LSH band keys of that
   text and figure-pair keys; keys for the specific figures and people it reports, in its week, and for
   briefs its places, on its day) for the articles worth comparing, published within the dedup window:
   lookups whose cost does not grow with the archive;
3. judges each candidate with monitor.story_evidence (wording, shared figures and names, time), reading
   the candidate's comparison data stored when it was grouped (sides_of) rather than its text, and joins
   the strongest match's story, unless that story's first report clearly disagrees (a chain of likenesses
   is not evidence), or founds a new story;
4. records why on the article's StoryArticle row, which the story page shows.

Analysts correct it with `split_article` and `merge_stories`; the articles those move are pinned, and a
pinned article is never moved by clustering again.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

import numpy as np
import numpy.typing as npt

from monitor import similarity
from monitor.candidate_index import INDEX, index_fields, keys_from_bytes, keys_to_bytes
from monitor.models import ClusteringCounter, RecurringLine, Story, StoryArticle, StoryCorrection
from monitor.recurring_lines import RECURRING_AFTER, keyed_lines, line_keys, without_recurring
from monitor.story_evidence import (ArticleSide, StoryFeatures, Verdict, feature_keys, first_report_disagrees,
                                    judge)
from monitor.plain_sql import (aware, execute, execute_many, fetch_all, fetch_one, insert_row, insert_rows, json_column,
                               marks, one_cursor, table, update_row)
from monitor.story_index import add_to_story_index, members_of, refresh_story_index
from sources.models import Article

# Any constant: the key of the PostgreSQL advisory lock that lets one transaction at a time assign stories.
_CLUSTERING_LOCK = 7_301_001


def lock_clustering() -> None:
    """Serialises story assignment until the current transaction ends.

    Two workers tagging two copies of one wire story at the same moment would each see no committed copy and
    found two stories. SQLite already runs one write transaction at a time (IMMEDIATE); PostgreSQL needs an
    advisory lock, released by the commit.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLUSTERING_LOCK])


def comparable_text(article: Article) -> str:
    return text_or_title(article.text, article.title)


def text_or_title(text: str, title: str) -> str:
    """What clustering compares: the article's text, or its title when the page gave none."""
    return text or title


class Cut(NamedTuple):
    """An article's text as clustering compares it (compared_side)."""

    line_keys: list[int]  # each distinct line key of the text, in order
    side: ArticleSide  # without the lines its outlet has made recurring: what it is judged on now
    # Also without the lines this grouping's count of its outlet's lines makes recurring (`making`): what
    # later articles compare it with (its comparison data). The same object as `side` when there are none.
    stored: ArticleSide
    making: frozenset[int]  # those lines' keys
    recurring: frozenset[int]  # the keys of the lines its outlet has made recurring, left out of both


class Counting(NamedTuple):
    """The lines whose count the article being grouped takes to RECURRING_AFTER: its outlet and their keys."""

    source_id: int
    keys: frozenset[int]


NOT_COUNTING = Counting(0, frozenset())


def compared_side(source_id: int, published_at: datetime | None, text: str, features: StoryFeatures, *,
                  counting: bool = False, counted: Counting = NOT_COUNTING) -> Cut:
    """The text's line keys, and the article as clustering compares it: the text without the lines its outlet
    has made recurring, and the features found within what is left.

    Its outlet's lines are counted after it is judged (count_lines), so it is judged with the lines its own
    count makes recurring: the third copy of an outlet's report still matches the first two on the sentences
    they share. What later articles compare it with leaves them out, as they will be recurring by then:
    `counting`, for the article being grouped, whose lines are about to be counted; `counted`, for an article
    cut again meanwhile (sides_of), the lines that count makes recurring, which its outlet's articles leave
    out too. Stored so, an article is never stale for a line it or its grouping made recurring (sides_of)."""
    keyed = keyed_lines(text)
    keys = line_keys(text, keyed)
    counts = line_counts(source_id, keys)
    recurring = _recurring(counts)
    if counting:
        making = frozenset(key for key, articles in counts.items() if articles == RECURRING_AFTER - 1)
    else:
        making = counted.keys.intersection(keys) if counted.source_id == source_id else frozenset()
    words = len(text.split())
    body = without_recurring(text, recurring, keyed)
    side = ArticleSide.of_text(source_id, published_at, body, features.within(body), words)
    if not making:
        return Cut(keys, side, side, making, recurring)
    later = without_recurring(text, recurring | making, keyed)
    stored = ArticleSide.of_text(source_id, published_at, later, features.within(later), words)
    return Cut(keys, side, stored, making, recurring)


def assign_story(article: Article, features: StoryFeatures | None = None) -> Story:
    """Puts a tagged article into the story it reports, or into a new story of its own.

    Call inside the transaction that stores the article's tags. `features` are the figures and names the
    tagger found (story_evidence.features_from_analysis); without them only wording counts.
    """
    with one_cursor():  # two dozen small statements and more (monitor.plain_sql.one_cursor)
        return _assign_story(article, features or StoryFeatures())


def _assign_story(article: Article, features: StoryFeatures) -> Story:
    lock_clustering()
    seq = next_sequence()
    link = fetch_one(f"SELECT story_id, pinned FROM {table(StoryArticle)} WHERE article_id = %s", [article.pk])
    text = comparable_text(article)
    cut = compared_side(article.source_id, article.published_at, text, features, counting=link is None)
    side = cut.side
    sig = similarity.signature_of_hashes(side.shingles)
    text_keys = similarity.band_keys(sig) + similarity.figure_keys(text)
    stored = text_keys + feature_keys(side.features, article.published_at, brief=side.brief)
    data = comparison_data(cut.line_keys, cut.stored, seq)
    counted = Counting(article.source_id, cut.making)
    remember(data, cut)
    comparison = {"fingerprint": sig.to_bytes(), "features": features.to_json(), **data,
                  **index_fields(article.published_at, stored)}
    if link is not None and link[1]:  # pinned: an analyst put it where it is
        update_row(StoryArticle, article.pk, comparison)
        pinned_in = story_to_refresh(link[0])
        refresh_story(pinned_in)
        return pinned_in

    matches: list[tuple[Verdict, Compared]] = []
    closest: tuple[Verdict, Compared] | None = None
    judged: dict[int, Verdict] = {}
    looked_up = [text_keys, feature_keys(side.features, article.published_at, brief=side.brief, neighbours=True)]
    for other, other_side in candidates(article, looked_up, seq, counted):
        verdict = _judge_pair(side, article, other_side, other)
        judged[other.article_id] = verdict
        if verdict.same:
            matches.append((verdict, other))
        elif closest is None or verdict.evidence.wording > closest[0].evidence.wording:
            closest = (verdict, other)
    best, vetoed = _strongest_not_vetoed(matches, side, article, judged, seq, counted)

    previous: int | None = link[0] if link is not None else None
    if best is None:
        story = new_story(article.title or text[:200])
        copy_kind: str = StoryArticle.CopyKind.ORIGINAL
        evidence: dict[str, Any] = {"rule": "no-earlier-report", "compared": closest is not None}
        if vetoed is not None:
            (verdict, other), first, first_verdict = vetoed
            evidence = {"rule": "first-report-veto", "matched": other.article_id, "first": first,
                        "verdict": verdict.to_json(), "first_verdict": first_verdict.to_json()}
        elif closest is not None:
            evidence["closest"] = {**closest[0].to_json(), "matched": closest[1].article_id}
    else:
        verdict, other = best
        story, copy_kind = story_to_refresh(other.story_id), verdict.kind
        evidence = {**verdict.to_json(), "matched": other.article_id}
    if link is None:  # counted once, after judging, so both sides of every comparison saw the same counts
        count_lines(article.source_id, [key for key in cut.line_keys if key not in cut.recurring], seq)
    placed = {"story_id": story.pk, "copy_kind": copy_kind, "evidence": evidence, **comparison}
    if link is None:
        insert_rows(StoryArticle, [{"article_id": article.pk, "pinned": False, **placed}])
    else:
        update_row(StoryArticle, article.pk, placed)
    if best is None:
        refresh_story(story, founded_by=article)
    elif link is None:
        join_story(story, article)
    else:
        refresh_story(story)
    if previous is not None and previous != story.pk:
        refresh_story(story_to_refresh(previous))
    return story


def new_story(title: str) -> Story:
    """Creates an empty story, which refresh_story then fills in. Plain SQL: the ORM's create cost more
    than the rest of founding a story."""
    values = {"title": title, "article_count": 0, "outlet_count": 0, "updated_at": timezone.now(), "language": "",
              "figure_count": 0, "lead_source_name": "", "top_organisations": []}
    return _stored(Story(pk=insert_row(Story, values), **values))


def story_to_refresh(story_id: int) -> Story:
    """The story as refresh_story needs it: its id and title. refresh_story computes and writes every other
    field it has, so nothing else is read. Pass it to refresh_story before anything else: saved as it is, it
    would write zero counts over the stored ones."""
    found = fetch_one(f"SELECT title FROM {table(Story)} WHERE id = %s", [story_id])
    if found is None:
        raise Story.DoesNotExist(f"Story {story_id} does not exist.")
    return _stored(Story(pk=story_id, title=found[0]))


def _stored(story: Story) -> Story:
    """Marks a Story built in code as the row it stands for, as the ORM marks one it read."""
    story._state.adding = False
    story._state.db = connection.alias
    return story


def candidates(article: Article, key_sets: list[list[int]], seq: int, counted: Counting = NOT_COUNTING,
               ) -> list[tuple[Compared, ArticleSide]]:
    """The articles sharing the most keys of each set with this one (wording keys, then what it reports),
    ready to be judged. Each set is ranked on its own, so one cannot crowd out the other's candidates. `seq`
    is the article's clustering number: the index first takes in every article grouped before it. `counted`:
    the lines its count will make recurring (sides_of)."""
    INDEX.catch_up(seq - 1)
    for _ in range(2):
        chosen: dict[int, None] = {}
        for ranked in INDEX.ranked([keys for keys in key_sets if keys], article.published_at, article.pk,
                                   settings.MONITOR_DEDUP_MAX_CANDIDATES):
            chosen.update(dict.fromkeys(ranked))
        rows = comparison_rows(list(chosen))
        gone = [article_id for article_id in chosen if article_id not in rows]
        if not gone:
            break
        INDEX.forget(gone)  # deleted since they were grouped: the next in line take their places
    return sides_of({article_id: rows[article_id] for article_id in chosen if article_id in rows}, seq, counted)


class Stored(NamedTuple):
    """A grouped article's comparison data (comparison_data), decoded: every line key of its text, and of the
    text left without its outlet's recurring lines, the shingle hashes, word count and features; and the word
    count of the whole text."""

    line_keys: tuple[int, ...]
    shingles: npt.NDArray[np.uint32]
    words: int
    features: StoryFeatures
    text_words: int


class Compared(NamedTuple):
    """A grouped article as judging reads it: its outlet, time and stored comparison data; never its text,
    unless that data is missing (`stored` None: it predates these fields or was dropped by a retag) or stale
    (sides_of)."""

    article_id: int
    story_id: int
    source_id: int
    published_at: datetime | None
    compared_seq: int | None
    stored: Stored | None


class DecodedCache:
    """Comparison data this process has decoded already, by digest (comparison_digest), least recently used
    first out. Decoding a candidate's JSON and hashes cost more than reading it, and the same recent articles
    are candidates for one new article after another. A digest names the stored bytes, not a row, so an entry
    is never stale: changed data has a new digest, and a database reset cannot mix up two articles. Locked,
    for worker threads: grouping itself runs one article at a time, but the cache should not depend on it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[int, Stored] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: int | None) -> Stored | None:
        if digest is None:
            return None
        with self._lock:
            stored = self.entries.get(digest)
            if stored is not None:
                self.entries.move_to_end(digest)
            return stored

    def put(self, digest: int, stored: Stored) -> None:
        with self._lock:
            self.entries[digest] = stored
            self.entries.move_to_end(digest)
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)


# About 5 KB an entry for a 500 to 900-word article (measured with tracemalloc): 25 MB at most per grouping
# process. Copies of a report mostly arrive within hours, which 5,000 articles cover at most volumes.
DECODED = DecodedCache(5_000)

def comparison_rows(article_ids: list[int]) -> dict[int, Compared]:
    """The comparison data of these grouped articles, by article id. One query of small columns; the stored
    data itself is read and decoded only for articles whose digest this process has not decoded before."""
    if not article_ids:
        return {}
    rows = fetch_all(
        f"SELECT l.article_id, l.story_id, a.source_id, a.published_at, l.compared_seq, l.comparison_digest "
        f"FROM {table(StoryArticle)} l JOIN {table(Article)} a ON a.id = l.article_id "
        f"WHERE l.article_id IN ({marks(len(article_ids))})", article_ids)
    found = {row[0]: (row, DECODED.get(row[5])) for row in rows}
    missing = [article_id for article_id, (_, stored) in found.items() if stored is None]
    if missing:
        for article_id, keys, shingles, words, text_words, reported, digest in fetch_all(
                f"SELECT article_id, line_keys, body_shingles, body_words, text_words, reported, comparison_digest "
                f"FROM {table(StoryArticle)} WHERE article_id IN ({marks(len(missing))})", missing):
            if shingles is None or reported is None or text_words is None:
                continue  # compared afresh from its text (sides_of)
            stored = decode(keys, shingles, words, text_words, json_column(reported))
            if digest is not None:
                DECODED.put(digest, stored)
            found[article_id] = (found[article_id][0], stored)
    return {article_id: Compared(row[0], row[1], row[2], aware(row[3]), row[4], stored)
            for article_id, (row, stored) in found.items()}


def decode(line_keys: bytes | memoryview | None, body_shingles: bytes | memoryview, body_words: int | None,
           text_words: int, reported: dict[str, Any]) -> Stored:
    """Stored comparison data (comparison_data's fields) as judging uses it."""
    stored = Stored(tuple(keys_from_bytes(line_keys).tolist()), similarity.hashes_from_bytes(bytes(body_shingles)),
                    body_words or 0, StoryFeatures.from_json(reported), text_words)
    stored.shingles.flags.writeable = False  # shared by every later comparison in this process
    return stored


def remember(data: dict[str, Any], cut: Cut) -> None:
    """Keeps comparison data just written (comparison_data of `cut`) decoded, as `cut` already holds it: the
    article is the likeliest candidate for the next copies."""
    side = cut.stored
    side.shingles.flags.writeable = False  # shared by every later comparison in this process
    DECODED.put(data["comparison_digest"], Stored(tuple(cut.line_keys), side.shingles, side.words, side.features,
                                                  data["text_words"]))


def next_sequence() -> int:
    """Clustering's next sequence number, never given before (ClusteringCounter). Call under lock_clustering."""
    # Plain SQL, as the rest of this per-article path (monitor.plain_sql).
    if not execute(f"UPDATE {table(ClusteringCounter)} SET last = last + 1 WHERE id = 1"):
        # A database grouping nothing yet, or emptied since (a test's flush): start past every number in use.
        found = fetch_one(f"SELECT MAX(compared_seq) FROM {table(StoryArticle)}")
        insert_rows(ClusteringCounter, [{"id": 1, "last": int((found[0] if found else None) or 0) + 1}])
    counted = fetch_one(f"SELECT last FROM {table(ClusteringCounter)} WHERE id = 1")
    assert counted is not None
    return int(counted[0])


def comparison_data(keys_of_lines: list[int], side: ArticleSide, seq: int) -> dict[str, Any]:
    """The StoryArticle fields that let later articles compare with this one without reading its text."""
    data: dict[str, Any] = {"line_keys": keys_to_bytes(keys_of_lines),
                            "body_shingles": similarity.hashes_to_bytes(side.shingles), "body_words": side.words,
                            "text_words": side.text_words if side.text_words is not None else side.words,
                            "reported": side.features.to_json()}
    return {**data, "comparison_digest": comparison_digest(**data), "compared_seq": seq}


def comparison_digest(line_keys: bytes, body_shingles: bytes, body_words: int, text_words: int,
                      reported: dict[str, Any]) -> int:
    """A 64-bit hash of the comparison data, signed to fit a BigIntegerField: the key of DECODED."""
    digest = hashlib.blake2b(digest_size=8)
    for part in (line_keys, body_shingles, str(body_words).encode(), str(text_words).encode(),
                 json.dumps(reported, sort_keys=True).encode()):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return int.from_bytes(digest.digest(), "little", signed=True)


def sides_of(links: dict[int, Compared], seq: int | None = None, counted: Counting = NOT_COUNTING,
             ) -> list[tuple[Compared, ArticleSide]]:
    """Each article as clustering compares it: its text without its outlet's recurring lines, and features.

    Read from the comparison data stored when it was grouped, unless one of its lines has become recurring
    since (RecurringLine.recurring_from after its compared_seq: data stored at a sequence number already
    leaves out the lines that number made recurring, compared_side), or the data predates these fields.
    Then from its text, read in one query for all such articles, and stored again with `seq` (by default
    the next sequence number), so each article is read this way once per change of its outlet's template;
    `counted`: the lines the grouping at `seq` makes recurring, left out of what is stored. One query finds
    the lines that became recurring since the oldest of the comparisons: its size depends on how fast
    outlets' templates change within the dedup window, not on the archive."""
    if seq is None:
        seq = next_sequence()
    oldest = min((link.compared_seq for link in links.values() if link.compared_seq is not None), default=None)
    newly: dict[tuple[int, int], int] = {}
    if oldest is not None:
        outlets = sorted({link.source_id for link in links.values()})
        newly = {(source_id, key): since for source_id, key, since in fetch_all(
            f"SELECT source_id, key, recurring_from FROM {table(RecurringLine)} WHERE source_id IN "
            f"({marks(len(outlets))}) AND recurring_from > %s", [*outlets, oldest])}
    sides: dict[int, ArticleSide] = {}
    stale: dict[int, Compared] = {}
    for article_id, link in links.items():
        stored, seq_of = link.stored, link.compared_seq
        if stored is None or seq_of is None or (newly and any(
                newly.get((link.source_id, key), -1) > seq_of for key in stored.line_keys)):
            stale[article_id] = link
            continue
        sides[article_id] = ArticleSide(link.source_id, link.published_at, stored.shingles, stored.words,
                                        stored.features, stored.text_words)
    if stale:
        read = {article_id: (text_or_title(text, title), json_column(features)) for article_id, text, title, features
                in fetch_all(f"SELECT l.article_id, a.text, a.title, l.features FROM {table(StoryArticle)} l "
                             f"JOIN {table(Article)} a ON a.id = l.article_id "
                             f"WHERE l.article_id IN ({marks(len(stale))})", list(stale))}
        for article_id, link in stale.items():
            text, features = read.get(article_id, ("", None))
            cut = compared_side(link.source_id, link.published_at, text, StoryFeatures.from_json(features),
                                counted=counted)
            data = comparison_data(cut.line_keys, cut.stored, seq)
            update_row(StoryArticle, article_id, data)
            remember(data, cut)
            sides[article_id] = cut.side
    return [(links[article_id], sides[article_id]) for article_id in links]


def _judge_pair(side: ArticleSide, article: Article, other_side: ArticleSide, other: Compared) -> Verdict:
    """Judges the pair with the earlier article first (by publication time, then id)."""
    if article.published_at is None or other.published_at is None:
        earlier = other.article_id < article.pk
    else:
        earlier = (other.published_at, other.article_id) < (article.published_at, article.pk)
    return judge(other_side, side) if earlier else judge(side, other_side)


Match = tuple[Verdict, Compared]


def _strongest_not_vetoed(matches: list[Match], side: ArticleSide, article: Article, judged: dict[int, Verdict],
                          seq: int, counted: Counting = NOT_COUNTING,
                          ) -> tuple[Match | None, tuple[Match, int, Verdict] | None]:
    """The strongest match whose story's first report does not clearly disagree with the article, and, when
    every match was vetoed, the strongest of them with its story's first report and that report's verdict."""
    matches.sort(key=lambda match: match[0].strength, reverse=True)
    story_ids = sorted({other.story_id for _, other in matches})
    firsts: dict[int, int | None] = dict(fetch_all(
        f"SELECT id, first_article_id FROM {table(Story)} WHERE id IN ({marks(len(story_ids))})", story_ids)
        if story_ids else [])
    missing = {first for first in firsts.values() if first is not None and first not in judged}
    if missing:
        for first_link, first_side in sides_of(comparison_rows(list(missing)), seq, counted):
            judged[first_link.article_id] = _judge_pair(side, article, first_side, first_link)
    vetoed: tuple[Match, int, Verdict] | None = None
    for verdict, other in matches:
        first = firsts.get(other.story_id)
        if first is None or first == other.article_id or not first_report_disagrees(judged[first]):
            return (verdict, other), None
        vetoed = vetoed or ((verdict, other), first, judged[first])
    return None, vetoed


def recurring_lines(source_id: int, keys: list[int]) -> frozenset[int]:
    """Which of these line keys the outlet has carried in RECURRING_AFTER or more articles (for a shell, and
    tests); compared_side reads the counts once for these and the lines its article's count makes recurring."""
    return _recurring(line_counts(source_id, keys))


def _recurring(counts: dict[int, int]) -> frozenset[int]:
    """The line keys of `counts` (line_counts) that are recurring."""
    return frozenset(key for key, articles in counts.items() if articles >= RECURRING_AFTER)


def line_counts(source_id: int, keys: list[int]) -> dict[int, int]:
    """In how many of the outlet's articles each of these line keys was counted, for those counted in
    RECURRING_AFTER - 1 or more: the recurring ones, and those the next count makes recurring. Plain SQL, run
    once per article cut: 0.06 against 0.4 ms a call through the ORM (benchmarks/stories.py --steps)."""
    if not keys:
        return {}
    return dict(fetch_all(f"SELECT key, articles FROM {table(RecurringLine)} WHERE source_id = %s AND key IN "
                          f"({marks(len(keys))}) AND articles >= %s", [source_id, *keys, RECURRING_AFTER - 1]))


def count_lines(source_id: int, keys: list[int], seq: int) -> None:
    """Counts one more article of the outlet for each line key (an upsert that runs on SQLite and PostgreSQL);
    a line reaching RECURRING_AFTER articles records `seq`, the sequence number of the article that made it.
    assign_story passes only the lines not recurring yet: past RECURRING_AFTER a count decides nothing, and
    a template line's row would be written again for every article of its outlet."""
    if not keys:
        return
    lines = table(RecurringLine)
    execute_many(
        f"INSERT INTO {lines} (source_id, key, articles) VALUES (%s, %s, 1) "
        f"ON CONFLICT (source_id, key) DO UPDATE SET articles = {lines}.articles + 1, "
        f"recurring_from = CASE WHEN {lines}.articles + 1 = %s THEN %s ELSE {lines}.recurring_from END",
        [(source_id, key, RECURRING_AFTER, seq) for key in keys])


def refresh_story(story: Story, founded_by: Article | None = None) -> None:
    """Recomputes a story's first report and counts from its articles; deletes it when it has none left.

    `founded_by`: the article that founded the story in this transaction, its only article and first report;
    then nothing of the story but that article's row is read back."""
    members = members_of(story.pk)
    if not members:
        refresh_story_index(story, [])  # takes the story off its entities' counts and days first
        story.delete()  # an empty story would show as a blank row
        return
    first = members[0]
    if first.copy_kind != StoryArticle.CopyKind.ORIGINAL:
        # An earlier article joined late (or the first report was split out): it is the first report now,
        # and the old first report becomes a copy of the kind the newcomer was.
        execute(f"UPDATE {table(StoryArticle)} SET copy_kind = %s WHERE story_id = %s AND copy_kind = %s",
                [first.copy_kind, story.pk, StoryArticle.CopyKind.ORIGINAL])
        execute(f"UPDATE {table(StoryArticle)} SET copy_kind = %s WHERE article_id = %s",
                [StoryArticle.CopyKind.ORIGINAL, first.pk])
    story.article_count = len(members)
    story.outlet_count = len({member.source_id for member in members})
    story.first_published_at = min((m.published_at for m in members if m.published_at is not None), default=None)
    story.first_article_id = first.pk
    if first.title:
        story.title = first.title
    story.updated_at = timezone.now()
    refresh_story_index(story, members, also=("title", "first_article", "first_published_at", "article_count",
                                              "outlet_count", "updated_at"),
                        new=founded_by is not None, lead_text=(founded_by.text or "") if founded_by else None)


def join_story(story: Story, article: Article) -> None:
    """refresh_story for a story that `article` has just joined, at a cost that does not grow with the
    story (story_index.add_to_story_index); the whole refresh when the newcomer is its first report now."""
    if not add_to_story_index(story.pk, article.pk):
        refresh_story(story)


# ------------------------------------------------------------------ analysts' corrections


class CorrectionError(ValueError):
    """A split or merge that cannot be made; the message says why, for the analyst."""


@transaction.atomic
def split_article(article: Article, *, by: User | None) -> Story:
    """Moves `article` out of its story into a new story of its own, pinned there."""
    lock_clustering()
    link = StoryArticle.objects.select_related("story").filter(article=article).first()
    if link is None:
        raise CorrectionError("This article is not in a story yet.")
    old = link.story
    if old.members.count() < 2:
        raise CorrectionError("This article is the story's only article: there is nothing to split it from.")
    new = Story.objects.create(title=article.title or comparable_text(article)[:200])
    StoryArticle.objects.filter(pk=link.pk).update(
        story=new, copy_kind=StoryArticle.CopyKind.ORIGINAL, pinned=True,
        evidence={"rule": "analyst-split", "from_story": old.pk, "by": by.get_username() if by else ""})
    StoryCorrection.objects.create(kind=StoryCorrection.Kind.SPLIT, article=article, story_id_kept=old.pk,
                                   other_story_id=new.pk, other_title=new.title[:1000], articles_moved=1, made_by=by)
    refresh_story(old)
    refresh_story(new)
    return new


@transaction.atomic
def merge_stories(kept_id: int, merged_id: int, *, by: User | None) -> Story:
    """Moves every article of story `merged_id` into story `kept_id`, pins them there, and deletes the emptied
    story. Both are read again under the clustering lock: two analysts crossing merges, or a double click,
    find the second merge refused with a reason instead of reviving a deleted story."""
    lock_clustering()
    if kept_id == merged_id:
        raise CorrectionError("A story cannot be merged with itself.")
    found = {story.pk: story for story in Story.objects.select_for_update().filter(pk__in=[kept_id, merged_id])}
    if kept_id not in found:
        raise CorrectionError("This story no longer exists: it was merged into another one meanwhile.")
    if merged_id not in found:
        raise CorrectionError(f"Story {merged_id} no longer exists: it was merged or emptied meanwhile.")
    kept, merged = found[kept_id], found[merged_id]
    moved = list(StoryArticle.objects.filter(story=merged).values_list("article_id", flat=True))
    if not moved:
        raise CorrectionError(f"Story {merged_id} has no articles left to merge.")
    who = by.get_username() if by else ""
    StoryArticle.objects.filter(article_id__in=moved).update(
        story=kept, pinned=True, copy_kind=StoryArticle.CopyKind.MERGED,
        evidence={"rule": "analyst-merge", "from_story": merged.pk, "by": who})
    StoryArticle.objects.filter(story=kept).update(pinned=True)
    StoryCorrection.objects.create(kind=StoryCorrection.Kind.MERGE, story_id_kept=kept.pk, other_story_id=merged.pk,
                                   other_title=merged.title[:1000], articles_moved=len(moved), made_by=by)
    refresh_story(merged)  # now empty: deleted
    refresh_story(kept)
    return kept


MAX_MERGE_HOPS = 10


def merged_into(story_id: int) -> int | None:
    """The story a merged-away story's articles are in now (following later merges), so its old address still
    leads somewhere; None when it was not merged away or the trail ends at a story that is gone."""
    current = story_id
    for _ in range(MAX_MERGE_HOPS):
        correction = (StoryCorrection.objects.filter(kind=StoryCorrection.Kind.MERGE, other_story_id=current)
                      .order_by("-made_at").first())
        if correction is None:
            return None
        current = correction.story_id_kept
        if Story.objects.filter(pk=current).exists():
            return current
    return None
