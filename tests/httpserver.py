"""A real HTTP server on 127.0.0.1 for tests, with routes you program per test.

Monitor's house rule is that tests fake the network at one seam or, better, not at all: this server lets
tests drive `sources.http` (and everything built on it) over real sockets. It is a
`http.server.ThreadingHTTPServer` running in a background thread; each test adds routes that say what to
answer (status, headers, body, a delay, a trickle rate, a redirect, gzip, ETag/Last-Modified handling) and
afterwards asserts on the request log (which headers arrived, how many requests were in flight at once).

    with LocalHTTPServer() as server:
        server.route("/feed.xml", body=RSS, headers={"Content-Type": "application/rss+xml"}, etag='"v1"')
        response = fetch(server.url("/feed.xml"), policy=LOCAL_POLICY)
        assert server.requests[-1].headers["user-agent"].startswith("MonitorBot")

The pytest fixtures `http_server` and `make_http_server` live in `tests/sources/conftest.py`.

Not for: anything outside tests, or traffic to anywhere but loopback. It binds 127.0.0.1 only.
"""

from __future__ import annotations

import email.utils
import gzip as gzip_module
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it. Header names are lower-cased."""

    method: str
    path: str
    headers: Mapping[str, str]
    received_at: float


@dataclass
class Route:
    """What to answer for one path.

    status, headers, body: the response. When `etag` or `last_modified` is set the server adds the header
        and answers 304 with no body to a request whose If-None-Match / If-Modified-Since matches.
    redirect: a Location value (relative or absolute); the status defaults to 302 when it is set.
    delay: seconds to wait before sending anything (the status line included).
    trickle: send the body at this many bytes per second, in small writes.
    trickle_headers: trickle the status line and headers too (at `trickle` bytes per second), the way a
        slow-loris server would.
    gzip: compress `body` and send Content-Encoding: gzip.
    chunked: send the body with Transfer-Encoding: chunked and no Content-Length.
    content_length: announce this Content-Length instead of the real one (to test early rejection).
    responder: called with the request to build the Route on the fly (for answers that change per call).
    """

    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    redirect: str | None = None
    delay: float = 0.0
    trickle: int | None = None
    trickle_headers: bool = False
    gzip: bool = False
    chunked: bool = False
    content_length: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    responder: Callable[[RecordedRequest], Route] | None = None


class LocalHTTPServer:
    """A threaded HTTP (or HTTPS, given `tls_context`) server on 127.0.0.1 with a programmable route table.

    Unknown paths answer 404. Every request is appended to `requests` before it is answered, and the
    server tracks how many requests are in flight so tests can check concurrency limits via
    `max_in_flight`.
    """

    def __init__(self, *, tls_context: ssl.SSLContext | None = None) -> None:
        self.requests: list[RecordedRequest] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self.scheme = "http"
        if tls_context is not None:
            self._httpd.socket = tls_context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self.port: int = self._httpd.server_address[1]
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> LocalHTTPServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"test-http-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        # Tell trickling and delayed handlers to give up so that stopping never waits on them.
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LocalHTTPServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- programming it -------------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def route(self, path: str, route: Route | None = None, **fields: object) -> Route:
        """Add or replace the answer for `path` (the path and query, e.g. "/feed?x=1").

        Pass a `Route`, or its fields as keyword arguments.
        """
        if route is None:
            route = Route(**fields)  # type: ignore[arg-type]
        with self._lock:
            self._routes[path] = route
        return route

    def requests_for(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    # --- used by the handler --------------------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> Route | None:
        with self._lock:
            self.requests.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            return self._routes.get(request.path)

    def _done(self) -> None:
        with self._lock:
            self._in_flight -= 1


def _conditional_match(route: Route, request: RecordedRequest) -> bool:
    if route.etag is not None and "if-none-match" in request.headers:
        tags = [t.strip() for t in request.headers["if-none-match"].split(",")]
        return route.etag in tags or "*" in tags
    if route.last_modified is not None and "if-modified-since" in request.headers:
        try:
            since = email.utils.parsedate_to_datetime(request.headers["if-modified-since"])
            modified = email.utils.parsedate_to_datetime(route.last_modified)
        except (TypeError, ValueError):
            return False
        return modified <= since
    return False


def _make_handler(server: LocalHTTPServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "MonitorTestServer/1.0"
        _headers_buffer: list[bytes]  # BaseHTTPRequestHandler's own, undeclared in the type stubs

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

        def do_GET(self) -> None:
            self._answer()

        def do_HEAD(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def _answer(self) -> None:
            self.close_connection = True
            request = RecordedRequest(
                method=self.command,
                path=self.path,
                headers={name.lower(): value for name, value in self.headers.items()},
                received_at=time.monotonic(),
            )
            route = server._record(request)
            self._counted = True
            try:
                self._send(route, request)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
                pass  # the client hung up, which several tests make it do on purpose
            finally:
                self._stop_counting()

        def _stop_counting(self) -> None:
            # A request stops counting as in flight just before its answer is written. Counting until after
            # the write would race the client, which can read the answer, free its slot and send its next
            # request before this thread runs again; so max_in_flight never over-counts.
            if self._counted:
                self._counted = False
                server._done()

        def _send(self, route: Route | None, request: RecordedRequest) -> None:
            if route is None:
                route = Route(status=404, body=b"not found\n", headers={"Content-Type": "text/plain"})
            while route.responder is not None:
                route = route.responder(request)
            if route.delay and server._stopping.wait(route.delay):
                return
            self._stop_counting()
            status = route.status or (302 if route.redirect else 200)
            headers = dict(route.headers)
            if route.etag is not None:
                headers["ETag"] = route.etag
            if route.last_modified is not None:
                headers["Last-Modified"] = route.last_modified
            if route.redirect is not None:
                headers["Location"] = route.redirect
            body = route.body
            if _conditional_match(route, request):
                status, body = 304, b""
            elif route.gzip:
                body = gzip_module.compress(body)
                headers["Content-Encoding"] = "gzip"
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Connection", "close")
            send_body = self.command != "HEAD" and status not in (204, 304)
            if route.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                length = route.content_length if route.content_length is not None else len(body)
                self.send_header("Content-Length", str(length))
            if route.trickle and route.trickle_headers:
                # end_headers() would write the buffered header block in one go; send it slowly instead.
                head = b"".join(self._headers_buffer) + b"\r\n"
                self._headers_buffer = []
                self._write_slowly(head, route.trickle, chunked=False)
            else:
                self.end_headers()
            if send_body:
                self._write_body(body, route)

        def _write_body(self, body: bytes, route: Route) -> None:
            if self._write_slowly(body, route.trickle, chunked=route.chunked) and route.chunked:
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

        def _write_slowly(self, data: bytes, rate: int | None, *, chunked: bool) -> bool:
            """Write `data` at `rate` bytes per second (at once when None); False if the server stopped."""
            step = max(1, rate // 10) if rate else 64 * 1024
            pause = step / rate if rate else 0.0
            for start in range(0, len(data), step):
                if server._stopping.is_set():
                    return False
                piece = data[start : start + step]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece)
                self.wfile.flush()
                if pause and server._stopping.wait(pause):
                    return False
            return True

    return Handler
