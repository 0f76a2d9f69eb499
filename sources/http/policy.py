"""What a fetch may do and what it hands back: `FetchPolicy`, `FetchResponse` and `FetchError`.

`FetchPolicy` holds the limits every fetch runs under (timeouts, size caps, redirects, per-host concurrency,
the private-network switch, the User-Agent). Settings are read only by `FetchPolicy.from_settings`, lazily,
so the package works from plain scripts and benchmarks that never configure Django.

Non-2xx answers (304, 404, 429, 5xx...) are returned as `FetchResponse`; deciding what they mean for a
source is `sources.schedule`'s job. Only transport problems raise `FetchError`.

Not for: doing anything on the network (`sources.http.client`), or deciding whether to retry (a
`FetchError` only says whether retrying *may* help; when to retry is `sources.schedule`'s call).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

DEFAULT_USER_AGENT = "MonitorBot/0.1 (+https://github.com/monitor-osint/monitor)"

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
    per_host_min_interval: float = 0.0
    """Seconds between the starts of two requests to one host (0: no spacing, only the concurrency cap)."""
    redis_url: str = ""
    """With a Redis URL the per-host limits hold across every process sharing it (sources.http.politeness)."""
    tls_ca_file: str | None = None
    """PEM bundle to trust instead of the system's CAs (a deployment's private CA, or a test's own)."""
    address_allowed: AddressPredicate | None = field(default=None, compare=False)
    resolver: Resolver | None = field(default=None, compare=False)

    @classmethod
    def from_settings(cls) -> FetchPolicy:
        # Imported here so that importing this package never requires configured Django settings.
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
            per_host_min_interval=float(
                getattr(settings, "MONITOR_PER_HOST_MIN_INTERVAL", defaults.per_host_min_interval)
            ),
            redis_url=str(getattr(settings, "REDIS_URL", "") or ""),
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
    """The Content-Type's charset label, lower-cased and unquoted, e.g. "iso-8859-1"; None when absent.
    A label as the server sent it, not a codec name: see `sources.http.content_type.codec_for_charset`."""

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
