"""Stores feed items as articles, never twice, and keeps the old text when a feed rewrites an item.

An article is one web page: items with different links are different articles, whatever their guids say. An
item with no web link (or one that is not http or https, which the parser drops) is kept with its feed text
when it has a title or a summary, and skipped, with the reason on the poll record, when it has neither.

Every article stored is also counted in its source's `SourceDay` row for its publication day, in the same
transaction, so the health page reads a few counters instead of counting articles.

Not for: fetching or parsing feeds (sources.polling, sources.feeds), or what happens to an article after it
is stored (the pipeline, composed in monitor.pipeline).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sources.canonical import canonical_url, url_hash
from sources.feeds import FeedEntry
from sources.models import Article, ArticleRevision, Source, SourceDay

GUID_LENGTH = 2000
# Shared guids named in one poll's warning; the rest are counted.
WARN_ABOUT_GUIDS = 3


@dataclass
class StoredEntries:
    """What storing one feed's items did."""

    new_ids: list[int] = field(default_factory=list)
    updated: int = 0
    warnings: list[str] = field(default_factory=list)
    """Sentences for the poll record: guids the feed reuses, items skipped and why."""


@dataclass
class _Item:
    entry: FeedEntry
    guid: str
    canonical: str
    identity: str
    """What tells this item from the others in its feed: the hash of its canonical URL, or, for an item
    without a web link, the hash of its feed text."""

    @property
    def linked(self) -> bool:
        return bool(self.canonical)


# Guids, and how an item that shares its guid with another is stored.
#
# The (source, guid) constraint stays: each article's guid column is unique within its source. A feed guid
# names one article as long as it names one item. When it names several (a feed that gives every item the
# same guid, or a new link under an old item's guid), the first to be stored keeps the guid as it is and each
# other one is stored under `guid#<16 hex digits of its identity>`: stable from poll to poll, since it
# depends only on that item, and never equal to another item's. Linked items are matched to articles by
# their canonical URL before any guid is looked at, so which item came first no longer matters once they
# are stored. Items without a link have nothing but their guid to be matched by; when several of them share
# one guid in one feed, all of them are stored under derived guids, so the feed's order cannot swap them.


def _derived_guid(guid: str, identity: str) -> str:
    suffix = "#" + identity[-16:]
    return guid[: GUID_LENGTH - len(suffix)] + suffix


def _text_identity(entry: FeedEntry) -> str:
    return hashlib.sha256(f"{entry.title}\x1f{entry.summary_html}".encode("utf-8", "surrogatepass")).hexdigest()


def linkless_url_hash(source_id: int, guid: str) -> str:
    """The url_hash of an article with no web link: unique per (source, guid), like the guid itself, and never
    the hash of a URL (URLs do not start with "feed-item:")."""
    return hashlib.sha256(f"feed-item:{source_id}:{guid}".encode("utf-8", "surrogatepass")).hexdigest()


def _items_of(entries: Iterable[FeedEntry], result: StoredEntries) -> list[_Item]:
    items: list[_Item] = []
    seen: set[str] = set()
    skipped = 0
    for entry in entries:
        guid = entry.guid[:GUID_LENGTH]
        if entry.url.lower().startswith(("http://", "https://")):
            canonical = canonical_url(entry.url)
            identity = url_hash(canonical)
        elif entry.title or entry.summary_html:
            # The parser has already dropped javascript:, data: and other links; never store one as a link.
            canonical, identity = "", _text_identity(entry)
        else:
            skipped += 1
            continue
        if identity not in seen:  # a feed that lists one URL (or one text) twice stores it once
            seen.add(identity)
            items.append(_Item(entry, guid, canonical, identity))
    if skipped:
        result.warnings.append(f"{skipped} item{' had' if skipped == 1 else 's had'} no web link, title or summary "
                               f"and {'was' if skipped == 1 else 'were'} skipped")
    return items


def store_entries(source: Source, entries: Iterable[FeedEntry]) -> StoredEntries:
    """Stores feed items as articles, never twice: see the module docstring and the note on guids above.

    Looks up the items' guids and URL hashes in two queries and inserts the new ones in one batch; the
    unique constraints stay the last word, so a race with another poller falls back to row-by-row inserts.
    """
    result = StoredEntries()
    items = _items_of(entries, result)
    if not items:
        return result
    identities_by_guid: dict[str, set[str]] = defaultdict(set)
    for item in items:
        identities_by_guid[item.guid].add(item.identity)
    shared = {guid: len(ids) for guid, ids in identities_by_guid.items() if len(ids) > 1}
    stored_by_guid = {a.guid: a for a in Article.objects.filter(source=source, guid__in=list(identities_by_guid))
                      .only("id", "guid", "url", "url_hash")}

    # A link-less item's guid decides its url_hash, which is how it is found again; a linked item's URL does.
    linkless_guids = {item.identity: _linkless_guid(item, stored_by_guid.get(item.guid), shared)
                      for item in items if not item.linked}
    keys = {item.identity: linkless_url_hash(source.pk, linkless_guids[item.identity]) if not item.linked
            else item.identity for item in items}
    by_hash = {a.url_hash: a for a in Article.objects.filter(url_hash__in=list(keys.values()))}

    now = timezone.now()
    fresh: list[Article] = []
    claimed: dict[str, str] = {}  # plain guid -> identity of the item in this batch stored under it
    reused: set[str] = set()
    for item in items:
        key = keys[item.identity]
        holder = stored_by_guid.get(item.guid)
        existing = by_hash.get(key)
        if existing is not None:
            if existing.source_id == source.pk:
                new_guid = _new_guid(item, existing, holder, shared, claimed)
                if _update_changed_article(existing, item.entry, new_guid):
                    result.updated += 1
            continue
        if item.linked:
            taken = (holder is not None) or claimed.get(item.guid, item.identity) != item.identity
            if holder is not None and item.guid not in shared:
                reused.add(item.guid)
            guid = _derived_guid(item.guid, item.identity) if taken else item.guid
            if not taken:
                claimed[item.guid] = item.identity
        else:
            guid = linkless_guids[item.identity]
        entry = item.entry
        fresh.append(Article(
            source=source, guid=guid, url=entry.url[:2000] if item.linked else "", canonical_url=item.canonical[:2000],
            url_hash=key, content_hash=entry.content_hash, title=(entry.title or "")[:1000],
            summary_html=entry.summary_html or "", author=(entry.author or "")[:500], published_at=entry.published or now,
        ))
    result.warnings.extend(_guid_warnings(shared, reused))
    stored = _insert(fresh)
    _count_days(source, stored)
    result.new_ids = [article.pk for article in stored]
    return result


def _linkless_guid(item: _Item, holder: Article | None, shared: dict[str, int]) -> str:
    # Its guid is its only name, so it is taken only by another item in this feed or by a linked article.
    taken = item.guid in shared or (holder is not None and holder.url != "")
    return _derived_guid(item.guid, item.identity) if taken else item.guid


def _new_guid(item: _Item, article: Article, holder: Article | None, shared: dict[str, int],
              claimed: dict[str, str]) -> str | None:
    """The guid to move a stored article to when the feed now gives its item another one; None to keep it."""
    if article.guid in (item.guid, _derived_guid(item.guid, item.identity)):
        if article.guid == item.guid:
            claimed[item.guid] = item.identity
        return None
    if not item.linked:
        return None  # found under its guid, so the guid has not changed
    free = holder is None and item.guid not in shared and claimed.get(item.guid, item.identity) == item.identity
    if free:
        claimed[item.guid] = item.identity
        return item.guid
    return _derived_guid(item.guid, item.identity)


def _guid_warnings(shared: dict[str, int], reused: set[str]) -> list[str]:
    warnings: list[str] = []
    if shared:
        named = "; ".join(f"{count} different items have the guid {guid!r}"
                          for guid, count in sorted(shared.items())[:WARN_ABOUT_GUIDS])
        more = f" (and {len(shared) - WARN_ABOUT_GUIDS} more guids)" if len(shared) > WARN_ABOUT_GUIDS else ""
        warnings.append(f"the feed reuses guids: {named}{more}; each item is kept as its own article")
    if reused:
        names = ", ".join(repr(g) for g in sorted(reused)[:WARN_ABOUT_GUIDS])
        warnings.append(f"the feed gives new links the guids of earlier items ({names}); each is kept as a new article")
    return warnings


def _insert(fresh: list[Article]) -> list[Article]:
    """Inserts the articles and returns those that were stored."""
    if not fresh:
        return []
    try:
        with transaction.atomic():
            return Article.objects.bulk_create(fresh)
    except IntegrityError:
        pass
    # Another poller stored some of these a moment ago: insert one by one and let the constraints decide.
    stored: list[Article] = []
    for article in fresh:
        article.pk = None
        try:
            with transaction.atomic():
                article.save(force_insert=True)
        except IntegrityError:
            continue
        stored.append(article)
    return stored


def _count_days(source: Source, stored: list[Article]) -> None:
    """Adds the stored articles to their source's per-day counts (UTC day of publication).

    Only this source's rows are touched, and only one poller holds a source at a time (its poll claim), so the
    read-then-write below does not race another counter.
    """
    if not stored:
        return
    per_day = Counter((article.published_at or timezone.now()).astimezone(UTC).date() for article in stored)
    existing = set(SourceDay.objects.filter(source=source, day__in=list(per_day)).values_list("day", flat=True))
    for day in existing:
        SourceDay.objects.filter(source=source, day=day).update(articles=F("articles") + per_day[day])
    SourceDay.objects.bulk_create([SourceDay(source=source, day=day, articles=n)
                                   for day, n in per_day.items() if day not in existing])


def _update_changed_article(article: Article, entry: FeedEntry, new_guid: str | None) -> bool:
    guid_changed = (new_guid is not None and new_guid != article.guid
                    and not Article.objects.filter(source=article.source_id, guid=new_guid).exists())
    content_changed = bool(entry.content_hash) and entry.content_hash != article.content_hash
    if not (guid_changed or content_changed):
        return False
    with transaction.atomic():
        ArticleRevision.objects.create(article=article, old_title=article.title, old_summary_html=article.summary_html,
                                       old_content_hash=article.content_hash,
                                       new_guid=(new_guid or "") if guid_changed else "")
        fields: dict[str, object] = {"content_hash": entry.content_hash}
        if guid_changed:
            fields["guid"] = new_guid
        if content_changed:
            fields["title"] = (entry.title or article.title)[:1000]
            fields["summary_html"] = entry.summary_html or article.summary_html
        Article.objects.filter(pk=article.pk).update(**fields)
    return True
