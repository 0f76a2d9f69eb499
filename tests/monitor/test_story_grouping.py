"""Stories through the real pipeline: feeds on a local HTTP server, polled, extracted, tagged and grouped.

Two ways grouping went wrong before evidence beyond wording:
- over-merging: an outlet's daily bulletins share most of their sentences (a template, with a helpline
  number and an Act's section in it); an aggregator reposting some of them made every later bulletin look
  like a rewrite of an earlier repost, so days of bulletins collapsed into one story;
- under-merging: a second outlet's rewrite of a PTA report in new words (under 0.1 shingle containment)
  but with the same ten figures and actors founded a story of its own.
The bulletins are generated here from a written template; the PTA texts are in tests/fixtures/stories/.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from monitor.models import RecurringLine, Story, StoryArticle
from monitor.recurring_lines import RECURRING_AFTER, line_keys
from monitor.similarity import containment
from sources.models import Article, Source
from tests.httpserver import LocalHTTPServer

pytestmark = pytest.mark.django_db(transaction=True)

STORIES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
START = datetime(2026, 9, 1, 6, 0, tzinfo=timezone.utc)

# About 60% of each bulletin: the same sentences every day, some with slots that change.
BOILERPLATE = [
    "The Counter Terrorism Department Punjab publishes this situation report every morning for the media.",
    "Figures are provisional and are revised when district reports reach the provincial headquarters.",
    "Citizens can report suspicious activity on the CTD helpline 1717, which is staffed round the clock.",
    "Sharing extremist material online is an offence under section 11-W of the Anti-Terrorism Act 1997.",
    "In the past 24 hours the department carried out {ops} intelligence-based operations across the province.",
    "Security remained tight at sensitive installations, places of worship and bus terminals.",
    "The department thanked the public for its cooperation and asked people to stay vigilant.",
]
DISTRICTS = ["Lahore", "Multan", "Gujranwala", "Faisalabad", "Bahawalpur", "Sargodha", "Rawalpindi", "Sialkot",
             "Dera Ghazi Khan", "Jhang", "Sahiwal", "Okara"]
GROUPS = ["a banned outfit", "Daesh", "the TTP", "Lashkar-e-Jhangvi"]
DAILY = [
    "In {d1}, a CTD team arrested {n1} suspects linked to {g} and recovered {kg} kilograms of explosives.",
    "A raid near {d2} led to the arrest of a man wanted in {cases} cases of extortion and terror financing.",
    "Officers in {d3} seized {rounds} rounds of ammunition and {phones} mobile phones from a hideout.",
    "The department also registered {firs} new cases and sent {sent} suspects to judicial lock-up.",
]


def bulletin(day: int) -> tuple[str, str]:
    rng = random.Random(day)
    d1, d2, d3 = rng.sample(DISTRICTS, 3)
    values = {"ops": 40 + 7 * day, "d1": d1, "d2": d2, "d3": d3, "g": rng.choice(GROUPS), "n1": rng.randint(2, 9),
              "kg": 11 + 3 * day, "cases": 13 + day, "rounds": 120 + 17 * day, "phones": rng.randint(3, 9),
              "firs": 21 + 2 * day, "sent": 15 + day}
    boiler = [sentence.format(**values) for sentence in BOILERPLATE]
    daily = [sentence.format(**values) for sentence in DAILY]
    paragraphs = [" ".join(boiler[:2]), " ".join(daily[:2]), boiler[4] + " " + daily[2], daily[3],
                  " ".join(boiler[2:4]), " ".join(boiler[5:])]
    date = (START + timedelta(days=day)).strftime("%-d %B %Y")
    return f"CTD Punjab situation report, {date}", "\n\n".join(paragraphs)


def page(title: str, body: str, header: str = "") -> bytes:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n"))
    return (f"<!doctype html><html><head><title>{escape(title)}</title></head><body>"
            f"<article><h1>{escape(title)}</h1>{header}{paragraphs}</article></body></html>").encode()


def serve_feed(server: LocalHTTPServer, name: str, items: list[tuple[str, str, datetime, bytes]]) -> str:
    """Routes a feed at /<name>/feed.xml whose items link to pages on the same server."""
    entries = []
    for slug, title, published, html in items:
        server.route(f"/{name}/{slug}", body=html, headers={"Content-Type": "text/html; charset=utf-8"})
        entries.append(f"<item><title>{escape(title)}</title><link>{server.url(f'/{name}/{slug}')}</link>"
                       f"<guid>{server.url(f'/{name}/{slug}')}</guid><pubDate>{format_datetime(published)}</pubDate>"
                       "</item>")
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title><link>{server.url("/")}</link>'
            f"<description>{name}</description>{''.join(entries)}</channel></rss>")
    server.route(f"/{name}/feed.xml", body=feed.encode(), headers={"Content-Type": "application/rss+xml"})
    return server.url(f"/{name}/feed.xml")


def poll(url: str) -> None:
    call_command("addsource", url, stdout=StringIO())
    out = StringIO()
    call_command("poll", "--once", "--no-progress", stdout=out)


def stories_of(source_url: str) -> dict[str, int]:
    """Article title → story id, for one source's articles."""
    return dict(Article.objects.filter(source__url=source_url, status=Article.Status.TAGGED)
                .values_list("title", "story_link__story_id"))


def test_templated_bulletins_stay_separate_stories_and_reposts_join_their_own_day(http_server: LocalHTTPServer) -> None:
    days = range(60)
    bulletins = {day: bulletin(day) for day in days}
    # The aggregator reposts the first 20 bulletins and is polled first, so when the outlet's own bulletins
    # arrive, every one of them has earlier reposts from another outlet sharing the template.
    reposts = [(f"repost-{day}", f"Repost: {bulletins[day][0]}", START + timedelta(days=day, minutes=30),
                page(f"Repost: {bulletins[day][0]}", bulletins[day][1],
                     "<p>Shared from the CTD Punjab press office.</p>")) for day in range(20)]
    aggregator = serve_feed(http_server, "aggregator", reposts)
    poll(aggregator)
    own = [(f"report-{day}", title, START + timedelta(days=day), page(title, body))
           for day, (title, body) in bulletins.items()]
    outlet = serve_feed(http_server, "ctd", own)
    poll(outlet)

    outlet_stories = stories_of(outlet)
    assert len(outlet_stories) == 60 and Article.objects.filter(status=Article.Status.TAGGED).count() == 80
    # Sixty days, sixty stories: the template is not evidence.
    assert len(set(outlet_stories.values())) == 60
    repost_stories = stories_of(aggregator)
    for day in range(20):
        title = bulletins[day][0]
        assert repost_stories[f"Repost: {title}"] == outlet_stories[title], f"day {day}'s repost is elsewhere"
    assert Story.objects.count() == 60
    # The template was learned: its seven sentences, slots and all, in every bulletin, are recurring lines of
    # the outlet, counted up to RECURRING_AFTER and no further.
    ctd = Source.objects.get(url=outlet)
    in_every = set.intersection(*(set(line_keys(text)) for text in Article.objects.filter(source=ctd)
                                  .values_list("text", flat=True)))
    assert len(in_every) >= len(BOILERPLATE)
    assert dict(RecurringLine.objects.filter(source=ctd, key__in=in_every).values_list("key", "articles")) == {
        key: RECURRING_AFTER for key in in_every}


def test_a_rewrite_in_new_words_with_the_same_figures_joins_the_story(http_server: LocalHTTPServer) -> None:
    report = (STORIES / "pta_sim_report.txt").read_text().split("\n\n", 1)
    rewrite = (STORIES / "pta_sim_rewrite.txt").read_text().split("\n\n", 1)
    assert containment(report[1], rewrite[1]) < 0.15  # the wording alone says "different stories"
    first = serve_feed(http_server, "capital", [("pta", report[0], START, page(*report))])
    second = serve_feed(http_server, "frontier", [("sims", rewrite[0], START + timedelta(hours=3), page(*rewrite))])
    poll(first)
    poll(second)

    original, copy = (Article.objects.get(source__url=url) for url in (first, second))
    assert copy.story_link.story_id == original.story_link.story_id
    assert copy.story_link.copy_kind == StoryArticle.CopyKind.REWRITTEN
    evidence = copy.story_link.evidence
    assert evidence["rule"] == "weighed-evidence" and evidence["matched"] == original.pk
    assert len(evidence["shared_figures"]) >= 8 and evidence["wording"] < 0.15
    assert "Pakistan Telecommunication Authority" in evidence["organisations"]
    story = Story.objects.get(pk=original.story_link.story_id)
    assert story.first_article_id == original.pk and story.outlet_count == 2
