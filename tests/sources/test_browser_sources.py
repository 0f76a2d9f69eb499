"""An admin in real Chromium adds a source from a site's home page: picks the feed it advertises, previews it, saves
it, sees it on the sources page, and (once it is polled and its articles tagged) sees its first stories.

The worker's part is done in the test, synchronously: poll_sources, then process_articles. Screenshots of the add
page, the preview, the health page and the source page go to $MONITOR_SCREENSHOT_DIR when it is set.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from monitor.pipeline import process_articles
from sources.models import Source, SourceDay
from sources.poll_runner import poll_sources
from tests.browser import browser_page, shoot  # noqa: F401 - browser_page is a fixture
from tests.conftest import make_admin
from tests.httpserver import LocalHTTPServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Frontier Security Desk</title>
<link rel="alternate" type="application/rss+xml" title="All stories" href="/feed.xml"></head>
<body><h1>Frontier Security Desk</h1><p>Security news from Pakistan.</p></body></html>"""


def test_admin_adds_a_source_from_a_home_page_and_sees_its_first_stories(
        live_server: Any, browser_page: Any, site_server: LocalHTTPServer) -> None:
    site_server.route("/", body=HOME.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
    make_admin(password="a-long-test-password")
    page = browser_page
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "admin-user")
    page.fill("#id_password", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_selector("table.stories, .empty")

    # The nav's "Sources" leads to the dashboard's pages, not the Django admin.
    page.click("header nav a:text('Sources')")
    expect(page).to_have_url(f"{base}/sources/")
    page.click("text=+ Add a source")
    page.fill("#id_url", site_server.url("/"))
    shoot(page, "source-add")
    page.click("#check-form button[type=submit]")

    # A home page: Monitor lists the feed it advertises, and the admin picks it.
    page.wait_for_selector(".feed-choice")
    assert "is a web page, not a feed" in page.inner_text(".feed-choice")
    shoot(page, "source-add-pick")
    page.check(f"input[value='{site_server.url('/feed.xml')}']")
    page.click(".feed-choice button[type=submit]")

    # The preview: title, item count, latest items; then the details, and save.
    page.wait_for_selector(".feed-preview")
    preview = page.inner_text(".feed-preview")
    assert "Frontier Security Desk" in preview and "NACTA widens drive against Daesh recruiters online" in preview
    page.select_option("#id_source_type", "outlet")
    page.select_option("#id_reliability", "B")
    page.fill("#id_country", "PK")
    page.fill("#id_language", "en")
    page.fill("#id_new_groups", "Pakistan press")
    shoot(page, "source-preview")
    page.click("#save-form button[type=submit]")
    page.wait_for_selector(".source-page")
    assert "added" in page.inner_text(".messages").lower()
    source = Source.objects.get()
    assert source.url == site_server.url("/feed.xml") and source.reliability == "B"

    # It is on the sources page, waiting for its first poll.
    page.goto(f"{base}/sources/")
    row = page.locator("table.sources-health tbody tr", has_text="Frontier Security Desk")
    expect(row).to_have_count(1)
    assert "not polled yet" in row.inner_text()

    # The worker's part, done here: poll it, extract and tag its articles.
    results = poll_sources(Source.objects.all(), concurrency=1)
    assert [len(r.new_article_ids) for r in results] == [3]
    report = process_articles()
    assert report.tagged == 3, report.errors

    page.goto(f"{base}/")
    expect(page.locator("table.stories")).to_contain_text("NACTA widens drive against Daesh recruiters online")

    page.goto(f"{base}/sources/")
    row = page.locator("table.sources-health tbody tr", has_text="Frontier Security Desk")
    assert "healthy" in row.inner_text()
    assert page.locator("svg.daybars rect").count() == 28

    # Four weeks of history, and sources in every other state, so the page shows what it is for.
    seed_history(Source.objects.get(), STEADY)
    seed_neighbours()
    page.reload()
    assert page.locator("table.sources-health tbody tr").count() == 6
    flagged = page.locator("table.sources-health tbody tr", has_text="Silent Wire")
    assert "Volume down" in flagged.inner_text() and flagged.locator("svg.daybars.flagged").count() == 1
    assert "Volume" not in page.locator("table.sources-health tbody tr", has_text="Dawn").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shoot(page, "sources-health")

    page.click("table.sources-health a:text('Frontier Security Desk')")
    page.wait_for_selector(".change-log")
    assert "added by admin-user" in page.inner_text(".change-log").lower()
    page.click(".source-page .source-actions button:text('Poll now')")
    page.wait_for_selector(".messages")
    assert "Polled Frontier Security Desk" in page.inner_text(".messages")
    shoot(page, "source-page")
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert page.console_errors == []


STEADY = [9, 11, 10, 12, 8, 10, 11, 9, 10, 10, 12, 9, 11, 10, 8, 10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9, 4]


def seed_history(source: Source, counts: list[int]) -> None:
    """Items per day for the 28 days ending today, as if the source had been followed for weeks."""
    today = datetime.now(UTC).date()
    SourceDay.objects.filter(source=source).delete()
    SourceDay.objects.bulk_create([SourceDay(source=source, day=today - timedelta(days=len(counts) - 1 - i), articles=n)
                                   for i, n in enumerate(counts) if n])
    Source.objects.filter(pk=source.pk).update(created_at=timezone.now() - timedelta(days=60))


def seed_neighbours() -> None:
    now = timezone.now()
    polled = {"last_polled_at": now, "last_success_at": now, "status": "ok", "last_poll_ms": 900}
    dawn = Source.objects.create(url="https://dawn.example/feeds/home", name="Dawn", source_type="outlet",
                                 reliability="B", **polled)
    seed_history(dawn, [n * 3 for n in STEADY])
    silent = Source.objects.create(url="https://wire.example/all.atom", name="Silent Wire", source_type="wire",
                                   reliability="A", **polled)
    seed_history(silent, STEADY[:-4] + [0, 0, 0, 0])
    slow = Source.objects.create(url="https://gazette.example/rss", name="Slow Gazette", source_type="outlet",
                                 **{**polled, "last_poll_ms": 14_200})
    seed_history(slow, [2, 3, 1, 2, 4, 2, 3] * 4)
    Source.objects.create(url="https://broken.example/feed", name="Broken Feed", status="failing",
                          consecutive_errors=3, last_polled_at=now,
                          last_error="Could not connect to broken.example port 443 ([Errno 111] Connection refused); "
                                     "the server may be down. Next try in 40 minutes.")
    Source.objects.create(url="https://retired.example/blog/feed", name="Retired Blog", source_type="blog",
                          enabled=False, status="disabled", disabled_reason="disabled by admin-user")


def test_the_admin_source_list_fits_a_1366px_screen(live_server: Any, browser_page: Any,
                                                    django_user_model: Any) -> None:
    django_user_model.objects.create_superuser("boss", "", "a-long-test-password")
    for n in range(3):
        Source.objects.create(url=f"https://outlet-{n}.example/feed.xml", name=f"A rather long outlet name {n}",
                              last_error="Could not connect to outlet.example port 443 (Connection refused); the "
                                         "server may be down. Next try in 24 hours.", consecutive_errors=5)
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/sources/source/")
    headers = page.locator("#result_list thead th")
    assert "next poll" in page.inner_text("#result_list thead").lower()
    right_edge = max(box["x"] + box["width"] for box in
                     (headers.nth(i).bounding_box() for i in range(headers.count())) if box)
    assert right_edge <= 1366
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
