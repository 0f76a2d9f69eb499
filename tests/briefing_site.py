"""A generated site of short NACTA briefing pages and their feed, for tests that run the worker processes.

Each page is about a different topic, so clustering keeps every article in a story of its own and a
duplicate could not hide inside a merged story.
"""

from __future__ import annotations

from tests.httpserver import LocalHTTPServer

TOPICS = ["blocked websites", "SIM misuse", "cybercrime cases", "border crossings", "terror financing",
          "madrassa registration", "hate speech", "explosives precursors"]


def briefing_feed(origin: str, count: int) -> bytes:
    items = "".join(
        f"<item><title>NACTA briefing part {i}</title><link>{origin}/news/{i}</link><guid>brief-{i}</guid>"
        f"<description>Summary {i}</description></item>"
        for i in range(count)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Briefings</title>{items}</channel></rss>'.encode()


def briefing_page(i: int) -> bytes:
    topic = TOPICS[i % len(TOPICS)]
    return (f"<html><body><article><h1>NACTA briefing part {i}</h1>"
            f"<p>ISLAMABAD: The National Counter Terrorism Authority (NACTA) on {topic}: officials said "
            f"{100 + i} cases were reviewed by the Federal Investigation Agency (FIA) in part {i} of the "
            f"briefing on {topic}, which covered {topic} in detail.</p></article></body></html>").encode()


def serve_briefings(server: LocalHTTPServer, count: int, *, page_delay: float = 0.0) -> None:
    server.route("/feed.xml", body=briefing_feed(server.origin, count), headers={"Content-Type": "application/rss+xml"})
    for i in range(count):
        server.route(f"/news/{i}", body=briefing_page(i), headers={"Content-Type": "text/html; charset=utf-8"},
                     delay=page_delay)
