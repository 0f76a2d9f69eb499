"""`fetch`: one HTTP request to the outside world, with its redirects, under a `FetchPolicy`.

This is the only code in Monitor that sends HTTP requests; feeds and article pages both come through
here, which is what lets the rules below hold for everything:

* **Redirects** are followed here, hop by hop, and every hop goes through the private-network guard
  (`sources.http.addresses`) again before anything connects to it.
* **Bounded cost.** Separate connect and read timeouts, plus the total deadline enforced by the watchdog
  (`sources.http.connection`). Wire bytes are capped, an honest Content-Length over the cap is refused
  before the body is read, and the decoded body is capped too, as is the number of content codings
  (`sources.http.decoding`).
* **Politeness.** A clear User-Agent, conditional GET (If-None-Match / If-Modified-Since), and the
  per-host concurrency slot held for the whole of each hop.

Non-2xx answers are returned, not raised; only transport problems raise `FetchError`.

Not for: parsing what was fetched (`sources.feeds`, `sources.extraction`), retry or polling policy
(`sources.schedule`), or anything that needs Django models.
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from sources.http.addresses import resolve, vet_addresses
from sources.http.connection import PinnedHTTPConnection, PinnedHTTPSConnection, Watchdog, tls_context
from sources.http.politeness import HostBusy, host_gate
from sources.http.content_type import parse_content_type
from sources.http.decoding import MAX_CODINGS, SUPPORTED_CODINGS, Inflater, TooLarge, content_codings
from sources.http.policy import FetchError, FetchPolicy, FetchResponse

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str
    port: int
    request_target: str

    @property
    def host_key(self) -> str:
        return self.host if self.port == DEFAULT_PORTS[self.scheme] else f"{self.host}:{self.port}"


# Characters that may stay as they are in a request target; everything else (spaces, non-ASCII from a
# sloppy Location header) is percent-encoded so http.client can send it.
_TARGET_SAFE = "/?&=%:@!$'()*+,;-._~"


def _parse_target(url: str) -> _Target:
    try:
        parts = urlsplit(url.strip())
        port_number = parts.port
    except ValueError as exc:
        raise FetchError(
            "bad-url", f"{url!r} is not a valid URL ({exc}); correct the source's address.", url=url
        ) from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}://" if scheme else "no scheme"
        raise FetchError(
            "bad-scheme",
            f"Refused to fetch {url}: it uses {shown}, and Monitor only fetches http:// and https:// URLs. "
            "Change the source's address to a web URL.",
            url=url,
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchError("bad-url", f"{url!r} has no host name; correct the source's address.", url=url)
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError as exc:
        raise FetchError("bad-url", f"The host name in {url!r} is not valid ({exc}).", url=url) from exc
    port = port_number if port_number is not None else DEFAULT_PORTS[scheme]
    target = quote(parts.path or "/", safe=_TARGET_SAFE)
    if parts.query:
        target += "?" + quote(parts.query, safe=_TARGET_SAFE)
    return _Target(url=url, scheme=scheme, host=host, port=port, request_target=target)


def _decode_location(raw: str) -> str:
    # http.client hands header values over as Latin-1; a Location with UTF-8 bytes (common for non-English
    # slugs) would otherwise be percent-encoded twice.
    if raw.isascii():
        return raw
    try:
        return raw.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return raw


def _request_headers(
    policy: FetchPolicy, etag: str | None, last_modified: str | None, accept: str | None
) -> dict[str, str]:
    headers = {
        "User-Agent": policy.user_agent,
        "Accept": accept or "*/*",
        "Accept-Encoding": ", ".join(SUPPORTED_CODINGS),
        # One request per connection: connections are pinned to a vetted address and never reused.
        "Connection": "close",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _timed_out(url: str, policy: FetchPolicy, while_doing: str) -> FetchError:
    return FetchError(
        "timeout",
        f"Gave up on {url} after {policy.total_timeout:g}s (the total time limit) while {while_doing}. "
        "The server is too slow or is trickling data.",
        url=url,
    )


@dataclass
class _Hop:
    status: int
    headers: dict[str, str]
    body: bytes
    wire_bytes: int
    location: str | None


def _connect(target: _Target, policy: FetchPolicy, deadline: float, watchdog: Watchdog) -> http.client.HTTPConnection:
    addresses = vet_addresses(
        target.host, target.port, resolve(target.host, target.port, policy, target.url, deadline), policy, target.url
    )
    last_error: Exception | None = None
    for ip in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timed_out(target.url, policy, "connecting")
        timeout = min(policy.connect_timeout, remaining)
        conn: http.client.HTTPConnection
        if target.scheme == "https":
            conn = PinnedHTTPSConnection(
                target.host, target.port, address=ip, timeout=timeout, watchdog=watchdog,
                context=tls_context(policy.tls_ca_file),
            )
        else:
            conn = PinnedHTTPConnection(target.host, target.port, address=ip, timeout=timeout, watchdog=watchdog)
        try:
            conn.connect()
            return conn
        except ssl.SSLCertVerificationError as exc:
            conn.close()
            raise FetchError(
                "tls-error",
                f"The TLS certificate of {target.host} could not be verified ({exc.verify_message}). "
                "The site's certificate is wrong or expired; Monitor will not fetch it insecurely.",
                url=target.url,
                temporary=False,
            ) from exc
        except ssl.SSLError as exc:
            conn.close()
            if watchdog.fired:
                raise _timed_out(target.url, policy, "negotiating TLS") from exc
            raise FetchError(
                "tls-error", f"The TLS handshake with {target.host} failed ({exc}).",
                url=target.url,
            ) from exc
        except (TimeoutError, socket.timeout) as exc:
            conn.close()
            last_error = exc
        except OSError as exc:
            conn.close()
            if watchdog.fired:
                raise _timed_out(target.url, policy, "connecting") from exc
            last_error = exc
    if isinstance(last_error, (TimeoutError, socket.timeout)):
        raise FetchError(
            "timeout",
            f"Connecting to {target.host} port {target.port} took longer than {policy.connect_timeout:g}s; "
            "the server may be down or overloaded.",
            url=target.url,
        ) from last_error
    raise FetchError(
        "connect-failed",
        f"Could not connect to {target.host} port {target.port} ({last_error}); the server may be down.",
        url=target.url,
    ) from last_error


def _read_body(
    response: http.client.HTTPResponse,
    conn: http.client.HTTPConnection,
    target: _Target,
    policy: FetchPolicy,
    deadline: float,
    watchdog: Watchdog,
) -> tuple[bytes, int]:
    wire_limit = policy.wire_limit
    declared = response.getheader("Content-Length")
    if declared is not None and declared.strip().isdigit() and int(declared) > wire_limit:
        raise FetchError(
            "too-large",
            f"{target.url} announces a body of {int(declared):,} bytes, over the {wire_limit:,}-byte limit; "
            "it was not downloaded. Raise MONITOR_MAX_BYTES if this source really needs it.",
            url=target.url,
        )
    # getheader joins repeated Content-Encoding headers into one list, so they all count.
    codings = content_codings(response.getheader("Content-Encoding") or "")
    if len(codings) > MAX_CODINGS:
        raise FetchError(
            "protocol-error",
            f"{target.url} was refused: the server applied {len(codings)} content codings; at most {MAX_CODINGS} "
            "are accepted. No real server layers its compression like that.",
            url=target.url,
            temporary=False,
        )
    unsupported = [c for c in codings if c not in SUPPORTED_CODINGS]
    if unsupported:
        raise FetchError(
            "protocol-error",
            f"{target.url} was sent with Content-Encoding {', '.join(unsupported)}, which Monitor did not ask "
            "for and cannot decode.",
            url=target.url,
            temporary=False,
        )
    # Undo the codings in reverse order of application, each stage capped at max_bytes.
    inflaters = [Inflater(c, policy.max_bytes) for c in reversed(codings)]
    pieces: list[bytes] = []
    wire_bytes = 0
    produced = 0
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _timed_out(target.url, policy, "reading the body")
            if conn.sock is not None:
                conn.sock.settimeout(min(policy.read_timeout, remaining))
            chunk = response.read1(READ_CHUNK)
            if not chunk:
                if watchdog.fired:
                    raise _timed_out(target.url, policy, "reading the body")
                # read1 reports a connection closed before Content-Length was reached as a plain EOF.
                if response.length:
                    raise http.client.IncompleteRead(b"", response.length)
                break
            wire_bytes += len(chunk)
            if wire_bytes > wire_limit:
                raise TooLarge
            for inflater in inflaters:
                chunk = inflater.feed(chunk)
            produced += len(chunk)
            if produced > policy.max_bytes:
                raise TooLarge
            pieces.append(chunk)
        for index, inflater in enumerate(inflaters):
            tail = inflater.finish()
            for later in inflaters[index + 1 :]:
                tail = later.feed(tail) + later.finish()
            produced += len(tail)
            if produced > policy.max_bytes:
                raise TooLarge
            pieces.append(tail)
    except TooLarge:
        if wire_bytes > wire_limit:
            detail = f"more than {wire_limit:,} bytes"
        else:
            detail = f"a body that decompressed to more than {policy.max_bytes:,} bytes"
        raise FetchError(
            "too-large",
            f"{target.url} sent {detail}, over the limit, so the download was stopped. "
            "Raise MONITOR_MAX_BYTES if this source really needs it.",
            url=target.url,
        ) from None
    except zlib.error as exc:
        raise FetchError(
            "protocol-error",
            f"{target.url} sent a {'/'.join(codings)} body that could not be decompressed ({exc}).",
            url=target.url,
        ) from exc
    return b"".join(pieces), wire_bytes


def _fetch_one_hop(
    target: _Target,
    method: str,
    headers: dict[str, str],
    policy: FetchPolicy,
    deadline: float,
) -> _Hop:
    try:
        with host_gate(target.host_key, policy, deadline):
            return _exchange(target, method, headers, policy, deadline)
    except HostBusy as exc:
        raise _timed_out(target.url, policy, f"waiting for a free slot for {target.host_key}") from exc


def _exchange(
    target: _Target,
    method: str,
    headers: dict[str, str],
    policy: FetchPolicy,
    deadline: float,
) -> _Hop:
    watchdog = Watchdog(deadline)
    conn: http.client.HTTPConnection | None = None
    stage = "connecting"
    try:
        conn = _connect(target, policy, deadline, watchdog)
        stage = "sending the request"
        if conn.sock is not None:
            conn.sock.settimeout(min(policy.read_timeout, max(0.001, deadline - time.monotonic())))
        conn.request(method, target.request_target, headers=headers)
        stage = "waiting for the response headers"
        response = conn.getresponse()
        response_headers: dict[str, str] = {}
        for name, value in response.getheaders():
            key = name.lower()
            response_headers[key] = f"{response_headers[key]}, {value}" if key in response_headers else value
        location = response_headers.get("location") if response.status in REDIRECT_STATUSES else None
        if location or method == "HEAD" or response.status in (204, 304) or 100 <= response.status < 200:
            return _Hop(response.status, response_headers, b"", 0, location)
        stage = "reading the body"
        body, wire_bytes = _read_body(response, conn, target, policy, deadline, watchdog)
        return _Hop(response.status, response_headers, body, wire_bytes, None)
    except FetchError:
        raise
    except (TimeoutError, socket.timeout) as exc:
        if watchdog.fired or time.monotonic() >= deadline:
            raise _timed_out(target.url, policy, stage) from exc
        raise FetchError(
            "timeout",
            f"{target.host} stopped sending data for {policy.read_timeout:g}s while {stage} for {target.url}.",
            url=target.url,
        ) from exc
    except (http.client.HTTPException, OSError, ValueError) as exc:
        # A watchdog shutdown surfaces as EOF or a reset; report it as the timeout it really is.
        if watchdog.fired:
            raise _timed_out(target.url, policy, stage) from exc
        if isinstance(exc, ssl.SSLError):
            raise FetchError(
                "tls-error", f"TLS failed with {target.host} while {stage} ({exc}).",
                url=target.url,
            ) from exc
        raise FetchError(
            "protocol-error",
            f"{target.host} broke the HTTP exchange while {stage} for {target.url} "
            f"({type(exc).__name__}: {exc or 'connection closed'}).",
            url=target.url,
        ) from exc
    finally:
        watchdog.cancel()
        if conn is not None:
            conn.close()


def fetch(
    url: str,
    *,
    policy: FetchPolicy | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
    method: str = "GET",
) -> FetchResponse:
    """Fetch `url` under `policy` (default: `FetchPolicy()`), following redirects itself.

    Returns the final response whatever its status; raises `FetchError` for transport failures.
    """
    policy = policy or FetchPolicy()
    method = method.upper()
    started = time.monotonic()
    deadline = started + policy.total_timeout
    headers = _request_headers(policy, etag, last_modified, accept)
    current = url
    seen: list[str] = []
    while True:
        target = _parse_target(current)
        seen.append(current)
        hop = _fetch_one_hop(target, method, headers, policy, deadline)
        if hop.location is None:
            break
        next_url = urljoin(current, _decode_location(hop.location.strip()))
        if next_url in seen:
            raise FetchError(
                "redirect-loop",
                f"{url} redirects in a loop ({' -> '.join(seen + [next_url])}); the site is misconfigured. "
                "Check the address in a browser and update the source.",
                url=url,
            )
        if len(seen) > policy.max_redirects:
            raise FetchError(
                "too-many-redirects",
                f"{url} redirected more than {policy.max_redirects} times (last to {next_url}); update the "
                "source to point at the final address.",
                url=url,
            )
        if hop.status == 303 and method != "HEAD":
            method = "GET"
        current = next_url
    content_type, charset = parse_content_type(hop.headers.get("content-type", ""))
    elapsed = time.monotonic() - started
    logger.debug("fetched %s -> %s %s in %.2fs (%d wire bytes)", url, current, hop.status, elapsed, hop.wire_bytes)
    return FetchResponse(
        url=current,
        status=hop.status,
        headers=hop.headers,
        body=hop.body,
        wire_bytes=hop.wire_bytes,
        elapsed=elapsed,
        redirects=tuple(seen[:-1]),
        content_type=content_type,
        charset=charset,
    )
