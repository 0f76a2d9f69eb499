"""The "add a source" page against a real local HTTP server: a feed, a home page whose feed is found, dead and
unreachable addresses, a private address refused, and duplicates in every spelling; and `addsource`, which
makes the same check."""

from __future__ import annotations

import html
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from sources.models import Source, SourceChange
from tests.conftest import FIXTURES, make_admin
from tests.httpserver import LocalHTTPServer

pytestmark = pytest.mark.django_db

HOME_WITH_FEED = b"""<!doctype html><html lang="en"><head><title>Frontier Security Desk</title>
<link rel="alternate" type="application/rss+xml" title="All stories" href="/feed.xml"></head>
<body><h1>Frontier Security Desk</h1></body></html>"""
HOME_WITHOUT_FEED = b"<!doctype html><html><head><title>No feeds here</title></head><body>Hello</body></html>"


@pytest.fixture
def admin(client: Client) -> Client:
    client.force_login(make_admin())
    return client


def page_text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def check(client: Client, url: str) -> str:
    response = client.post("/sources/add/", {"step": "check", "url": url})
    assert response.status_code == 200
    return page_text(response)


def checked_token(page: str) -> str:
    found = re.search(r'name="checked" value="([^"]+)"', page)
    assert found, "no preview form on the page"
    return found.group(1)


def test_a_feed_is_previewed_then_saved_with_its_details(admin: Client, site_server: LocalHTTPServer) -> None:
    page = check(admin, site_server.url("/feed.xml"))
    assert "Frontier Security Desk" in page
    assert "NACTA widens drive against Daesh recruiters online" in page  # the latest items
    assert re.search(r"<dt>Items</dt><dd>3\b", page)
    assert "not declared by the feed" in page  # the fixture declares no language
    assert not Source.objects.exists()  # nothing saved by the check

    response = admin.post("/sources/add/", {
        "step": "save", "checked": checked_token(page), "name": "Frontier Security Desk", "site_url": "",
        "source_type": "outlet", "reliability": "B", "language": "EN", "country": "pk",
        "new_groups": "Pakistan press, Security"})
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sources/{source.pk}/"
    assert source.url == site_server.url("/feed.xml")
    assert (source.source_type, source.reliability, source.language, source.country) == ("outlet", "B", "en", "PK")
    assert sorted(g.name for g in source.groups.all()) == ["Pakistan press", "Security"]
    assert source.next_poll_at is None  # due at once: the worker polls it within a minute
    change = SourceChange.objects.get(source=source)
    assert change.action == "added" and change.actor == "admin-user" and "3 items" in change.detail
    source_page = re.sub(r"<[^>]+>", "", page_text(admin.get(f"/sources/{source.pk}/")))
    assert "added by admin-user" in source_page and "checked: Frontier Security Desk, 3 items" in source_page


def test_a_home_page_offers_the_feed_it_advertises(admin: Client, site_server: LocalHTTPServer) -> None:
    site_server.route("/", body=HOME_WITH_FEED, headers={"Content-Type": "text/html; charset=utf-8"})
    page = check(admin, site_server.url("/"))
    assert "is a web page, not a feed" in page and "It advertises 1 feed" in page
    assert f'value="{site_server.url("/feed.xml")}"' in page
    # Picking it previews it.
    assert "Frontier Security Desk" in check(admin, site_server.url("/feed.xml"))


def test_a_home_page_without_a_feed_link_is_tried_at_a_few_common_paths(admin: Client,
                                                                        http_server: LocalHTTPServer) -> None:
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Press office</title><language>ur</language>'
            b"<item><title>Notice</title><link>https://example.org/n</link></item></channel></rss>")
    http_server.route("/", body=HOME_WITHOUT_FEED, headers={"Content-Type": "text/html"})
    http_server.route("/rss.xml", body=feed, headers={"Content-Type": "application/rss+xml"})
    page = check(admin, http_server.url("/"))
    assert "this common feed address answers with one" in page
    assert f'value="{http_server.url("/rss.xml")}"' in page
    # Politely: the page, then /feed, /rss and /rss.xml, stopping at the first feed.
    assert [r.path for r in http_server.requests] == ["/", "/feed", "/rss", "/rss.xml"]
    assert "ur" in check(admin, http_server.url("/rss.xml"))  # the declared language in the preview


def test_a_page_with_no_feed_anywhere_says_what_to_look_for(admin: Client, http_server: LocalHTTPServer) -> None:
    http_server.route("/", body=HOME_WITHOUT_FEED, headers={"Content-Type": "text/html"})
    page = check(admin, http_server.url("/"))
    assert "advertises no feed" in page and "/feed, /rss, /rss.xml, /atom.xml, /feed.xml" in page
    assert "RSS or “subscribe” link" in page
    assert len(http_server.requests) == 6
    assert not Source.objects.exists()


def test_a_dead_link_is_refused_with_what_to_try(admin: Client, http_server: LocalHTTPServer) -> None:
    page = check(admin, http_server.url("/gone.xml"))
    assert "answered HTTP 404 (not found)" in page and "Check it for typos" in page
    assert not Source.objects.exists()


def test_an_unreachable_address_is_refused_with_what_to_try(admin: Client) -> None:
    with LocalHTTPServer() as server:
        url = server.url("/feed.xml")
    page = check(admin, url)  # the server is gone: nothing listens on its port
    assert "Could not connect to 127.0.0.1" in page and "whether the site opens in a browser" in page
    assert not Source.objects.exists()


def test_something_that_is_not_a_feed_is_refused(admin: Client, http_server: LocalHTTPServer) -> None:
    http_server.route("/data.json", body=b'{"hello": "world"}', headers={"Content-Type": "application/json"})
    page = check(admin, http_server.url("/data.json"))
    assert "is not a feed" in page and "Give the address of an RSS, Atom or JSON feed" in page


def test_a_private_address_is_refused_naming_the_setting(admin: Client, site_server: LocalHTTPServer,
                                                         settings: Any) -> None:
    settings.MONITOR_ALLOW_PRIVATE_FETCH = False
    page = check(admin, site_server.url("/feed.xml"))
    assert "127.0.0.1, which is a loopback address" in page
    assert "MONITOR_ALLOW_PRIVATE_FETCH=1" in page and "restart them" in page
    assert site_server.requests == []  # refused before connecting
    assert not Source.objects.exists()


EXISTING = "https://news.example.org/feed.xml"
SPELLINGS = [
    "https://news.example.org/feed.xml",
    "http://news.example.org/feed.xml",
    "https://www.news.example.org/feed.xml",
    "https://news.example.org/feed.xml/",
    "https://news.example.org/feed.xml#latest",
    "https://news.example.org/feed.xml?utm_source=newsletter&fbclid=abc",
    "HTTPS://News.Example.org:443/feed.xml",
]


@pytest.mark.parametrize("spelling", SPELLINGS, ids=["same", "scheme", "www", "slash", "fragment", "tracking",
                                                     "case-and-port"])
def test_a_duplicate_in_any_spelling_is_refused_with_a_link(admin: Client, spelling: str) -> None:
    existing = Source.objects.create(url=EXISTING, name="Example News")
    page = check(admin, spelling)  # refused before any fetch: news.example.org is never looked up
    assert f"source #{existing.pk}, Example News" in page and "already followed" in page
    assert f'href="/sources/{existing.pk}/"' in page
    assert Source.objects.count() == 1


def test_a_different_query_is_a_different_feed(admin: Client, site_server: LocalHTTPServer) -> None:
    Source.objects.create(url=site_server.url("/feed.xml"))
    feed = (FIXTURES / "site" / "feed.xml").read_text().replace("{base}", site_server.origin)
    site_server.route("/feed.xml?lang=ur", body=feed.encode(), headers={"Content-Type": "application/rss+xml"})
    page = check(admin, site_server.url("/feed.xml?lang=ur"))
    assert "already followed" not in page and "Frontier Security Desk" in page


def test_a_feed_that_redirects_to_one_already_followed_is_refused(admin: Client, site_server: LocalHTTPServer) -> None:
    existing = Source.objects.create(url=site_server.url("/feed.xml"), name="Frontier")
    site_server.route("/old-feed", redirect="/feed.xml", status=301)
    page = check(admin, site_server.url("/old-feed"))
    assert f"source #{existing.pk}, Frontier" in page


def test_the_database_refuses_a_second_spelling_too(admin: Client) -> None:
    from django.db import IntegrityError, transaction

    Source.objects.create(url=EXISTING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(url="http://www.news.example.org/feed.xml/")
    stored = Source.objects.create(url="https://NEWS.example.org/feed.xml?b=2&utm_medium=x&a=1#top")
    assert stored.url == "https://news.example.org/feed.xml?a=1&b=2"  # stored in canonical form


def test_save_refuses_an_address_that_was_not_checked(admin: Client) -> None:
    response = admin.post("/sources/add/", {"step": "save", "checked": "forged:token", "name": "x"}, follow=True)
    assert "check the address again" in page_text(response)
    assert not Source.objects.exists()


def test_save_refuses_a_duplicate_added_meanwhile(admin: Client, site_server: LocalHTTPServer) -> None:
    token = checked_token(check(admin, site_server.url("/feed.xml")))
    other = Source.objects.create(url=site_server.url("/feed.xml/"), name="Added meanwhile")
    page = page_text(admin.post("/sources/add/", {"step": "save", "checked": token, "reliability": "F"}))
    assert f"source #{other.pk}, Added meanwhile" in page
    assert Source.objects.count() == 1


def test_save_says_what_is_wrong_with_a_detail(admin: Client, site_server: LocalHTTPServer) -> None:
    token = checked_token(check(admin, site_server.url("/feed.xml")))
    page = page_text(admin.post("/sources/add/", {"step": "save", "checked": token, "country": "P1",
                                                  "language": "english!", "reliability": "B"}))
    assert "two-letter ISO 3166 code" in page and "not a language tag" in page
    assert not Source.objects.exists()


def test_a_bare_domain_is_read_as_https(admin: Client) -> None:
    Source.objects.create(url="https://dawn.example/feed", name="Dawn")
    assert "already followed" in check(admin, "dawn.example/feed")


def test_addsource_checks_the_address_like_the_page(site_server: LocalHTTPServer) -> None:
    out, err = StringIO(), StringIO()
    call_command("addsource", site_server.url("/feed.xml"), "--group", "Pakistan press", "--grade", "B",
                 stdout=out, stderr=err)
    source = Source.objects.get()
    assert source.name == "Frontier Security Desk" and source.reliability == "B"
    assert [g.name for g in source.groups.all()] == ["Pakistan press"]
    assert SourceChange.objects.get(source=source).actor == "manage.py addsource"

    call_command("addsource", site_server.url("/feed.xml#again"), stdout=out)
    assert f"already present: #{source.pk}" in out.getvalue()

    site_server.route("/", body=HOME_WITH_FEED, headers={"Content-Type": "text/html"})
    site_server.route("/other.xml", status=404)
    with pytest.raises(CommandError):
        call_command("addsource", site_server.url("/"), site_server.url("/other.xml"), stdout=out, stderr=err)
    assert "is a web page, not a feed. It leads to:" in err.getvalue()
    assert f"already source #{source.pk}" in err.getvalue()
    assert "answered HTTP 404" in err.getvalue()
    assert Source.objects.count() == 1


def test_addsource_no_check_adds_without_fetching() -> None:
    out = StringIO()
    call_command("addsource", "--no-check", "https://offline.example/feed.xml", stdout=out)
    assert "added: #" in out.getvalue() and Source.objects.filter(url="https://offline.example/feed.xml").exists()
