"""The candidate index for grouping, held in the grouping process's memory: which grouped articles share the
most keys with a new one (monitor.stories).

An article's keys (LSH bands of its wording, pairs of its figures, the names and figures it reports) are
stored once, as bytes on its StoryArticle row (`index_keys`, with its publication time `published_epoch`).
A B-tree of 72 random keys per article cost 1.2 to 2.5 ms per article to write and commit, more as the archive
grew; one row's bytes cost almost nothing. The lookups are answered here instead:

- **Weeks.** Keys are kept a week at a time (seven days counted from 1970, UTC), sorted in numpy arrays:
  a lookup's window of two weeks and a day spans three or four of them, and each costs one binary search of
  all the keys looked up, however many articles it holds (with a day per array, the fifteen searches cost
  more than the rest of the lookup). A week is read from the database the first time a lookup needs it (one
  indexed range of StoryArticle by `published_epoch`), and the weeks least recently used are dropped beyond
  MONITOR_STORY_INDEX_WEEKS. A worker that starts, or an article backfilled from months ago, pays for
  reading its window once (measured by benchmarks/stories.py as `index_loads`).
- **Catching up.** Before each lookup, under lock_clustering, the process reads the rows grouped since it
  last looked, by itself or any other worker on any machine: those whose `compared_seq` is above the last
  one it read in a committed transaction. Only weeks already in memory take them in; the others will be read
  whole when needed.
- **Rollbacks.** The position is advanced only when the transaction that read it commits
  (`transaction.on_commit`): a rolled-back grouping gives its clustering number back (ClusteringCounter),
  and it is given again to another article, which a position advanced past it would skip. Keys read in a
  transaction that rolls back may stay in memory; they only change which articles are offered as
  candidates, since every candidate's data is read from the database before it is judged.
- **Deletions.** Articles deleted after they were grouped stay in memory until their week is dropped; the
  first lookup that offers one finds its row gone and forgets it (`forget`).
- **Resets.** If the last number given falls below the position (a test database emptied, a backup restored),
  everything held is dropped and read again as needed. Restart grouping workers after restoring a backup all
  the same: one taken after the position would hold other articles under the same numbers.

Articles without a publication time are kept as one more "week" of their own. An undated article is compared
with them and with the window around the time it is grouped.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

import numpy as np
import numpy.typing as npt

from monitor.models import StoryArticle
from monitor.plain_sql import fetch_all, table

DAY_SECONDS = 86_400
WEEK_SECONDS = 7 * DAY_SECONDS
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Keys added to a week since it was read are kept in a dict until there are this many (a few dozen articles'),
# then in smaller sorted arrays until there are _MERGE_AFTER, then merged into the week's main arrays (_Week).
_ADDED_UP_TO = 2_000
_MERGE_AFTER = 50_000

Keys = npt.NDArray[np.int64]
_NONE: Keys = np.empty(0, dtype=np.int64)
_NONE.flags.writeable = False  # shared: holders returns it for a week holding none of the keys


def epoch_of(moment: datetime | None) -> int | None:
    """Whole seconds since 1970 (UTC), rounded down: how the index stores publication times."""
    return None if moment is None else (moment - _EPOCH) // timedelta(seconds=1)


def keys_to_bytes(keys: Iterable[int]) -> bytes:
    return np.asarray(list(keys), dtype="<i8").tobytes()


def keys_from_bytes(data: bytes | memoryview | None) -> Keys:
    return np.frombuffer(bytes(data or b""), dtype="<i8").astype(np.int64)


def index_fields(published_at: datetime | None, keys: list[int]) -> dict[str, Any]:
    """The StoryArticle fields that put an article in the index; written with its compared_seq, by which
    every grouping process finds it (CandidateIndex.catch_up)."""
    return {"index_keys": keys_to_bytes(keys), "published_epoch": epoch_of(published_at)}


class _Run:
    """Keys sorted in numpy arrays, each beside the article it belongs to; articles dropped since are kept
    until the next merge, and left out of every answer meanwhile."""

    __slots__ = ("keys", "articles", "members", "dropped")

    def __init__(self, members: list[int], lengths: list[int], keys: Keys) -> None:
        """`keys` holds the members' keys one after the other, `lengths[i]` of them for `members[i]`."""
        self.members = members  # articles in the arrays (some perhaps dropped since)
        self.keys, self.articles = _sorted_entries(members, lengths, keys)
        self.dropped: set[int] = set()  # articles whose entries in the arrays no longer count

    @classmethod
    def empty(cls) -> _Run:
        return cls([], [], _NONE)

    def merge(self, members: list[int], lengths: list[int], keys: Keys) -> None:
        """Takes in more articles' keys (as __init__ takes them), and drops the dropped articles' entries."""
        self._insert(*_sorted_entries(members, lengths, keys), members)

    def take(self, other: _Run) -> None:
        """Merges another run's live entries into this one (leaving it to be discarded)."""
        other._compact()
        self._insert(other.keys, other.articles, other.members)

    def _compact(self) -> None:
        """Takes the dropped articles' entries out of the arrays."""
        if self.dropped:
            kept = ~np.isin(self.articles, list(self.dropped))
            self.keys, self.articles = self.keys[kept], self.articles[kept]
            self.members = [article for article in self.members if article not in self.dropped]
            self.dropped = set()

    def _insert(self, keys: Keys, articles: Keys, members: list[int]) -> None:
        """Inserts sorted `keys`, each beside its article in `articles`, into the arrays, dropped entries out."""
        self._compact()
        at = np.searchsorted(self.keys, keys)  # both sorted: insert, no need to sort everything again
        self.keys, self.articles = np.insert(self.keys, at, keys), np.insert(self.articles, at, articles)
        self.members = self.members + members

    def holders(self, wanted: Keys, positions: list[Keys], articles: list[Keys]) -> None:
        """Appends, for the (sorted, distinct) `wanted` keys held here, one entry per stored key: the article
        under it, and the key's position in `wanted`. Gathered without a Python step per key."""
        if not self.keys.size or not wanted.size:
            return
        # Where each key's run would start; a key is held if the entry there is that key. Only those held
        # are searched again for where their run ends: a second search of every key cost more.
        starts = np.searchsorted(self.keys, wanted)
        hit = np.flatnonzero(self.keys[np.minimum(starts, self.keys.size - 1)] == wanted)
        if not hit.size:
            return
        first = starts[hit]
        lengths = np.searchsorted(self.keys, wanted[hit], side="right") - first
        # Every entry of every run: each run's first index, repeated along the run, plus 0, 1, 2...
        ends = np.cumsum(lengths)
        at = np.repeat(first - (ends - lengths), lengths) + np.arange(int(ends[-1]))
        held, of = self.articles[at], np.repeat(hit, lengths)
        if self.dropped:  # taken out of the arrays only at the next merge
            kept = ~np.isin(held, np.fromiter(self.dropped, dtype=np.int64, count=len(self.dropped)))
            held, of = held[kept], of[kept]
        positions.append(of)
        articles.append(held)

    def live_articles(self) -> set[int]:
        return set(self.members) - self.dropped


class _Week:
    """The keys of one week's articles, in three tiers: the keys read with the week, in sorted arrays (`main`);
    keys added since, in smaller sorted arrays (`recent`); and the newest, in a dict. The dict is looked up
    key by key in Python, and a key shared by a big story's copies has hundreds of holders, so it is kept
    small; the recent arrays are merged into the main ones rarely, as that rewrites them whole (1.4 million
    entries a week at a million articles)."""

    __slots__ = ("main", "recent", "added", "added_keys", "added_count")

    def __init__(self, members: list[int], lengths: list[int], keys: Keys) -> None:
        """`keys` holds the members' keys one after the other, `lengths[i]` of them for `members[i]`."""
        self.main = _Run(members, lengths, keys)
        self.recent = _Run.empty()
        self.added: dict[int, list[int]] = {}  # key -> articles
        self.added_keys: dict[int, Keys] = {}  # article -> its keys in `added`
        self.added_count = 0

    @classmethod
    def of(cls, rows: list[tuple[int, Keys]]) -> _Week:
        keys = np.concatenate([found for _, found in rows]) if rows else np.empty(0, dtype=np.int64)
        return cls([article for article, _ in rows], [len(found) for _, found in rows], keys)

    def add(self, article: int, keys: Keys) -> None:
        self.added_keys[article] = keys
        self.added_count += len(keys)
        for key in keys.tolist():
            self.added.setdefault(key, []).append(article)
        if self.added_count > _ADDED_UP_TO:
            self._merge_added()
            if self.recent.keys.size > _MERGE_AFTER:
                self._merge_recent()

    def remove(self, article: int) -> None:
        keys = self.added_keys.pop(article, None)
        if keys is None:
            # Dropped from both runs, where it may be: an article dropped and added again is in `recent` once
            # its new keys are merged there, and its old entries in `main` must stay dropped. (An article in
            # the dict was removed before it was added, so any entries it has in the runs are dropped already.)
            self.main.dropped.add(article)
            self.recent.dropped.add(article)
            return
        self.added_count -= len(keys)
        for key in keys.tolist():
            holders = self.added[key]
            holders.remove(article)
            if not holders:
                del self.added[key]

    def _merge_added(self) -> None:
        """Moves the keys in the dict into the recent arrays."""
        members = list(self.added_keys)
        self.recent.merge(members, [len(keys) for keys in self.added_keys.values()],
                          np.concatenate(list(self.added_keys.values())) if members else _NONE)
        self.added, self.added_keys, self.added_count = {}, {}, 0

    def _merge_recent(self) -> None:
        """Moves the recent arrays into the main ones, which are written again whole."""
        self.main.take(self.recent)
        self.recent = _Run.empty()

    def _merge(self) -> None:
        """Builds the main arrays again with every added key in and the dropped articles' entries out."""
        self._merge_added()
        self._merge_recent()

    def holders(self, wanted: Keys) -> tuple[Keys, Keys]:
        """For the (sorted, distinct) `wanted` keys held here, one entry per stored key: the article under it,
        and the key's position in `wanted`. Two aligned arrays."""
        positions: list[Keys] = []
        articles: list[Keys] = []
        self.main.holders(wanted, positions, articles)
        self.recent.holders(wanted, positions, articles)
        if self.added:  # an article re-added since it was dropped is here too
            # Gathered in Python lists and made arrays once: an array per key held cost more.
            get = self.added.get
            added_articles: list[int] = []
            added_positions: list[int] = []
            for i, key in enumerate(wanted.tolist()):
                found = get(key)
                if found:
                    added_articles.extend(found)
                    added_positions.extend([i] * len(found))
            if added_articles:
                positions.append(np.array(added_positions, dtype=np.int64))
                articles.append(np.array(added_articles, dtype=np.int64))
        if not articles:
            return _NONE, _NONE
        if len(articles) == 1:
            return articles[0], positions[0]
        return np.concatenate(articles), np.concatenate(positions)

    def live_articles(self) -> set[int]:
        return self.main.live_articles() | self.recent.live_articles() | set(self.added_keys)

    def entries(self) -> int:
        return int(self.main.keys.size + self.recent.keys.size) + self.added_count


def _sorted_entries(members: list[int], lengths: list[int], keys: Keys) -> tuple[Keys, Keys]:
    """The keys sorted, and beside each the article it belongs to."""
    owners = np.repeat(np.asarray(members, dtype=np.int64), lengths)
    order = np.argsort(keys)
    return keys[order], owners[order]


class CandidateIndex:
    """The keys of the weeks this process looked at (see the module's docstring). One per process, INDEX;
    locked, because a worker's threads share it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._weeks: OrderedDict[int | None, _Week] = OrderedDict()  # week number (epoch // 604,800), or None
        # Every article held in a week: (week, publication epoch, hash of its keys' bytes).
        self._placed: dict[int, tuple[int | None, int | None, int]] = {}
        # The highest compared_seq read in a committed transaction; None until the first lookup.
        self._position: int | None = None
        self._generation = 0  # bumped by reset: a commit callback from before it must not move the position
        self.loads = 0
        self.load_seconds = 0.0

    # ---------------------------------------------------------------- keeping up with the database

    def reset(self) -> None:
        """Forgets everything held; weeks are read again from the database as lookups need them."""
        with self._lock:
            self._weeks.clear()
            self._placed.clear()
            self._position = None
            self._generation += 1

    def catch_up(self, top: int) -> None:
        """Takes in the articles grouped since this process last looked, up to clustering number `top` (the
        last given before this grouping's: call under lock_clustering, inside the grouping's transaction)."""
        with self._lock:
            if self._position is not None and top < self._position:
                self.reset()  # the counter went back: a database emptied (as tests do) or restored
            if self._position is None:
                # Nothing is held, so nothing needs catching up: every row up to `top` is committed and is
                # read with its week. (This transaction has written none yet: each grouping transaction
                # groups one article, and looks up before it writes.)
                self._position = top
                return
            if top == self._position:
                return
            rows = fetch_all(f"SELECT article_id, published_epoch, index_keys FROM {table(StoryArticle)} "
                             "WHERE compared_seq > %s AND compared_seq <= %s", [self._position, top])
            for article, epoch, data in rows:
                self._place(article, epoch, data)
            generation = self._generation
            transaction.on_commit(lambda: self._advance(generation, top))

    def _advance(self, generation: int, top: int) -> None:
        with self._lock:
            if generation == self._generation:
                self._position = top if self._position is None else max(self._position, top)

    def _place(self, article: int, epoch: int | None, data: bytes | memoryview | None) -> None:
        """Puts an article's current keys in its week, if that week is held, moving it from where it was."""
        week = _week_of(epoch)
        digest = hash(bytes(data)) if data is not None else 0
        if self._placed.get(article) == (week, epoch, digest):
            return  # read again because something else in its row changed
        self._unplace(article)
        target = self._weeks.get(week)
        if target is not None and data is not None:
            target.add(article, keys_from_bytes(data))
            self._placed[article] = (week, epoch, digest)

    def forget(self, article_ids: list[int]) -> None:
        """Takes articles out of the weeks held: articles deleted since they were grouped, which catching up
        cannot see (monitor.stories.candidates finds them missing)."""
        with self._lock:
            for article in article_ids:
                self._unplace(article)

    def _unplace(self, article: int) -> None:
        """Takes an article out of the week it is held in, if any."""
        held = self._placed.pop(article, None)
        week = self._weeks.get(held[0]) if held is not None else None
        if week is not None:
            week.remove(article)

    # ---------------------------------------------------------------- lookups

    def ranked(self, key_sets: list[list[int]], published_at: datetime | None, exclude: int, limit: int,
               ) -> list[list[int]]:
        """For each set of keys, up to `limit` articles published within MONITOR_DEDUP_WINDOW_DAYS of
        `published_at` sharing the most of them (an entry per stored key, as many as an article stored), most
        first, then newest id; never `exclude`. All sets are looked up in one pass over the weeks. Call
        catch_up first."""
        sets = [set(keys) for keys in key_sets]  # Python sets: numpy's unique and isin cost more for ~150 keys
        union = sorted(set().union(*sets))
        wanted = np.asarray(union, dtype=np.int64)
        member_of = [np.fromiter((key in keys for key in union), dtype=bool, count=len(union)) for keys in sets]
        published = epoch_of(published_at)
        window = settings.MONITOR_DEDUP_WINDOW_DAYS * DAY_SECONDS
        ranked = []
        with self._lock:
            found = [self._weeks[week_number].holders(wanted) for week_number in self.load_window(published_at)]
            held = np.concatenate([articles for articles, _ in found]) if found else _NONE
            positions = np.concatenate([of for _, of in found]) if found else _NONE
            placed = self._placed
            for members in member_of:
                # Counted and ordered in numpy: the copies of a big story share every key, so a key can have
                # hundreds of holders, and counting them one by one in Python cost milliseconds a lookup once
                # a story had hundreds of copies (benchmarks/stories.py, "joining"). The window is checked
                # in ranked order, only until there are enough.
                articles, counts = np.unique(held[members[positions]], return_counts=True)
                best = []
                for article in articles[np.lexsort((-articles, -counts))].tolist():  # most keys, then newest
                    if article != exclude and (published is None or _within(placed.get(article), published, window)):
                        best.append(article)
                        if len(best) == limit:
                            break
                ranked.append(best)
        return ranked

    def load_window(self, published_at: datetime | None) -> list[int | None]:
        """The weeks a lookup for an article published at `published_at` reads, read from the database if not
        held; drops the least recently used beyond MONITOR_STORY_INDEX_WEEKS (never these)."""
        weeks = _window_weeks(published_at)
        with self._lock:
            missing = [week for week in weeks if week not in self._weeks]
            if missing:
                started = time.perf_counter()
                self._load(missing)
                self.loads += len(missing)
                self.load_seconds += time.perf_counter() - started
            for week in weeks:
                self._weeks.move_to_end(week)
            limit = max(settings.MONITOR_STORY_INDEX_WEEKS, len(weeks))
            while len(self._weeks) > limit:
                _, dropped = self._weeks.popitem(last=False)
                for article in dropped.live_articles():
                    self._placed.pop(article, None)
        return weeks

    def _load(self, weeks: list[int | None]) -> None:
        """Reads these weeks' articles: one range query per run of consecutive weeks."""
        select = f"SELECT article_id, published_epoch, index_keys FROM {table(StoryArticle)} WHERE "
        found: list[tuple[Any, ...]] = []
        if None in weeks:
            found += fetch_all(select + "published_epoch IS NULL AND index_keys IS NOT NULL")
        for first, last in _runs([week for week in weeks if week is not None]):
            found += fetch_all(select + "published_epoch >= %s AND published_epoch < %s AND index_keys IS NOT NULL",
                               [first * WEEK_SECONDS, (last + 1) * WEEK_SECONDS])
        rows_of: dict[int | None, list[tuple[int, bytes]]] = {week: [] for week in weeks}
        for article, epoch, data in found:
            week, data = _week_of(epoch), bytes(data)
            self._unplace(article)  # read before, into a week still held: it has moved since
            rows_of[week].append((article, data))
            self._placed[article] = (week, epoch, hash(data))
        for week, rows in rows_of.items():
            self._weeks[week] = _Week([article for article, _ in rows], [len(data) // 8 for _, data in rows],
                                   keys_from_bytes(b"".join(data for _, data in rows)))

    def held(self) -> dict[str, int | None]:
        """What this process holds: weeks, articles and key entries (for a shell, or a status page)."""
        with self._lock:
            return {"weeks": len(self._weeks), "articles": len(self._placed),
                    "entries": sum(week.entries() for week in self._weeks.values()), "position": self._position}


def _week_of(epoch: int | None) -> int | None:
    return None if epoch is None else epoch // WEEK_SECONDS


def _window_weeks(published_at: datetime | None) -> list[int | None]:
    """The weeks holding the days within MONITOR_DEDUP_WINDOW_DAYS of the article's publication; for an
    undated article, the undated articles and the weeks around now."""
    window = settings.MONITOR_DEDUP_WINDOW_DAYS * DAY_SECONDS
    centre = epoch_of(published_at)
    if centre is None:
        now = epoch_of(datetime.now(UTC)) or 0
        return [None, *range((now - window) // WEEK_SECONDS, (now + window) // WEEK_SECONDS + 1)]
    return list(range((centre - window) // WEEK_SECONDS, (centre + window) // WEEK_SECONDS + 1))


def _within(held: tuple[int | None, int | None, int] | None, published: int, window: int) -> bool:
    return held is not None and held[1] is not None and abs(held[1] - published) <= window


def _runs(weeks: list[int]) -> list[tuple[int, int]]:
    """Weeks grouped into runs of consecutive weeks, (first, last)."""
    runs: list[tuple[int, int]] = []
    for week in sorted(weeks):
        if runs and runs[-1][1] == week - 1:
            runs[-1] = (runs[-1][0], week)
        else:
            runs.append((week, week))
    return runs


# The process's index: grouping runs one article at a time, and every thread of a worker shares it.
INDEX = CandidateIndex()
