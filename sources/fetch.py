"""The one module that talks HTTP to the outside world.

Everything Monitor downloads (feeds, article pages, favicons) goes through `fetch`, which owns the rules a
crawler run by an OSINT team must keep:

* **Private-network guard.** Hostnames are resolved here, every address is vetted (no loopback, RFC 1918,
  link-local, multicast, reserved, unspecified, shared 100.64/10, or IPv6 forms that embed them), and the
  socket is opened to the vetted address itself, so a DNS answer that changes between the check and the
  connect (DNS rebinding) cannot steer us inside. The Host header, TLS SNI and certificate check still use
  the hostname. Redirects are followed here, hop by hop, with the same checks on every hop.
* **Bounded cost.** Separate connect and read timeouts, plus a total deadline enforced by a watchdog that
  shuts the socket, so a server trickling a byte a second cannot hold a worker. Bodies are decompressed
  here with a streaming decoder capped at `max_bytes`, so a gzip bomb stops after the cap, not after
  filling memory. Wire bytes are capped too, and an honest Content-Length over the cap is refused early.
* **Politeness.** A clear User-Agent, conditional GET (If-None-Match / If-Modified-Since), and at most
  `per_host_concurrency` requests in flight per host within this process.

Non-2xx answers (304, 404, 429, 5xx...) are returned as `FetchResponse`; deciding what they mean for a
source is `sources.schedule`'s job. Only transport problems raise `FetchError`.

Not for: parsing what was fetched (see `sources.feeds`), retry or polling policy (`sources.schedule`),
or anything that needs Django models. Settings are read only by `FetchPolicy.from_settings`, lazily, so
this module works from plain scripts and benchmarks.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

logger = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "MonitorBot/0.1 (+https://github.com/monitor-osint/monitor)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
READ_CHUNK = 64 * 1024

#: (ip, port) -> may we connect there? Replaces the public-address rule when set on a policy.
AddressPredicate = Callable[[str, int], bool]
#: (hostname, port) -> IP address strings, in the order to try them. Replaces getaddrinfo when set.
Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class FetchPolicy:
    """How far `fetch` may go. Build one from Django settings with `from_settings()`.

    `address_allowed` and `resolver` are seams for tests and unusual deployments: with a local test
    server every address is loopback, so tests pass a predicate that allows only the first server's port
    to prove that a redirect hop is re-checked, and a resolver whose answer changes to prove that the
    address connected to is the one that was vetted.
    """

    allow_private: bool = False
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    max_compressed_bytes: int | None = None
    max_redirects: int = 5
    per_host_concurrency: int = 2
    tls_ca_file: str | None = None
    """PEM bundle to trust instead of the system's CAs (a deployment's private CA, or a test's own)."""
    address_allowed: AddressPredicate | None = field(default=None, compare=False)
    resolver: Resolver | None = field(default=None, compare=False)

    @classmethod
    def from_settings(cls) -> FetchPolicy:
        # Imported here so that importing this module never requires configured Django settings.
        from django.conf import settings

        defaults = cls()
        return cls(
            allow_private=bool(getattr(settings, "MONITOR_ALLOW_PRIVATE_FETCH", defaults.allow_private)),
            user_agent=str(getattr(settings, "MONITOR_USER_AGENT", defaults.user_agent)),
            connect_timeout=float(getattr(settings, "MONITOR_CONNECT_TIMEOUT", defaults.connect_timeout)),
            read_timeout=float(getattr(settings, "MONITOR_READ_TIMEOUT", defaults.read_timeout)),
            total_timeout=float(getattr(settings, "MONITOR_TOTAL_TIMEOUT", defaults.total_timeout)),
            max_bytes=int(getattr(settings, "MONITOR_MAX_BYTES", defaults.max_bytes)),
            max_redirects=int(getattr(settings, "MONITOR_MAX_REDIRECTS", defaults.max_redirects)),
            per_host_concurrency=int(
                getattr(settings, "MONITOR_PER_HOST_CONCURRENCY", defaults.per_host_concurrency)
            ),
        )

    @property
    def wire_limit(self) -> int:
        return self.max_bytes if self.max_compressed_bytes is None else self.max_compressed_bytes


@dataclass(frozen=True)
class FetchResponse:
    url: str
    """Final URL, after redirects."""
    status: int
    headers: Mapping[str, str]
    """Lower-cased names; repeated headers joined with ", "."""
    body: bytes
    """After Content-Encoding has been undone."""
    wire_bytes: int
    elapsed: float
    redirects: tuple[str, ...]
    """Every URL that answered with a redirect, in order; empty when the first URL answered directly."""
    content_type: str
    """Media type only, lower-cased, e.g. "text/html"; "" when the server sent none."""
    charset: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


# Whether retrying later may help, by error code. Timeouts, resets and DNS trouble come and go; a blocked
# address, a bad scheme, an oversized body or a redirect loop will be the same next time.
_TEMPORARY_BY_CODE = {
    "bad-scheme": False,
    "bad-url": False,
    "blocked-address": False,
    "dns-failed": True,
    "connect-failed": True,
    "timeout": True,
    "too-many-redirects": False,
    "redirect-loop": False,
    "too-large": False,
    "tls-error": True,
    "protocol-error": True,
}


class FetchError(Exception):
    """A transport-level failure. `str(err)` is a sentence an admin can act on.

    code: one of "bad-scheme", "bad-url", "blocked-address", "dns-failed", "connect-failed", "timeout",
    "too-many-redirects", "redirect-loop", "too-large", "tls-error", "protocol-error".
    temporary: whether retrying later may help.
    """

    def __init__(self, code: str, message: str, *, url: str, temporary: bool | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.url = url
        self.temporary = _TEMPORARY_BY_CODE.get(code, True) if temporary is None else temporary

    def __reduce__(self) -> tuple[object, ...]:
        # Task queues pickle exceptions; the default would call FetchError(message) and fail.
        return (_rebuild_fetch_error, (self.code, str(self), self.url, self.temporary))

    def __repr__(self) -> str:
        return f"FetchError(code={self.code!r}, url={self.url!r}, temporary={self.temporary!r})"


def _rebuild_fetch_error(code: str, message: str, url: str, temporary: bool) -> FetchError:
    return FetchError(code, message, url=url, temporary=temporary)


# --- Address vetting ----------------------------------------------------------------------------------

_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")


def is_public_address(ip: str) -> bool:
    """True when `ip` is a globally routable unicast address that is safe to fetch from.

    IPv6 forms that carry an IPv4 address (IPv4-mapped, 6to4, NAT64) are judged by that IPv4 address, so
    ::ffff:127.0.0.1 is as private as 127.0.0.1.
    """
    try:
        address = ipaddress.ip_address(ip.strip().strip("[]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64_WELL_KNOWN:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(str(embedded))
        if address.is_site_local:
            return False  # fec0::/10, deprecated but still routed inside some networks
    if (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address in _SHARED_ADDRESS_SPACE
    ):
        return False
    # is_global also rules out the special-purpose blocks not covered above (for example 192.0.0.0/24).
    return address.is_global


def _describe_address(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip.strip("[]"))
    except ValueError:
        return "not a valid IP address"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"an IPv4-mapped form of {address.ipv4_mapped}, which is " + _describe_address(
            str(address.ipv4_mapped)
        )
    for label, flag in (
        ("a loopback address", address.is_loopback),
        ("a link-local address", address.is_link_local),
        ("a multicast address", address.is_multicast),
        ("the unspecified address", address.is_unspecified),
        ("in the shared carrier-grade NAT range 100.64.0.0/10", address in _SHARED_ADDRESS_SPACE),
        ("a private-network address", address.is_private),
        ("a reserved address", address.is_reserved),
    ):
        if flag:
            return label
    return "not a public address"


# getaddrinfo has no timeout of its own; running it on a small pool lets the total deadline cover DNS.
_dns_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="monitor-dns")


def _system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        ip = str(sockaddr[0])
        if ip not in addresses:
            addresses.append(ip)
    return addresses


def _resolve(host: str, port: int, policy: FetchPolicy, url: str, deadline: float) -> list[str]:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return [host]
    resolver = policy.resolver or _system_resolve
    wait = max(0.0, min(policy.connect_timeout, deadline - time.monotonic()))
    future = _dns_pool.submit(resolver, host, port)
    try:
        addresses = future.result(timeout=wait)
    except FutureTimeoutError:
        raise FetchError(
            "timeout", f"Looking up {host} took longer than {wait:.1f}s; the DNS server may be slow.", url=url
        ) from None
    except (OSError, UnicodeError) as exc:
        raise FetchError(
            "dns-failed",
            f"Could not look up {host} ({exc}). Check the spelling of the address; if it is right, the "
            "domain's DNS may be down.",
            url=url,
        ) from exc
    if not addresses:
        raise FetchError("dns-failed", f"{host} has no IP addresses in DNS.", url=url)
    return addresses


def _vet_addresses(host: str, port: int, addresses: list[str], policy: FetchPolicy, url: str) -> list[str]:
    if policy.address_allowed is not None:
        allowed = [ip for ip in addresses if policy.address_allowed(ip, port)]
    elif policy.allow_private:
        allowed = list(addresses)
    else:
        allowed = [ip for ip in addresses if is_public_address(ip)]
    if not allowed:
        first = addresses[0]
        raise FetchError(
            "blocked-address",
            f"Refused to fetch {url}: {host} resolves to {first}, which is {_describe_address(first)}. "
            "Monitor only fetches from public internet addresses; if this source really is on a trusted "
            "internal network, set MONITOR_ALLOW_PRIVATE_FETCH=1.",
            url=url,
        )
    return allowed


# --- Per-host politeness -------------------------------------------------------------------------------

_host_slots: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_host_slots_lock = threading.Lock()


def _host_slot(host_key: str, limit: int) -> threading.BoundedSemaphore:
    # Keyed by the limit too, so a script using a stricter policy gets its own budget instead of silently
    # inheriting whichever limit happened to create the semaphore first.
    key = (host_key, max(1, limit))
    with _host_slots_lock:
        slot = _host_slots.get(key)
        if slot is None:
            slot = _host_slots[key] = threading.BoundedSemaphore(key[1])
        return slot


# --- Connections pinned to a vetted address ------------------------------------------------------------


def _open_socket(ip: str, port: int, timeout: float) -> socket.socket:
    # AI_NUMERICHOST: the address is already vetted; this call must never turn into a second DNS lookup.
    family, socktype, proto, _canon, sockaddr = socket.getaddrinfo(
        ip, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
    )[0]
    sock = socket.socket(family, socktype, proto)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float, watchdog: _Watchdog) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address
        self.connect_timeout = timeout
        self.watchdog = watchdog

    def connect(self) -> None:
        self.sock = _open_socket(self.pinned_address, self.port, self.connect_timeout)
        self.watchdog.watch(self.sock)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(
        self, host: str, port: int, *, address: str, timeout: float, watchdog: _Watchdog, context: ssl.SSLContext
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self.pinned_address = address
        self.connect_timeout = timeout
        self.watchdog = watchdog
        self.tls_context = context

    def connect(self) -> None:
        raw = _open_socket(self.pinned_address, self.port, self.connect_timeout)
        try:
            # SNI and certificate verification use the hostname, not the pinned IP. The handshake is run
            # separately so the watchdog can already reach the socket while it is under way.
            tls = self.tls_context.wrap_socket(raw, server_hostname=self.host, do_handshake_on_connect=False)
        except BaseException:
            raw.close()
            raise
        self.sock = tls
        self.watchdog.watch(tls)
        tls.do_handshake()


_tls_contexts: dict[str | None, ssl.SSLContext] = {}
_tls_contexts_lock = threading.Lock()


def _tls_context(ca_file: str | None) -> ssl.SSLContext:
    # Building a context loads the whole CA bundle; do it once per bundle, not once per request.
    with _tls_contexts_lock:
        context = _tls_contexts.get(ca_file)
        if context is None:
            context = _tls_contexts[ca_file] = ssl.create_default_context(cafile=ca_file)
        return context


class _Watchdog:
    """Shuts a connection's socket at the deadline, so no single slow recv can outlive the total timeout.

    Per-read timeouts alone cannot do this: a server that sends one byte every few seconds satisfies every
    read timeout while holding the worker for as long as it likes.
    """

    def __init__(self, deadline: float) -> None:
        self.fired = False
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        self._sock = sock
        if self.fired:
            # The deadline passed before this socket existed (during DNS or connect): stop it at once.
            self._fire()

    def _fire(self) -> None:
        self.fired = True
        sock = self._sock
        if sock is None:
            return
        try:
            # The plain socket method on purpose: SSLSocket.shutdown would tear down TLS state that the
            # blocked reader thread is still using. A socket already closed has no descriptor left and
            # just raises, so this can never reach a descriptor number that was handed out again.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()


# --- Body decoding --------------------------------------------------------------------------------------


class _TooLarge(Exception):
    pass


class _Inflater:
    """Streaming gzip/deflate decoder that never produces more than `limit` bytes in total."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.encoding = encoding
        self.limit = limit
        self.produced = 0
        self._decoder: zlib._Decompress | None = None
        self._finished = False

    def _new_decoder(self, first_bytes: bytes) -> zlib._Decompress:
        if self.encoding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate; the zlib header
        # check (CM=8, header checksum divisible by 31) tells them apart.
        if len(first_bytes) >= 2 and first_bytes[0] & 0x0F == 8 and (first_bytes[0] * 256 + first_bytes[1]) % 31 == 0:
            return zlib.decompressobj(zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS)

    def feed(self, data: bytes) -> bytes:
        pieces: list[bytes] = []
        while data:
            if self._finished:
                if self.encoding == "gzip" and data[:2] == b"\x1f\x8b":
                    self._finished = False
                    self._decoder = None  # another gzip member follows
                else:
                    break  # trailing garbage after the stream: ignored, as browsers do
            if self._decoder is None:
                self._decoder = self._new_decoder(data)
            piece = self._decoder.decompress(data, self.limit - self.produced + 1)
            self.produced += len(piece)
            if self.produced > self.limit:
                raise _TooLarge
            pieces.append(piece)
            if self._decoder.eof:
                self._finished = True
                data = self._decoder.unused_data
            else:
                data = self._decoder.unconsumed_tail
        return b"".join(pieces)

    def finish(self) -> bytes:
        if self._decoder is None or self._finished:
            return b""
        tail = self._decoder.flush()
        self.produced += len(tail)
        if self.produced > self.limit:
            raise _TooLarge
        if not self._decoder.eof:
            raise zlib.error("compressed body ended before the end of the stream")
        return tail


def _content_codings(header: str) -> list[str]:
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    return ["gzip" if c == "x-gzip" else c for c in codings if c != "identity"]


def _split_content_type(value: str) -> tuple[str, str | None]:
    media_type, _, params = value.partition(";")
    charset: str | None = None
    for param in params.split(";"):
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").lower() or None
    return media_type.strip().lower(), charset


# --- The fetch itself ----------------------------------------------------------------------------------


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
        "Accept-Encoding": "gzip, deflate",
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


def _connect(target: _Target, policy: FetchPolicy, deadline: float, watchdog: _Watchdog) -> http.client.HTTPConnection:
    addresses = _vet_addresses(
        target.host, target.port, _resolve(target.host, target.port, policy, target.url, deadline), policy, target.url
    )
    last_error: Exception | None = None
    for ip in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timed_out(target.url, policy, "connecting")
        timeout = min(policy.connect_timeout, remaining)
        conn: http.client.HTTPConnection
        if target.scheme == "https":
            conn = _PinnedHTTPSConnection(
                target.host, target.port, address=ip, timeout=timeout, watchdog=watchdog,
                context=_tls_context(policy.tls_ca_file),
            )
        else:
            conn = _PinnedHTTPConnection(target.host, target.port, address=ip, timeout=timeout, watchdog=watchdog)
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
    watchdog: _Watchdog,
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
    codings = _content_codings(response.getheader("Content-Encoding") or "")
    unsupported = [c for c in codings if c not in ("gzip", "deflate")]
    if unsupported:
        raise FetchError(
            "protocol-error",
            f"{target.url} was sent with Content-Encoding {', '.join(unsupported)}, which Monitor did not ask "
            "for and cannot decode.",
            url=target.url,
            temporary=False,
        )
    # Undo the codings in reverse order of application, each stage capped at max_bytes.
    inflaters = [_Inflater(c, policy.max_bytes) for c in reversed(codings)]
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
                raise _TooLarge
            for inflater in inflaters:
                chunk = inflater.feed(chunk)
            produced += len(chunk)
            if produced > policy.max_bytes:
                raise _TooLarge
            pieces.append(chunk)
        for index, inflater in enumerate(inflaters):
            tail = inflater.finish()
            for later in inflaters[index + 1 :]:
                tail = later.feed(tail) + later.finish()
            produced += len(tail)
            if produced > policy.max_bytes:
                raise _TooLarge
            pieces.append(tail)
    except _TooLarge:
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
    slot = _host_slot(target.host_key, policy.per_host_concurrency)
    if not slot.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise _timed_out(target.url, policy, f"waiting for a free slot for {target.host_key}")
    watchdog = _Watchdog(deadline)
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
        slot.release()


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
    content_type, charset = _split_content_type(hop.headers.get("content-type", ""))
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
