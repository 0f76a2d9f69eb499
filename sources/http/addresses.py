"""The private-network guard: which IP addresses a fetch may connect to, and resolving hostnames to them.

Hostnames are resolved here, and every address is vetted before anything connects: no loopback, RFC 1918,
link-local, multicast, reserved, unspecified, shared 100.64/10, or IPv6 forms that embed them. The
connection is then opened to the vetted address itself (`sources.http.connection`), so a DNS answer that
changes between the check and the connect (DNS rebinding) cannot steer us inside. Redirects come back
through here on every hop.

Not for: opening sockets (`sources.http.connection`) or following redirects (`sources.http.client`).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError

from sources.http.policy import FetchError, FetchPolicy

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


def describe_address(ip: str) -> str:
    """Why `ip` is not public, as the end of a sentence ("which is ..."), for an admin to read."""
    try:
        address = ipaddress.ip_address(ip.strip("[]"))
    except ValueError:
        return "not a valid IP address"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"an IPv4-mapped form of {address.ipv4_mapped}, which is " + describe_address(
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


def system_resolve(host: str, port: int) -> list[str]:
    """The system resolver's addresses for `host`, without duplicates, in the order getaddrinfo gave."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        ip = str(sockaddr[0])
        if ip not in addresses:
            addresses.append(ip)
    return addresses


def resolve(host: str, port: int, policy: FetchPolicy, url: str, deadline: float) -> list[str]:
    """The addresses of `host` (itself when it is an IP literal), looked up within the deadline.

    Uses `policy.resolver` when set, else the system resolver. Raises `FetchError` ("timeout" or
    "dns-failed"); the answer is not vetted yet: pass it to `vet_addresses`.
    """
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return [host]
    resolver = policy.resolver or system_resolve
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


def vet_addresses(host: str, port: int, addresses: list[str], policy: FetchPolicy, url: str) -> list[str]:
    """The addresses in `addresses` that `policy` allows connecting to; raises "blocked-address" if none."""
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
            f"Refused to fetch {url}: {host} resolves to {first}, which is {describe_address(first)}. "
            "Monitor only fetches from public internet addresses; if this source really is on a trusted "
            "internal network, set MONITOR_ALLOW_PRIVATE_FETCH=1.",
            url=url,
        )
    return allowed
