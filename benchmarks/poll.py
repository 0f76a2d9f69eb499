#!/usr/bin/env python
"""Polling throughput: N feeds of 20 items served locally with injected latency, polled three ways.

    .venv/bin/python benchmarks/poll.py [--sources 1000] [--latency-ms 50] [--hosts 100] [--concurrency 32]

A feed server runs in a separate process (so it does not compete with the poller for the GIL) on 127.0.0.1
and waits `--latency-ms` before every answer. Feeds are spread over `--hosts` host names (h0.bench.test …),
all resolved to 127.0.0.1 by the fetch policy's resolver hook, so the per-host politeness limit applies as
it would on the real web. It measures, on a fresh SQLite database in a temporary folder:
1. first poll: every item is new (20 × N articles stored);
2. re-poll with validators: every feed answers 304;
3. re-poll of unchanged bodies: the server ignores validators and answers 200 with the same bytes, which
   the body hash recognises without parsing.
The last line printed is JSON with sources per second for each, and the peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = 20


def feed_body(i: int) -> bytes:
    items = "".join(
        f"<item><title>Feed {i} item {j}: security update</title>"
        f"<link>https://outlet{i}.example/news/{j}</link><guid>f{i}-i{j}</guid>"
        f"<pubDate>Mon, 04 Nov 2024 {j % 24:02d}:00:00 GMT</pubDate>"
        f"<description>Officials said {j * 7 + i} operations were carried out.</description></item>"
        for j in range(ITEMS)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {i}</title>'
            f"<link>https://outlet{i}.example/</link>{items}</channel></rss>").encode()


def serve(port_queue: "multiprocessing.Queue[int]", latency: float) -> None:
    state = {"honour_validators": True}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path.startswith("/_mode/"):
                state["honour_validators"] = self.path.endswith("/on")
                self._send(200, b"ok", {})
                return
            time.sleep(latency)
            i = int(self.path.rsplit("/", 1)[-1].split(".")[0])
            etag = f'"v1-{i}"'
            if state["honour_validators"] and self.headers.get("If-None-Match") == etag:
                self._send(304, b"", {"ETag": etag})
                return
            self._send(200, feed_body(i), {"ETag": etag, "Content-Type": "application/rss+xml"})

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 1024

    server = Server(("127.0.0.1", 0), Handler)
    port_queue.put(server.server_address[1])
    server.serve_forever()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--hosts", type=int, default=100, help="distinct host names the feeds are spread over")
    parser.add_argument("--concurrency", type=int, default=32, help="sources polled at once")
    parser.add_argument("--per-host", type=int, default=2, help="requests in flight per host")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="monitor-bench-poll-")
    os.environ.update({"DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3", "MONITOR_VAR_DIR": workdir,
                       "MONITOR_ALLOW_PRIVATE_FETCH": "1", "DJANGO_SETTINGS_MODULE": "monitor.settings",
                       "LOG_LEVEL": "WARNING"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from sources.http import FetchPolicy, fetch
    from sources.models import Source
    from sources.poll_runner import poll_sources

    call_command("migrate", verbosity=0)
    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports, args.latency_ms / 1000), daemon=True)
    server.start()
    port = ports.get(timeout=10)
    policy = FetchPolicy(allow_private=True, per_host_concurrency=args.per_host, connect_timeout=5,
                         read_timeout=10, total_timeout=30, resolver=lambda host, _port: ["127.0.0.1"])
    Source.objects.bulk_create([
        Source(url=f"http://h{i % args.hosts}.bench.test:{port}/feed/{i}.xml", name=f"feed {i}")
        for i in range(args.sources)
    ])

    def timed_poll(label: str) -> dict[str, object]:
        sources = list(Source.objects.all())
        started = time.perf_counter()
        results = poll_sources(sources, concurrency=args.concurrency, policy=policy, force=True)
        elapsed = time.perf_counter() - started
        outcomes: dict[str, int] = {}
        for result in results:
            outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        figures = {"seconds": round(elapsed, 2), "sources_per_second": round(len(results) / elapsed, 1),
                   "outcomes": outcomes}
        print(f"{label:>22}: {len(results)} sources in {elapsed:.2f} s "
              f"({figures['sources_per_second']} sources/s) {outcomes}", flush=True)
        return figures

    try:
        first = timed_poll("first poll (all new)")
        not_modified = timed_poll("re-poll (304)")
        fetch(f"http://127.0.0.1:{port}/_mode/off", policy=policy)
        unchanged = timed_poll("re-poll (200, same)")
    finally:
        server.terminate()
    from sources.models import Article

    # The floor set by politeness alone: every host serves its feeds two at a time, one latency each.
    per_host_floor = (args.sources / args.hosts) / args.per_host * args.latency_ms / 1000
    summary = {
        "benchmark": "poll", "sources": args.sources, "items_per_feed": ITEMS, "latency_ms": args.latency_ms,
        "hosts": args.hosts, "concurrency": args.concurrency, "per_host": args.per_host,
        "articles_stored": Article.objects.count(),
        "first_poll_sources_per_second": first["sources_per_second"], "first_poll_seconds": first["seconds"],
        "repoll_304_sources_per_second": not_modified["sources_per_second"],
        "repoll_304_seconds": not_modified["seconds"],
        "repoll_200_unchanged_sources_per_second": unchanged["sources_per_second"],
        "repoll_200_unchanged_seconds": unchanged["seconds"],
        "concurrency_floor_seconds": round(args.sources / args.concurrency * args.latency_ms / 1000, 2),
        "per_host_floor_seconds": round(per_host_floor, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
