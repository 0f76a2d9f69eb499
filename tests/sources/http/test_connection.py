"""`sources.http.connection`: the total deadline and read timeouts, the per-host limit, and TLS to a pinned address."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sources.http import FetchPolicy, fetch
from tests.httpserver import LocalHTTPServer
from tests.sources.http import RSS, fetch_error


# --- Time limits -------------------------------------------------------------------------------------------


def test_trickling_body_hits_the_total_timeout(http_server: LocalHTTPServer) -> None:
    # 10 bytes a second satisfies any per-read timeout; only the total deadline stops it.
    http_server.route("/slow", body=b"x" * 5000, trickle=10)
    policy = FetchPolicy(allow_private=True, read_timeout=1.0, total_timeout=1.5)

    started = time.monotonic()
    error = fetch_error(http_server.url("/slow"), policy)
    elapsed = time.monotonic() - started

    assert error.code == "timeout" and error.temporary
    assert 1.4 <= elapsed < 3.0  # margin for a loaded CI machine; without the deadline it would be ~500s
    assert "total time limit" in str(error)


def test_trickling_headers_hit_the_total_timeout(http_server: LocalHTTPServer) -> None:
    http_server.route("/loris", body=b"x", trickle=20, trickle_headers=True, headers={"X-Pad": "p" * 500})
    policy = FetchPolicy(allow_private=True, read_timeout=1.0, total_timeout=1.0)

    started = time.monotonic()
    error = fetch_error(http_server.url("/loris"), policy)

    assert error.code == "timeout"
    assert time.monotonic() - started < 2.0


def test_silent_server_hits_the_read_timeout(http_server: LocalHTTPServer) -> None:
    http_server.route("/silent", body=b"late", delay=3.0)
    policy = FetchPolicy(allow_private=True, read_timeout=0.5, total_timeout=5.0)

    started = time.monotonic()
    error = fetch_error(http_server.url("/silent"), policy)

    assert error.code == "timeout" and error.temporary
    assert time.monotonic() - started < 1.5


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

    error = fetch_error(f"https://other.test:{server.port}/feed.xml", policy)

    assert error.code == "tls-error"
    assert server.requests == []


def test_tls_untrusted_certificate_is_refused(tls_server: tuple[LocalHTTPServer, list[str | None]]) -> None:
    server, _ = tls_server
    error = fetch_error(f"https://feeds.test:{server.port}/feed.xml", FetchPolicy(allow_private=True, resolver=_to_loopback))
    assert error.code == "tls-error"
    assert "certificate" in str(error)
