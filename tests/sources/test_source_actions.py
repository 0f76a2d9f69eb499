"""Poll now, enable, disable, clear errors and edit, from the list and the source page: each one done, and each
recorded with who did it and when, on the source's page; the Django admin records its changes too."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sources.models import Source, SourceChange
from sources.polling import PollResult, poll_source
from tests.conftest import make_admin
from tests.httpserver import LocalHTTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client: Client) -> Client:
    client.force_login(make_admin())
    return client


def text_of(response: object) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(response.content.decode())).split())  # type: ignore[attr-defined]


def backed_off(url: str) -> Source:
    """A source that failed and waits out a long backoff, as after a restart with MONITOR_ALLOW_PRIVATE_FETCH=1."""
    return Source.objects.create(url=url, name="Frontier", status=Source.Status.FAILING, consecutive_errors=4,
                                 last_error="Refused to fetch … Next try in 24 hours.",
                                 next_poll_at=timezone.now() + timedelta(hours=24))


def test_poll_now_polls_at_once_whatever_the_backoff(admin: Client, site_server: LocalHTTPServer) -> None:
    source = backed_off(site_server.url("/feed.xml"))
    response = admin.post(f"/sources/{source.pk}/poll/", {"next": "/sources/?health=failing"}, follow=True)
    assert response.redirect_chain[-1][0] == "/sources/?health=failing"
    assert "Polled Frontier: 3 new items" in text_of(response)
    source.refresh_from_db()
    assert source.consecutive_errors == 0 and source.status == Source.Status.OK
    change = SourceChange.objects.get(source=source)
    assert (change.action, change.actor) == ("polled", "admin-user") and "3 new items" in change.detail


def test_poll_now_says_why_a_poll_failed(admin: Client, http_server: LocalHTTPServer) -> None:
    source = Source.objects.create(url=http_server.url("/missing.xml"), name="Missing")
    page = text_of(admin.post(f"/sources/{source.pk}/poll/", follow=True))
    assert "Polled Missing: the server answered HTTP 404" in page


def test_poll_now_refuses_a_disabled_source(admin: Client) -> None:
    source = Source.objects.create(url="https://off.example/feed", enabled=False, status="disabled")
    page = text_of(admin.post(f"/sources/{source.pk}/poll/", follow=True))
    assert "is disabled; enable it first" in page
    assert not SourceChange.objects.exists()


def test_enable_disable_and_clear_errors_are_recorded_and_shown(admin: Client) -> None:
    source = backed_off("https://frontier.example/feed")
    admin.post(f"/sources/{source.pk}/clear-errors/")
    source.refresh_from_db()
    assert source.consecutive_errors == 0 and source.last_error == "" and source.status == Source.Status.NEW
    assert source.next_poll_at is not None and source.next_poll_at <= timezone.now()  # due at the next tick

    admin.post(f"/sources/{source.pk}/disable/")
    source.refresh_from_db()
    assert not source.enabled and source.disabled_reason == "disabled by admin-user"
    admin.post(f"/sources/{source.pk}/enable/")
    source.refresh_from_db()
    assert source.enabled and source.status == Source.Status.NEW

    page = text_of(admin.get(f"/sources/{source.pk}/"))
    log = page[page.index("Changes"):]
    assert re.search(r"enabled by admin-user .*disabled by admin-user .*errors cleared by admin-user "
                     r".*4 errors in a row cleared", log)
    assert [c.action for c in SourceChange.objects.order_by("id")] == ["cleared", "disabled", "enabled"]


def test_an_edit_records_what_changed(admin: Client) -> None:
    source = Source.objects.create(url="https://frontier.example/feed", name="Frontier")
    response = admin.post(f"/sources/{source.pk}/edit/", {
        "url": "https://frontier.example/feed", "name": "Frontier Post", "site_url": "https://frontier.example/",
        "source_type": "outlet", "reliability": "C", "language": "en", "country": "PK", "new_groups": "KP press",
        "pinned_interval_minutes": "15"})
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.pinned_interval_minutes == 15 and source.interval_minutes == 15
    change = SourceChange.objects.get(source=source, action="edited")
    assert "name: 'Frontier' → 'Frontier Post'" in change.detail and "reliability: 'F' → 'C'" in change.detail
    assert "groups: (none) → KP press" in change.detail and change.user is not None


def test_an_edit_to_an_address_already_followed_is_refused(admin: Client) -> None:
    Source.objects.create(url="https://dawn.example/feed", name="Dawn")
    source = Source.objects.create(url="https://frontier.example/feed", name="Frontier")
    page = text_of(admin.post(f"/sources/{source.pk}/edit/", {"url": "http://www.dawn.example/feed/",
                                                              "reliability": "F"}))
    assert "is the same feed as source" in page and "Dawn" in page
    source.refresh_from_db()
    assert source.url == "https://frontier.example/feed"


def test_a_duplicate_kept_by_the_upgrade_cannot_be_re_enabled(admin: Client) -> None:
    source = Source.objects.create(url="https://dup.example/feed", enabled=False, status="disabled",
                                   disabled_reason="The same feed as source #1.")
    Source.objects.filter(pk=source.pk).update(canonical_key="duplicate-of-1-2")
    page = text_of(admin.post(f"/sources/{source.pk}/enable/", follow=True))
    assert "was disabled as a duplicate of another source" in page
    source.refresh_from_db()
    assert not source.enabled


def test_the_django_admin_records_its_changes_and_refuses_duplicates(admin_client: Client) -> None:
    response = admin_client.post("/admin/sources/source/add/", {"url": "https://dawn.example/feed", "name": "Dawn",
                                                                "enabled": "on", "reliability": "B"})
    assert response.status_code == 302
    dawn = Source.objects.get()
    assert SourceChange.objects.get(source=dawn).action == "added"
    response = admin_client.post("/admin/sources/source/add/", {"url": "https://www.dawn.example/feed/",
                                                                "enabled": "on"})
    assert "is the same feed as source" in html.unescape(response.content.decode())
    admin_client.post("/admin/sources/source/", {"action": "clear_errors", "_selected_action": [dawn.pk]})
    assert SourceChange.objects.filter(source=dawn, action="cleared").exists()


def test_poll_results_name_their_source(site_server: LocalHTTPServer, http_server: LocalHTTPServer) -> None:
    ok = poll_source(Source.objects.create(url=site_server.url("/feed.xml"), name="Frontier"))
    failed = poll_source(Source.objects.create(url=http_server.url("/gone.xml")))
    assert isinstance(ok, PollResult) and ok.source_name == "Frontier"
    assert failed.error and failed.source_name == "127.0.0.1"  # no name or title yet: its host, never its URL


def test_sources_refused_as_private_are_retried_once_the_setting_is_on(site_server: LocalHTTPServer,
                                                                       settings: object) -> None:
    from sources.actions import retry_sources_refused_as_private

    settings.MONITOR_ALLOW_PRIVATE_FETCH = False  # type: ignore[attr-defined]
    source = Source.objects.create(url=site_server.url("/feed.xml"), name="Intranet")
    for _ in range(3):  # a blocked address is permanent: disabled after the third
        poll_source(source)
        source.refresh_from_db()
    assert not source.enabled and "MONITOR_ALLOW_PRIVATE_FETCH" in source.disabled_reason
    other = Source.objects.create(url="https://news.example/feed", consecutive_errors=2,
                                  last_error="the server answered HTTP 503. Next try in 20 minutes.")
    assert retry_sources_refused_as_private() == 0  # still off: nothing to retry

    settings.MONITOR_ALLOW_PRIVATE_FETCH = True  # type: ignore[attr-defined]
    assert retry_sources_refused_as_private() == 1
    source.refresh_from_db()
    other.refresh_from_db()
    assert source.enabled and source.consecutive_errors == 0 and source.is_due()
    assert other.consecutive_errors == 2
    assert SourceChange.objects.get(source=source).actor == "worker start"
