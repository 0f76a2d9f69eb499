"""`sources.http.decoding`: gzip and deflate bodies are decoded, and decoding stops at the size cap."""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib

import pytest

from sources.http import FetchPolicy, fetch
from tests.httpserver import LocalHTTPServer
from tests.sources.http import RSS, fetch_error


def test_gzip_bomb_stops_early_with_little_memory(http_server: LocalHTTPServer) -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100 * 1024
    http_server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/xml"})
    policy = FetchPolicy(allow_private=True, max_bytes=1024 * 1024)

    tracemalloc.start()
    started = time.monotonic()
    try:
        error = fetch_error(http_server.url("/bomb"), policy)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert error.code == "too-large"
    assert "decompressed" in str(error)
    assert time.monotonic() - started < 3.0
    assert peak < 8 * 1024 * 1024


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


def test_corrupt_gzip_is_a_protocol_error(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/bad", body=b"\x1f\x8b\x08\x00garbage-not-deflate", headers={"Content-Encoding": "gzip"})
    assert fetch_error(http_server.url("/bad"), local_policy).code == "protocol-error"


def layered_gzip(body: bytes, layers: int) -> bytes:
    for _ in range(layers):
        body = gzip.compress(body, compresslevel=1)
    return body


def test_a_chain_of_50_codings_is_refused_before_decoding(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/onion", body=layered_gzip(RSS, 50),
                      headers={"Content-Encoding": ", ".join(["gzip"] * 50), "Content-Type": "application/xml"})

    error = fetch_error(http_server.url("/onion"), local_policy)

    assert error.code == "protocol-error" and not error.temporary
    assert "the server applied 50 content codings; at most 5 are accepted" in str(error)


def test_a_chain_of_5_codings_is_still_decoded(http_server: LocalHTTPServer, local_policy: FetchPolicy) -> None:
    http_server.route("/five", body=layered_gzip(RSS, 5), headers={"Content-Encoding": "gzip, gzip, x-gzip, gzip, gzip"})

    assert fetch(http_server.url("/five"), policy=local_policy).body == RSS
