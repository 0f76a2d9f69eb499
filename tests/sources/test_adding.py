"""Adding a source: one URL validator for `addsource`, `add_source` and the admin form, and sane intervals."""

from __future__ import annotations

import html
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from sources.adding import InvalidSourceURL, add_source
from sources.models import Source

pytestmark = pytest.mark.django_db

LONG = "https://example.org/" + "a" * 5000

# (url, words the refusal must contain)
BAD_URLS = [
    ("http://", "has no host name"),
    ("http:///nohost", "has no host name"),
    ("http://exa mple.org/feed", "contains a space"),
    ("http://[::1", "IPv6 address"),
    ("http://example.org:99999/feed", "port 99999"),
    ("http://example.org:0/feed", "port 0"),
    (LONG, "at most 2000 characters"),
    ("https://user:password@example.org/feed", "remove the user name and password; Monitor never sends them"),
    ("https://token@example.org/feed", "remove the user name and password; Monitor never sends them"),
    ("example.org/feed.xml", "not an http(s) URL"),
    ("ftp://example.org/feed.xml", "not an http(s) URL"),
    ("https://exa<mple.org/feed", "host name"),
]
BAD_IDS = ["no-host", "empty-host", "space", "open-ipv6", "port-99999", "port-0", "5000-chars", "credentials",
           "user-only", "no-scheme", "ftp", "bad-host-character"]


@pytest.mark.parametrize("url, says", BAD_URLS, ids=BAD_IDS)
def test_addsource_refuses_a_bad_url_saying_what_is_wrong(url: str, says: str) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("addsource", url, stderr=err, stdout=StringIO())
    assert says in err.getvalue()
    assert not Source.objects.exists()


@pytest.mark.parametrize("url, says", BAD_URLS, ids=BAD_IDS)
def test_add_source_refuses_a_bad_url_saying_what_is_wrong(url: str, says: str) -> None:
    with pytest.raises(InvalidSourceURL, match=None) as refused:
        add_source(url)
    assert says in str(refused.value)


@pytest.mark.parametrize("url, says", BAD_URLS, ids=BAD_IDS)
def test_the_admin_form_refuses_a_bad_url_saying_what_is_wrong(admin_client: Client, url: str, says: str) -> None:
    response = admin_client.post("/admin/sources/source/add/", {"url": url, "name": "", "enabled": "on"})
    assert response.status_code == 200  # the form again, with the error
    page = html.unescape(response.content.decode())
    assert says in page or (says == "at most 2000 characters" and "at most 2000 characters" in page)
    assert not Source.objects.exists()


def test_good_urls_are_accepted_everywhere(admin_client: Client) -> None:
    response = admin_client.post("/admin/sources/source/add/",
                                 {"url": "https://news.example.org/rss?lang=en", "name": "", "enabled": "on"})
    assert response.status_code == 302
    out = StringIO()
    call_command("addsource", "--no-check", "http://[2001:db8::1]:8080/feed.xml", "https://bücher.example/feed",
                 stdout=out)
    assert out.getvalue().count("added") == 2
    assert Source.objects.count() == 3


@pytest.mark.parametrize("interval", ["99999999999", "0", "-5", "1441"])
def test_addsource_refuses_an_interval_outside_one_minute_to_the_ceiling(interval: str) -> None:
    with pytest.raises(CommandError, match=r"--interval must be between 1 and 1440 minutes"):
        call_command("addsource", "https://example.org/feed.xml", "--interval", interval, stdout=StringIO())
    assert not Source.objects.exists()


def test_add_source_refuses_an_interval_past_the_ceiling() -> None:
    with pytest.raises(ValueError, match="between 1 and 1440 minutes"):
        add_source("https://example.org/feed.xml", interval_minutes=99_999_999_999)
    source, _ = add_source("https://example.org/feed.xml", interval_minutes=1440)
    assert source.pinned_interval_minutes == 1440
