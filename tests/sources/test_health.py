"""The health page: statuses, per-day counts kept as articles are stored, the volume test (a source that falls
silent is flagged, a steady one and a weekdays-only one are not), keyset pages, and no article ever counted."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sources.health import HealthFilters, health_page
from sources.models import Source, SourceDay
from sources.polling import poll_source
from sources.volume import volume_change
from tests.conftest import make_admin
from tests.httpserver import LocalHTTPServer

pytestmark = pytest.mark.django_db

TODAY = datetime.now(UTC).date()
YESTERDAY = TODAY - timedelta(days=1)
STEADY = [9, 11, 10, 12, 8, 10, 11, 9, 10, 10, 12, 9, 11, 10, 8, 10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9]


# --- The volume test itself (sources.volume) ----------------------------------------------------------------

def test_a_steady_source_is_not_flagged() -> None:
    assert volume_change(STEADY, last_day=YESTERDAY) is None


def test_a_source_that_falls_silent_is_flagged() -> None:
    change = volume_change(STEADY[:-3] + [0, 0, 0], last_day=YESTERDAY)
    assert change is not None and change.direction == "down" and change.observed == 0
    # Expected: the same weekdays' medians over the weeks before, about 10 a day.
    assert 27 <= change.expected <= 33
    assert re.fullmatch(r"down: about \d\d items expected over the last 3 days, 0 arrived", change.describe())


def test_a_source_that_suddenly_floods_is_flagged() -> None:
    change = volume_change(STEADY[:-3] + [60, 55, 70], last_day=YESTERDAY)
    assert change is not None and change.direction == "up"


def test_a_weekdays_only_press_office_is_not_flagged_on_monday() -> None:
    monday = date(2026, 11, 30)  # the recent window is Friday, Saturday, Sunday
    last_day = monday - timedelta(days=1)
    first = last_day - timedelta(days=26)
    counts = [0 if (first + timedelta(days=i)).weekday() >= 5 else 10 for i in range(27)]
    assert volume_change(counts, last_day=last_day) is None
    # But three silent weekdays are news.
    wednesday_eve = date(2026, 12, 3) - timedelta(days=1)
    first = wednesday_eve - timedelta(days=26)
    counts = [0 if (first + timedelta(days=i)).weekday() >= 5 else 10 for i in range(24)] + [0, 0, 0]
    assert volume_change(counts, last_day=wednesday_eve) is not None


def test_a_quiet_source_or_a_new_one_is_not_judged() -> None:
    quiet = [0, 1, 0, 0, 2, 0, 1] * 3 + [0, 1, 0, 0, 0, 0]
    assert volume_change(quiet[:-3] + [0, 0, 0], last_day=YESTERDAY) is None  # a drop of under 3 a day
    assert volume_change(STEADY[:-3] + [0, 0, 0], last_day=YESTERDAY,
                         history_starts=YESTERDAY - timedelta(days=10)) is None  # 8 days of history


# --- Counts kept as articles are stored ------------------------------------------------------------------------

def test_storing_articles_counts_them_per_day(site_server: LocalHTTPServer) -> None:
    source = Source.objects.create(url=site_server.url("/feed.xml"))
    poll_source(source)
    assert dict(SourceDay.objects.filter(source=source).values_list("day", "articles")) == {
        date(2024, 11, 1): 1, date(2024, 11, 2): 1, date(2024, 11, 3): 1}
    source.refresh_from_db()
    assert source.last_poll_ms is not None and source.volume_checked_on == TODAY


# --- The page --------------------------------------------------------------------------------------------------

def make_source(name: str, counts: list[int], **fields: Any) -> Source:
    """A source added 40 days ago with these items per day on the 27 complete days before today."""
    source = Source.objects.create(url=f"https://{name.lower()}.example/feed", name=name, **fields)
    Source.objects.filter(pk=source.pk).update(created_at=timezone.now() - timedelta(days=40))
    first = YESTERDAY - timedelta(days=len(counts) - 1)
    SourceDay.objects.bulk_create([SourceDay(source=source, day=first + timedelta(days=i), articles=n)
                                   for i, n in enumerate(counts) if n])
    source.refresh_from_db()
    return source


@pytest.fixture
def admin(client: Client) -> Client:
    client.force_login(make_admin())
    return client


def rows_of(page: str) -> dict[str, str]:
    """Each table row's text by source name."""
    rows = {}
    for row in re.findall(r"<tr class=\"health-.*?</tr>", page, re.S):
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        rows[text.split(" ")[0]] = text
    return rows


def test_a_source_whose_volume_drops_to_zero_is_flagged_and_a_steady_one_is_not(admin: Client) -> None:
    ok = timezone.now()
    make_source("Steady", STEADY, last_polled_at=ok, last_success_at=ok, status="ok")
    make_source("Silent", STEADY[:-3] + [0, 0, 0], last_polled_at=ok, last_success_at=ok, status="ok")
    with CaptureQueriesContext(connection) as queries:
        response = admin.get("/sources/")
    page = html.unescape(response.content.decode())
    rows = rows_of(page)
    assert re.search(r"Volume down: about \d\d items expected over the last 3 days, 0 arrived", rows["Silent"])
    assert "Volume" not in rows["Steady"] and f"{sum(STEADY)} in 28 days" in rows["Steady"]
    assert page.count('<svg class="daybars flagged"') == 1 and page.count('<svg class="daybars"') == 1
    # Read from the counters: no article is counted, and one COUNT over the sources for the tabs.
    assert not [q for q in queries.captured_queries if "sources_article" in q["sql"]]
    assert len([q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]) == 1


def test_the_volume_changed_filter_reads_the_verdict_each_poll_keeps(admin: Client, http_server: LocalHTTPServer) -> None:
    empty_feed = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Silent</title></channel></rss>'
    http_server.route("/feed", body=empty_feed, headers={"Content-Type": "application/rss+xml"})
    make_source("Steady", STEADY)
    silent = make_source("Silent", STEADY[:-3] + [0, 0, 0])
    Source.objects.filter(pk=silent.pk).update(url=http_server.url("/feed"))
    silent.refresh_from_db()
    poll_source(silent)  # the day's first poll runs the volume test
    silent.refresh_from_db()
    assert silent.volume_change.startswith("down:")
    rows = rows_of(html.unescape(admin.get("/sources/?changed=on").content.decode()))
    assert list(rows) == ["Silent"]


def test_each_status_has_its_tab_and_its_words(admin: Client) -> None:
    now = timezone.now()
    make_source("Healthy", [], last_polled_at=now, last_success_at=now, last_poll_ms=800, status="ok")
    make_source("Slow", [], last_polled_at=now, last_success_at=now, last_poll_ms=25_000, status="ok")
    make_source("Failing", [], last_polled_at=now, consecutive_errors=3, status="failing",
                last_error="Could not connect to failing.example port 443 (refused); the server may be down. "
                           "Next try in 40 minutes.")
    make_source("Off", [], enabled=False, status="disabled", disabled_reason="disabled by admin-user")
    make_source("Fresh", [])
    page = html.unescape(admin.get("/sources/").content.decode())
    rows = rows_of(page)
    assert "healthy" in rows["Healthy"] and "slow" in rows["Slow"] and "not polled yet" in rows["Fresh"]
    assert "failing" in rows["Failing"] and "Could not connect to failing.example" in rows["Failing"]
    assert " 3 " in rows["Failing"] and "never" in rows["Failing"]  # errors in a row; no success yet
    assert "disabled" in rows["Off"] and "Enable" in rows["Off"] and "Poll now" not in rows["Off"]
    tabs = re.findall(r'class="chip[^"]*"[^>]*>([^<]+)<span class="n">(\d+)', page)
    assert [(label.strip(), int(n)) for label, n in tabs] == [
        ("all", 5), ("healthy", 1), ("slow", 1), ("failing", 1), ("disabled", 1), ("not polled yet", 1)]
    assert list(rows_of(html.unescape(admin.get("/sources/?health=failing").content.decode()))) == ["Failing"]


def test_pages_walk_by_name_both_ways() -> None:
    for name in ["Echo", "alpha", "Delta", "Bravo", "Charlie", "Foxtrot", "Golf"]:
        Source.objects.create(url=f"https://{name.lower()}.example/feed", name=name)
    names = lambda page: [row.source.name for row in page.rows]  # noqa: E731
    first = health_page(HealthFilters(), per_page=3)
    assert names(first) == ["Bravo", "Charlie", "Delta"] and first.before is None  # by name, as stored
    second = health_page(HealthFilters(), after=first.after, per_page=3)
    third = health_page(HealthFilters(), after=second.after, per_page=3)
    assert names(second) == ["Echo", "Foxtrot", "Golf"] and names(third) == ["alpha"] and third.after is None
    back = health_page(HealthFilters(), before=second.before, per_page=3)
    assert names(back) == names(first)
