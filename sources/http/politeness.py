"""Per-host politeness: how many requests may be in flight to one host, and how far apart they start.

Without Redis the limit holds within this process (a semaphore and a "next start" time per host), as it must
for a single machine. With `FetchPolicy.redis_url` (REDIS_URL) it holds across every worker process on every
machine sharing that Redis: each request takes a lease in a per-host sorted set and claims the host's next
start time, in one Lua script, so ten fetch workers send one host what one worker would. A lease lasts
LEASE_SECONDS and a thread in each process renews the leases it holds every third of that, so a long fetch
keeps its slot while a worker killed mid-request frees its slots within LEASE_SECONDS, long before the
requests waiting on them give up. If Redis cannot be reached, fetches keep this process's limit (with a
warning) rather than failing.

`host_gate(host_key, policy, deadline)` is a context manager around one request (one redirect hop).

Not for: per-source schedules and Retry-After (sources.schedule), or anything about the request itself.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis

from sources.http.policy import FetchPolicy

log = logging.getLogger(__name__)

# How long to sleep between tries when a host is busy: short, so a freed slot is taken up soon.
_POLL_SECONDS = 0.05
# A Redis that stops answering must not hold a fetch past this many seconds per call.
REDIS_TIMEOUT = 2.0
# How long a lease lives unless renewed: how long a killed worker's slot stays taken. Renewed every third of
# this, so a live fetch loses its slot only if its process cannot reach Redis for that long.
LEASE_SECONDS = 15.0


class HostBusy(Exception):
    """No slot for the host came free before the fetch's deadline."""


@contextmanager
def host_gate(host_key: str, policy: FetchPolicy, deadline: float) -> Iterator[None]:
    """Holds one of the host's `per_host_concurrency` slots, started no sooner than `per_host_min_interval`
    after the previous request to the host began, for the body of the `with`. Raises HostBusy at `deadline`."""
    lease = _take_redis_lease(host_key, policy, deadline) if policy.redis_url else None
    if lease is None:
        with _local_gate(host_key, policy, deadline):
            yield
        return
    try:
        yield
    finally:
        lease.release()


# --- Within this process ---------------------------------------------------------------------------------

_slots: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_next_start: dict[str, float] = {}
_lock = threading.Lock()


def host_slot(host_key: str, limit: int) -> threading.BoundedSemaphore:
    """The semaphore that caps requests in flight to `host_key` ("host" or "host:port") at `limit`."""
    # Keyed by the limit too, so a script using a stricter policy gets its own budget instead of silently
    # inheriting whichever limit happened to create the semaphore first.
    key = (host_key, max(1, limit))
    with _lock:
        slot = _slots.get(key)
        if slot is None:
            slot = _slots[key] = threading.BoundedSemaphore(key[1])
        return slot


@contextmanager
def _local_gate(host_key: str, policy: FetchPolicy, deadline: float) -> Iterator[None]:
    slot = host_slot(host_key, policy.per_host_concurrency)
    if not slot.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise HostBusy(host_key)
    try:
        if policy.per_host_min_interval > 0:
            with _lock:
                start = max(time.monotonic(), _next_start.get(host_key, 0.0))
                if start > deadline:  # give up without booking: a request that gives up takes no turn
                    raise HostBusy(host_key)
                _next_start[host_key] = start + policy.per_host_min_interval
            time.sleep(max(0.0, start - time.monotonic()))
        yield
    finally:
        slot.release()


# --- Across machines, through Redis ----------------------------------------------------------------------

# KEYS: the host's lease set, the host's next-start key. ARGV: now (ms), lease (ms), limit, token, spacing (ms).
# Each lease is scored by its own expiry, so a worker with a shorter timeout never evicts another's live lease.
# Returns 0 with the lease taken, or how many ms to wait before trying again.
_TAKE_SLOT = """
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 50  -- every slot taken: try again shortly
end
local spacing = tonumber(ARGV[5])
if spacing > 0 then
  local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
  if now < next_start then
    return next_start - now
  end
  redis.call('SET', KEYS[2], now + spacing, 'PX', spacing + 1000)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[4])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) + 1000 then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000)
end
return 0
"""

# KEYS: the host's lease set. ARGV: now (ms), lease (ms), token. Pushes a held lease's expiry on; a lease
# that has already expired (and may have been swept away) is not brought back.
_RENEW_LEASE = """
local now, lease = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[3])
if redis.call('PTTL', KEYS[1]) < lease + 1000 then
  redis.call('PEXPIRE', KEYS[1], lease + 1000)
end
"""

_clients: dict[str, tuple[Any, Any, Any]] = {}


def _redis(url: str) -> tuple[Any, Any, Any]:
    """The client for `url` and the slot-taking and renewing scripts registered on it, made once per process."""
    with _lock:
        found = _clients.get(url)
        if found is None:
            client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT)
            found = _clients[url] = (client, client.register_script(_TAKE_SLOT), client.register_script(_RENEW_LEASE))
        return found


def _redis_now_ms(client: Any) -> int:
    """Redis's clock, not ours: every machine then agrees on when a lease expires."""
    seconds, micros = client.time()
    return int(seconds) * 1000 + int(micros) // 1000


class _Lease:
    def __init__(self, client: Any, renew: Any, leases: str, token: str, lease_ms: int) -> None:
        self.client, self.renew_script, self.leases, self.token, self.lease_ms = client, renew, leases, token, lease_ms

    def renew(self) -> None:
        self.renew_script(keys=[self.leases], args=[_redis_now_ms(self.client), self.lease_ms, self.token])

    def release(self) -> None:
        _renewals.forget(self)
        try:
            self.client.zrem(self.leases, self.token)
        except redis.RedisError as exc:  # the lease expires by itself; a finished fetch must not fail here
            log.warning("could not release the politeness lease for %s in Redis (%s); it will expire", self.leases, exc)


class _Renewals:
    """The leases this process holds, renewed by one daemon thread every third of their length."""

    def __init__(self) -> None:
        self._held: set[_Lease] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def keep(self, lease: _Lease) -> None:
        with self._lock:
            self._held.add(lease)
            if self._thread is None or not self._thread.is_alive():  # none yet, or this is a forked child
                self._thread = threading.Thread(target=self._run, name="politeness-lease-renewal", daemon=True)
                self._thread.start()

    def forget(self, lease: _Lease) -> None:
        with self._lock:
            self._held.discard(lease)

    def _run(self) -> None:
        while True:
            with self._lock:
                held = list(self._held)
            time.sleep(min((lease.lease_ms for lease in held), default=1000 * LEASE_SECONDS) / 3000)
            for lease in held:
                with self._lock:
                    if lease not in self._held:  # released while we slept
                        continue
                try:
                    lease.renew()
                except redis.RedisError as exc:
                    log.warning("could not renew the politeness lease for %s in Redis (%s)", lease.leases, exc)


_renewals = _Renewals()


def _take_redis_lease(host_key: str, policy: FetchPolicy, deadline: float) -> _Lease | None:
    """A lease on one of the host's slots in Redis; None when Redis cannot be reached (the fetch then keeps
    this process's limit, with a warning, rather than failing articles over a queue outage)."""
    assert policy.redis_url
    client, take_slot, renew = _redis(policy.redis_url)
    leases, next_start = f"monitor:host:{host_key}:leases", f"monitor:host:{host_key}:next"
    token = uuid.uuid4().hex
    lease_ms = int(1000 * LEASE_SECONDS)
    try:
        while True:
            wait_ms = int(take_slot(
                keys=[leases, next_start],
                args=[_redis_now_ms(client), lease_ms, max(1, policy.per_host_concurrency), token,
                      int(1000 * policy.per_host_min_interval)]))
            if wait_ms == 0:
                lease = _Lease(client, renew, leases, token, lease_ms)
                _renewals.keep(lease)
                return lease
            if time.monotonic() + wait_ms / 1000 > deadline:
                raise HostBusy(host_key)
            time.sleep(max(_POLL_SECONDS, wait_ms / 1000))
    except redis.RedisError as exc:
        log.warning("Redis at %s could not be reached for the per-host limit (%s): keeping this process's "
                    "limit until it answers again", policy.redis_url, exc)
        return None
