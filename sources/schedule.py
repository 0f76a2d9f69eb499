"""Polling policy: how soon to poll a source again, after success or failure. Pure functions, no I/O.

The poller asks three questions here after every fetch:

* `classify_failure`: was this failure TEMPORARY (try again with backoff), RATE_LIMITED (the server asked us
  to wait), or PERMANENT (will not fix itself: poll rarely and flag it for an admin)? `None` means it was
  not a failure at all.
* `next_interval`: after a successful poll, how long until the next one? It adapts to how often polls find
  new items, never goes below the feed's own hints (RSS <ttl>, sy:updatePeriod) or the HTTP caching
  lifetime, and stays within [floor, ceiling]. An admin's pinned interval overrides all of it.
* `delay_after_failure`: after a failure, how long to wait? Exponential backoff with full jitter, or what
  Retry-After says, within [floor, ceiling].

Times are in seconds; `now` is passed in so that every function is deterministic under test. Numbers from
outside (Retry-After, max-age, Age) may be any size: they are read as Python ints, capped at `HUGE_SECONDS`,
and only ever compared with our own bounds, never turned into floats or dates before they are clamped.

Not for: fetching (`sources.http`), parsing feeds (`sources.feeds`), or writing the next poll time to
the database (the poller does that with these answers).
"""

from __future__ import annotations

import enum
import math
import random
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from sources.feeds import FeedHints
from sources.http import FetchError

#: How many 404s in a row before a source is taken as gone. One 404 is often a deploy or a CDN hiccup.
PERMANENT_AFTER_404S = 3

#: Interval factors for adaptive polling. With these the interval settles where about a third of polls
#: find something new: p * ln(2/3) + (1 - p) * ln(1.25) = 0 gives p ~ 0.36. Shortening is faster than
#: lengthening, so a source that wakes up is noticed quickly and a quiet one slows down gradually.
SHORTEN_FACTOR = 2 / 3
LENGTHEN_FACTOR = 1.25

#: What a number of seconds from a header is read as when it has more digits than this has (about 31
#: billion years): far past any ceiling, and small enough to print and to turn into a float.
HUGE_SECONDS = 10**18 - 1


class FailureKind(enum.Enum):
    TEMPORARY = "temporary"
    """Timeouts, resets, DNS trouble, 5xx, odd 4xx: retry with exponential backoff."""
    RATE_LIMITED = "rate-limited"
    """429, or 503 with Retry-After: wait as long as the server asks."""
    PERMANENT = "permanent"
    """410, repeated 404s, not a feed, blocked address, bad scheme, too large, redirect loop: poll at the
    ceiling and show the error to an admin, who must fix the source."""


def classify_failure(
    status: int | None,
    error: FetchError | None,
    *,
    consecutive_404s: int,
    retry_after: str | None = None,
    not_a_feed: bool = False,
) -> FailureKind | None:
    """Classify one poll's outcome; `None` when it was not a failure (2xx, 304).

    status: the HTTP status, when a response arrived. error: the FetchError, when none did.
    consecutive_404s: 404 answers in a row for this source, this one included.
    retry_after: the response's Retry-After header, which turns a 503 into RATE_LIMITED.
    not_a_feed: a 2xx whose body `parse_feed` could not read as a feed.
    """
    if error is not None:
        return FailureKind.TEMPORARY if error.temporary else FailureKind.PERMANENT
    if status is None:
        # Nothing arrived and no error was recorded: the safest reading is a transient problem.
        return FailureKind.TEMPORARY
    if status == 429 or (status == 503 and retry_after and retry_after.strip()):
        return FailureKind.RATE_LIMITED
    if status == 410:
        return FailureKind.PERMANENT
    if status == 404:
        return FailureKind.PERMANENT if consecutive_404s >= PERMANENT_AFTER_404S else FailureKind.TEMPORARY
    if 200 <= status < 300:
        return FailureKind.PERMANENT if not_a_feed else None
    if status == 304:
        return None
    # 5xx, 408, and other 4xx such as 403 from a bot filter: these come and go, and the backoff grows to
    # the ceiling, so retrying them costs little.
    return FailureKind.TEMPORARY


def _whole_seconds(digits: str) -> int:
    # int() refuses strings of more than 4,300 digits, and nothing that long means anything but "forever".
    return int(digits) if len(digits.lstrip("0")) < len(str(HUGE_SECONDS)) else HUGE_SECONDS


def parse_retry_after(value: str | None, now: datetime) -> int | None:
    """Seconds to wait according to a Retry-After value (delta-seconds or an HTTP-date), or None when it
    is missing or unreadable. A date in the past means 0."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return _whole_seconds(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, math.ceil((when - now).total_seconds()))


_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)\"?", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|[,\s])(?:no-cache|no-store)\b", re.IGNORECASE)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    return next((v for k, v in headers.items() if k.lower() == name), None)


def parse_cache_headers(headers: Mapping[str, str], now: datetime) -> int | None:
    """How many seconds the response stays fresh by HTTP caching rules, or None when it says nothing.

    Cache-Control max-age (less Age) wins over Expires, as in RFC 9111; no-cache / no-store and an
    unreadable or past Expires mean 0.
    """
    cache_control = _header(headers, "cache-control") or ""
    match = _MAX_AGE.search(cache_control)
    if match:
        age = _header(headers, "age") or ""
        return max(0, _whole_seconds(match.group(1)) - (_whole_seconds(age.strip()) if age.strip().isdigit() else 0))
    if _NO_CACHE.search(cache_control):
        return 0
    expires = _header(headers, "expires")
    if expires is None:
        return None
    try:
        when = parsedate_to_datetime(expires.strip())
    except (TypeError, ValueError, IndexError):
        return 0  # "Expires: 0" and similar mean "already stale" (RFC 9111 section 5.3)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, math.floor((when - now).total_seconds()))


def backoff_delay(
    consecutive_errors: int, *, base: float = 60.0, cap: float = 6 * 3600.0, rng: random.Random | None = None
) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2**(n - 1))].

    Full jitter spreads out sources that failed together (one host down takes many feeds with it), so
    they do not all come back at the same instant. 0 errors means no delay.
    """
    if consecutive_errors <= 0:
        return 0.0
    # min() on the exponent first keeps 2**n from growing without bound after a long outage.
    ceiling = min(cap, base * 2 ** min(consecutive_errors - 1, 62))
    return (rng or random).uniform(0.0, ceiling)


def delay_after_failure(
    kind: FailureKind,
    *,
    consecutive_errors: int,
    floor: float,
    ceiling: float,
    retry_after_seconds: int | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds until the next poll after a failure of `kind`, within [floor, ceiling].

    PERMANENT waits the ceiling. RATE_LIMITED waits what Retry-After asked (or backs off when it did not
    say). TEMPORARY backs off exponentially from `floor`.
    """
    if kind is FailureKind.PERMANENT:
        return ceiling
    if kind is FailureKind.RATE_LIMITED and retry_after_seconds is not None:
        # Compared as given, not as a float first: float() of a huge int raises.
        return float(min(ceiling, max(floor, retry_after_seconds)))
    return min(ceiling, max(floor, backoff_delay(consecutive_errors, base=floor, cap=ceiling, rng=rng)))


def next_interval(
    current: float,
    *,
    floor: float,
    ceiling: float,
    found_new: bool,
    hints: FeedHints | None = None,
    cache_seconds: int | None = None,
    pinned: int | None = None,
) -> int:
    """Seconds until the next poll after a successful one.

    current: the interval used for this poll. found_new: whether it brought new entries.
    hints: the feed's own <ttl> / sy:updatePeriod. cache_seconds: from `parse_cache_headers`.
    pinned: an admin's fixed interval, which overrides everything else but the ceiling.
    """
    if pinned is not None and pinned > 0:
        return round(min(pinned, ceiling))
    proposed = current * (SHORTEN_FACTOR if found_new else LENGTHEN_FACTOR)
    # The feed's and the server's own statements of freshness raise the lower bound: polling sooner would
    # fetch the same bytes. They are capped at the ceiling so a "ttl: one week" cannot silence a source.
    lower = floor
    for stated in (hints.min_interval_seconds if hints else None, cache_seconds):
        if stated:
            lower = max(lower, min(stated, ceiling))
    return round(min(ceiling, max(lower, proposed)))
