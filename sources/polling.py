"""One poll of one source: fetch the feed, read what the answer means, store new items, reschedule.

poll_source() is the unit of work: one conditional GET, one parse, new items stored, the source's schedule
and error state updated, and a PollRecord left behind whatever happened. It never raises for a bad feed,
nor for an error inside Monitor itself (a bug, a full disk): a failing source gets its error stored and its
next poll pushed back, and the caller moves on.

Not for: polling many sources at once (sources.poll_runner), storing items (sources.article_store), the
rules for intervals and backoff (sources.schedule, applied by Source's own methods), or anything that
happens to articles after they are stored.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from sources import schedule
from sources.article_store import store_entries
from sources.feeds import FEED_ACCEPT, ParsedFeed, parse_feed
from sources.http import FetchError, FetchPolicy, FetchResponse, fetch
from sources.models import PollRecord, Source

log = logging.getLogger(__name__)

_sqlite_write_lock = threading.Lock()


@dataclass
class PollResult:
    source_id: int
    outcome: str
    new_article_ids: list[int] = field(default_factory=list)
    error: str = ""
    source_name: str = ""
    """The source as analysts see it named (str(source), never its URL), for messages that name it."""


def poll_source(source: Source, *, policy: FetchPolicy | None = None) -> PollResult:
    """Polls one source now, stores new items and returns what happened. Leaves a PollRecord in every case."""
    started = timezone.now()
    clock = time.monotonic()
    record = PollRecord(source=source, started_at=started)
    try:
        return _poll(source, record, policy or FetchPolicy.from_settings(), clock)
    except Exception as exc:  # noqa: BLE001 - an error of ours must leave a trace too, and must not crash-loop
        log.exception("polling source %s failed inside Monitor", source.pk)
        result = _record_internal_error(source.pk, record, exc, clock)
        result.source_name = str(source)
        return result


def _poll(source: Source, record: PollRecord, policy: FetchPolicy, clock: float) -> PollResult:
    started = record.started_at
    result = PollResult(source_id=source.pk, outcome="", source_name=str(source))
    parsed: tuple[ParsedFeed, str] | None = None
    try:
        response = fetch(source.url, policy=policy, etag=source.etag or None,
                         last_modified=source.last_modified or None, accept=FEED_ACCEPT)
    except FetchError as exc:
        kind = schedule.classify_failure(None, exc, consecutive_404s=0) or schedule.FailureKind.TEMPORARY
        _failed(source, record, kind, str(exc), retry_after=None)
    else:
        record.http_status = response.status
        record.bytes = response.wire_bytes
        parsed = _handle_response(source, record, response)
    # Everything a poll writes commits together, so a poll is stored whole or not at all.
    with serialised_writes(), transaction.atomic():
        if parsed is not None:
            _store_feed(source, record, response, *parsed, result)
        record.duration_ms = int((time.monotonic() - clock) * 1000)
        source.last_poll_ms = record.duration_ms
        source.last_polled_at = started
        source.poll_claimed_until = None
        today = started.astimezone(UTC).date()
        if source.volume_checked_on != today:
            # Once a day per source, as part of a poll that is happening anyway: every enabled source is polled
            # at least once a day (the ceiling), so the health page's "volume changed" list stays current.
            source.check_volume(today)
        # Only the poll's own fields: an admin's edit made while the poll ran (a new URL, a pinned interval)
        # must survive. `enabled` is written only when this poll disabled the source.
        source.save(update_fields=Source.POLL_STATE_FIELDS + (["enabled"] if not source.enabled else []))
        record.save()
    result.outcome = str(record.outcome)
    result.error = record.error
    return result


def _record_internal_error(source_id: int, record: PollRecord, error: Exception, clock: float) -> PollResult:
    """Stores a poll that failed inside Monitor: its record, the error on the source, and the next poll put back.

    Starts from the source as stored: whatever the failed poll changed on it was rolled back with the poll.
    """
    message = f"{type(error).__name__}: {error}".strip()
    source = Source.objects.get(pk=source_id)
    source.record_internal_error(message)
    source.last_poll_ms = int((time.monotonic() - clock) * 1000)
    source.last_polled_at = record.started_at
    source.poll_claimed_until = None
    with serialised_writes(), transaction.atomic():
        source.save(update_fields=Source.POLL_STATE_FIELDS + (["enabled"] if not source.enabled else []))
        PollRecord.objects.create(
            source=source, started_at=record.started_at, outcome=PollRecord.Outcome.INTERNAL_ERROR,
            duration_ms=int((time.monotonic() - clock) * 1000), http_status=record.http_status, bytes=record.bytes,
            error=f"internal error while polling: {message}"[:2000])
    return PollResult(source_id=source_id, outcome=str(PollRecord.Outcome.INTERNAL_ERROR), error=message)


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
        source.record_success(status=response.status, headers=response.headers, found_new=False)
        return None
    if not 200 <= response.status < 300:
        consecutive_404s = source.consecutive_errors + 1 if source.last_http_status == 404 else 1
        retry_header = response.headers.get("retry-after")
        kind = (schedule.classify_failure(response.status, None, consecutive_404s=consecutive_404s,
                                          retry_after=retry_header) or schedule.FailureKind.TEMPORARY)
        retry_after = schedule.parse_retry_after(retry_header, now)
        source.last_http_status = response.status
        _failed(source, record, kind, f"the server answered HTTP {response.status}", retry_after=retry_after)
        return None
    source.last_http_status = response.status
    body_hash = hashlib.sha256(response.body).hexdigest()
    if body_hash == source.body_hash:
        # Same bytes as last time, whatever the validators say (some servers send a new ETag every time).
        record.outcome = PollRecord.Outcome.UNCHANGED
        source.record_success(status=response.status, headers=response.headers, found_new=False)
        return None
    parsed = parse_feed(response.body, url=response.url, content_type=response.headers.get("content-type"),
                        headers=response.headers)
    if parsed.not_a_feed:
        message = "the address answered with a page that is not a feed"
        if parsed.alternate_feeds:
            message += f"; the page advertises a feed at {', '.join(parsed.alternate_feeds)}: use that address instead"
        _failed(source, record, schedule.FailureKind.PERMANENT, message, retry_after=None, not_a_feed=True)
        return None
    if parsed.bozo_warning:
        _warn(record, f"ill-formed feed, items read anyway: {parsed.bozo_warning}")
    return parsed, body_hash


def _store_feed(source: Source, record: PollRecord, response: FetchResponse, parsed: ParsedFeed, body_hash: str,
                result: PollResult) -> None:
    stored = store_entries(source, parsed.entries)
    new_ids = stored.new_ids
    result.new_article_ids = new_ids
    record.items_seen = len(parsed.entries)
    record.items_new = len(new_ids)
    record.items_updated = stored.updated
    _warn(record, *stored.warnings)
    record.outcome = PollRecord.Outcome.NEW_ITEMS if new_ids else PollRecord.Outcome.UNCHANGED
    if parsed.title and not source.feed_title:
        source.feed_title = parsed.title[:500]
    if parsed.title:
        # Name a source after its feed only if nobody has named it, even while this poll ran.
        Source.objects.filter(pk=source.pk, name="").update(name=parsed.title[:200])
    source.body_hash = body_hash
    source.record_success(status=response.status, headers=response.headers, found_new=bool(new_ids),
                          hints=parsed.hints)


def _failed(source: Source, record: PollRecord, kind: schedule.FailureKind, message: str, *,
            retry_after: int | None, not_a_feed: bool = False) -> None:
    backoff = source.record_failure(kind, message, retry_after=retry_after, not_a_feed=not_a_feed)
    _warn(record, backoff.warning)
    record.error = message[:2000]
    if not_a_feed:
        record.outcome = PollRecord.Outcome.NOT_A_FEED
    else:
        record.outcome = {schedule.FailureKind.RATE_LIMITED: PollRecord.Outcome.RATE_LIMITED,
                          schedule.FailureKind.PERMANENT: PollRecord.Outcome.PERMANENT_ERROR,
                          schedule.FailureKind.TEMPORARY: PollRecord.Outcome.TEMPORARY_ERROR}[kind]


def _warn(record: PollRecord, *warnings: str) -> None:
    record.warning = "; ".join(w for w in (record.warning, *warnings) if w)[:2000]


def prune_poll_history(now: datetime | None = None) -> int:
    """Deletes poll records older than MONITOR_POLL_HISTORY_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.MONITOR_POLL_HISTORY_DAYS)
    deleted, _ = PollRecord.objects.filter(started_at__lt=cutoff).delete()
    return deleted
