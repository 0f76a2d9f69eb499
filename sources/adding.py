"""Adding a feed source: the one place the dashboard, the admin and `addsource` go through.

Not for: polling the source (sources.polling) or checking that the address is a feed (the first poll does).
"""

from __future__ import annotations

from django.conf import settings

from sources.models import Source


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
