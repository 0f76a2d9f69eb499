"""Pytest fixtures for tests of `sources/`: a real local HTTP server and a fetch policy that may reach it.

`http_server` is one started `tests.httpserver.LocalHTTPServer`, stopped after the test;
`make_http_server` starts as many as a test needs (for cross-server redirects). `local_policy` is a
`FetchPolicy` that allows loopback addresses and keeps timeouts short, so a failing test fails fast.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator

import pytest

from sources.http import FetchPolicy
from tests.httpserver import LocalHTTPServer


@pytest.fixture
def make_http_server() -> Iterator[Callable[..., LocalHTTPServer]]:
    servers: list[LocalHTTPServer] = []

    def start(*, tls_context: ssl.SSLContext | None = None) -> LocalHTTPServer:
        server = LocalHTTPServer(tls_context=tls_context).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def http_server(make_http_server: Callable[..., LocalHTTPServer]) -> LocalHTTPServer:
    return make_http_server()


@pytest.fixture
def local_policy() -> FetchPolicy:
    return FetchPolicy(allow_private=True, connect_timeout=2.0, read_timeout=3.0, total_timeout=6.0)
