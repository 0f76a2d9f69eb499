"""Connections pinned to a vetted address, and the deadline watchdog.

* **Pinned connections.** A connection opens its socket to the IP address `sources.http.addresses`
  vetted, never to the hostname, so DNS cannot change the destination after the check. The Host header,
  TLS SNI and the certificate check still use the hostname.
* **Total deadline.** Per-read timeouts alone cannot bound a fetch, so a `Watchdog` shuts the socket at
  the deadline; a server trickling a byte a second cannot hold a worker.

Not for: deciding which addresses are allowed (`sources.http.addresses`), or turning socket errors into
`FetchError`s (`sources.http.client`, which knows what stage of the exchange failed).
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time

# --- The deadline ---------------------------------------------------------------------------------------


class Watchdog:
    """Shuts a connection's socket at the deadline, so no single slow recv can outlive the total timeout.

    Per-read timeouts alone cannot do this: a server that sends one byte every few seconds satisfies every
    read timeout while holding the worker for as long as it likes.
    """

    def __init__(self, deadline: float) -> None:
        self.fired = False
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        self._sock = sock
        if self.fired:
            # The deadline passed before this socket existed (during DNS or connect): stop it at once.
            self._fire()

    def _fire(self) -> None:
        self.fired = True
        sock = self._sock
        if sock is None:
            return
        try:
            # The plain socket method on purpose: SSLSocket.shutdown would tear down TLS state that the
            # blocked reader thread is still using. A socket already closed has no descriptor left and
            # just raises, so this can never reach a descriptor number that was handed out again.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()


# --- Connections pinned to a vetted address ------------------------------------------------------------


def open_socket(ip: str, port: int, timeout: float) -> socket.socket:
    """A TCP socket connected to the IP literal `ip`; never looks a name up."""
    # AI_NUMERICHOST: the address is already vetted; this call must never turn into a second DNS lookup.
    family, socktype, proto, _canon, sockaddr = socket.getaddrinfo(
        ip, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
    )[0]
    sock = socket.socket(family, socktype, proto)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


class PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float, watchdog: Watchdog) -> None:
        super().__init__(host, port, timeout=timeout)
        self.pinned_address = address
        self.connect_timeout = timeout
        self.watchdog = watchdog

    def connect(self) -> None:
        self.sock = open_socket(self.pinned_address, self.port, self.connect_timeout)
        self.watchdog.watch(self.sock)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(
        self, host: str, port: int, *, address: str, timeout: float, watchdog: Watchdog, context: ssl.SSLContext
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self.pinned_address = address
        self.connect_timeout = timeout
        self.watchdog = watchdog
        self.tls_context = context

    def connect(self) -> None:
        raw = open_socket(self.pinned_address, self.port, self.connect_timeout)
        try:
            # SNI and certificate verification use the hostname, not the pinned IP. The handshake is run
            # separately so the watchdog can already reach the socket while it is under way.
            tls = self.tls_context.wrap_socket(raw, server_hostname=self.host, do_handshake_on_connect=False)
        except BaseException:
            raw.close()
            raise
        self.sock = tls
        self.watchdog.watch(tls)
        tls.do_handshake()


_tls_contexts: dict[str | None, ssl.SSLContext] = {}
_tls_contexts_lock = threading.Lock()


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """The shared client TLS context trusting `ca_file` (None: the system's CAs)."""
    # Building a context loads the whole CA bundle; do it once per bundle, not once per request.
    with _tls_contexts_lock:
        context = _tls_contexts.get(ca_file)
        if context is None:
            context = _tls_contexts[ca_file] = ssl.create_default_context(cafile=ca_file)
        return context
