"""Polls many sources at once on a thread pool, one claimed source per thread.

Not for: what one poll does (sources.polling) or when a source is due (Source.objects.due).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.utils import timezone

from sources.http import FetchPolicy
from sources.models import PollRecord, Source
from sources.polling import PollResult, poll_source

log = logging.getLogger(__name__)

# How long to wait before retrying a source whose poll crashed so badly that not even its PollRecord could be
# written (poll_source records every other failure itself, with backoff).
INTERNAL_ERROR_RETRY_SECONDS = 300


def poll_sources(sources: Iterable[Source], *, concurrency: int | None = None, policy: FetchPolicy | None = None,
                 force: bool = False, on_result: Callable[[PollResult], None] | None = None) -> list[PollResult]:
    """Polls many sources at once on a thread pool; the per-host limit in sources.http keeps it polite.

    Sources that are not due are skipped unless `force` (`poll --once --all`).
    """
    policy = policy or FetchPolicy.from_settings()
    source_list = list(sources)
    workers = max(1, min(concurrency or settings.MONITOR_POLL_CONCURRENCY, len(source_list) or 1))

    main_thread = threading.current_thread()

    def poll_one(source: Source) -> PollResult | None:
        try:
            if not Source.objects.claim_for_poll(source.pk, force=force):
                return None
            source.refresh_from_db()
            result = poll_source(source, policy=policy)
            if on_result:
                on_result(result)
            return result
        except Exception as exc:  # noqa: BLE001 - one broken source must not stop the others
            # poll_source records its own failures; this is the last resort when even that failed (the database
            # is gone, say), so all that can be done is one small update that may get through.
            log.exception("polling source %s failed unexpectedly", source.pk)
            Source.objects.filter(pk=source.pk).update(
                last_error=f"internal error while polling: {exc}"[:2000], poll_claimed_until=None,
                next_poll_at=timezone.now() + timedelta(seconds=INTERNAL_ERROR_RETRY_SECONDS))
            return PollResult(source_id=source.pk, outcome=PollRecord.Outcome.INTERNAL_ERROR, error=str(exc),
                              source_name=str(source))
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
