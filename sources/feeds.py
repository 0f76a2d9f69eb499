"""Turn a fetched feed body into plain data: feed title, entries, and the feed's own polling hints.

RSS 0.9x/1.0/2.0 and Atom go through feedparser; JSON Feed (which feedparser 6 does not read) is parsed
here. `parse_feed` never raises: an ill-formed but readable feed still yields its entries with
`bozo_warning` set, and anything that is not a feed at all comes back with `not_a_feed=True`, a `reason`,
and, when the body is an HTML page, the feed URLs it advertises in `<link rel="alternate">`.

Entry HTML is returned raw. Sanitising it is the job of the code that displays or stores it.

Not for: fetching (`sources.http`), deciding when to poll next (`sources.schedule`, which reads `hints`),
or storing entries (that needs the Django models, which this module must not import).
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from sources.http.content_type import ContentType, parse_content_type

logger = logging.getLogger(__name__)

#: How far in the future an entry's date may be before it is taken as a publisher's clock or time-zone
#: mistake and clamped to "now", so a wrong date cannot pin an item to the top of every list.
FUTURE_TOLERANCE = timedelta(days=1)

#: Accept header for feed requests: pass as `fetch(url, accept=FEED_ACCEPT)`.
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
               "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5")

_SY_PERIOD_SECONDS = {
    "hourly": 3600,
    "daily": 86400,
    "weekly": 7 * 86400,
    "monthly": 30 * 86400,
    "yearly": 365 * 86400,
}


@dataclass(frozen=True)
class FeedHints:
    """What the feed itself says about how often to poll it.

    ttl_seconds: RSS <ttl> (given in minutes), how long the feed may be cached.
    update_period_seconds: from the syndication module, sy:updatePeriod / sy:updateFrequency.
    """

    ttl_seconds: int | None = None
    update_period_seconds: int | None = None

    @property
    def min_interval_seconds(self) -> int | None:
        """The longest of the hints: polling sooner than any of them fetches nothing new by the feed's
        own account."""
        values = [v for v in (self.ttl_seconds, self.update_period_seconds) if v]
        return max(values) if values else None


@dataclass(frozen=True)
class FeedEntry:
    guid: str
    url: str
    title: str
    summary_html: str
    published: datetime | None
    author: str
    content_hash: str
    """SHA-256 of title, summary and URL: changes when the publisher edits the item."""


@dataclass(frozen=True)
class ParsedFeed:
    title: str = ""
    link: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    bozo_warning: str | None = None
    hints: FeedHints = field(default_factory=FeedHints)
    not_a_feed: bool = False
    reason: str | None = None
    """Why the body is not a feed, when `not_a_feed`."""
    alternate_feeds: list[str] = field(default_factory=list)
    format: str = ""
    """feedparser's version string ("rss20", "atom10", "rss10"...) or "json1" / "json11" for JSON Feed."""
    language: str = ""
    """The language the feed declares (RSS <language>, Atom xml:lang, JSON Feed "language"), lower-cased; ""
    when it declares none."""


# --- Entry building shared by both parsers --------------------------------------------------------------


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _content_hash(title: str, summary: str, url: str) -> str:
    return hashlib.sha256("\x1f".join((title, summary, url)).encode("utf-8", "surrogatepass")).hexdigest()


def _fallback_guid(title: str, summary: str) -> str:
    return "sha256:" + hashlib.sha256(f"{title}\x1f{summary}".encode("utf-8", "surrogatepass")).hexdigest()


def _sane_date(value: datetime | None, now: datetime) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return now if value > now + FUTURE_TOLERANCE else value


def _make_entry(
    *, guid: str, url: str, title: str, summary: str, published: datetime | None, author: str, base: str, now: datetime
) -> FeedEntry:
    absolute = urljoin(base, url) if url else ""
    if urlsplit(absolute).scheme.lower() not in {"http", "https"} or not urlsplit(absolute).netloc:
        # javascript:, data:, mailto: and the like are no article's address, and a link we later render
        # must never run script in an analyst's browser.
        absolute = ""
    return FeedEntry(
        guid=guid or absolute or _fallback_guid(title, summary),
        url=absolute,
        title=title,
        summary_html=summary,
        published=_sane_date(published, now),
        author=author,
        content_hash=_content_hash(title, summary, absolute),
    )


# --- feedparser (RSS, Atom, RDF) ------------------------------------------------------------------------


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        # feedparser normalises every date to a UTC struct_time; timegm reads it as UTC.
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _positive_int(value: object) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _hints_from(feed: Mapping[str, Any]) -> FeedHints:
    ttl_minutes = _positive_int(feed.get("ttl"))
    period = _text(feed.get("sy_updateperiod")).lower()
    update_seconds: int | None = None
    if period in _SY_PERIOD_SECONDS or feed.get("sy_updatefrequency"):
        # The syndication module defaults to "daily" and a frequency of 1 when either is missing.
        frequency = _positive_int(feed.get("sy_updatefrequency")) or 1
        update_seconds = max(1, _SY_PERIOD_SECONDS.get(period, 86400) // frequency)
    return FeedHints(ttl_seconds=ttl_minutes * 60 if ttl_minutes else None, update_period_seconds=update_seconds)


def _summary_of(entry: Mapping[str, Any]) -> str:
    summary = _text(entry.get("summary"))
    if summary:
        return summary
    for content in entry.get("content") or []:
        value = _text(content.get("value") if isinstance(content, Mapping) else None)
        if value:
            return value
    return ""


def _feedparser_headers(url: str, headers: Mapping[str, str] | None, charset: str | None) -> dict[str, str]:
    merged = {name.lower(): value for name, value in (headers or {}).items()}
    # feedparser resolves relative links against Content-Location.
    merged.setdefault("content-location", url)
    # Only the charset of the server's Content-Type is worth passing on. Feeds are often served as
    # text/html or text/plain, which makes feedparser flag a good feed as ill-formed, and RFC 3023 makes
    # text/xml without a charset mean US-ASCII, overriding the encoding the XML declaration states.
    merged["content-type"] = f"application/xml; charset={charset}" if charset else "application/xml"
    # Transfer details describe the bytes on the wire, which fetch has already decoded.
    merged.pop("content-encoding", None)
    merged.pop("content-length", None)
    return merged


def _parse_with_feedparser(body: bytes, url: str, headers: dict[str, str], now: datetime) -> ParsedFeed:
    # A stream, never the bytes themselves: given bytes, feedparser first tries them as a file name, so a
    # body that is a local path would be read from this machine's disk.
    result = feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=True
    )
    feed: Mapping[str, Any] = result.get("feed", {})
    version = str(result.get("version") or "")
    bozo_warning = None
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        bozo_warning = f"{type(exc).__name__}: {exc}" if exc is not None else "ill-formed feed"
    raw_entries = result.get("entries") or []
    if not version and not raw_entries:
        return ParsedFeed(not_a_feed=True, reason=bozo_warning or "no RSS, Atom or JSON Feed structure found")
    base = _text(feed.get("link")) or url
    entries: list[FeedEntry] = []
    for raw in raw_entries:
        title = _text(raw.get("title"))
        summary = _summary_of(raw)
        entries.append(
            _make_entry(
                guid=_text(raw.get("id")),
                url=_text(raw.get("link")),
                title=title,
                summary=summary,
                published=_struct_to_datetime(raw.get("published_parsed") or raw.get("updated_parsed")),
                author=_text(raw.get("author")),
                base=url,
                now=now,
            )
        )
    return ParsedFeed(
        title=_text(feed.get("title")),
        link=urljoin(url, base),
        entries=entries,
        bozo_warning=bozo_warning,
        hints=_hints_from(feed),
        format=version or "unknown",
        language=_text(feed.get("language")).lower()[:20],
    )


# --- JSON Feed ------------------------------------------------------------------------------------------

def _looks_like_json(body: bytes) -> bool:
    # By the body, not the Content-Type: JSON Feeds are often served as text/plain or application/json,
    # and nothing else a feed URL returns starts with "{".
    return body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _iso_date(value: object) -> datetime | None:
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None


def _json_author(item: Mapping[str, Any], feed: Mapping[str, Any]) -> str:
    for source in (item, feed):
        authors = source.get("authors")
        if isinstance(authors, list):
            names = [_text(a.get("name")) for a in authors if isinstance(a, Mapping)]
            if any(names):
                return ", ".join(n for n in names if n)
        author = source.get("author")
        if isinstance(author, Mapping) and _text(author.get("name")):
            return _text(author.get("name"))
    return ""


def _parse_json_feed(body: bytes, url: str, now: datetime) -> ParsedFeed:
    try:
        document = json.loads(body.lstrip(b"\xef\xbb\xbf"))
    except (ValueError, UnicodeDecodeError) as exc:
        return ParsedFeed(not_a_feed=True, reason=f"JSON could not be read: {exc}")
    if not isinstance(document, dict) or not isinstance(document.get("items", []), list):
        return ParsedFeed(not_a_feed=True, reason="JSON document is not a JSON Feed (no items list)")
    version = _text(document.get("version"))
    if "jsonfeed.org" not in version and "items" not in document:
        return ParsedFeed(not_a_feed=True, reason="JSON document is not a JSON Feed (no jsonfeed.org version)")
    base = _text(document.get("home_page_url")) or url
    entries: list[FeedEntry] = []
    for item in document.get("items", []):
        if not isinstance(item, dict):
            continue
        title = _text(item.get("title"))
        summary = _text(item.get("content_html")) or _text(item.get("summary")) or _text(item.get("content_text"))
        link = _text(item.get("url")) or _text(item.get("external_url"))
        raw_id = item.get("id")
        entries.append(
            _make_entry(
                guid=str(raw_id).strip() if raw_id is not None else "",
                url=link,
                title=title,
                summary=summary,
                published=_iso_date(item.get("date_published")) or _iso_date(item.get("date_modified")),
                author=_json_author(item, document),
                base=url,
                now=now,
            )
        )
    return ParsedFeed(
        title=_text(document.get("title")),
        link=urljoin(url, base),
        entries=entries,
        format="json11" if version.rstrip("/").endswith("1.1") else "json1",
        language=_text(document.get("language")).lower()[:20],
    )


# --- HTML pages that advertise feeds --------------------------------------------------------------------

_ALTERNATE_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json"})
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)


class _AlternateLinkFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"].strip()
        if tag != "link":
            return
        rels = values.get("rel", "").lower().split()
        media_type = parse_content_type(values.get("type")).media_type
        href = values.get("href", "").strip()
        if "alternate" in rels and media_type in _ALTERNATE_FEED_TYPES and href:
            self.links.append(href)


def find_alternate_feeds(html: bytes, *, url: str, charset: str | None = None) -> list[str]:
    """Absolute URLs of the feeds an HTML page advertises, in page order, without duplicates."""
    finder = _AlternateLinkFinder()
    try:
        finder.feed(html.decode(charset or "utf-8", errors="replace"))
        finder.close()
    except (LookupError, AssertionError):
        # An unknown charset name or markup bad enough to trip the parser: keep what was found so far.
        pass
    base = urljoin(url, finder.base) if finder.base else url
    found: list[str] = []
    for href in finder.links:
        absolute = urljoin(base, href)
        if absolute not in found:
            found.append(absolute)
    return found


def _looks_like_html(body: bytes) -> bool:
    # Sniffed from the body, not the Content-Type: plenty of real feeds are served as text/html.
    return bool(_HTML_START.match(body[:2048]))


# --- Entry point ----------------------------------------------------------------------------------------


def _response_content_type(content_type: str | None, headers: Mapping[str, str] | None) -> ContentType:
    raw = content_type
    if raw is None and headers:
        raw = next((v for k, v in headers.items() if k.lower() == "content-type"), None)
    return parse_content_type(raw)


def parse_feed(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    headers: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> ParsedFeed:
    """Parse `body` fetched from `url`. Never raises; see the module docstring for what comes back.

    `content_type` (the full header value) and `headers` (the response headers) let feedparser honour the
    server's charset. `now` is for tests of the future-date clamp.
    """
    now = now or datetime.now(UTC)
    media_type, charset = _response_content_type(content_type, headers)
    try:
        if not body or not body.strip():
            return ParsedFeed(not_a_feed=True, reason="the response body is empty")
        if _looks_like_json(body):
            return _parse_json_feed(body, url, now)
        parsed = _parse_with_feedparser(body, url, _feedparser_headers(url, headers, charset), now)
        if not parsed.not_a_feed:
            # Checked before the HTML sniff: some servers wrap a perfectly good feed in XHTML.
            return parsed
        if _looks_like_html(body) or media_type in ("text/html", "application/xhtml+xml"):
            alternates = find_alternate_feeds(body, url=url, charset=charset)
            found = f"; it links to {len(alternates)} feed(s)" if alternates else " and links to no feed"
            return ParsedFeed(
                not_a_feed=True, reason=f"the URL returned an HTML page, not a feed{found}", alternate_feeds=alternates
            )
        if b"<link" in body[:65536].lower():
            # Markup that is neither a feed nor obviously HTML may still advertise feeds.
            alternates = find_alternate_feeds(body, url=url, charset=charset)
            return ParsedFeed(not_a_feed=True, reason=parsed.reason, alternate_feeds=alternates)
        return parsed
    except Exception as exc:  # noqa: BLE001 - the contract is "never raises": report, don't crash the poller
        logger.warning("feed parser failed on %s", url, exc_info=True)
        return ParsedFeed(not_a_feed=True, reason=f"the feed could not be parsed ({type(exc).__name__}: {exc})")
