"""Tests of sources.canonical: one spelling per article URL."""

from __future__ import annotations

import pytest

from sources.canonical import canonical_url, is_tracking_parameter, url_hash


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.dawn.com/news/1835?utm_source=feedburner&utm_medium=rss&utm_campaign=Feed",
            "https://www.dawn.com/news/1835",
        ),
        ("https://example.pk/a?fbclid=IwAR0x&id=7", "https://example.pk/a?id=7"),
        ("https://example.pk/a?gclid=1&dclid=2&msclkid=3&mc_cid=4&mc_eid=5", "https://example.pk/a"),
        ("https://example.pk/a?igshid=x&_ga=2.1&ref=twitter&ref_src=twsrc", "https://example.pk/a"),
        ("https://example.pk/a?cmpid=x&ocid=y&__twitter_impression=true", "https://example.pk/a"),
        ("https://www.bbc.com/news/world-asia-1?at_medium=RSS&at_campaign=KARANGA", "https://www.bbc.com/news/world-asia-1"),
        ("https://example.pk/a?UTM_Source=x&page=2", "https://example.pk/a?page=2"),
    ],
)
def test_tracking_parameters_are_removed(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_fragment_is_dropped() -> None:
    assert canonical_url("https://example.pk/story#comments") == "https://example.pk/story"


def test_scheme_and_host_are_lower_cased_but_path_keeps_its_case() -> None:
    assert canonical_url("HTTPS://News.Example.PK/Story/ABC") == "https://news.example.pk/Story/ABC"


def test_default_ports_are_dropped_and_others_kept() -> None:
    assert canonical_url("https://example.pk:443/a") == "https://example.pk/a"
    assert canonical_url("http://example.pk:80/a") == "http://example.pk/a"
    assert canonical_url("http://example.pk:8080/a") == "http://example.pk:8080/a"


def test_empty_path_becomes_slash() -> None:
    assert canonical_url("https://example.pk") == "https://example.pk/"
    assert canonical_url("https://example.pk?utm_source=x") == "https://example.pk/"


def test_remaining_query_parameters_are_sorted_with_their_encoding_kept() -> None:
    assert canonical_url("https://example.pk/s?q=NACTA%20alert&b=2&a=1") == "https://example.pk/s?a=1&b=2&q=NACTA%20alert"


def test_same_story_with_different_campaign_tags_has_one_canonical_url() -> None:
    variants = [
        "https://tribune.com.pk/story/2471?utm_source=twitter&utm_medium=social",
        "https://Tribune.com.pk/story/2471?utm_source=facebook&fbclid=abc#top",
        "https://tribune.com.pk:443/story/2471",
    ]
    assert len({canonical_url(v) for v in variants}) == 1
    assert len({url_hash(v) for v in variants}) == 1


def test_url_hash_is_a_sha256_hex_digest() -> None:
    digest = url_hash("https://example.pk/a")
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert url_hash("https://example.pk/a") != url_hash("https://example.pk/b")


def test_meaningful_parameters_are_kept() -> None:
    assert not is_tracking_parameter("id")
    assert not is_tracking_parameter("page")
    assert canonical_url("https://example.pk/article.php?id=55&reference=9") == "https://example.pk/article.php?id=55&reference=9"


def test_ipv6_host_and_odd_input() -> None:
    assert canonical_url("http://[2001:DB8::1]:8080/x") == "http://[2001:db8::1]:8080/x"
    assert canonical_url("  not a url  ") == "not a url"
