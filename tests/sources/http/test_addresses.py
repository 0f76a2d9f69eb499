"""`sources.http.addresses`: the private-network guard, on the first hop, on every redirect, and against DNS tricks."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import replace

import pytest

from sources.http import FetchPolicy, fetch, is_public_address
from tests.httpserver import LocalHTTPServer
from tests.sources.http import RSS, fetch_error


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

    error = fetch_error(http_server.url("/"), FetchPolicy())

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

    error = fetch_error("http://intranet.example.com/feed", policy)

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

    error = fetch_error(public_looking.url("/feed"), policy)

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

    error = fetch_error("http://no-such-host.example.com/", FetchPolicy(resolver=failing_resolver))

    assert error.code == "dns-failed" and error.temporary
    assert "no-such-host.example.com" in str(error)
