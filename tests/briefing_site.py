"""A generated site of short NACTA briefing pages and their feed, for tests that run the worker processes.

Each page reports a different event, so clustering keeps every article in a story of its own and a
duplicate could not hide inside a merged story.
"""

from __future__ import annotations

from tests.httpserver import LocalHTTPServer

# One distinct event per page: different actors, places and wording, so no two pages are near copies.
EVENTS = [
    "blocked websites that carried recruitment videos, after complaints from parents in Lahore about "
    "channels that targeted college students with slick propaganda",
    "asked mobile operators to suspend SIMs registered with forged identity cards in Quetta, where a "
    "smuggling ring sold them to militants crossing from Afghanistan",
    "reviewed cybercrime cases in which extortion calls to traders in Peshawar were traced to handlers "
    "abroad who paid local accomplices through hawala dealers",
    "inspected border crossings at Torkham and Chaman, where customs staff reported forged travel "
    "documents and unexplained cash carried by frequent travellers",
    "froze bank accounts of charities in Karachi that collected donations during Ramadan and moved the "
    "money to proscribed outfits through front companies",
    "registered seminaries in southern Punjab under the new law, with district officials checking their "
    "funding, syllabus and foreign students one by one",
    "tracked hate speech on social media during the by-elections, asking platforms to remove posts that "
    "incited violence against minority communities in Sindh",
    "tightened controls on explosives precursors sold by fertiliser dealers in Dera Ismail Khan, after "
    "bomb makers were found buying ammonium nitrate in bulk",
]


def briefing_feed(origin: str, count: int) -> bytes:
    items = "".join(
        f"<item><title>NACTA briefing part {i}</title><link>{origin}/news/{i}</link><guid>brief-{i}</guid>"
        f"<description>Summary {i}</description></item>"
        for i in range(count)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Briefings</title>{items}</channel></rss>'.encode()


def briefing_page(i: int) -> bytes:
    event = EVENTS[i % len(EVENTS)]
    return (f"<html><body><article><h1>NACTA briefing part {i}</h1>"
            f"<p>The National Counter Terrorism Authority (NACTA) {event}. In all, {100 + i} cases were opened.</p>"
            "</article></body></html>").encode()


def serve_briefings(server: LocalHTTPServer, count: int, *, page_delay: float = 0.0) -> None:
    server.route("/feed.xml", body=briefing_feed(server.origin, count), headers={"Content-Type": "application/rss+xml"})
    for i in range(count):
        server.route(f"/news/{i}", body=briefing_page(i), headers={"Content-Type": "text/html; charset=utf-8"},
                     delay=page_delay)
