"""Tests of sources.fetch against a real HTTP server on 127.0.0.1 (tests/httpserver.py); nothing is mocked.

Every server here is loopback, which the default policy refuses, so most tests use `local_policy`
(allow_private=True). The guard itself is tested with the default policy, and the per-hop re-check and
DNS-rebinding resistance through the policy's `address_allowed` and `resolver` seams.
"""

from __future__ import annotations

import gzip
import os
import pickle
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from sources.fetch import FetchError, FetchPolicy, fetch, is_public_address
from tests.httpserver import LocalHTTPServer, Route

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>NACTA alerts</title></channel></rss>'


def _fetch_error(url: str, policy: FetchPolicy | None = None, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch(url, policy=policy, **kwargs)  # type: ignore[arg-type]
    return caught.value


# --- Ordinary responses -----------------------------------------------------------------------------------


def test_fetch_returns_body_headers_and_media_type(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/feed.xml", body=RSS, headers={"Content-Type": "Application/RSS+XML; Charset=\"UTF-8\""})

    response = fetch(http_server.url("/feed.xml"), policy=local_policy)

    assert response.status == 200
    assert response.body == RSS
    assert response.url == http_server.url("/feed.xml")
    assert response.content_type == "application/rss+xml"
    assert response.charset == "utf-8"
    assert response.headers["content-type"].startswith("Application/RSS+XML")
    assert response.wire_bytes == len(RSS)
    assert response.redirects == ()
    assert not response.not_modified


def test_user_agent_accept_and_encodings_are_sent(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", body=RSS)
    policy = FetchPolicy(allow_private=True, user_agent="MonitorBot/9.9 (+https://example.org/bot)")

    fetch(http_server.url("/feed.xml"), policy=policy, accept="application/rss+xml")

    sent = http_server.requests_for("/feed.xml")[0].headers
    assert sent["user-agent"] == "MonitorBot/9.9 (+https://example.org/bot)"
    assert sent["accept"] == "application/rss+xml"
    assert sent["accept-encoding"] == "gzip, deflate"
    assert sent["host"] == f"127.0.0.1:{http_server.port}"
    assert "if-none-match" not in sent and "if-modified-since" not in sent


def test_default_user_agent_names_the_bot(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/", body=b"ok")
    fetch(http_server.url("/"), policy=local_policy)
    assert http_server.requests[0].headers["user-agent"].startswith("MonitorBot/")


def test_poll_honours_etag_with_304(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/feed.xml", body=RSS, etag='"v42"')

    first = fetch(http_server.url("/feed.xml"), policy=local_policy)
    second = fetch(http_server.url("/feed.xml"), policy=local_policy, etag=first.headers["etag"])

    assert first.status == 200 and first.headers["etag"] == '"v42"'
    assert second.status == 304 and second.not_modified and second.body == b""
    assert http_server.requests[1].headers["if-none-match"] == '"v42"'


def test_poll_honours_last_modified_with_304(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    stamp = "Wed, 10 Jul 2024 17:05:00 GMT"
    http_server.route("/feed.xml", body=RSS, last_modified=stamp)

    first = fetch(http_server.url("/feed.xml"), policy=local_policy)
    second = fetch(http_server.url("/feed.xml"), policy=local_policy, last_modified=first.headers["last-modified"])

    assert first.status == 200
    assert second.status == 304
    assert http_server.requests[1].headers["if-modified-since"] == stamp


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_error_statuses_are_returned_not_raised(
    http_server: LocalHTTPServer, local_policy: FetchPolicy, status: int
) -> None:
    http_server.route("/gone", status=status, body=b"nope")
    response = fetch(http_server.url("/gone"), policy=local_policy)
    assert response.status == status
    assert response.body == b"nope"


def test_429_is_returned_with_its_retry_after(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/feed.xml", status=429, headers={"Retry-After": "120"}, body=b"slow down")
    response = fetch(http_server.url("/feed.xml"), policy=local_policy)
    assert response.status == 429
    assert response.headers["retry-after"] == "120"


def test_head_request_reads_no_body(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/page", body=b"x" * 1000)
    response = fetch(http_server.url("/page"), policy=local_policy, method="HEAD")
    assert response.status == 200 and response.body == b""
    assert http_server.requests[0].method == "HEAD"


# --- Redirects ---------------------------------------------------------------------------------------------


def test_redirects_are_followed_and_recorded(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/old", redirect="/middle", status=301)
    http_server.route("/middle", redirect=http_server.url("/new"), status=307)
    http_server.route("/new", body=RSS, etag='"e"')

    response = fetch(http_server.url("/old"), policy=local_policy, etag='"stale"')

    assert response.status == 200 and response.body == RSS
    assert response.url == http_server.url("/new")
    assert response.redirects == (http_server.url("/old"), http_server.url("/middle"))
    # Conditional headers go to every hop: the stored ETag belongs to the final resource.
    assert http_server.requests_for("/new")[0].headers["if-none-match"] == '"stale"'


def test_redirect_loop_is_refused(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/a", redirect="/b")
    http_server.route("/b", redirect="/a")

    error = _fetch_error(http_server.url("/a"), local_policy)

    assert error.code == "redirect-loop" and not error.temporary
    assert "loop" in str(error) and "/b" in str(error)
    assert len(http_server.requests) == 2


def test_too_many_redirects_are_refused(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    for hop in range(10):
        http_server.route(f"/hop{hop}", redirect=f"/hop{hop + 1}")

    error = _fetch_error(http_server.url("/hop0"), replace(local_policy, max_redirects=5))

    assert error.code == "too-many-redirects" and not error.temporary
    assert len(http_server.requests) == 6  # the first request plus five followed redirects


def test_exactly_max_redirects_is_allowed(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    for hop in range(5):
        http_server.route(f"/hop{hop}", redirect=f"/hop{hop + 1}")
    http_server.route("/hop5", body=b"arrived")

    response = fetch(http_server.url("/hop0"), policy=replace(local_policy, max_redirects=5))

    assert response.body == b"arrived" and len(response.redirects) == 5


def test_redirect_to_a_non_ascii_location_is_encoded_once(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    # The server sends raw UTF-8 bytes in Location, as many Urdu and Arabic news sites do.
    http_server.route("/latest", redirect="/خبر/نیکٹا".encode().decode("latin-1"))
    http_server.route("/%D8%AE%D8%A8%D8%B1/%D9%86%DB%8C%DA%A9%D9%B9%D8%A7", body=b"story")

    response = fetch(http_server.url("/latest"), policy=local_policy)

    assert response.status == 200 and response.body == b"story"


# --- The private-network guard ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ip", "public"),
    [
        ("93.184.216.34", True),
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("10.1.2.3", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata endpoint
        ("fec0::1", False),  # IPv6 site-local (deprecated, still routed inside some networks)
        ("100.64.0.1", False),  # shared address space (carrier-grade NAT)
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("192.0.2.10", False),  # documentation
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("::ffff:10.0.0.1", False),
        ("::ffff:8.8.8.8", True),
        ("2002:7f00:1::", False),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 wrapping 10.0.0.1
        ("not-an-ip", False),
    ],
)
def test_is_public_address(ip: str, public: bool) -> None:
    assert is_public_address(ip) is public


def test_loopback_is_blocked_by_default(http_server: LocalHTTPServer) -> None:
    http_server.route("/", body=b"internal")

    error = _fetch_error(http_server.url("/"), FetchPolicy())

    assert error.code == "blocked-address" and not error.temporary
    assert "loopback" in str(error) and "MONITOR_ALLOW_PRIVATE_FETCH" in str(error)
    assert http_server.requests == []


def _resolver(answers: dict[str, list[str]], calls: list[str]) -> Callable[[str, int], list[str]]:
    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return answers[host]

    return resolve


@pytest.mark.parametrize("answer", ["10.0.0.5", "::ffff:127.0.0.1", "169.254.169.254"])
def test_hostname_resolving_to_private_address_is_blocked(answer: str) -> None:
    calls: list[str] = []
    policy = FetchPolicy(resolver=_resolver({"intranet.example.com": [answer]}, calls), connect_timeout=1)

    error = _fetch_error("http://intranet.example.com/feed", policy)

    assert error.code == "blocked-address"
    assert calls == ["intranet.example.com"]


def test_redirect_to_disallowed_address_is_rechecked_on_every_hop(
    make_http_server: Callable[..., LocalHTTPServer], local_policy: FetchPolicy
) -> None:
    public_looking = make_http_server()
    internal = make_http_server()
    internal.route("/admin", body=b"secret")
    public_looking.route("/feed", redirect=internal.url("/admin"))
    # Stands in for "public" in a world where every test server is loopback: only the first server counts.
    policy = replace(local_policy, address_allowed=lambda ip, port: port == public_looking.port)

    error = _fetch_error(public_looking.url("/feed"), policy)

    assert error.code == "blocked-address"
    assert error.url == internal.url("/admin")
    assert len(public_looking.requests) == 1
    assert internal.requests == []


def test_dns_rebinding_cannot_move_the_connection(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/feed", body=RSS)
    answers = iter([["127.0.0.1"], ["10.9.9.9"], ["10.9.9.9"]])
    calls: list[str] = []

    def rebinding_resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    policy = replace(
        local_policy,
        resolver=rebinding_resolver,
        address_allowed=lambda ip, port: ip == "127.0.0.1",
    )

    response = fetch(f"http://feeds.example.test:{http_server.port}/feed", policy=policy)

    # One lookup, and the socket went to the address that lookup returned and the guard vetted; the
    # hostname still travelled in the Host header.
    assert response.body == RSS
    assert calls == ["feeds.example.test"]
    assert http_server.requests[0].headers["host"] == f"feeds.example.test:{http_server.port}"


def test_dns_failure_is_temporary() -> None:
    def failing_resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    error = _fetch_error("http://no-such-host.example.com/", FetchPolicy(resolver=failing_resolver))

    assert error.code == "dns-failed" and error.temporary
    assert "no-such-host.example.com" in str(error)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.com/feed.xml",
        "gopher://example.com/",
        "javascript:alert(1)",
        "data:text/plain,hi",
        "feeds.example.com/rss",
    ],
)
def test_non_http_schemes_are_refused(url: str) -> None:
    error = _fetch_error(url, FetchPolicy(allow_private=True))
    assert error.code == "bad-scheme" and not error.temporary
    assert "http://" in str(error)


def test_url_without_host_is_refused() -> None:
    error = _fetch_error("http:///feed.xml", FetchPolicy(allow_private=True))
    assert error.code == "bad-url"


def test_connection_refused_is_temporary(make_http_server: Callable[..., LocalHTTPServer], local_policy: FetchPolicy) -> None:
    server = make_http_server()
    url = server.url("/")
    server.stop()

    error = _fetch_error(url, local_policy)

    assert error.code == "connect-failed" and error.temporary


def test_fetch_error_survives_pickling() -> None:
    # Task queues pickle exceptions raised by tasks.
    error = FetchError("blocked-address", "Refused.", url="http://10.0.0.1/")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, str(copy), copy.url, copy.temporary) == ("blocked-address", "Refused.", "http://10.0.0.1/", False)


# --- Time limits -------------------------------------------------------------------------------------------


def test_trickling_body_hits_the_total_timeout(http_server: LocalHTTPServer) -> None:
    # 10 bytes a second satisfies any per-read timeout; only the total deadline stops it.
    http_server.route("/slow", body=b"x" * 5000, trickle=10)
    policy = FetchPolicy(allow_private=True, read_timeout=1.0, total_timeout=1.5)

    started = time.monotonic()
    error = _fetch_error(http_server.url("/slow"), policy)
    elapsed = time.monotonic() - started

    assert error.code == "timeout" and error.temporary
    assert 1.4 <= elapsed < 3.0  # margin for a loaded CI machine; without the deadline it would be ~500s
    assert "total time limit" in str(error)


def test_trickling_headers_hit_the_total_timeout(http_server: LocalHTTPServer) -> None:
    http_server.route("/loris", body=b"x", trickle=20, trickle_headers=True, headers={"X-Pad": "p" * 500})
    policy = FetchPolicy(allow_private=True, read_timeout=1.0, total_timeout=1.0)

    started = time.monotonic()
    error = _fetch_error(http_server.url("/loris"), policy)

    assert error.code == "timeout"
    assert time.monotonic() - started < 2.0


def test_silent_server_hits_the_read_timeout(http_server: LocalHTTPServer) -> None:
    http_server.route("/silent", body=b"late", delay=3.0)
    policy = FetchPolicy(allow_private=True, read_timeout=0.5, total_timeout=5.0)

    started = time.monotonic()
    error = _fetch_error(http_server.url("/silent"), policy)

    assert error.code == "timeout" and error.temporary
    assert time.monotonic() - started < 1.5


# --- Size limits ------------------------------------------------------------------------------------------


def test_announced_oversized_body_is_refused_before_download(http_server: LocalHTTPServer) -> None:
    http_server.route("/huge", body=b"x" * 10, content_length=50 * 1024 * 1024)

    error = _fetch_error(http_server.url("/huge"), FetchPolicy(allow_private=True, max_bytes=1024 * 1024))

    assert error.code == "too-large" and not error.temporary
    assert "52,428,800" in str(error) and "MONITOR_MAX_BYTES" in str(error)


def test_chunked_body_without_length_stops_at_the_cap(http_server: LocalHTTPServer) -> None:
    http_server.route("/stream", body=b"y" * (3 * 1024 * 1024), chunked=True)

    error = _fetch_error(http_server.url("/stream"), FetchPolicy(allow_private=True, max_bytes=1024 * 1024))

    assert error.code == "too-large"


def test_body_at_the_cap_is_accepted(http_server: LocalHTTPServer) -> None:
    http_server.route("/exact", body=b"z" * 4096, chunked=True)
    response = fetch(http_server.url("/exact"), policy=FetchPolicy(allow_private=True, max_bytes=4096))
    assert len(response.body) == 4096


def test_gzip_bomb_stops_early_with_little_memory(http_server: LocalHTTPServer) -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100 * 1024
    http_server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/xml"})
    policy = FetchPolicy(allow_private=True, max_bytes=1024 * 1024)

    tracemalloc.start()
    started = time.monotonic()
    try:
        error = _fetch_error(http_server.url("/bomb"), policy)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert error.code == "too-large"
    assert "decompressed" in str(error)
    assert time.monotonic() - started < 3.0
    assert peak < 8 * 1024 * 1024


def test_wire_bytes_are_capped_separately(http_server: LocalHTTPServer) -> None:
    http_server.route("/big", body=os.urandom(200_000), gzip=True)
    policy = FetchPolicy(allow_private=True, max_bytes=10 * 1024 * 1024, max_compressed_bytes=100_000)

    error = _fetch_error(http_server.url("/big"), policy)

    assert error.code == "too-large"


def test_gzip_body_is_decoded(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/feed.xml", body=RSS * 50, gzip=True)

    response = fetch(http_server.url("/feed.xml"), policy=local_policy)

    assert response.body == RSS * 50
    assert response.wire_bytes < len(RSS * 50)
    assert response.headers["content-encoding"] == "gzip"


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib-wrapped", "raw-deflate"])
def test_deflate_body_is_decoded_in_both_spellings(
    http_server: LocalHTTPServer, local_policy: FetchPolicy, wbits: int
) -> None:
    compressor = zlib.compressobj(wbits=wbits)
    http_server.route("/d", body=compressor.compress(RSS) + compressor.flush(), headers={"Content-Encoding": "deflate"})

    assert fetch(http_server.url("/d"), policy=local_policy).body == RSS


def test_body_cut_short_is_a_protocol_error(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/cut", body=b"only this", content_length=1000)

    error = _fetch_error(http_server.url("/cut"), local_policy)

    assert error.code == "protocol-error" and error.temporary


def test_corrupt_gzip_is_a_protocol_error(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/bad", body=b"\x1f\x8b\x08\x00garbage-not-deflate", headers={"Content-Encoding": "gzip"})
    assert _fetch_error(http_server.url("/bad"), local_policy).code == "protocol-error"


# --- Politeness -------------------------------------------------------------------------------------------


def test_per_host_concurrency_is_capped_across_feed_and_page_fetches(http_server: LocalHTTPServer) -> None:
    # Feed polls and article-page fetches to one host share one budget, because both go through fetch.
    http_server.route("/feed.xml", body=RSS, delay=0.4)
    http_server.route("/news/1", body=b"<html>story</html>", delay=0.4)
    policy = FetchPolicy(allow_private=True, per_host_concurrency=2, total_timeout=10)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def worker(path: str) -> None:
        try:
            statuses.append(fetch(http_server.url(path), policy=policy).status)
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(["/feed.xml", "/news/1"][n % 2],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)

    assert errors == []
    assert statuses == [200] * 8
    assert http_server.max_in_flight == 2


# --- TLS ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def feeds_test_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for the name feeds.test, made with the openssl command line tool."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=feeds.test",
         "-addext", "subjectAltName=DNS:feeds.test", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(
    make_http_server: Callable[..., LocalHTTPServer], feeds_test_certificate: tuple[Path, Path]
) -> tuple[LocalHTTPServer, list[str | None]]:
    cert, key = feeds_test_certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server_names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    server = make_http_server(tls_context=context)
    server.route("/feed.xml", body=RSS)
    return server, server_names


def _to_loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def test_tls_uses_the_hostname_for_sni_and_verification(
    tls_server: tuple[LocalHTTPServer, list[str | None]], feeds_test_certificate: tuple[Path, Path]
) -> None:
    server, server_names = tls_server
    policy = FetchPolicy(allow_private=True, resolver=_to_loopback, tls_ca_file=str(feeds_test_certificate[0]))

    response = fetch(f"https://feeds.test:{server.port}/feed.xml", policy=policy)

    assert response.body == RSS
    assert server_names == ["feeds.test"]
    assert server.requests[0].headers["host"] == f"feeds.test:{server.port}"


def test_tls_certificate_for_another_name_is_refused(
    tls_server: tuple[LocalHTTPServer, list[str | None]], feeds_test_certificate: tuple[Path, Path]
) -> None:
    server, _ = tls_server
    policy = FetchPolicy(allow_private=True, resolver=_to_loopback, tls_ca_file=str(feeds_test_certificate[0]))

    error = _fetch_error(f"https://other.test:{server.port}/feed.xml", policy)

    assert error.code == "tls-error"
    assert server.requests == []


def test_tls_untrusted_certificate_is_refused(tls_server: tuple[LocalHTTPServer, list[str | None]]) -> None:
    server, _ = tls_server
    error = _fetch_error(f"https://feeds.test:{server.port}/feed.xml", FetchPolicy(allow_private=True, resolver=_to_loopback))
    assert error.code == "tls-error"
    assert "certificate" in str(error)


# --- Settings ---------------------------------------------------------------------------------------------


def test_policy_from_settings_reads_the_monitor_variables(tmp_path: Path) -> None:
    # In a child process so that configuring Django here cannot leak into other tests.
    script = (
        "import django; django.setup()\n"
        "from sources.fetch import FetchPolicy\n"
        "p = FetchPolicy.from_settings()\n"
        "print(p.allow_private, p.user_agent, p.connect_timeout, p.read_timeout, p.total_timeout,"
        " p.max_bytes, p.max_redirects, p.per_host_concurrency, sep='|')\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "monitor.settings",
        "MONITOR_VAR_DIR": str(tmp_path),
        "MONITOR_ALLOW_PRIVATE_FETCH": "1",
        "MONITOR_USER_AGENT": "TestBot/1.0",
        "MONITOR_CONNECT_TIMEOUT": "3.5",
        "MONITOR_READ_TIMEOUT": "7",
        "MONITOR_TOTAL_TIMEOUT": "30",
        "MONITOR_MAX_BYTES": "12345",
        "MONITOR_MAX_REDIRECTS": "3",
        "MONITOR_PER_HOST_CONCURRENCY": "4",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True|TestBot/1.0|3.5|7.0|30.0|12345|3|4"
