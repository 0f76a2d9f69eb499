"""Tests of sources.feeds.parse_feed on the hand-written feeds in tests/fixtures/feeds/."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sources.feeds import FeedHints, find_alternate_feeds, parse_feed

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
NOW = datetime(2024, 7, 12, 12, 0, tzinfo=UTC)


def _fixture(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def test_rss20_entries_titles_links_and_dates() -> None:
    feed = parse_feed(
        _fixture("rss20_security_news.xml"),
        url="https://news.example.org/security/feed.xml",
        content_type="application/rss+xml; charset=utf-8",
        now=NOW,
    )

    assert not feed.not_a_feed and feed.bozo_warning is None
    assert feed.format == "rss20"
    assert feed.title == "Pakistan Security Monitor"
    assert feed.link == "https://news.example.org/security/"
    assert [e.title for e in feed.entries[:3]] == [
        "NACTA issues threat alert for Islamabad ahead of Muharram",
        "FIA cyber crime wing arrests 12 in call-centre fraud raid",
        "PTA blocks 1,200 websites over illegal content",
    ]
    first = feed.entries[0]
    assert first.guid == "psm-2024-0711-001"
    assert first.url == "https://news.example.org/security/nacta-threat-alert-islamabad"
    assert first.published == datetime(2024, 7, 11, 3, 30, tzinfo=UTC)  # +0500 converted to UTC
    assert first.author == "Staff Reporter"
    assert "<b>heightened threat</b>" in first.summary_html  # raw HTML, not sanitised here


def test_rss20_relative_link_is_made_absolute() -> None:
    feed = parse_feed(_fixture("rss20_security_news.xml"), url="https://news.example.org/security/feed.xml", now=NOW)
    assert feed.entries[1].url == "https://news.example.org/security/fia-cyber-crime-call-centre-raid"


def test_guid_falls_back_to_link_then_to_a_content_hash() -> None:
    feed = parse_feed(_fixture("rss20_security_news.xml"), url="https://news.example.org/security/feed.xml", now=NOW)
    no_guid, nothing = feed.entries[2], feed.entries[3]

    assert no_guid.guid == "https://news.example.org/security/pta-blocks-websites"
    assert nothing.url == ""
    assert nothing.guid.startswith("sha256:")
    again = parse_feed(_fixture("rss20_security_news.xml"), url="https://news.example.org/security/feed.xml", now=NOW)
    assert again.entries[3].guid == nothing.guid  # stable across polls


def test_date_far_in_the_future_is_clamped_to_now() -> None:
    feed = parse_feed(_fixture("rss20_security_news.xml"), url="https://news.example.org/security/feed.xml", now=NOW)
    assert feed.entries[3].published == NOW


def test_rss20_ttl_and_syndication_hints() -> None:
    feed = parse_feed(_fixture("rss20_security_news.xml"), url="https://news.example.org/security/feed.xml")
    assert feed.hints == FeedHints(ttl_seconds=45 * 60, update_period_seconds=1800)
    assert feed.hints.min_interval_seconds == 45 * 60


def test_content_hash_changes_when_an_item_is_edited() -> None:
    body = _fixture("rss20_security_news.xml")
    edited = body.replace(b"arrests 12", b"arrests 14")
    before = parse_feed(body, url="https://news.example.org/security/feed.xml").entries[1]
    after = parse_feed(edited, url="https://news.example.org/security/feed.xml").entries[1]

    assert before.guid == after.guid
    assert before.content_hash != after.content_hash


def test_atom_ids_links_dates_and_content() -> None:
    feed = parse_feed(
        _fixture("atom_security_news.xml"), url="https://interior.example.gov.pk/press.atom",
        content_type="application/atom+xml", now=NOW,
    )

    assert feed.format == "atom10" and feed.bozo_warning is None
    assert feed.title == "Interior Ministry Press Releases"
    first, second = feed.entries
    assert first.guid == "tag:interior.example.gov.pk,2024:press-811"
    assert first.url == "https://interior.example.gov.pk/press/nacta-coordination-committee"
    assert first.published == datetime(2024, 7, 11, 1, 0, tzinfo=UTC)  # <published> wins over <updated>
    assert first.author == "Press Wing"
    assert second.published == datetime(2024, 7, 10, 12, 0, tzinfo=UTC)  # only <updated>
    assert "SIM registration records" in second.summary_html  # from <content>


def test_rss10_rdf_feed() -> None:
    feed = parse_feed(_fixture("rss10_security_news.rdf"), url="https://gazette.example.pk/rss", now=NOW)

    assert feed.format == "rss10"
    assert [e.url for e in feed.entries] == [
        "https://gazette.example.pk/notice/pta-2024-17",
        "https://gazette.example.pk/notice/nacta-2024-03",
    ]
    assert feed.entries[0].published == datetime(2024, 7, 8, 5, 0, tzinfo=UTC)
    assert feed.entries[0].author == "Pakistan Telecommunication Authority"
    assert feed.hints.update_period_seconds == 86400 // 4


def test_json_feed() -> None:
    feed = parse_feed(
        _fixture("jsonfeed_security_news.json"), url="https://cyberdesk.example.net/feed.json",
        content_type="application/feed+json", now=NOW,
    )

    assert feed.format == "json11" and not feed.not_a_feed
    assert feed.title == "Cyber Desk"
    first, second = feed.entries
    assert first.guid == "cd-9001"
    assert first.title == "FIA issues ransomware advisory to banks"
    assert first.published == datetime(2024, 7, 11, 4, 0, tzinfo=UTC)
    assert first.author == "A. Rahman"
    assert first.summary_html == "<p>The advisory names three ransomware families.</p>"
    assert second.guid == "9002"  # numeric ids are accepted and kept as text
    assert second.url == "https://cyberdesk.example.net/2024/07/pta-vpn-registration"
    assert second.published == datetime(2024, 7, 10, 10, 30, tzinfo=UTC)
    assert second.author == "Cyber Desk"  # falls back to the feed's authors
    assert "Unregistered VPNs" in second.summary_html


def test_json_feed_is_recognised_without_a_content_type() -> None:
    feed = parse_feed(_fixture("jsonfeed_security_news.json"), url="https://cyberdesk.example.net/feed.json")
    assert len(feed.entries) == 2


def test_ill_formed_feed_still_yields_items_with_a_warning() -> None:
    feed = parse_feed(_fixture("bozo_security_news.xml"), url="https://frontier.example.com/rss")

    assert not feed.not_a_feed
    assert feed.bozo_warning is not None and "not well-formed" in feed.bozo_warning
    assert [e.title for e in feed.entries] == [
        "NACTA & provincial CTDs hold joint exercise",
        "FIA recovers smuggled currency at Torkham",
    ]


def test_html_page_is_not_a_feed_and_lists_its_feeds() -> None:
    feed = parse_feed(
        _fixture("html_with_alternates.html"), url="https://news.example.org/security/",
        content_type="text/html; charset=utf-8",
    )

    assert feed.not_a_feed and feed.entries == []
    assert feed.reason is not None and "HTML page" in feed.reason
    assert feed.alternate_feeds == [
        "https://news.example.org/security/feed.xml",
        "https://news.example.org/press.atom",
        "https://news.example.org/security/feed.json",
    ]


def test_alternate_links_honour_the_base_element() -> None:
    page = b'<html><head><base href="https://cdn.example.net/site/"><link rel="Alternate" type="application/rss+xml" href="rss"></head></html>'
    assert find_alternate_feeds(page, url="https://example.net/") == ["https://cdn.example.net/site/rss"]


CYRILLIC = ("windows1251_news.xml", "Новости безопасности", "Пакистан усилил меры безопасности")
LATIN_1 = ("iso88591_news.xml", "Sécurité et Défense", "Coopération antiterroriste renforcée à Genève")


@pytest.mark.parametrize(
    ("fixture", "content_type"),
    [
        (CYRILLIC, "text/xml"),
        (CYRILLIC, "application/rss+xml; charset=windows-1251"),
        (CYRILLIC, None),
        (LATIN_1, "application/xml"),
        (LATIN_1, "text/html; charset=ISO-8859-1"),
    ],
)
def test_legacy_charsets_decode(fixture: tuple[str, str, str], content_type: str | None) -> None:
    name, title, item_title = fixture
    feed = parse_feed(_fixture(name), url="https://example.org/rss", content_type=content_type)
    assert feed.title == title
    assert feed.entries[0].title == item_title


def test_charset_from_response_headers_is_used() -> None:
    body = _fixture("windows1251_news.xml").replace(b' encoding="windows-1251"', b"")
    feed = parse_feed(body, url="https://ru.example.org/rss", headers={"Content-Type": "application/xml; charset=windows-1251"})
    assert feed.title == "Новости безопасности"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"\x00\x01\x02\xff\xfe",
        b"/etc/passwd",
        b"<html><body>Maintenance</body></html>",
        b'{"not": "a feed"}',
        b"{broken json",
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>cut off',
        b"<!DOCTYPE x [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;&a;'>]><rss><channel><title>&b;</title></channel></rss>",
    ],
    ids=["empty", "blank", "binary", "a-local-path", "html-no-links", "json-object", "broken-json", "truncated", "entities"],
)
def test_never_raises_on_odd_input(body: bytes) -> None:
    feed = parse_feed(body, url="https://example.org/feed")
    if feed.not_a_feed:
        assert feed.reason
    assert isinstance(feed.entries, list)


def test_a_body_that_is_a_file_path_is_not_read_from_disk(tmp_path: Path) -> None:
    # feedparser treats bytes as a file name first; parse_feed must never let a body read local files.
    secret = tmp_path / "secret.xml"
    secret.write_bytes(b'<rss version="2.0"><channel><title>LOCAL FILE</title></channel></rss>')
    feed = parse_feed(str(secret).encode(), url="https://example.org/feed")
    assert feed.title != "LOCAL FILE"


def test_entry_links_with_non_http_schemes_are_dropped() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title>x</title><link>javascript:alert(1)</link><guid>g1</guid></item>"
            b'<item><title>y</title><link>/news/ok</link><guid isPermaLink="false">g2</guid></item>'
            b"</channel></rss>")
    parsed = parse_feed(body, url="https://feeds.example/rss.xml")
    assert [entry.url for entry in parsed.entries] == ["", "https://feeds.example/news/ok"]
