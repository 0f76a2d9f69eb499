"""`sources.http.client`: requests, responses, redirects, refused URLs and the limits on a body's size."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace

import pytest

from sources.http import FetchPolicy, fetch
from tests.httpserver import LocalHTTPServer
from tests.sources.http import RSS, fetch_error


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

    error = fetch_error(http_server.url("/a"), local_policy)

    assert error.code == "redirect-loop" and not error.temporary
    assert "loop" in str(error) and "/b" in str(error)
    assert len(http_server.requests) == 2


def test_too_many_redirects_are_refused(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    for hop in range(10):
        http_server.route(f"/hop{hop}", redirect=f"/hop{hop + 1}")

    error = fetch_error(http_server.url("/hop0"), replace(local_policy, max_redirects=5))

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


# --- Refused URLs and unreachable servers ----------------------------------------------------------------


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
    error = fetch_error(url, FetchPolicy(allow_private=True))
    assert error.code == "bad-scheme" and not error.temporary
    assert "http://" in str(error)


def test_url_without_host_is_refused() -> None:
    error = fetch_error("http:///feed.xml", FetchPolicy(allow_private=True))
    assert error.code == "bad-url"


def test_connection_refused_is_temporary(make_http_server: Callable[..., LocalHTTPServer], local_policy: FetchPolicy) -> None:
    server = make_http_server()
    url = server.url("/")
    server.stop()

    error = fetch_error(url, local_policy)

    assert error.code == "connect-failed" and error.temporary


# --- Size limits ------------------------------------------------------------------------------------------


def test_announced_oversized_body_is_refused_before_download(http_server: LocalHTTPServer) -> None:
    http_server.route("/huge", body=b"x" * 10, content_length=50 * 1024 * 1024)

    error = fetch_error(http_server.url("/huge"), FetchPolicy(allow_private=True, max_bytes=1024 * 1024))

    assert error.code == "too-large" and not error.temporary
    assert "52,428,800" in str(error) and "MONITOR_MAX_BYTES" in str(error)


def test_chunked_body_without_length_stops_at_the_cap(http_server: LocalHTTPServer) -> None:
    http_server.route("/stream", body=b"y" * (3 * 1024 * 1024), chunked=True)

    error = fetch_error(http_server.url("/stream"), FetchPolicy(allow_private=True, max_bytes=1024 * 1024))

    assert error.code == "too-large"


def test_body_at_the_cap_is_accepted(http_server: LocalHTTPServer) -> None:
    http_server.route("/exact", body=b"z" * 4096, chunked=True)
    response = fetch(http_server.url("/exact"), policy=FetchPolicy(allow_private=True, max_bytes=4096))
    assert len(response.body) == 4096


def test_wire_bytes_are_capped_separately(http_server: LocalHTTPServer) -> None:
    http_server.route("/big", body=os.urandom(200_000), gzip=True)
    policy = FetchPolicy(allow_private=True, max_bytes=10 * 1024 * 1024, max_compressed_bytes=100_000)

    error = fetch_error(http_server.url("/big"), policy)

    assert error.code == "too-large"


def test_body_cut_short_is_a_protocol_error(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/cut", body=b"only this", content_length=1000)

    error = fetch_error(http_server.url("/cut"), local_policy)

    assert error.code == "protocol-error" and error.temporary
