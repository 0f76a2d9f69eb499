"""Stage 1 of the pipeline: poll feed sources and store their new items as articles.

poll_source() is the unit of work: one conditional GET, one parse, new items stored, the source's schedule
and error state updated, and a PollRecord left behind whatever happened. It never raises for a bad feed:
a failing source gets its error stored and its next poll pushed back, and the caller moves on.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
import threading

from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from monitor.models import Article, ArticleRevision
from sources import schedule
from sources.canonical import canonical_url, url_hash
from sources.feeds import FeedEntry, FeedHints, ParsedFeed, parse_feed
from sources.fetch import FetchError, FetchPolicy, FetchResponse, fetch
from sources.models import PollRecord, Source

log = logging.getLogger(__name__)

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
               "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5")
# A source is disabled after this many permanent failures in a row (404s, 410s, not a feed).
DISABLE_AFTER_PERMANENT_ERRORS = 3
# How long one poller may hold a source before another may poll it (a poll that hung or died).
POLL_CLAIM_SECONDS = 300
# How long to wait before retrying a source whose poll crashed inside Monitor itself.
INTERNAL_ERROR_RETRY_SECONDS = 300

_rng = random.Random()
_sqlite_write_lock = threading.Lock()


# The Source fields a poll writes.
POLL_STATE_FIELDS = [
    "status", "feed_title", "interval_minutes", "next_poll_at", "last_polled_at", "last_success_at",
    "last_new_item_at", "poll_claimed_until", "etag", "last_modified", "body_hash", "consecutive_errors",
    "consecutive_permanent_errors", "last_http_status", "last_error", "disabled_reason",
]


class InvalidSourceURL(ValueError):
    pass


def add_source(url: str, *, name: str = "", interval_minutes: int | None = None) -> tuple[Source, bool]:
    """Adds a feed source, or returns the existing one with that URL. Returns (source, created)."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        raise InvalidSourceURL(f"{url!r} is not an http(s) URL; give the feed's full address, e.g. https://example.org/feed.xml")
    defaults: dict[str, object] = {"name": name}
    if interval_minutes is not None:
        defaults["pinned_interval_minutes"] = interval_minutes
        defaults["interval_minutes"] = interval_minutes
    else:
        defaults["interval_minutes"] = settings.MONITOR_DEFAULT_INTERVAL_MINUTES
    return Source.objects.get_or_create(url=url, defaults=defaults)


def due_sources(now: datetime | None = None) -> QuerySet[Source]:
    now = now or timezone.now()
    return Source.objects.filter(enabled=True).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)).filter(
        Q(poll_claimed_until__isnull=True) | Q(poll_claimed_until__lt=now))


def claim_source(source_id: int, *, force: bool = False) -> bool:
    """Marks a source as being polled; False if another poller holds it or, unless `force`, it is not due.

    Checking "due" here, not only when queueing, matters: a poll task that waited in the queue while another
    poll ran must not poll again, which would ignore Retry-After and the backoff.
    """
    now = timezone.now()
    claimable = Source.objects.filter(pk=source_id, enabled=True).filter(
        Q(poll_claimed_until__isnull=True) | Q(poll_claimed_until__lt=now))
    if not force:
        claimable = claimable.filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
    return bool(claimable.update(poll_claimed_until=now + timedelta(seconds=POLL_CLAIM_SECONDS)))


@dataclass
class PollResult:
    source_id: int
    outcome: str
    new_article_ids: list[int] = field(default_factory=list)
    error: str = ""


def poll_source(source: Source, *, policy: FetchPolicy | None = None) -> PollResult:
    """Polls one source now, stores new items and returns what happened."""
    policy = policy or FetchPolicy.from_settings()
    started = timezone.now()
    clock = time.monotonic()
    record = PollRecord(source=source, started_at=started)
    result = PollResult(source_id=source.pk, outcome="")
    parsed: tuple[ParsedFeed, str] | None = None
    try:
        response = fetch(source.url, policy=policy, etag=source.etag or None,
                         last_modified=source.last_modified or None, accept=FEED_ACCEPT)
    except FetchError as exc:
        kind = schedule.classify_failure(None, exc, consecutive_404s=0) or schedule.FailureKind.TEMPORARY
        _record_failure(source, record, kind, str(exc), retry_after=None)
    else:
        record.http_status = response.status
        record.bytes = response.wire_bytes
        parsed = _handle_response(source, record, response)
    # Everything a poll writes commits together, so a poll is stored whole or not at all.
    with serialised_writes(), transaction.atomic():
        if parsed is not None:
            _store_feed(source, record, response, *parsed, result)
        record.duration_ms = int((time.monotonic() - clock) * 1000)
        source.last_polled_at = started
        source.poll_claimed_until = None
        # Only the poll's own fields: an admin's edit made while the poll ran (a new URL, a pinned interval)
        # must survive. `enabled` is written only when this poll disabled the source.
        source.save(update_fields=POLL_STATE_FIELDS + (["enabled"] if not source.enabled else []))
        record.save()
    result.outcome = str(record.outcome)
    result.error = record.error
    return result


@contextmanager
def serialised_writes() -> Iterator[None]:
    """On SQLite, lets one poller thread write at a time.

    SQLite has one writer anyway; queueing on a Python lock hands the lock over at once, where SQLite's own
    busy handler sleeps in steps of up to 100 ms, which made concurrent first polls several times slower.
    PostgreSQL writers do not block each other here, so there it is a no-op.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with _sqlite_write_lock:
        yield


def _handle_response(source: Source, record: PollRecord, response: FetchResponse) -> tuple[ParsedFeed, str] | None:
    """Records what a response means for the source.

    Returns the parsed feed and the body's hash when it has items to store, else None.
    """
    now = timezone.now()
    if response.status == 304:
        record.outcome = PollRecord.Outcome.NOT_MODIFIED
        _record_success(source, response, found_new=False)
        return None
    if not 200 <= response.status < 300:
        consecutive_404s = source.consecutive_errors + 1 if source.last_http_status == 404 else 1
        retry_header = response.headers.get("retry-after")
        kind = (schedule.classify_failure(response.status, None, consecutive_404s=consecutive_404s,
                                          retry_after=retry_header) or schedule.FailureKind.TEMPORARY)
        retry_after = schedule.parse_retry_after(retry_header, now)
        source.last_http_status = response.status
        _record_failure(source, record, kind, f"the server answered HTTP {response.status}", retry_after=retry_after)
        return None
    source.last_http_status = response.status
    body_hash = hashlib.sha256(response.body).hexdigest()
    if body_hash == source.body_hash:
        # Same bytes as last time, whatever the validators say (some servers send a new ETag every time).
        record.outcome = PollRecord.Outcome.UNCHANGED
        _record_success(source, response, found_new=False)
        return None
    parsed = parse_feed(response.body, url=response.url, content_type=response.headers.get("content-type"),
                        headers=response.headers)
    if parsed.not_a_feed:
        message = "the address answered with a page that is not a feed"
        if parsed.alternate_feeds:
            message += f"; the page advertises a feed at {', '.join(parsed.alternate_feeds)}: use that address instead"
        _record_failure(source, record, schedule.FailureKind.PERMANENT, message, retry_after=None,
                        outcome=PollRecord.Outcome.NOT_A_FEED)
        return None
    if parsed.bozo_warning:
        record.warning = f"ill-formed feed, items read anyway: {parsed.bozo_warning}"[:2000]
    return parsed, body_hash


def _store_feed(source: Source, record: PollRecord, response: FetchResponse, parsed: ParsedFeed, body_hash: str,
                result: PollResult) -> None:
    new_ids, updated = store_entries(source, parsed.entries)
    result.new_article_ids = new_ids
    record.items_seen = len(parsed.entries)
    record.items_new = len(new_ids)
    record.items_updated = updated
    record.outcome = PollRecord.Outcome.NEW_ITEMS if new_ids else PollRecord.Outcome.UNCHANGED
    if parsed.title and not source.feed_title:
        source.feed_title = parsed.title[:500]
    if parsed.title:
        # Name a source after its feed only if nobody has named it, even while this poll ran.
        Source.objects.filter(pk=source.pk, name="").update(name=parsed.title[:200])
    source.body_hash = body_hash
    _record_success(source, response, found_new=bool(new_ids), hints=parsed.hints)


def _record_success(source: Source, response: FetchResponse, *, found_new: bool,
                    hints: FeedHints | None = None) -> None:
    now = timezone.now()
    source.etag = response.headers.get("etag", source.etag if response.status == 304 else "")[:1000]
    source.last_modified = response.headers.get("last-modified", source.last_modified if response.status == 304 else "")[:200]
    source.status = Source.Status.OK
    source.consecutive_errors = 0
    source.consecutive_permanent_errors = 0
    source.last_error = ""
    source.last_success_at = now
    if found_new:
        source.last_new_item_at = now
    seconds = schedule.next_interval(
        current=source.interval_minutes * 60,
        floor=source.floor_minutes * 60,
        ceiling=source.ceiling_minutes * 60,
        found_new=found_new,
        hints=hints,
        cache_seconds=schedule.parse_cache_headers(response.headers, now),
        pinned=source.pinned_interval_minutes * 60 if source.pinned_interval_minutes else None,
    )
    source.interval_minutes = max(1, round(seconds / 60))
    source.schedule_in(seconds)


def _record_failure(source: Source, record: PollRecord, kind: schedule.FailureKind, message: str, *,
                    retry_after: int | None, outcome: str | None = None) -> None:
    source.consecutive_errors += 1
    if kind == schedule.FailureKind.PERMANENT:
        source.consecutive_permanent_errors += 1
    else:
        source.consecutive_permanent_errors = 0
    record.error = message[:2000]
    if kind == schedule.FailureKind.RATE_LIMITED:
        record.outcome = outcome or PollRecord.Outcome.RATE_LIMITED
        source.status = Source.Status.RATE_LIMITED
    elif kind == schedule.FailureKind.PERMANENT:
        record.outcome = outcome or PollRecord.Outcome.PERMANENT_ERROR
        source.status = Source.Status.NOT_A_FEED if outcome == PollRecord.Outcome.NOT_A_FEED else Source.Status.FAILING
    else:
        record.outcome = outcome or PollRecord.Outcome.TEMPORARY_ERROR
        source.status = Source.Status.FAILING
    delay = schedule.delay_after_failure(kind, consecutive_errors=source.consecutive_errors,
                                         floor=source.floor_minutes * 60, ceiling=source.ceiling_minutes * 60,
                                         retry_after_seconds=retry_after, rng=_rng)
    if retry_after is not None:
        # Retry-After is honoured even past our ceiling: polling earlier would only be refused again.
        delay = max(delay, float(retry_after))
    source.schedule_in(delay)
    source.last_error = f"{message.rstrip('.')}. Next try in {_duration(delay)}."[:2000]
    if source.consecutive_permanent_errors >= DISABLE_AFTER_PERMANENT_ERRORS:
        source.enabled = False
        source.status = Source.Status.DISABLED
        source.disabled_reason = (f"disabled after {source.consecutive_permanent_errors} permanent failures in a row; "
                                  f"last: {message}. Fix the address and re-enable the source.")[:2000]
        log.warning("source %s disabled: %s", source.pk, source.disabled_reason)


def prune_poll_history(now: datetime | None = None) -> int:
    """Deletes poll records older than MONITOR_POLL_HISTORY_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.MONITOR_POLL_HISTORY_DAYS)
    deleted, _ = PollRecord.objects.filter(started_at__lt=cutoff).delete()
    return deleted


def _duration(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{minutes / 60:.0f} hours"


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


def poll_sources(sources: Iterable[Source], *, concurrency: int | None = None, policy: FetchPolicy | None = None,
                 force: bool = False, on_result: Callable[[PollResult], None] | None = None) -> list[PollResult]:
    """Polls many sources at once on a thread pool; the per-host limit in sources.fetch keeps it polite.

    Sources that are not due are skipped unless `force` (`poll --once --all`).
    """
    policy = policy or FetchPolicy.from_settings()
    source_list = list(sources)
    workers = max(1, min(concurrency or settings.MONITOR_POLL_CONCURRENCY, len(source_list) or 1))

    main_thread = threading.current_thread()

    def poll_one(source: Source) -> PollResult | None:
        try:
            if not claim_source(source.pk, force=force):
                return None
            source.refresh_from_db()
            result = poll_source(source, policy=policy)
            if on_result:
                on_result(result)
            return result
        except Exception as exc:  # noqa: BLE001 - one broken source must not stop the others
            log.exception("polling source %s failed unexpectedly", source.pk)
            Source.objects.filter(pk=source.pk).update(
                last_error=f"internal error while polling: {exc}"[:2000], poll_claimed_until=None,
                next_poll_at=timezone.now() + timedelta(seconds=INTERNAL_ERROR_RETRY_SECONDS))
            return PollResult(source_id=source.pk, outcome="internal-error", error=str(exc))
        finally:
            if threading.current_thread() is not main_thread:
                # Each pool thread opened its own connection; close it rather than leak it.
                connections.close_all()

    if workers == 1:
        results = [poll_one(source) for source in source_list]
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="poll") as pool:
            results = list(pool.map(poll_one, source_list))
    return [r for r in results if r is not None]
