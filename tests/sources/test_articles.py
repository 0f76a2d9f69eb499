"""Stage 2 over real HTTP: article pages served by a local server, fetched and extracted by the pipeline.

tests/sources/test_extraction.py checks the extractor on bytes; these check what `sources.articles.extract_article` stores
when the page arrives over the wire: boilerplate-heavy pages, a legacy charset declared only in the page, a
PDF, a 403 and a timeout. In every failure case the article keeps the feed's summary and the reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from sources.articles import extract_article
from sources.claims import claim_articles
from sources.models import Article, Source
from tests.httpserver import LocalHTTPServer

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
