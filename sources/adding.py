"""Adding a feed source: the one place the dashboard, the admin and `addsource` go through.

The address is checked by `sources.models.feed_url_problem`, the same check the admin form runs through
Source.url's validator, so every way in refuses the same addresses with the same words.

Not for: polling the source (sources.polling) or checking that the address is a feed (the first poll does).
"""

from __future__ import annotations

from django.conf import settings

from sources.models import Source, feed_url_problem


class InvalidSource(ValueError):
    """A source that cannot be added as asked; the message says what to change."""


class InvalidSourceURL(InvalidSource):
    pass


def interval_problem(minutes: int) -> str | None:
    """What is wrong with a pinned interval for a new source; None if nothing."""
    ceiling = settings.MONITOR_MAX_INTERVAL_MINUTES
    if not 1 <= minutes <= ceiling:
        return (f"--interval must be between 1 and {ceiling} minutes (MONITOR_MAX_INTERVAL_MINUTES), "
                f"not {minutes:,}")
    return None


def add_source(url: str, *, name: str = "", interval_minutes: int | None = None) -> tuple[Source, bool]:
    """Adds a feed source, or returns the existing one with that URL. Returns (source, created)."""
    url = url.strip()
    problem = feed_url_problem(url)
    if problem is not None:
        raise InvalidSourceURL(problem)
    defaults: dict[str, object] = {"name": name}
    if interval_minutes is not None:
        problem = interval_problem(interval_minutes)
        if problem is not None:
            raise InvalidSource(problem)
        defaults["pinned_interval_minutes"] = interval_minutes
        defaults["interval_minutes"] = interval_minutes
    else:
        defaults["interval_minutes"] = settings.MONITOR_DEFAULT_INTERVAL_MINUTES
    return Source.objects.get_or_create(url=url, defaults=defaults)
