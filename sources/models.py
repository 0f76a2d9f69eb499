"""Feed sources, their polling state, the history of every poll, and the articles they bring in.

A source's state changes (a good poll, a failed one, backing off, being disabled, an admin clearing its
errors) are methods on `Source`, so the rules for them live in one place; the poller decides *which* to call
from what the server said. A source also carries what admins say about it (groups, type, reliability grade,
language, country); `SourceDay` counts its articles per day for the health page, and `SourceChange` records
who changed it and when.
`Article` is what ingest stores: the feed item, then the page text. What the analysis side (monitor/)
makes of an article lives in monitor's own tables, which point here; nothing here points there.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from sources import schedule
from sources.canonical import canonical_url, source_key
from sources.feeds import FeedHints
from sources.volume import volume_change

log = logging.getLogger(__name__)

# A source is disabled after this many permanent failures in a row (404s, 410s, not a feed).
DISABLE_AFTER_PERMANENT_ERRORS = 3
# How long one poller may hold a source before another may poll it (a poll that hung or died).
POLL_CLAIM_SECONDS = 300

_rng = random.Random()


class SourceQuerySet(models.QuerySet["Source"]):
    def due(self, now: datetime | None = None) -> SourceQuerySet:
        """Enabled sources whose next poll has come and that no poller holds."""
        now = now or timezone.now()
        return self.filter(enabled=True).filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now)).filter(
            Q(poll_claimed_until__isnull=True) | Q(poll_claimed_until__lt=now))

    def claim_for_poll(self, source_id: int, *, force: bool = False) -> bool:
        """Marks a source as being polled; False if another poller holds it or, unless `force`, it is not due.

        Checking "due" here, not only when queueing, matters: a poll task that waited in the queue while another
        poll ran must not poll again, which would ignore Retry-After and the backoff.
        """
        now = timezone.now()
        claimable = self.filter(pk=source_id, enabled=True).filter(
            Q(poll_claimed_until__isnull=True) | Q(poll_claimed_until__lt=now))
        if not force:
            claimable = claimable.filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        return bool(claimable.update(poll_claimed_until=now + timedelta(seconds=POLL_CLAIM_SECONDS)))

    def with_health(self, health: str) -> SourceQuerySet:
        """Sources in one of the health page's states (a `Source.Health` value); see `Source.health`."""
        return self.filter(health_condition(health))

    def bulk_create(self, objs: Iterable[Source], *args: Any, **kwargs: Any) -> list[Source]:
        # Bulk inserts skip save(): give them their canonical URL and key here, or the second one would collide.
        objs = list(objs)
        for source in objs:
            source.canonicalise_url()
        return super().bulk_create(objs, *args, **kwargs)


def health_condition(health: str) -> Q:
    """`Source.health` as a query condition, for filters and conditional counts. Keep the two in step."""
    slow_ms = settings.MONITOR_SLOW_POLL_SECONDS * 1000
    working = Q(enabled=True, consecutive_errors=0)
    conditions = {
        "disabled": Q(enabled=False),
        "failing": Q(enabled=True, consecutive_errors__gt=0),
        "new": working & Q(last_polled_at__isnull=True),
        "slow": working & Q(last_polled_at__isnull=False, last_poll_ms__gt=slow_ms),
        "healthy": working & Q(last_polled_at__isnull=False) & (Q(last_poll_ms__isnull=True)
                                                                | Q(last_poll_ms__lte=slow_ms)),
    }
    return conditions.get(health, Q(pk__in=[]))


#: The longest feed address accepted (the column's size).
MAX_URL_LENGTH = 2000
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}$")
_EXAMPLE = "give the feed's full address, e.g. https://example.org/feed.xml"


def feed_url_problem(url: str) -> str | None:
    """What is wrong with `url` as a feed's address, as a sentence that says how to fix it; None if nothing.

    The one check behind the admin form (Source.url's validator), `add_source` and `addsource`.
    """
    shown = repr(url if len(url) <= 100 else url[:97] + "...")
    if len(url) > MAX_URL_LENGTH:
        return f"the address is {len(url):,} characters long; at most {MAX_URL_LENGTH} characters are accepted"
    if any(c.isspace() for c in url):
        return f"{shown} contains a space or line break; a feed's address has none (percent-encode it as %20)"
    if any(ord(c) < 32 or ord(c) == 127 for c in url):
        return f"{shown} contains a control character; copy the address again from the site"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        if "[" in url and "IPv6" in str(exc):
            return f"{shown} has an IPv6 address whose brackets are not closed, e.g. http://[2001:db8::1]/feed"
        return f"{shown} is not a valid URL ({exc}); {_EXAMPLE}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{shown} is not an http(s) URL; {_EXAMPLE}"
    if "@" in parts.netloc:
        return (f"{shown} contains a user name or password: remove the user name and password; Monitor never "
                "sends them, and everyone who can see the source list could read them")
    host = parts.hostname or ""
    if not host:
        return f"{shown} has no host name; {_EXAMPLE}"
    after_host = parts.netloc.rpartition("]")[2] if parts.netloc.startswith("[") else parts.netloc
    port_text = after_host.partition(":")[2]
    if ":" in after_host and (not port_text.isdigit() or not 1 <= int(port_text) <= 65535):
        return f"{shown} has port {port_text or '(empty)'}; a port is a number from 1 to 65535"
    return _host_problem(shown, host, bracketed=parts.netloc.startswith("["))


def _host_problem(shown: str, host: str, *, bracketed: bool) -> str | None:
    if bracketed:
        try:
            ipaddress.IPv6Address(host.partition("%")[0])
        except ValueError:
            return f"{shown} has an invalid IPv6 address in its brackets"
        return None
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"{shown} has a host name that is not a valid international domain name"
    labels = ascii_host.rstrip(".").split(".")
    if len(ascii_host) > 253 or not all(_HOST_LABEL.match(label) for label in labels):
        return (f"{shown} has an invalid host name ({host!r}): a host name is made of letters, digits and "
                "hyphens, in parts of at most 63 characters separated by dots")
    return None


def validate_feed_url(value: str) -> None:
    """Source.url's validator: `feed_url_problem` as a Django ValidationError."""
    problem = feed_url_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="invalid-feed-url")


def validate_site_url(value: str) -> None:
    """Source.site_url's validator: the same rules as a feed's address."""
    problem = feed_url_problem(value)
    if problem is not None:
        raise ValidationError(problem.replace("give the feed's full address, e.g. https://example.org/feed.xml",
                                              "give the site's full address, e.g. https://example.org/"),
                              code="invalid-site-url")


_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")


def validate_language(value: str) -> None:
    if value and not _LANGUAGE_TAG.match(value):
        raise ValidationError(f"{value!r} is not a language tag; use a code such as en, ur, ar or en-gb",
                              code="invalid-language")


def validate_country(value: str) -> None:
    if value and not re.fullmatch(r"[A-Z]{2}", value):
        raise ValidationError(f"{value!r} is not a country code; use the two-letter ISO 3166 code, such as PK, "
                              "AF or GB", code="invalid-country")


class SourceGroup(models.Model):
    """A named set of sources ("Pakistan press", "Official"), made by admins or by an OPML file's folders."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="sourcegroup_unique_name")]

    def __str__(self) -> str:
        return self.name


class Backoff(NamedTuple):
    """How long a failed source waits before its next poll."""

    seconds: float
    warning: str
    """Why the wait differs from what the server asked for; "" when it does not."""


class Source(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "not polled yet"
        OK = "ok", "ok"
        FAILING = "failing", "failing (retrying)"
        RATE_LIMITED = "rate-limited", "rate-limited"
        NOT_A_FEED = "not-a-feed", "not a feed"
        DISABLED = "disabled", "disabled"

    class Health(models.TextChoices):
        """The health page's summary of a source (see `health`)."""

        HEALTHY = "healthy", "healthy"
        SLOW = "slow", "slow"
        FAILING = "failing", "failing"
        DISABLED = "disabled", "disabled"
        NEW = "new", "not polled yet"

    class SourceType(models.TextChoices):
        OFFICIAL = "official", "official press releases"
        WIRE = "wire", "wire agency"
        OUTLET = "outlet", "news outlet"
        BLOG = "blog", "blog"
        AGGREGATOR = "aggregator", "aggregator"

    class Reliability(models.TextChoices):
        """The source-reliability half of the Admiralty (NATO) grading: how far the source has earned trust.

        It grades the source, not a given report; a new source is F until someone has grounds to judge it.
        """

        A = "A", "A: completely reliable"
        B = "B", "B: usually reliable"
        C = "C", "C: fairly reliable"
        D = "D", "D: not usually reliable"
        E = "E", "E: unreliable"
        F = "F", "F: reliability cannot be judged"

    # A CharField, not a URLField: a URLField's form field would answer most bad addresses with a bare "Enter a
    # valid URL." before our validator could say what is wrong. Stored in canonical form (save()).
    url = models.CharField(max_length=MAX_URL_LENGTH, unique=True, validators=[validate_feed_url],
                           help_text="The feed's address (RSS, Atom or JSON Feed), http or https.")
    # sha256 of the address without scheme, www., trailing slash, fragment and tracking parameters
    # (sources.canonical.source_key): one feed is one source, whichever way its address was written.
    canonical_key = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(max_length=200, blank=True)
    site_url = models.CharField("site URL", max_length=MAX_URL_LENGTH, blank=True, validators=[validate_site_url],
                                help_text="The outlet's home page, for people (the feed's own link by default).")
    enabled = models.BooleanField(default=True)
    groups = models.ManyToManyField(SourceGroup, blank=True, related_name="sources")
    language = models.CharField(max_length=20, blank=True, validators=[validate_language],
                                help_text="Language tag of its items, e.g. en or ur.")
    country = models.CharField(max_length=2, blank=True, validators=[validate_country],
                               help_text="Two-letter ISO 3166 code of the country it reports from, e.g. PK.")
    source_type = models.CharField("type", max_length=20, choices=SourceType.choices, blank=True)
    reliability = models.CharField("reliability grade", max_length=1, choices=Reliability.choices,
                                   default=Reliability.F,
                                   help_text="Admiralty scale: A completely reliable … E unreliable; F cannot be judged.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    feed_title = models.CharField(max_length=500, blank=True)

    # Scheduling. interval_minutes is the current, self-tuned interval; an admin can pin one instead.
    interval_minutes = models.PositiveIntegerField(default=30)
    pinned_interval_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Poll at exactly this interval, ignoring feed hints and self-tuning."
    )
    min_interval_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Floor for the self-tuned interval (default: MONITOR_MIN_INTERVAL_MINUTES)."
    )
    max_interval_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Ceiling for the self-tuned interval (default: MONITOR_MAX_INTERVAL_MINUTES)."
    )
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_new_item_at = models.DateTimeField(null=True, blank=True)
    # A poller holds this while it polls, so two workers never poll one source at once.
    poll_claimed_until = models.DateTimeField(null=True, blank=True)

    # Conditional GET state.
    etag = models.CharField(max_length=1000, blank=True)
    last_modified = models.CharField(max_length=200, blank=True)
    body_hash = models.CharField(max_length=64, blank=True)

    # Errors.
    consecutive_errors = models.PositiveIntegerField(default=0)
    # Permanent failures in a row (410, repeated 404s, not a feed…): what decides disabling a source.
    consecutive_permanent_errors = models.PositiveIntegerField(default=0)
    last_http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    disabled_reason = models.TextField(blank=True)
    # How long the last poll took: what makes a working source "slow" (MONITOR_SLOW_POLL_SECONDS).
    last_poll_ms = models.PositiveIntegerField(null=True, blank=True)
    # The volume test (sources.volume) as of volume_checked_on: refreshed by the first poll of each day, so the
    # health page can list every source whose volume changed without reading every source's counts.
    volume_change = models.CharField(max_length=300, blank=True)
    volume_checked_on = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    # The Source fields a poll writes: a poll saves only these, so an admin's edit made meanwhile survives.
    POLL_STATE_FIELDS = [
        "status", "feed_title", "interval_minutes", "next_poll_at", "last_polled_at", "last_success_at",
        "last_new_item_at", "poll_claimed_until", "etag", "last_modified", "body_hash", "consecutive_errors",
        "consecutive_permanent_errors", "last_http_status", "last_error", "disabled_reason", "last_poll_ms",
        "volume_change", "volume_checked_on",
    ]

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # The health page walks sources by name, a page at a time.
            models.Index(fields=["name", "id"], name="source_by_name"),
            # Analysts' story filters by type and grade (sources.selectors).
            models.Index(fields=["source_type"], name="source_by_type"),
            models.Index(fields=["reliability"], name="source_by_grade"),
            models.Index(fields=["volume_change"], name="source_volume_changed",
                         condition=~Q(volume_change="")),
        ]

    def __str__(self) -> str:
        return self.label(self.name, self.feed_title, self.url)

    @staticmethod
    def label(name: str, feed_title: str, url: str) -> str:
        """How a source is named to analysts everywhere: never its URL, which may carry a query-string key. A
        static method, for code that has the three columns but no Source object."""
        return name or feed_title or urlsplit(url).hostname or "unnamed source"

    def canonicalise_url(self) -> None:
        """Stores the address in canonical form (sources.canonical) and derives the key that refuses duplicates."""
        try:
            self.url = canonical_url(self.url)
        except ValueError:
            pass  # not a URL urlsplit can read; Source.url's validator refuses it wherever input is checked
        self.canonical_key = source_key(self.url)

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "url" in update_fields:
            self.canonicalise_url()
            if update_fields is not None:
                kwargs["update_fields"] = list(update_fields) + ["canonical_key"]
        super().save(*args, **kwargs)

    @property
    def health(self) -> str:
        """healthy, slow, failing, disabled, or new (not polled yet): a `Source.Health` value.

        Failing means the last poll failed (consecutive errors); slow means polls work but the last one took
        longer than MONITOR_SLOW_POLL_SECONDS, a server heading for timeouts.
        """
        if not self.enabled:
            return self.Health.DISABLED
        if self.consecutive_errors:
            return self.Health.FAILING
        if self.last_polled_at is None:
            return self.Health.NEW
        if self.last_poll_ms is not None and self.last_poll_ms > settings.MONITOR_SLOW_POLL_SECONDS * 1000:
            return self.Health.SLOW
        return self.Health.HEALTHY

    @property
    def health_label(self) -> str:
        return str(self.Health(self.health).label)

    def history_starts(self, first_counted: date | None) -> date:
        """The first day the source can have items on: the day it was added, or its first counted day if earlier
        (a first poll brings a backlog dated before it)."""
        added = (self.created_at or timezone.now()).astimezone(UTC).date()
        return min(added, first_counted) if first_counted else added

    @property
    def floor_minutes(self) -> int:
        return self.min_interval_minutes or settings.MONITOR_MIN_INTERVAL_MINUTES

    @property
    def ceiling_minutes(self) -> int:
        return self.max_interval_minutes or settings.MONITOR_MAX_INTERVAL_MINUTES

    def is_due(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.enabled and (self.next_poll_at is None or self.next_poll_at <= now)

    def schedule_in(self, seconds: float) -> None:
        """Next poll in `seconds`, but never later than the ceiling, whatever a number from outside said."""
        self.next_poll_at = timezone.now() + timedelta(seconds=min(max(0.0, seconds), self.ceiling_minutes * 60))

    def record_success(self, *, status: int, headers: Mapping[str, str], found_new: bool,
                       hints: FeedHints | None = None) -> None:
        """A poll that reached the feed (200 or 304): clear the errors and pick the next interval."""
        now = timezone.now()
        self.etag = headers.get("etag", self.etag if status == 304 else "")[:1000]
        self.last_modified = headers.get("last-modified", self.last_modified if status == 304 else "")[:200]
        self.status = self.Status.OK
        self.consecutive_errors = 0
        self.consecutive_permanent_errors = 0
        self.last_error = ""
        self.last_success_at = now
        if found_new:
            self.last_new_item_at = now
        seconds = schedule.next_interval(
            current=self.interval_minutes * 60,
            floor=self.floor_minutes * 60,
            ceiling=self.ceiling_minutes * 60,
            found_new=found_new,
            hints=hints,
            cache_seconds=schedule.parse_cache_headers(headers, now),
            pinned=self.pinned_interval_minutes * 60 if self.pinned_interval_minutes else None,
        )
        self.interval_minutes = max(1, round(min(seconds, self.ceiling_minutes * 60) / 60))
        self.schedule_in(seconds)

    def record_failure(self, kind: schedule.FailureKind, message: str, *, retry_after: int | None,
                       not_a_feed: bool = False) -> Backoff:
        """A poll that failed: count it, back off, and disable the source after repeated permanent failures.

        Returns the delay until the next try, and a warning when the server asked for a wait we will not keep.
        """
        self.consecutive_errors += 1
        if kind == schedule.FailureKind.PERMANENT:
            self.consecutive_permanent_errors += 1
        else:
            self.consecutive_permanent_errors = 0
        if kind == schedule.FailureKind.RATE_LIMITED:
            self.status = self.Status.RATE_LIMITED
        elif kind == schedule.FailureKind.PERMANENT:
            self.status = self.Status.NOT_A_FEED if not_a_feed else self.Status.FAILING
        else:
            self.status = self.Status.FAILING
        ceiling = self.ceiling_minutes * 60
        delay = schedule.delay_after_failure(kind, consecutive_errors=self.consecutive_errors,
                                             floor=self.floor_minutes * 60, ceiling=ceiling,
                                             retry_after_seconds=retry_after, rng=_rng)
        warning = ""
        if retry_after is not None:
            # Retry-After is honoured up to the ceiling: polling earlier would only be refused again. Past the
            # ceiling it is a server's mistake (or a way to silence a source for a century): wait the ceiling.
            delay = float(max(delay, min(retry_after, ceiling)))
            if retry_after > ceiling:
                warning = (f"the server asked us to wait {retry_after:,} s; waiting the ceiling, "
                           f"{_duration(ceiling)}, instead")
        self.schedule_in(delay)
        self.last_error = f"{message.rstrip('.')}{'; ' + warning if warning else ''}. Next try in {_duration(delay)}."[:2000]
        if self.consecutive_permanent_errors >= DISABLE_AFTER_PERMANENT_ERRORS:
            self.disable(f"disabled after {self.consecutive_permanent_errors} permanent failures in a row; "
                         f"last: {message}. Fix the address and re-enable the source.")
        return Backoff(delay, warning)

    def record_internal_error(self, message: str) -> Backoff:
        """A poll that failed inside Monitor (a bug, a full disk): shown, and retried with backoff like a
        temporary failure, so a source that trips a bug is not polled again every minute."""
        return self.record_failure(schedule.FailureKind.TEMPORARY, f"internal error while polling: {message}",
                                   retry_after=None)

    def disable(self, reason: str) -> None:
        self.enabled = False
        self.status = self.Status.DISABLED
        self.disabled_reason = reason[:2000]
        log.warning("source %s disabled: %s", self.pk, self.disabled_reason)

    def enable(self) -> None:
        """Re-enabled by an admin: start afresh rather than staying backed off."""
        self.enabled = True
        self.status = self.Status.NEW
        self.disabled_reason = ""
        self.next_poll_at = None
        self.consecutive_errors = self.consecutive_permanent_errors = 0

    def poll_soon(self) -> None:
        """Due at the next worker tick, whatever the backoff said."""
        self.next_poll_at = timezone.now()

    def clear_errors(self) -> None:
        """An admin fixed the cause (an address, MONITOR_ALLOW_PRIVATE_FETCH): forget the failures and their
        backoff, and poll at the next worker tick. A disabled source stays disabled."""
        self.consecutive_errors = self.consecutive_permanent_errors = 0
        self.last_error = ""
        if self.status in (self.Status.FAILING, self.Status.RATE_LIMITED, self.Status.NOT_A_FEED):
            self.status = self.Status.NEW
        self.poll_soon()

    def check_volume(self, today: date) -> None:
        """Runs the volume test (sources.volume) on the complete days before `today` and keeps its verdict."""
        last = today - timedelta(days=1)
        first = last - timedelta(days=VOLUME_WINDOW_DAYS - 1)
        counted = dict(self.days.filter(day__gte=first, day__lte=last).values_list("day", "articles"))
        counts = [counted.get(first + timedelta(days=i), 0) for i in range(VOLUME_WINDOW_DAYS)]
        change = volume_change(counts, last_day=last, history_starts=self.history_starts(min(counted, default=None)))
        self.volume_change = change.describe() if change else ""
        self.volume_checked_on = today


#: Complete days the volume test reads: the health chart's 28 days less today, which is not over.
VOLUME_WINDOW_DAYS = 27

#: The fields an admin's "clear errors" and enable/disable change, for saves that touch only those.
CLEAR_ERRORS_FIELDS = ["consecutive_errors", "consecutive_permanent_errors", "last_error", "status", "next_poll_at"]
ENABLE_FIELDS = ["enabled", "status", "disabled_reason", "next_poll_at", "consecutive_errors",
                 "consecutive_permanent_errors"]
DISABLE_FIELDS = ["enabled", "status", "disabled_reason"]


def _duration(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{minutes / 60:.0f} hours"


class PollRecord(models.Model):
    """One poll of one source: what happened, so admins can read a source's history."""

    class Outcome(models.TextChoices):
        NEW_ITEMS = "new-items", "new items"
        UNCHANGED = "unchanged", "unchanged"
        NOT_MODIFIED = "not-modified", "not modified (304)"
        TEMPORARY_ERROR = "temporary-error", "temporary error"
        RATE_LIMITED = "rate-limited", "rate-limited"
        PERMANENT_ERROR = "permanent-error", "permanent error"
        NOT_A_FEED = "not-a-feed", "not a feed"
        INTERNAL_ERROR = "internal-error", "internal error (a bug or the server running Monitor)"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="polls")
    started_at = models.DateTimeField(db_index=True)
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    items_seen = models.PositiveIntegerField(default=0)
    items_new = models.PositiveIntegerField(default=0)
    items_updated = models.PositiveIntegerField(default=0)
    bytes = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    warning = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} at {self.started_at:%Y-%m-%d %H:%M}: {self.outcome}"


class Article(models.Model):
    """One feed item and, once fetched, the page it links to.

    `status` is the article's place in the pipeline. Ingest moves it from NEW to EXTRACTED; the analysis
    stages, composed in monitor.pipeline, move it on to ANALYSED (tags stored) and TAGGED (in a story). Each
    stage moves it forward in the same transaction that stores its output (see sources.claims).
    """

    class Status(models.TextChoices):
        NEW = "new", "waiting for extraction"
        EXTRACTED = "extracted", "waiting for tagging"
        ANALYSED = "analysed", "tagged, waiting for its story"
        TAGGED = "tagged", "tagged"
        FAILED = "failed", "failed"

    class Extraction(models.TextChoices):
        PENDING = "pending", "pending"
        OK = "ok", "extracted from the page"
        FAILED = "failed", "page failed: feed summary used"
        SKIPPED = "skipped", "page skipped: feed summary used"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles")
    guid = models.CharField(max_length=2000)
    url = models.URLField(max_length=2000)
    canonical_url = models.URLField(max_length=2000)
    # sha256 of canonical_url: a short, indexable key so one URL is one article across all sources.
    url_hash = models.CharField(max_length=64, unique=True)
    content_hash = models.CharField(max_length=64, blank=True)

    title = models.CharField(max_length=1000, blank=True)
    summary_html = models.TextField(blank=True)
    text = models.TextField(blank=True)
    author = models.CharField(max_length=500, blank=True)
    sitename = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=20, blank=True)
    image_url = models.URLField(max_length=2000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Pipeline state: each stage moves status forward in the same transaction that stores its output.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW, db_index=True)
    extraction = models.CharField(max_length=20, choices=Extraction.choices, default=Extraction.PENDING)
    extraction_error = models.TextField(blank=True)
    last_error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # A page that failed for a reason that passes (a timeout, a refused connection, a 5xx) is tried again
    # later (sources.articles.retry_due_pages): how many times it has failed, and when it is next tried
    # (None: no retry pending). db_default keeps raw INSERTs that predate these columns working.
    page_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    page_retry_at = models.DateTimeField(null=True, blank=True)
    # Who holds the article and until when (sources.claims). claimed_until with no claimed_by is a stage that
    # failed on the article waiting out its backoff: no worker takes the article before then.
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    pipeline_version = models.CharField(max_length=200, blank=True)
    tagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="article_unique_guid_per_source"),
        ]
        indexes = [models.Index(fields=["status", "claimed_until"], name="article_pipeline_queue"),
                   # The admin's article list filters by status and shows the newest first.
                   models.Index(fields=["status", "published_at", "id"], name="article_by_status_time"),
                   # The few articles whose page is waiting for a retry, without a scan of all the others.
                   models.Index(fields=["page_retry_at"], name="article_page_retry",
                                condition=Q(page_retry_at__isnull=False))]

    def __str__(self) -> str:
        return self.title or self.url or self.guid

    @property
    def link(self) -> str:
        """The URL, only if it is safe to render as a link (http or https)."""
        return self.url if self.url.lower().startswith(("http://", "https://")) else ""


class ArticleRevision(models.Model):
    """A feed item whose title or summary changed after we first stored it: the old values, kept."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    changed_at = models.DateTimeField(auto_now_add=True)
    old_title = models.CharField(max_length=1000, blank=True)
    old_summary_html = models.TextField(blank=True)
    old_content_hash = models.CharField(max_length=64, blank=True)
    new_guid = models.CharField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-changed_at"]


class SourceDay(models.Model):
    """How many articles a source brought in on one day (UTC, by publication date): the health page's chart and
    volume test read these rows, never the articles. Kept by sources.article_store in the transaction that
    stores the articles."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="days", db_index=False)
    day = models.DateField()
    articles = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "day"], name="sourceday_unique_day")]

    def __str__(self) -> str:
        return f"{self.source_id} on {self.day}: {self.articles}"


class SourceChange(models.Model):
    """One change an admin (or a command) made to a source: who, when, what. Shown on the source's page."""

    class Action(models.TextChoices):
        ADDED = "added", "added"
        EDITED = "edited", "edited"
        ENABLED = "enabled", "enabled"
        DISABLED = "disabled", "disabled"
        POLLED = "polled", "polled now"
        CLEARED = "cleared", "errors cleared"
        IMPORTED = "imported", "imported from OPML"
        DELETED = "deleted", "deleted"

    # Kept when the source is deleted, with its name in source_label, so the deletion itself stays on record.
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    source_label = models.CharField(max_length=200)
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    actor = models.CharField(max_length=150, help_text="The user name, or the command that made the change.")
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["source", "at"], name="sourcechange_by_source")]

    def __str__(self) -> str:
        return f"{self.source_label} {self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, source: Source, action: str, *, user: Any = None, actor: str = "", detail: str = "") -> SourceChange:
        """Records a change; `user` is the signed-in admin, `actor` names a command when there is none."""
        name = actor or (user.get_username() if user is not None else "") or "unknown"
        return cls.objects.create(source=source, source_label=str(source)[:200], user=user, actor=name[:150],
                                  action=action, detail=detail)
