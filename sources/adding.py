"""Adding a feed source: the one place the dashboard, the admin, `addsource` and OPML import go through.

`check_address(url)` looks before anything is saved: it refuses a bad address (`feed_url_problem`, the same
check as Source.url's validator) or a second spelling of a feed already followed (`find_duplicate`), then
fetches the address through `sources.http.fetch`. A feed comes back as a `FeedPreview` (title, item count,
latest items, declared language); a web page as a `FeedChoice` listing the feeds it advertises
(`<link rel="alternate">`) or, when it advertises none, the first of a few common feed paths that answers
with a feed. Anything else raises an `InvalidSource` whose message says what is wrong and what to try.

`add_source` stores a source (in canonical form, with its groups and the change on record), or returns the
existing one for an address that is already followed.

Not for: polling (sources.polling; a new source is due at once, so the worker polls it within a minute).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sources.canonical import canonical_url, source_key
from sources.feeds import FEED_ACCEPT, FeedEntry, ParsedFeed, parse_feed
from sources.http import FetchError, FetchPolicy, FetchResponse, fetch
from sources.models import Source, SourceChange, SourceGroup, feed_url_problem

#: Tried, in order, on a home page that advertises no feed; the first that answers with a feed is offered.
COMMON_FEED_PATHS = ("/feed", "/rss", "/rss.xml", "/atom.xml", "/feed.xml")
#: Advertised feeds checked on one page (a page may advertise a feed per category).
MAX_ADVERTISED = 5
PREVIEW_ITEMS = 5


class InvalidSource(ValueError):
    """A source that cannot be added as asked; the message says what is wrong and what to try."""


class InvalidSourceURL(InvalidSource):
    pass


class DuplicateSource(InvalidSource):
    """The address is one already followed, spelled differently or not; `existing` is that source."""

    def __init__(self, message: str, existing: Source) -> None:
        super().__init__(message)
        self.existing = existing


class CheckFailed(InvalidSource):
    """Fetching the address did not give a feed (unreachable, refused, an error page, not a feed)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FeedPreview:
    """A feed, checked: what the admin sees before saving it."""

    url: str
    """The address to store: canonical, after redirects."""
    requested_url: str
    title: str
    site_url: str
    item_count: int
    latest: list[FeedEntry]
    """The newest items (up to PREVIEW_ITEMS), newest first."""
    language: str
    """As the feed declares it ("" when it does not); Monitor ships no language identifier."""
    format: str
    warning: str = ""
    """feedparser's complaint about an ill-formed feed whose items were read anyway."""


@dataclass(frozen=True)
class FoundFeed:
    url: str
    title: str
    item_count: int
    existing: Source | None
    """The source that already follows this feed, if one does."""


@dataclass(frozen=True)
class FeedChoice:
    """A web page, not a feed, and the feeds found from it for the admin to pick from."""

    page_url: str
    feeds: list[FoundFeed]
    advertised: bool
    """True when the page advertised them; False when they were found at common feed paths."""
    unreadable: list[str] = field(default_factory=list)
    """Advertised feeds that could not be read, each with the reason."""


def check_policy() -> FetchPolicy:
    """The fetch policy from the settings, with every limit cut to MONITOR_CHECK_SECONDS: an admin is waiting."""
    policy = FetchPolicy.from_settings()
    limit = float(settings.MONITOR_CHECK_SECONDS)
    return dataclasses.replace(policy, total_timeout=min(policy.total_timeout, limit),
                               connect_timeout=min(policy.connect_timeout, limit),
                               read_timeout=min(policy.read_timeout, limit))


def find_duplicate(url: str, *, exclude_pk: int | None = None) -> Source | None:
    """The source that already follows `url`'s feed, however its address is spelled (sources.canonical)."""
    found = Source.objects.filter(canonical_key=source_key(url))
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.first()


def ensure_new(url: str, *, exclude_pk: int | None = None) -> None:
    existing = find_duplicate(url, exclude_pk=exclude_pk)
    if existing is not None:
        same = "is" if canonical_url(url) == existing.url else "is the same feed as"
        raise DuplicateSource(f"{url} {same} source #{existing.pk}, {existing} ({existing.url}), which is already "
                              "followed: edit that source instead of adding another.", existing)


def check_address(url: str, *, policy: FetchPolicy | None = None) -> FeedPreview | FeedChoice:
    """Checks an address before it is added: see the module docstring. Raises InvalidSource and subclasses."""
    url = url.strip()
    problem = feed_url_problem(url)
    if problem is not None:
        raise InvalidSourceURL(problem)
    ensure_new(url)
    policy = policy or check_policy()
    response = _fetch(url, policy)
    if not response.ok:
        raise CheckFailed(_status_problem(url, response.status), code=f"http-{response.status}")
    parsed = parse_feed(response.body, url=response.url, headers=response.headers)
    if not parsed.not_a_feed:
        final = canonical_url(response.url)
        if source_key(final) != source_key(url):
            ensure_new(final)  # redirected to a feed that is already followed
        return _preview(final, url, parsed)
    if parsed.alternate_feeds or _is_web_page(response):
        return _choice(response.url, parsed.alternate_feeds, policy)
    raise CheckFailed(f"{url} answered with something that is not a feed ({parsed.reason}). Give the address of "
                      "an RSS, Atom or JSON feed, or the site's home page and Monitor will look for its feeds.",
                      code="not-a-feed")


_WHAT_TO_TRY = {
    "blocked-address": (" Set it for both the web server and the worker (in their environment, or "
                        "`MONITOR_ALLOW_PRIVATE_FETCH=1 make run`) and restart them; see the README's section "
                        "*For admins: sources*."),
    "connect-failed": " Check the address, and whether the site opens in a browser; then try again.",
    "timeout": (" Try again in a few minutes; if it keeps happening, the site is too slow or holds back "
                "automated readers."),
    "tls-error": " Open the address in a browser to see the certificate problem.",
}


def _fetch(url: str, policy: FetchPolicy) -> FetchResponse:
    try:
        return fetch(url, policy=policy, accept=FEED_ACCEPT)
    except FetchError as exc:
        message = str(exc).rstrip()
        raise CheckFailed(message + _WHAT_TO_TRY.get(exc.code, ""), code=exc.code) from exc


def _status_problem(url: str, status: int) -> str:
    if status in (404, 410):
        meaning = "not found" if status == 404 else "gone"
        return (f"{url} answered HTTP {status} ({meaning}): there is nothing at this address. Check it for typos, "
                "or give the site's home page and Monitor will look for its feeds.")
    if status in (401, 403):
        return (f"{url} answered HTTP {status} (access refused): the feed needs a login, or the site turns away "
                "automated readers. Monitor does not log in; give the site's home page to look for another feed.")
    if status == 429 or status >= 500:
        return f"{url} answered HTTP {status}: the site is busy or failing right now. Try again in a few minutes."
    return f"{url} answered HTTP {status}, not a feed. Open the address in a browser to see what it serves."


def _is_web_page(response: FetchResponse) -> bool:
    return response.content_type in ("text/html", "application/xhtml+xml") or response.body.lstrip()[:200].lower() \
        .startswith((b"<!doctype html", b"<html"))


def _preview(url: str, requested: str, parsed: ParsedFeed) -> FeedPreview:
    oldest = datetime.min.replace(tzinfo=UTC)
    latest = sorted(parsed.entries, key=lambda entry: entry.published or oldest, reverse=True)[:PREVIEW_ITEMS]
    site = parsed.link if parsed.link and parsed.link.rstrip("/") != url.rstrip("/") else ""
    if site and feed_url_problem(site) is not None:
        site = ""
    return FeedPreview(url=url, requested_url=requested, title=parsed.title, site_url=site,
                       item_count=len(parsed.entries), latest=latest, language=parsed.language,
                       format=parsed.format, warning=parsed.bozo_warning or "")


def _choice(page_url: str, advertised: list[str], policy: FetchPolicy) -> FeedChoice:
    """The feeds a web page leads to: those it advertises, else the first common feed path that is a feed."""
    found: list[FoundFeed] = []
    unreadable: list[str] = []
    keys: set[str] = set()
    candidates = [u for u in advertised if feed_url_problem(u) is None][:MAX_ADVERTISED]
    if not candidates:
        parts = urlsplit(page_url)
        probes = [f"{parts.scheme}://{parts.netloc}{path}" for path in COMMON_FEED_PATHS]
        for probe in probes:  # politely, one at a time, stopping at the first feed
            feed = _read_feed(probe, policy)
            if isinstance(feed, FoundFeed):
                return FeedChoice(page_url=page_url, feeds=[feed], advertised=False)
        host = parts.hostname or page_url
        raise CheckFailed(
            f"{page_url} is a web page, not a feed, and it advertises no feed (no <link rel=\"alternate\"> to RSS, "
            f"Atom or JSON Feed); none of {', '.join(COMMON_FEED_PATHS)} on {host} is a feed either. Look on the "
            "site for an RSS or “subscribe” link and give that address.", code="no-feed-found")
    for candidate in candidates:
        feed = _read_feed(candidate, policy)
        if isinstance(feed, str):
            unreadable.append(feed)
        elif source_key(feed.url) not in keys:
            keys.add(source_key(feed.url))
            found.append(feed)
    if not found:
        raise CheckFailed(f"{page_url} is a web page that advertises {len(candidates)} feed(s), but none could be "
                          f"read: {'; '.join(unreadable)}. Try again later, or look on the site for another feed.",
                          code="advertised-feeds-unreadable")
    return FeedChoice(page_url=page_url, feeds=found, advertised=True, unreadable=unreadable)


def _read_feed(url: str, policy: FetchPolicy) -> FoundFeed | str:
    """The feed at `url`, or why there is none there, as a phrase."""
    try:
        response = fetch(url, policy=policy, accept=FEED_ACCEPT)
    except FetchError as exc:
        return f"{url}: {exc}"
    if not response.ok:
        return f"{url}: HTTP {response.status}"
    parsed = parse_feed(response.body, url=response.url, headers=response.headers)
    if parsed.not_a_feed:
        return f"{url}: not a feed ({parsed.reason})"
    final = canonical_url(response.url)
    return FoundFeed(url=final, title=parsed.title, item_count=len(parsed.entries), existing=find_duplicate(final))


def interval_problem(minutes: int) -> str | None:
    """What is wrong with a pinned interval for a new source; None if nothing."""
    ceiling = settings.MONITOR_MAX_INTERVAL_MINUTES
    if not 1 <= minutes <= ceiling:
        return (f"--interval must be between 1 and {ceiling} minutes (MONITOR_MAX_INTERVAL_MINUTES), "
                f"not {minutes:,}")
    return None


def groups_named(names: Iterable[str]) -> list[SourceGroup]:
    """The groups with these names (any case), created when missing."""
    groups: list[SourceGroup] = []
    for raw in names:
        name = " ".join(raw.split())[:200]
        if not name:
            continue
        group = SourceGroup.objects.filter(name__iexact=name).first()
        if group is None:
            group = SourceGroup.objects.create(name=name)
        if group not in groups:
            groups.append(group)
    return groups


def add_source(url: str, *, name: str = "", interval_minutes: int | None = None, site_url: str = "",
               language: str = "", country: str = "", source_type: str = "", reliability: str = "",
               groups: Iterable[SourceGroup] = (), user: Any = None, actor: str = "",
               action: str = SourceChange.Action.ADDED, detail: str = "") -> tuple[Source, bool]:
    """Adds a feed source, or returns the source that already follows that feed. Returns (source, created).

    Does not fetch anything: `check_address` is the look before the leap. The change is recorded as made by
    `user` (or `actor`, a command's name). Raises InvalidSource for a bad address, interval or field.
    """
    url = url.strip()
    problem = feed_url_problem(url)
    if problem is not None:
        raise InvalidSourceURL(problem)
    if interval_minutes is not None and (problem := interval_problem(interval_minutes)) is not None:
        raise InvalidSource(problem)
    existing = find_duplicate(url)
    if existing is not None:
        return existing, False
    source = Source(url=url, name=name.strip()[:200], site_url=site_url.strip(), language=language.strip().lower(),
                    country=country.strip().upper(), source_type=source_type,
                    reliability=reliability or Source.Reliability.F,
                    interval_minutes=interval_minutes or settings.MONITOR_DEFAULT_INTERVAL_MINUTES,
                    pinned_interval_minutes=interval_minutes)
    source.canonicalise_url()
    try:
        source.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise InvalidSource("; ".join(f"{field}: {' '.join(messages)}" for field, messages
                                      in exc.message_dict.items())) from exc
    try:
        with transaction.atomic():
            source.save()
            source.groups.set(list(groups))
            SourceChange.record(source, action, user=user, actor=actor or ("" if user else "manage.py"),
                                detail=detail)
    except IntegrityError:
        # Added by someone else a moment ago.
        existing = find_duplicate(url)
        if existing is None:
            raise
        return existing, False
    return source, True
