"""The extraction stage: fetch an article's page and extract its main text.

An article is never lost because its page failed: when the page cannot be had (403, paywall, timeout, a PDF)
the article keeps the feed's summary as its text, and the reason is recorded in `extraction_error`.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime, timezone as dt_timezone

import nh3

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from sources.claims import commit_stage
from sources.extraction import ExtractedPage, ExtractionSkipped, clean_text, extract_page
from sources.http import FetchError, FetchPolicy, fetch
from sources.models import Article

log = logging.getLogger(__name__)

PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


class PageUnavailable(Exception):
    """The page answered, but not with the article (403, 404, a paywall's 402, a server error)."""


def fetch_page(url: str, policy: FetchPolicy | None = None) -> ExtractedPage:
    """Fetches a page through the safe fetcher and extracts it.

    Raises FetchError (transport), PageUnavailable (HTTP status) or ExtractionSkipped (not an article page).
    """
    policy = policy or FetchPolicy.from_settings()
    response = fetch(url, policy=policy, accept=PAGE_ACCEPT)
    if response.status != 200:
        raise PageUnavailable(f"the page answered HTTP {response.status}")
    return extract_page(response.body, url=response.url, content_type=response.headers.get("content-type"),
                        max_bytes=policy.max_bytes)


def summary_text(summary_html: str) -> str:
    """The feed summary as plain text, paragraphs kept, for when the page itself cannot be had."""
    marked = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h[1-6])\b[^>]*>", "\n\n", summary_html)
    return clean_text(html.unescape(nh3.clean(marked, tags=set())))


def extract_article(article: Article) -> None:
    """Fills in the article's text from its page, or from the feed summary when the page fails."""
    page: ExtractedPage | None = None
    extraction = Article.Extraction.OK
    reason = ""
    try:
        page = fetch_page(article.url)
    except (FetchError, PageUnavailable) as exc:
        extraction, reason = Article.Extraction.FAILED, str(exc)
    except ExtractionSkipped as exc:
        extraction = Article.Extraction.FAILED if exc.reason == "empty" else Article.Extraction.SKIPPED
        reason = str(exc)

    fields: dict[str, object] = {"fetched_at": timezone.now(), "extraction": extraction, "extraction_error": reason}
    if page is not None and page.text.strip():
        fields.update(
            text=page.text,
            author=(page.author or article.author)[:500],
            sitename=(page.sitename or "")[:300],
            language=(page.language or "")[:20],
            image_url=(page.image or "")[:2000],
        )
        if not article.title and page.title:
            fields["title"] = page.title[:1000]
        if article.published_at is None and page.date:
            fields["published_at"] = _parse_page_date(page.date)
    else:
        if page is not None:
            fields.update(extraction=Article.Extraction.FAILED, extraction_error="the page had no readable text")
        fields["text"] = summary_text(article.summary_html)
    if reason:
        log.info("article %s: %s; using the feed summary", article.pk, reason)
    with transaction.atomic():
        commit_stage(article, to_status=Article.Status.EXTRACTED, fields=fields)


def _parse_page_date(value: str) -> datetime | None:
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            return None
        parsed = datetime(day.year, day.month, day.day)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt_timezone.utc)
    return parsed
