"""The poller against a real local HTTP server: conditional GET, errors and backoff, deduplication, history.

These check what `sources.polling.poll_source` does with what the server answers: the state it keeps on the
source, the PollRecord it leaves, and the articles it stores. The fetcher's own rules (redirect checks, size
and time caps) are tested in tests/sources/http/.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from sources.http import FetchPolicy
from sources.models import DISABLE_AFTER_PERMANENT_ERRORS, Article, ArticleRevision, PollRecord, Source
from sources.poll_runner import poll_sources
from sources.polling import poll_source, prune_poll_history
from tests.httpserver import LocalHTTPServer

pytestmark = pytest.mark.django_db

POLICY = FetchPolicy(allow_private=True, connect_timeout=2, read_timeout=3, total_timeout=6)
RSS = "application/rss+xml; charset=utf-8"


def rss(*items: tuple[str, str, str], ttl: int | None = None) -> bytes:
    """A feed of (guid, link, title) items."""
    body = "".join(f"<item><guid isPermaLink=\"false\">{guid}</guid><link>{link}</link><title>{title}</title>"
                   f"<description>{title}: the FIA said 12 suspects were held.</description></item>"
                   for guid, link, title in items)
    ttl_tag = f"<ttl>{ttl}</ttl>" if ttl else ""
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>{ttl_tag}{body}</channel></rss>'.encode()


def source_for(server: LocalHTTPServer, path: str = "/feed.xml") -> Source:
    return Source.objects.create(url=server.url(path), interval_minutes=30)


def poll(source: Source) -> PollRecord:
    source.refresh_from_db()
    poll_source(source, policy=POLICY)
    source.refresh_from_db()
    return source.polls.order_by("-id")[0]


def test_poll_honours_etag_and_last_modified_with_a_304(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", body=rss(("a", "https://n.example/a", "One")), headers={"Content-Type": RSS},
                      etag='"v1"', last_modified="Mon, 04 Nov 2024 10:00:00 GMT")
    source = source_for(http_server)
    first = poll(source)
    assert first.outcome == PollRecord.Outcome.NEW_ITEMS and first.items_new == 1
    assert source.etag == '"v1"' and source.last_modified == "Mon, 04 Nov 2024 10:00:00 GMT"
    second = poll(source)
    request = http_server.requests_for("/feed.xml")[-1]
    assert request.headers["if-none-match"] == '"v1"'
    assert request.headers["if-modified-since"] == "Mon, 04 Nov 2024 10:00:00 GMT"
    assert second.outcome == PollRecord.Outcome.NOT_MODIFIED and second.http_status == 304
    assert source.etag == '"v1"' and Article.objects.count() == 1


def test_new_bytes_behind_a_stale_etag_are_parsed(http_server: LocalHTTPServer) -> None:
    # The server keeps sending the same ETag but never answers 304, and the body changes.
    http_server.route("/feed.xml", body=rss(("a", "https://n.example/a", "One")),
                      headers={"Content-Type": RSS, "ETag": '"stale"'})
    source = source_for(http_server)
    poll(source)
    http_server.route("/feed.xml", body=rss(("a", "https://n.example/a", "One"), ("b", "https://n.example/b", "Two")),
                      headers={"Content-Type": RSS, "ETag": '"stale"'})
    record = poll(source)
    assert record.outcome == PollRecord.Outcome.NEW_ITEMS and record.items_new == 1
    assert Article.objects.count() == 2


def test_same_bytes_with_a_new_etag_cost_no_parsing(http_server: LocalHTTPServer) -> None:
    body = rss(("a", "https://n.example/a", "One"))
    http_server.route("/feed.xml", body=body, headers={"Content-Type": RSS, "ETag": '"1"'})
    source = source_for(http_server)
    poll(source)
    http_server.route("/feed.xml", body=body, headers={"Content-Type": RSS, "ETag": '"2"'})
    record = poll(source)
    assert record.outcome == PollRecord.Outcome.UNCHANGED and record.items_seen == 0
    assert source.etag == '"2"'


def test_429_with_retry_after_is_honoured(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", status=429, headers={"Retry-After": "7200"}, body=b"slow down")
    source = source_for(http_server)
    before = timezone.now()
    record = poll(source)
    assert record.outcome == PollRecord.Outcome.RATE_LIMITED and record.http_status == 429
    assert source.status == Source.Status.RATE_LIMITED and source.enabled
    assert source.next_poll_at >= before + timedelta(seconds=7200)


def test_503_with_retry_after_is_rate_limiting(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", status=503, headers={"Retry-After": "600"}, body=b"maintenance")
    source = source_for(http_server)
    record = poll(source)
    assert record.outcome == PollRecord.Outcome.RATE_LIMITED
    assert source.next_poll_at >= timezone.now() + timedelta(seconds=590)


def test_500_backs_off_then_recovers(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", status=500, body=b"oops")
    source = source_for(http_server)
    record = poll(source)
    assert record.outcome == PollRecord.Outcome.TEMPORARY_ERROR and record.http_status == 500
    assert source.consecutive_errors == 1 and "HTTP 500" in source.last_error and "Next try in" in source.last_error
    assert source.next_poll_at > timezone.now() and source.enabled
    poll(source)
    assert source.consecutive_errors == 2
    http_server.route("/feed.xml", body=rss(("a", "https://n.example/a", "One")), headers={"Content-Type": RSS})
    record = poll(source)
    assert record.outcome == PollRecord.Outcome.NEW_ITEMS
    assert source.consecutive_errors == 0 and source.last_error == "" and source.status == Source.Status.OK


def test_410_disables_the_source_with_the_reason_shown(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", status=410, body=b"gone")
    source = source_for(http_server)
    for _ in range(DISABLE_AFTER_PERMANENT_ERRORS):
        record = poll(source)
        assert record.outcome == PollRecord.Outcome.PERMANENT_ERROR
    assert not source.enabled and source.status == Source.Status.DISABLED
    assert "HTTP 410" in source.disabled_reason and "re-enable" in source.disabled_reason


def test_a_single_404_is_retried_not_fatal(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", status=404, body=b"missing")
    source = source_for(http_server)
    assert poll(source).outcome == PollRecord.Outcome.TEMPORARY_ERROR
    assert source.enabled


def test_redirect_loop_is_recorded_as_an_error(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", redirect="/other.xml")
    http_server.route("/other.xml", redirect="/feed.xml")
    source = source_for(http_server)
    record = poll(source)
    assert record.outcome == PollRecord.Outcome.PERMANENT_ERROR
    assert "redirect" in record.error.lower()


def test_redirect_to_a_private_address_is_refused(http_server: LocalHTTPServer) -> None:
    # The feed itself is reachable (tests allow loopback), but its redirect goes to a link-local metadata
    # address, which the guard refuses unless private fetching is allowed.
    http_server.route("/feed.xml", redirect="http://169.254.169.254/latest/meta-data/")
    source = source_for(http_server)
    port = http_server.port
    guarded = FetchPolicy(allow_private=False, connect_timeout=2, read_timeout=3, total_timeout=6,
                          address_allowed=lambda ip, p: ip == "127.0.0.1" and p == port)
    poll_source(source, policy=guarded)
    source.refresh_from_db()
    assert "169.254.169.254" in source.last_error
    assert Article.objects.count() == 0


def test_html_instead_of_a_feed_names_the_advertised_feed(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", headers={"Content-Type": "text/html"}, body=(
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/real-feed.xml"></head>'
        b"<body><p>Welcome</p></body></html>"))
    source = source_for(http_server)
    record = poll(source)
    assert record.outcome == PollRecord.Outcome.NOT_A_FEED
    assert source.status == Source.Status.NOT_A_FEED
    assert http_server.url("/real-feed.xml") in source.last_error


def test_items_repeating_with_tracking_parameters_are_stored_once(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(
        ("g1", "https://N.example/story?id=7&utm_source=rss&utm_medium=feed", "Story"),
        ("g2", "https://n.example/story?utm_campaign=x&id=7#comments", "Story again"),
        ("g3", "https://n.example/story?id=7&fbclid=abc", "Story once more")))
    source = source_for(http_server)
    record = poll(source)
    assert record.items_new == 1 and Article.objects.count() == 1
    assert Article.objects.get().canonical_url == "https://n.example/story?id=7"


@pytest.mark.django_db(transaction=True)
def test_same_url_from_two_sources_is_one_article(make_http_server: object) -> None:
    servers = [make_http_server(), make_http_server()]  # type: ignore[operator]
    for server in servers:
        server.route("/feed.xml", headers={"Content-Type": RSS},
                     body=rss((f"{server.port}-1", "https://wire.example/nacta?utm_source=x", "NACTA")))
    poll_sources([source_for(server) for server in servers], concurrency=1, policy=POLICY)
    assert Article.objects.count() == 1


def test_guid_that_changes_while_the_url_stays_updates_not_duplicates(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(("guid-1", "https://n.example/a", "First")))
    source = source_for(http_server)
    poll(source)
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(("guid-2", "https://n.example/a", "First")))
    record = poll(source)
    assert Article.objects.count() == 1 and record.items_new == 0 and record.items_updated == 1
    article = Article.objects.get()
    assert article.guid == "guid-2"
    assert ArticleRevision.objects.get(article=article).new_guid == "guid-2"


def test_changed_item_content_is_updated_with_a_record(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(("g", "https://n.example/a", "Draft")))
    source = source_for(http_server)
    poll(source)
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(("g", "https://n.example/a", "Final")))
    poll(source)
    article = Article.objects.get()
    assert article.title == "Final"
    assert ArticleRevision.objects.get(article=article).old_title == "Draft"


def test_repolling_an_unchanged_feed_creates_nothing(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(("g", "https://n.example/a", "One")))
    source = source_for(http_server)
    poll(source)
    for _ in range(3):
        poll(source)
    assert Article.objects.count() == 1 and ArticleRevision.objects.count() == 0
    assert source.polls.count() == 4


def test_feed_ttl_sets_the_next_poll_no_sooner(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(("g", "https://n.example/a", "One"), ttl=120))
    source = source_for(http_server)
    poll(source)
    assert source.interval_minutes >= 120
    assert source.next_poll_at >= timezone.now() + timedelta(minutes=119)


def test_pinned_interval_overrides_self_tuning(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(("g", "https://n.example/a", "One"), ttl=120))
    source = source_for(http_server)
    Source.objects.filter(pk=source.pk).update(pinned_interval_minutes=10)
    poll(source)
    assert source.interval_minutes == 10


def test_quiet_feed_slows_down_and_busy_feed_speeds_up(http_server: LocalHTTPServer) -> None:
    items = [("g0", "https://n.example/0", "Zero")]
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(*items))
    source = source_for(http_server)
    poll(source)
    busy = source.interval_minutes
    poll(source)  # same bytes: nothing new
    assert source.interval_minutes > busy
    quiet = source.interval_minutes
    items.append(("g1", "https://n.example/1", "One"))
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(*items))
    poll(source)
    assert source.interval_minutes < quiet


def test_every_poll_leaves_a_record(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(("g", "https://n.example/a", "One")))
    source = source_for(http_server)
    record = poll(source)
    assert record.started_at and record.http_status == 200 and record.items_seen == 1 and record.items_new == 1
    assert record.bytes > 0 and record.duration_ms >= 0 and record.error == ""


def test_bozo_feed_still_yields_items_with_a_warning(http_server: LocalHTTPServer) -> None:
    broken = rss(("g", "https://n.example/a", "Unclosed &amp; fine")).replace(b"</channel></rss>", b"<item><title>oops")
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=broken)
    source = source_for(http_server)
    record = poll(source)
    assert record.items_new >= 1
    assert "ill-formed" in record.warning


@pytest.mark.django_db(transaction=True)
def test_concurrent_polls_of_many_sources_respect_the_per_host_limit(make_http_server: object) -> None:
    server = make_http_server()  # type: ignore[operator]
    for i in range(12):
        server.route(f"/f{i}.xml", headers={"Content-Type": RSS}, body=rss((f"g{i}", f"https://n.example/{i}", "x")),
                     delay=0.2)
    sources = [Source.objects.create(url=server.url(f"/f{i}.xml")) for i in range(12)]
    results = poll_sources(sources, concurrency=8, policy=POLICY)
    assert len(results) == 12 and all(r.outcome == PollRecord.Outcome.NEW_ITEMS for r in results)
    assert server.max_in_flight <= POLICY.per_host_concurrency


def test_item_links_that_could_run_script_are_never_stored(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(
        ("a", "javascript:alert(document.cookie)", "Script"),
        ("b", "data:text/html;base64,PHNjcmlwdD4=", "Data"),
        ("c", "https://n.example/real", "Real")))
    source = source_for(http_server)
    record = poll(source)
    # The two items keep their feed text, but not their links.
    assert record.items_new == 3
    assert sorted(Article.objects.values_list("url", flat=True)) == ["", "", "https://n.example/real"]
    assert sorted(a.link for a in Article.objects.all()) == ["", "", "https://n.example/real"]


def test_temporary_errors_do_not_count_towards_disabling(http_server: LocalHTTPServer) -> None:
    source = source_for(http_server)
    http_server.route("/feed.xml", status=500, body=b"oops")
    poll(source)
    poll(source)
    http_server.route("/feed.xml", status=410, body=b"gone")
    poll(source)
    assert source.enabled and source.consecutive_errors == 3 and source.consecutive_permanent_errors == 1
    poll(source)
    poll(source)
    assert not source.enabled and source.status == Source.Status.DISABLED


def test_an_admin_edit_during_a_poll_survives_it(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(("g", "https://n.example/a", "One")))
    source = source_for(http_server)
    stale = Source.objects.get(pk=source.pk)
    Source.objects.filter(pk=source.pk).update(pinned_interval_minutes=45, name="Renamed by admin")
    poll_source(stale, policy=POLICY)  # the poller still holds the row as it was before the edit
    source.refresh_from_db()
    assert source.pinned_interval_minutes == 45 and source.name == "Renamed by admin"


def test_old_poll_records_are_pruned(settings: object) -> None:
    settings.MONITOR_POLL_HISTORY_DAYS = 30  # type: ignore[attr-defined]
    source = Source.objects.create(url="https://example.org/feed.xml")
    now = timezone.now()
    for age in (1, 29, 31, 400):
        PollRecord.objects.create(source=source, started_at=now - timedelta(days=age), outcome="unchanged")
    assert prune_poll_history(now) == 2
    assert source.polls.count() == 2


# --- Numbers from outside are clamped, and every poll leaves a record --------------------------------------

@pytest.mark.parametrize("retry_after, shown", [
    ("99999999999999", "99,999,999,999,999 s"),
    ("3153600000", "3,153,600,000 s"),
    ("Fri, 31 Dec 9999 23:59:59 GMT", None),
])
def test_a_retry_after_past_the_ceiling_waits_the_ceiling_and_says_why(
    http_server: LocalHTTPServer, retry_after: str, shown: str | None
) -> None:
    http_server.route("/feed.xml", status=429, headers={"Retry-After": retry_after}, body=b"slow down")
    source = source_for(http_server)
    record = poll(source)
    assert record.outcome == PollRecord.Outcome.RATE_LIMITED and source.status == Source.Status.RATE_LIMITED
    ceiling = timedelta(minutes=settings.MONITOR_MAX_INTERVAL_MINUTES)
    assert timezone.now() + ceiling - timedelta(minutes=1) <= source.next_poll_at <= timezone.now() + ceiling
    says = "waiting the ceiling, 24 hours, instead"
    if shown is not None:
        says = f"the server asked us to wait {shown}; " + says
    assert says in source.last_error and says in record.warning


def test_a_retry_after_is_clamped_to_the_sources_own_ceiling(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", status=503, headers={"Retry-After": "86400"}, body=b"maintenance")
    source = source_for(http_server)
    Source.objects.filter(pk=source.pk).update(max_interval_minutes=120)
    record = poll(source)
    assert source.next_poll_at <= timezone.now() + timedelta(hours=2)
    assert "the server asked us to wait 86,400 s; waiting the ceiling, 2 hours, instead" in record.warning


def test_a_huge_cache_lifetime_is_clamped_to_the_ceiling(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", body=rss(("g", "https://n.example/a", "One")),
                      headers={"Content-Type": RSS, "Cache-Control": "max-age=" + "9" * 400})
    source = source_for(http_server)
    record = poll(source)
    assert record.outcome == PollRecord.Outcome.NEW_ITEMS
    assert source.next_poll_at <= timezone.now() + timedelta(minutes=settings.MONITOR_MAX_INTERVAL_MINUTES)


def test_a_poll_that_fills_the_disk_leaves_an_internal_error_record(http_server: LocalHTTPServer) -> None:
    # A real "database or disk is full": SQLite refuses to grow the file past max_page_count.
    if connection.vendor != "sqlite":
        pytest.skip("fills the disk through SQLite's max_page_count; the suite's SQLite pass runs it")
    items = [(f"g{i}", f"https://n.example/{i}", "x" * 20_000) for i in range(60)]
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(*items))
    source = source_for(http_server)
    before = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA max_page_count")
        (original,) = cursor.fetchone()
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
        cursor.execute(f"PRAGMA max_page_count = {pages + 40}")
        try:
            results = poll_sources([source], concurrency=1, policy=POLICY)
        finally:
            cursor.execute(f"PRAGMA max_page_count = {original}")
    assert [r.outcome for r in results] == [PollRecord.Outcome.INTERNAL_ERROR]
    record = source.polls.get()
    assert record.outcome == PollRecord.Outcome.INTERNAL_ERROR and record.http_status == 200
    assert "full" in record.error
    source.refresh_from_db()
    assert source.status == Source.Status.FAILING and "internal error" in source.last_error
    assert source.next_poll_at > before + timedelta(minutes=settings.MONITOR_MIN_INTERVAL_MINUTES - 1)
    assert source.poll_claimed_until is None and source.last_polled_at is not None
    assert Article.objects.count() == 0


# --- Items that share a guid, and items without a web link -------------------------------------------------

def test_items_sharing_a_guid_are_kept_apart_and_the_reuse_is_a_warning(http_server: LocalHTTPServer) -> None:
    items = [("same", f"https://n.example/{i}", f"Story {i}") for i in range(5)]
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(*items))
    source = source_for(http_server)
    record = poll(source)
    assert record.items_new == 5 and record.outcome == PollRecord.Outcome.NEW_ITEMS
    assert sorted(Article.objects.values_list("title", flat=True)) == [f"Story {i}" for i in range(5)]
    assert "5 different items have the guid 'same'" in record.warning

    # The feed changes (new order, a new item under the same guid): only the new item is new, nothing is rewritten.
    items = [("same", "https://n.example/5", "Story 5")] + items[::-1]
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(*items))
    record = poll(source)
    assert record.items_new == 1 and record.items_updated == 0
    assert sorted(Article.objects.values_list("title", flat=True)) == [f"Story {i}" for i in range(6)]
    assert ArticleRevision.objects.count() == 0
    for article in Article.objects.all():
        assert article.url == f"https://n.example/{article.title.split()[-1]}"

    # The same items once more, in yet another order: nothing new, nothing updated.
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=rss(*sorted(items)))
    record = poll(source)
    assert (record.outcome, record.items_new, record.items_updated) == (PollRecord.Outcome.UNCHANGED, 0, 0)
    assert Article.objects.count() == 6 and ArticleRevision.objects.count() == 0


NO_LINKS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Notices</title>
<item><guid isPermaLink="false">n1</guid><title>Notice one</title><description>The FIA closed 3 offices.</description></item>
<item><title>Notice two</title><description>NACTA met on Monday.</description></item>
<item><guid isPermaLink="false">n3</guid><link>javascript:alert(1)</link><title>Script</title></item>
<item><guid isPermaLink="false">n4</guid><link>mailto:desk@n.example</link><description>Write to us.</description></item>
<item><guid isPermaLink="false">empty</guid></item>
<item><link>ftp://n.example/file</link></item>
<item><guid isPermaLink="false">g</guid><link>https://n.example/a</link><title>Linked</title></item>
</channel></rss>"""


def test_items_without_a_web_link_are_kept_with_their_feed_text(http_server: LocalHTTPServer) -> None:
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=NO_LINKS)
    source = source_for(http_server)
    record = poll(source)
    assert record.items_seen == 7 and record.items_new == 5
    assert "2 items had no web link, title or summary and were skipped" in record.warning
    linkless = Article.objects.filter(url="").order_by("title")
    assert [a.title for a in linkless] == ["", "Notice one", "Notice two", "Script"]
    assert [a.link for a in linkless] == ["", "", "", ""]
    assert len({a.url_hash for a in Article.objects.all()}) == 5
    assert set(linkless.values_list("guid", flat=True)) >= {"n1", "n3", "n4"}

    # Polled again with the items reordered: the same articles, nothing new or rewritten.
    body = NO_LINKS.replace(b"<title>Notices</title>", b"<title>Notices</title><ttl>5</ttl>")
    http_server.route("/feed.xml", headers={"Content-Type": RSS}, body=body)
    record = poll(source)
    assert (record.items_new, record.items_updated) == (0, 0)
    assert Article.objects.count() == 5 and ArticleRevision.objects.count() == 0


def test_linkless_items_with_the_same_guid_in_two_sources_are_two_articles(make_http_server: object) -> None:
    servers = [make_http_server(), make_http_server()]  # type: ignore[operator]
    for server in servers:
        server.route("/feed.xml", headers={"Content-Type": RSS}, body=NO_LINKS)
        poll(source_for(server))
    assert Article.objects.filter(url="").count() == 8
