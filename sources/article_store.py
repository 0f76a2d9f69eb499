"""Stores feed items as articles, never twice, and keeps the old text when a feed rewrites an item.

Not for: fetching or parsing feeds (sources.polling, sources.feeds), or what happens to an article after it
is stored (the pipeline, composed in monitor.pipeline).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from sources.canonical import canonical_url, url_hash
from sources.feeds import FeedEntry
from sources.models import Article, ArticleRevision, Source



def store_entries(source: Source, entries: Iterable[FeedEntry]) -> tuple[list[int], int]:
    """Stores feed items as articles, never twice. Returns (ids of new articles, number of updated ones).

    Looks up every item's guid and canonical URL in two queries and inserts the new ones in one batch; the
    unique constraints stay the last word, so a race with another poller falls back to row-by-row inserts.
    """
    candidates: dict[str, tuple[FeedEntry, str]] = {}
    for entry in entries:
        if not entry.url.lower().startswith(("http://", "https://")):
            continue  # the parser already drops other schemes; never store a link that could run script
        canonical = canonical_url(entry.url)
        key = url_hash(canonical)
        candidates.setdefault(key, (entry, canonical))  # a feed that lists one URL twice stores it once
    if not candidates:
        return [], 0
    by_guid = {a.guid: a for a in Article.objects.filter(
        source=source, guid__in=[entry.guid[:2000] for entry, _ in candidates.values()])}
    by_hash = {a.url_hash: a for a in Article.objects.filter(url_hash__in=list(candidates))}
    now = timezone.now()
    fresh: list[Article] = []
    updated = 0
    seen_guids: set[str] = set()
    for key, (entry, canonical) in candidates.items():
        guid = entry.guid[:2000]
        existing = by_guid.get(guid) or by_hash.get(key)
        if existing is not None:
            if existing.source_id == source.pk and _update_changed_article(existing, entry):
                updated += 1
            continue
        if guid in seen_guids:
            continue
        seen_guids.add(guid)
        fresh.append(Article(
            source=source, guid=guid, url=entry.url[:2000], canonical_url=canonical[:2000], url_hash=key,
            content_hash=entry.content_hash, title=(entry.title or "")[:1000], summary_html=entry.summary_html or "",
            author=(entry.author or "")[:500], published_at=entry.published or now,
        ))
    try:
        with transaction.atomic():
            created = Article.objects.bulk_create(fresh)
        return [article.pk for article in created], updated
    except IntegrityError:
        pass
    # Another poller stored some of these a moment ago: insert one by one and let the constraints decide.
    new_ids: list[int] = []
    for article in fresh:
        article.pk = None
        try:
            with transaction.atomic():
                article.save(force_insert=True)
        except IntegrityError:
            continue
        new_ids.append(article.pk)
    return new_ids, updated


def _update_changed_article(article: Article, entry: FeedEntry) -> bool:
    guid = entry.guid[:2000]
    guid_changed = guid != article.guid and not Article.objects.filter(source=article.source_id, guid=guid).exists()
    content_changed = bool(entry.content_hash) and entry.content_hash != article.content_hash
    if not (guid_changed or content_changed):
        return False
    with transaction.atomic():
        ArticleRevision.objects.create(article=article, old_title=article.title, old_summary_html=article.summary_html,
                                       old_content_hash=article.content_hash, new_guid=guid if guid_changed else "")
        fields: dict[str, object] = {"content_hash": entry.content_hash}
        if guid_changed:
            fields["guid"] = guid
        if content_changed:
            fields["title"] = (entry.title or article.title)[:1000]
            fields["summary_html"] = entry.summary_html or article.summary_html
        Article.objects.filter(pk=article.pk).update(**fields)
    return True
