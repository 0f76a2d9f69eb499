"""Stage 2 over real HTTP: article pages served by a local server, fetched and extracted by the pipeline.

tests/sources/test_extraction.py checks the extractor on bytes; these check what `sources.articles.extract_article` stores
when the page arrives over the wire: boilerplate-heavy pages, a legacy charset declared only in the page, a
PDF, a 403 and a timeout. In every failure case the article keeps the feed's summary and the reason.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from sources.articles import extract_article, retry_due_pages
from sources.claims import claim_articles, commit_stage, run_claimed
from sources.models import Article, Source
from tests.httpserver import LocalHTTPServer, RecordedRequest, Route

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
SUMMARY = "<p>The FIA said it had arrested <b>12 suspects</b> in Karachi.</p>"


def fetch_into_article(server: LocalHTTPServer, path: str) -> Article:
    source = Source.objects.create(url=server.url("/feed.xml"))
    url = server.url(path)
    Article.objects.create(source=source, guid=url, url=url, canonical_url=url, url_hash=url, title="Feed title",
                           summary_html=SUMMARY, published_at=timezone.now())
    (article,) = claim_articles(Article.Status.NEW, limit=1)
    extract_article(article)
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED and article.claimed_by == ""
    return article


def test_boilerplate_heavy_page_keeps_only_the_article(http_server: LocalHTTPServer) -> None:
    http_server.route("/news/nacta", body=(PAGES / "arabnews_nacta_daesh.html").read_bytes(),
                      headers={"Content-Type": "text/html; charset=utf-8"})
    article = fetch_into_article(http_server, "/news/nacta")
    assert article.extraction == Article.Extraction.OK and article.extraction_error == ""
    assert "blocked 1,482 websites" in article.text and "\n\n" in article.text
    for furniture in ("cookie", "Subscribe to our newsletter", "Related", "Comments"):
        assert furniture.lower() not in article.text.lower(), furniture


def test_windows_1252_page_declared_only_in_meta_decodes(http_server: LocalHTTPServer) -> None:
    body = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
            "<title>PTA note</title></head><body><article><h1>PTA note</h1>"
            "<p>\u201cWe will block every unverified SIM,\u201d the PTA\u2019s chairman said on Monday, adding that "
            "the authority had already blocked nearly 1.2 lakh SIMs issued against forged identity cards in "
            "Quetta and Karachi this year.</p><p>Operators were given until the end of the month to verify "
            "the remaining connections through biometric checks at their franchises.</p></article></body></html>")
    http_server.route("/news/pta", body=body.encode("windows-1252"), headers={"Content-Type": "text/html"})
    article = fetch_into_article(http_server, "/news/pta")
    assert article.extraction == Article.Extraction.OK
    assert "\u201cWe will block every unverified SIM,\u201d the PTA\u2019s chairman" in article.text


def test_pdf_is_skipped_and_the_summary_kept(http_server: LocalHTTPServer) -> None:
    http_server.route("/report.pdf", body=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                      headers={"Content-Type": "application/pdf"})
    article = fetch_into_article(http_server, "/report.pdf")
    assert article.extraction == Article.Extraction.SKIPPED and "PDF" in article.extraction_error
    assert article.text == "The FIA said it had arrested 12 suspects in Karachi."


def test_403_keeps_the_feed_summary_with_the_reason(http_server: LocalHTTPServer) -> None:
    http_server.route("/paywalled", status=403, body=b"<html><body>Subscribers only</body></html>",
                      headers={"Content-Type": "text/html"})
    article = fetch_into_article(http_server, "/paywalled")
    assert article.extraction == Article.Extraction.FAILED and "HTTP 403" in article.extraction_error
    assert "12 suspects" in article.text and "<b>" not in article.text


def test_page_that_times_out_keeps_the_feed_summary(http_server: LocalHTTPServer, settings: object) -> None:
    settings.MONITOR_READ_TIMEOUT = 0.5  # type: ignore[attr-defined]
    settings.MONITOR_TOTAL_TIMEOUT = 1.0  # type: ignore[attr-defined]
    http_server.route("/slow", body=b"<html><body><p>late</p></body></html>", delay=3.0,
                      headers={"Content-Type": "text/html"})
    article = fetch_into_article(http_server, "/slow")
    assert article.extraction == Article.Extraction.FAILED
    assert "stopped sending data for 0.5s" in article.extraction_error
    assert "12 suspects" in article.text


def tag_stand_in(article: Article) -> None:
    """What the analysis side does to an extracted article, as far as ingest can tell: moves it on to TAGGED."""
    with transaction.atomic():
        commit_stage(article, to_status=Article.Status.TAGGED, fields={})


def minutes_from_now(value: object) -> float:
    assert value is not None
    return (value - timezone.now()).total_seconds() / 60  # type: ignore[operator]


def test_a_page_that_fails_twice_then_works_ends_extracted_from_the_page(http_server: LocalHTTPServer) -> None:
    page = (PAGES / "arabnews_nacta_daesh.html").read_bytes()

    def busy_twice(request: RecordedRequest) -> Route:
        if len(http_server.requests_for("/news/flaky")) <= 2:
            return Route(status=503, body=b"busy", headers={"Content-Type": "text/plain"})
        return Route(body=page, headers={"Content-Type": "text/html; charset=utf-8"})

    http_server.route("/news/flaky", responder=busy_twice)
    article = fetch_into_article(http_server, "/news/flaky")
    # The article goes on with its summary meanwhile, and the page is tried again later.
    assert article.extraction == Article.Extraction.FAILED and "HTTP 503" in article.extraction_error
    assert "12 suspects" in article.text and article.page_attempts == 1
    assert 9 < minutes_from_now(article.page_retry_at) <= 10
    assert "will try the page again" in article.extraction_error
    run_claimed(Article.Status.EXTRACTED, tag_stand_in)

    assert retry_due_pages() == []  # not due yet: no request
    assert len(http_server.requests_for("/news/flaky")) == 1
    assert retry_due_pages(now=timezone.now() + timedelta(minutes=11)) == []  # due, fails again
    article.refresh_from_db()
    assert article.page_attempts == 2 and 59 < minutes_from_now(article.page_retry_at) <= 60
    assert article.status == Article.Status.TAGGED and "12 suspects" in article.text

    assert retry_due_pages(now=timezone.now() + timedelta(hours=2)) == [article.pk]
    article.refresh_from_db()
    assert article.extraction == Article.Extraction.OK and article.extraction_error == ""
    assert "blocked 1,482 websites" in article.text and article.page_retry_at is None
    # Back to EXTRACTED, so the tagging stage runs again on the page's text.
    assert article.status == Article.Status.EXTRACTED and article.claimed_by == ""
    assert len(http_server.requests_for("/news/flaky")) == 3
    assert retry_due_pages(now=timezone.now() + timedelta(days=2)) == []


def test_a_page_that_keeps_failing_settles_on_the_summary(http_server: LocalHTTPServer, settings: object) -> None:
    settings.MONITOR_PAGE_RETRY_MINUTES = [10, 60]  # type: ignore[attr-defined]
    http_server.route("/news/down", status=502, body=b"bad gateway", headers={"Content-Type": "text/plain"})
    article = fetch_into_article(http_server, "/news/down")
    for _ in range(3):
        retry_due_pages(now=timezone.now() + timedelta(days=1))
    article.refresh_from_db()
    assert article.page_attempts == 3 and article.page_retry_at is None
    assert article.extraction == Article.Extraction.FAILED and "gave up after 3 tries" in article.extraction_error
    assert "12 suspects" in article.text
    assert len(http_server.requests_for("/news/down")) == 3


def test_a_page_that_refuses_for_good_is_not_retried(http_server: LocalHTTPServer) -> None:
    http_server.route("/gone", status=404, body=b"missing", headers={"Content-Type": "text/plain"})
    article = fetch_into_article(http_server, "/gone")
    assert article.page_retry_at is None and article.extraction == Article.Extraction.FAILED


def test_an_item_with_no_web_page_is_not_fetched(http_server: LocalHTTPServer) -> None:
    source = Source.objects.create(url=http_server.url("/feed.xml"))
    Article.objects.create(source=source, guid="n1", url="", canonical_url="", url_hash="no-link", title="Notice",
                           summary_html=SUMMARY, published_at=timezone.now())
    (article,) = claim_articles(Article.Status.NEW, limit=1)
    extract_article(article)
    article.refresh_from_db()
    assert article.status == Article.Status.EXTRACTED
    assert article.extraction == Article.Extraction.SKIPPED
    assert article.extraction_error == "the feed item has no web page"
    assert article.text == "The FIA said it had arrested 12 suspects in Karachi."
    assert http_server.requests == []
