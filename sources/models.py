"""Feed sources, their polling state and the history of every poll."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone


class Source(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "not polled yet"
        OK = "ok", "ok"
        FAILING = "failing", "failing (retrying)"
        RATE_LIMITED = "rate-limited", "rate-limited"
        NOT_A_FEED = "not-a-feed", "not a feed"
        DISABLED = "disabled", "disabled"

    url = models.URLField(max_length=2000, unique=True, validators=[URLValidator(schemes=["http", "https"])],
                          help_text="The feed's address (RSS, Atom or JSON Feed), http or https.")
    name = models.CharField(max_length=200, blank=True)
    enabled = models.BooleanField(default=True)
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

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "url"]

    def __str__(self) -> str:
        return self.name or self.url

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
        self.next_poll_at = timezone.now() + timedelta(seconds=seconds)


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
