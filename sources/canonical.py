"""One spelling per article URL, so the same story reached by different links is stored once.

Feeds and social shares decorate links with campaign tags (utm_*, fbclid...), change the host's case,
spell out default ports and add fragments. `canonical_url` removes exactly those differences and nothing
that could change which page the server returns: the path keeps its case and encoding, and query
parameters other than the tracking ones below are kept (only their order is normalised). `url_hash` turns
the canonical URL into a fixed-length key for a unique database column.

`feed_identity` and `source_key` go one step further for feed sources (scheme, `www.` and trailing
slashes ignored), to refuse a second source for one feed.

Not for: following redirects or reading <link rel="canonical"> (that needs a fetch; see `sources.http`),
or deciding whether two different URLs carry the same story (that is near-duplicate detection).
"""

from __future__ import annotations

import hashlib
from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

#: Query parameters that only say how a reader arrived, never which page to serve. Compared
#: case-insensitively.
TRACKING_PARAMETERS = frozenset(
    {
        # Ad-network click ids
        "fbclid",  # Facebook
        "gclid", "gclsrc", "dclid", "gbraid", "wbraid",  # Google Ads / DoubleClick
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "twclid",  # X / Twitter
        "li_fat_id",  # LinkedIn
        "igshid", "igsh",  # Instagram share ids
        # Analytics cookies passed in links
        "_ga", "_gl",
        # Mailchimp, HubSpot, Marketo, Vero, Olytics newsletters
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "vero_id", "vero_conv", "oly_enc_id", "oly_anon_id",
        # Referrer and campaign tags used by news sites
        "ref", "ref_src", "ref_url", "cmpid", "ocid", "ncid", "smid", "sr_share", "__twitter_impression",
        "wt.mc_id", "s_cid", "icid",
        # AT Internet (BBC and others)
        "at_medium", "at_campaign", "at_campaign_type", "at_link_id", "at_link_origin", "at_link_type",
        "at_format", "at_platform", "at_ptr_name", "at_bbc_team",
    }
)

#: Parameter name prefixes that are always tracking: Google's utm_* family, AT Internet's custom fields.
TRACKING_PREFIXES = ("utm_", "at_custom")

_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_parameter(name: str) -> bool:
    lowered = unquote_plus(name).strip().lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def _canonical_query(query: str) -> str:
    # Work on the raw "name=value" pieces so the kept parameters keep their exact encoding: re-encoding
    # could turn one server's idea of the URL into another.
    kept = [
        piece for piece in query.split("&") if piece and not is_tracking_parameter(piece.partition("=")[0])
    ]
    return "&".join(sorted(kept))


def _canonical_netloc(parts: SplitResult) -> str:
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    host = host.rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    userinfo, _, _ = parts.netloc.rpartition("@")
    netloc = f"{userinfo}@{host}" if userinfo else host
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        netloc += f":{port}"
    return netloc


def canonical_url(url: str) -> str:
    """The canonical spelling of `url`: see the module docstring. Anything without a scheme and host comes
    back stripped but otherwise unchanged."""
    stripped = url.strip()
    parts = urlsplit(stripped)
    if not parts.scheme or not parts.netloc:
        return stripped
    scheme = parts.scheme.lower()
    path = parts.path or "/"
    return urlunsplit((scheme, _canonical_netloc(parts), path, _canonical_query(parts.query), ""))


def url_hash(url: str) -> str:
    """SHA-256 hex digest of `canonical_url(url)`: 64 characters, fit for a unique index."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()


def feed_identity(url: str) -> str:
    """What every spelling of one feed's address has in common: the canonical URL without its scheme, a leading
    `www.` or trailing slashes. `http://www.example.org/feed/?utm_source=x#top` and `https://example.org/feed`
    are one feed; `https://example.org/feed?lang=ur` is another.

    Only for telling sources apart (a source is stored under its canonical URL, and fetched as that): a site
    that serves different feeds with and without `www.` is not worth a second source."""
    try:
        canonical = canonical_url(url)
        parts = urlsplit(canonical)
    except ValueError:
        return url.strip()  # not a URL at all (an unclosed IPv6 bracket): only itself is the same
    if not parts.scheme or not parts.netloc:
        return canonical
    host = parts.netloc[4:] if parts.netloc.startswith("www.") else parts.netloc
    path = parts.path.rstrip("/")
    return host + path + (f"?{parts.query}" if parts.query else "")


def source_key(url: str) -> str:
    """SHA-256 hex digest of `feed_identity(url)`: the unique key that keeps one feed from being two sources."""
    return hashlib.sha256(feed_identity(url).encode("utf-8")).hexdigest()
