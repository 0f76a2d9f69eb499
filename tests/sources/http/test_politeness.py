"""Per-host politeness: the concurrency cap and the spacing between request starts, within a process and,
through Redis, across processes (standing in for worker machines).

The cross-process test starts two real Python processes that each fetch many pages from one local server
with eight threads; the server counts requests in flight. Redis comes from MONITOR_TEST_REDIS_URL (.ci/run
starts Debian's redis-server); without it the test skips locally and fails in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sources.http import FetchPolicy, fetch
from tests.conftest import require_service
from tests.httpserver import LocalHTTPServer

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("MONITOR_TEST_REDIS_URL", "")

FETCHER = textwrap.dedent("""
    import sys
    from concurrent.futures import ThreadPoolExecutor
    from sources.http import FetchPolicy, fetch

    origin, redis_url, first, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    policy = FetchPolicy(allow_private=True, per_host_concurrency=2, total_timeout=60, redis_url=redis_url)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda n: fetch(f"{origin}/page/{n}", policy=policy).status,
                                 range(first, first + count)))
    assert statuses == [200] * count, statuses
""")


def slow_pages(server: LocalHTTPServer, n: int) -> LocalHTTPServer:
    for page in range(n):
        server.route(f"/page/{page}", body=b"<html><body>ok</body></html>", delay=0.15,
                     headers={"Content-Type": "text/html"})
    return server


def run_two_fetchers(server: LocalHTTPServer, redis_url: str, per_process: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [subprocess.Popen([sys.executable, "-c", FETCHER, server.origin, redis_url, str(first),
                                   str(per_process)], env=env, cwd=ROOT)
                 for first in (0, per_process)]
    assert [process.wait(timeout=120) for process in processes] == [0, 0]


def test_two_processes_sharing_redis_keep_one_hosts_limit_together(http_server: LocalHTTPServer) -> None:
    require_service(bool(REDIS_URL), "Redis (MONITOR_TEST_REDIS_URL)")
    run_two_fetchers(slow_pages(http_server, 40), REDIS_URL, 20)
    assert len(http_server.requests) == 40
    assert http_server.max_in_flight == 2  # the limit was reached, never passed


def test_without_redis_each_process_keeps_only_its_own_limit(http_server: LocalHTTPServer) -> None:
    """The contrast that shows the test above can fail: two processes, each polite alone, double the load."""
    run_two_fetchers(slow_pages(http_server, 40), "", 20)
    assert http_server.max_in_flight > 2


def test_requests_to_one_host_start_at_least_the_interval_apart(http_server: LocalHTTPServer) -> None:
    for page in range(4):
        http_server.route(f"/page/{page}", body=b"ok", headers={"Content-Type": "text/plain"})
    policy = FetchPolicy(allow_private=True, per_host_concurrency=4, per_host_min_interval=0.25)
    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        assert [r.status for r in pool.map(lambda n: fetch(http_server.url(f"/page/{n}"), policy=policy),
                                           range(4))] == [200] * 4
    arrivals = sorted(request.received_at for request in http_server.requests)
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert min(gaps) >= 0.2 and time.monotonic() - started >= 0.75


def test_spacing_through_redis_holds_across_policies(http_server: LocalHTTPServer) -> None:
    require_service(bool(REDIS_URL), "Redis (MONITOR_TEST_REDIS_URL)")
    for page in range(4):
        http_server.route(f"/page/{page}", body=b"ok", headers={"Content-Type": "text/plain"})
    # Two policies stand in for two workers: the spacing is kept in Redis, not in either of them.
    policies = [FetchPolicy(allow_private=True, per_host_concurrency=4, per_host_min_interval=0.25,
                            redis_url=REDIS_URL) for _ in range(2)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda n: fetch(http_server.url(f"/page/{n}"), policy=policies[n % 2]), range(4)))
    arrivals = sorted(request.received_at for request in http_server.requests)
    assert min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 0.2


def test_with_redis_unreachable_fetches_keep_this_processs_limit(http_server: LocalHTTPServer,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    http_server.route("/page", body=b"ok", headers={"Content-Type": "text/plain"})
    policy = FetchPolicy(allow_private=True, redis_url="redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert fetch(http_server.url("/page"), policy=policy).status == 200
    assert "could not be reached" in caplog.text


def test_a_request_that_gives_up_waiting_takes_no_turn(http_server: LocalHTTPServer) -> None:
    from sources.http.politeness import HostBusy, host_gate

    policy = FetchPolicy(allow_private=True, per_host_concurrency=4, per_host_min_interval=1.0)
    key = f"gives-up.example:{http_server.port}"
    with host_gate(key, policy, time.monotonic() + 5):
        pass
    for _ in range(5):  # each would start a second later than the one before: none fits a 0.1 s deadline
        with pytest.raises(HostBusy):
            with host_gate(key, policy, time.monotonic() + 0.1):
                pass
    started = time.monotonic()
    with host_gate(key, policy, time.monotonic() + 5):  # the next turn is still the second one, not the seventh
        assert time.monotonic() - started < 1.2


HOLDER = textwrap.dedent("""
    import sys, time
    from sources.http import FetchPolicy
    from sources.http import politeness

    politeness.LEASE_SECONDS = 1.5
    policy = FetchPolicy(allow_private=True, per_host_concurrency=1, redis_url=sys.argv[2])
    with politeness.host_gate(sys.argv[1], policy, time.monotonic() + 10):
        print("held", flush=True)
        time.sleep(600)
""")


def test_a_live_fetch_keeps_its_slot_and_a_killed_one_frees_it_soon() -> None:
    """A worker holding a host's only slot keeps it past the lease's length while it lives (the lease is
    renewed), and frees it within about one lease length once it is killed, not after the fetch timeout."""
    require_service(bool(REDIS_URL), "Redis (MONITOR_TEST_REDIS_URL)")
    from sources.http.politeness import HostBusy, host_gate

    key = f"held-{os.getpid()}-{time.time_ns()}.example:80"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, key, REDIS_URL], cwd=ROOT, stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        time.sleep(3.5)  # more than two lease lengths
        policy = FetchPolicy(allow_private=True, per_host_concurrency=1, redis_url=REDIS_URL)
        with pytest.raises(HostBusy):
            with host_gate(key, policy, time.monotonic() + 0.5):
                pass
    finally:
        holder.kill()
        holder.wait(10)
    killed = time.monotonic()
    with host_gate(key, policy, time.monotonic() + 30):
        assert time.monotonic() - killed < 3.0
