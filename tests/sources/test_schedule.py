"""Tests of sources.schedule, the polling policy. Pure functions: no server needed."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from sources.feeds import FeedHints
from sources.http import FetchError
from sources.schedule import (
    HUGE_SECONDS,
    PERMANENT_AFTER_404S,
    FailureKind,
    backoff_delay,
    classify_failure,
    delay_after_failure,
    next_interval,
    parse_cache_headers,
    parse_retry_after,
)

NOW = datetime(2024, 7, 11, 12, 0, 0, tzinfo=UTC)
MINUTE = 60
HOUR = 3600


# --- classify_failure -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 203, 304])
def test_success_is_not_a_failure(status: int) -> None:
    assert classify_failure(status, None, consecutive_404s=0) is None


@pytest.mark.parametrize("status", [500, 502, 504, 408, 403])
def test_server_errors_are_temporary(status: int) -> None:
    assert classify_failure(status, None, consecutive_404s=0) is FailureKind.TEMPORARY


def test_429_is_rate_limited_with_or_without_retry_after() -> None:
    assert classify_failure(429, None, consecutive_404s=0) is FailureKind.RATE_LIMITED
    assert classify_failure(429, None, consecutive_404s=0, retry_after="30") is FailureKind.RATE_LIMITED


def test_503_is_rate_limited_only_with_retry_after() -> None:
    assert classify_failure(503, None, consecutive_404s=0, retry_after="120") is FailureKind.RATE_LIMITED
    assert classify_failure(503, None, consecutive_404s=0) is FailureKind.TEMPORARY


def test_410_is_permanent_at_once() -> None:
    assert classify_failure(410, None, consecutive_404s=0) is FailureKind.PERMANENT


def test_404_becomes_permanent_only_after_repeated_tries() -> None:
    assert classify_failure(404, None, consecutive_404s=1) is FailureKind.TEMPORARY
    assert classify_failure(404, None, consecutive_404s=PERMANENT_AFTER_404S - 1) is FailureKind.TEMPORARY
    assert classify_failure(404, None, consecutive_404s=PERMANENT_AFTER_404S) is FailureKind.PERMANENT


def test_not_a_feed_is_permanent() -> None:
    assert classify_failure(200, None, consecutive_404s=0, not_a_feed=True) is FailureKind.PERMANENT


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("timeout", FailureKind.TEMPORARY),
        ("connect-failed", FailureKind.TEMPORARY),
        ("dns-failed", FailureKind.TEMPORARY),
        ("protocol-error", FailureKind.TEMPORARY),
        ("blocked-address", FailureKind.PERMANENT),
        ("bad-scheme", FailureKind.PERMANENT),
        ("too-large", FailureKind.PERMANENT),
        ("redirect-loop", FailureKind.PERMANENT),
        ("too-many-redirects", FailureKind.PERMANENT),
    ],
)
def test_transport_errors_follow_their_temporary_flag(code: str, kind: FailureKind) -> None:
    error = FetchError(code, "message", url="https://example.pk/feed")
    assert classify_failure(None, error, consecutive_404s=0) is kind


# --- parse_retry_after -----------------------------------------------------------------------------------


def test_retry_after_in_seconds() -> None:
    assert parse_retry_after("120", NOW) == 120
    assert parse_retry_after(" 0 ", NOW) == 0


def test_retry_after_as_http_date() -> None:
    assert parse_retry_after("Thu, 11 Jul 2024 12:05:00 GMT", NOW) == 300
    assert parse_retry_after("Thu, 11 Jul 2024 11:00:00 GMT", NOW) == 0  # already past


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5"])
def test_unreadable_retry_after_is_none(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None


# --- parse_cache_headers ---------------------------------------------------------------------------------


def test_max_age_wins_over_expires_and_subtracts_age() -> None:
    headers = {"cache-control": "public, max-age=600", "age": "100", "expires": "Thu, 11 Jul 2024 18:00:00 GMT"}
    assert parse_cache_headers(headers, NOW) == 500


def test_expires_is_used_without_max_age() -> None:
    assert parse_cache_headers({"Expires": "Thu, 11 Jul 2024 12:30:00 GMT"}, NOW) == 1800


@pytest.mark.parametrize(
    "headers",
    [{"cache-control": "no-cache"}, {"cache-control": "no-store, private"}, {"expires": "0"}, {"expires": "Thu, 01 Jan 1970 00:00:00 GMT"}],
)
def test_uncacheable_responses_mean_zero(headers: dict[str, str]) -> None:
    assert parse_cache_headers(headers, NOW) == 0


def test_no_caching_headers_mean_none() -> None:
    assert parse_cache_headers({"content-type": "application/rss+xml"}, NOW) is None


# --- backoff ------------------------------------------------------------------------------------------------


def test_backoff_grows_exponentially_within_full_jitter() -> None:
    rng = random.Random(7)
    for errors in range(1, 8):
        ceiling = min(6 * HOUR, 60 * 2 ** (errors - 1))
        samples = [backoff_delay(errors, base=60, cap=6 * HOUR, rng=rng) for _ in range(200)]
        assert all(0 <= s <= ceiling for s in samples)
        assert max(samples) > ceiling * 0.8  # the jitter covers the whole range
        assert min(samples) < ceiling * 0.2


def test_backoff_is_capped_even_after_a_very_long_outage() -> None:
    assert backoff_delay(10_000, base=60, cap=HOUR, rng=random.Random(1)) <= HOUR


def test_no_errors_means_no_backoff() -> None:
    assert backoff_delay(0, base=60, cap=HOUR) == 0.0


def test_delay_after_failure_by_kind() -> None:
    rng = random.Random(3)
    floor, ceiling = 5 * MINUTE, 24 * HOUR
    assert delay_after_failure(FailureKind.PERMANENT, consecutive_errors=1, floor=floor, ceiling=ceiling) == ceiling
    assert delay_after_failure(
        FailureKind.RATE_LIMITED, consecutive_errors=1, floor=floor, ceiling=ceiling, retry_after_seconds=2 * HOUR
    ) == 2 * HOUR
    assert delay_after_failure(
        FailureKind.RATE_LIMITED, consecutive_errors=1, floor=floor, ceiling=ceiling, retry_after_seconds=10
    ) == floor
    assert delay_after_failure(
        FailureKind.RATE_LIMITED, consecutive_errors=1, floor=floor, ceiling=ceiling, retry_after_seconds=10 * 24 * HOUR
    ) == ceiling
    for errors in range(1, 20):
        delay = delay_after_failure(FailureKind.TEMPORARY, consecutive_errors=errors, floor=floor, ceiling=ceiling, rng=rng)
        assert floor <= delay <= ceiling


# --- next_interval ------------------------------------------------------------------------------------------


def test_interval_shortens_when_polls_find_new_items() -> None:
    assert next_interval(30 * MINUTE, floor=5 * MINUTE, ceiling=24 * HOUR, found_new=True) == 20 * MINUTE


def test_interval_lengthens_gradually_when_nothing_is_new() -> None:
    interval = 30 * MINUTE
    seen = []
    for _ in range(5):
        interval = next_interval(interval, floor=5 * MINUTE, ceiling=24 * HOUR, found_new=False)
        seen.append(interval)
    assert seen == sorted(seen) and seen[0] == 2250
    assert seen[-1] < 2 * HOUR


def test_interval_stays_within_floor_and_ceiling() -> None:
    assert next_interval(6 * MINUTE, floor=5 * MINUTE, ceiling=HOUR, found_new=True) == 5 * MINUTE
    assert next_interval(55 * MINUTE, floor=5 * MINUTE, ceiling=HOUR, found_new=False) == HOUR


def test_feed_hints_raise_the_lower_bound() -> None:
    hints = FeedHints(ttl_seconds=HOUR)
    assert next_interval(10 * MINUTE, floor=5 * MINUTE, ceiling=24 * HOUR, found_new=True, hints=hints) == HOUR


def test_feed_hints_never_exceed_the_ceiling() -> None:
    hints = FeedHints(update_period_seconds=7 * 24 * HOUR)
    assert next_interval(HOUR, floor=5 * MINUTE, ceiling=24 * HOUR, found_new=True, hints=hints) == 24 * HOUR


def test_cache_lifetime_raises_the_lower_bound() -> None:
    assert next_interval(10 * MINUTE, floor=5 * MINUTE, ceiling=24 * HOUR, found_new=True, cache_seconds=900) == 900
    assert next_interval(30 * MINUTE, floor=5 * MINUTE, ceiling=24 * HOUR, found_new=True, cache_seconds=0) == 20 * MINUTE


def test_pinned_interval_overrides_everything() -> None:
    hints = FeedHints(ttl_seconds=6 * HOUR)
    assert next_interval(
        HOUR, floor=5 * MINUTE, ceiling=24 * HOUR, found_new=False, hints=hints, cache_seconds=3 * HOUR, pinned=15 * MINUTE
    ) == 15 * MINUTE


def test_adaptive_interval_settles_near_the_publishing_rate() -> None:
    # A source that publishes every 2 hours, polled by the rule above: the interval should neither collapse
    # to the floor nor drift to the ceiling.
    interval, clock, last_item, floor, ceiling = 30 * MINUTE, 0.0, 0.0, 5 * MINUTE, 24 * HOUR
    history = []
    for _ in range(300):
        clock += interval
        found_new = clock // (2 * HOUR) > last_item // (2 * HOUR)
        last_item = clock
        interval = next_interval(interval, floor=floor, ceiling=ceiling, found_new=found_new)
        history.append(interval)
    settled = history[100:]
    assert 15 * MINUTE < sum(settled) / len(settled) < 3 * HOUR


# --- numbers from outside -----------------------------------------------------------------------------------


def test_huge_numbers_in_headers_are_capped_not_raised() -> None:
    forever = "9" * 5000  # more digits than int() accepts from a string
    assert parse_retry_after(forever, NOW) == HUGE_SECONDS
    assert parse_cache_headers({"cache-control": f"max-age={forever}"}, NOW) == HUGE_SECONDS
    assert parse_cache_headers({"cache-control": f"max-age={forever}", "age": forever}, NOW) == 0


def test_huge_delays_end_at_the_ceiling() -> None:
    floor, ceiling = 5 * MINUTE, 24 * HOUR
    huge = 10**400  # float() of this raises OverflowError
    assert delay_after_failure(
        FailureKind.RATE_LIMITED, consecutive_errors=1, floor=floor, ceiling=ceiling, retry_after_seconds=huge
    ) == ceiling
    assert next_interval(HOUR, floor=floor, ceiling=ceiling, found_new=False, cache_seconds=huge) == ceiling
    assert next_interval(HOUR, floor=floor, ceiling=ceiling, found_new=False,
                         hints=FeedHints(ttl_seconds=huge)) == ceiling
    assert next_interval(HOUR, floor=floor, ceiling=ceiling, found_new=False, pinned=10**12) == ceiling
