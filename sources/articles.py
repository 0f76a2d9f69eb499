"""The extraction stage: fetch an article's page and extract its main text.

An article is never lost because its page failed: when the page cannot be had (403, paywall, timeout, a PDF)
the article keeps the feed's summary as its text, and the reason is recorded in `extraction_error`. A page that
failed for a reason that passes (a timeout, a refused connection, a 5xx) is not given up at once: the article
goes on with its summary, and `retry_due_pages`, which a worker calls now and then, fetches the page again after
each of MONITOR_PAGE_RETRY_MINUTES in turn; when it works, the article goes back to EXTRACTED with the page's
text so the next stage runs again. A feed item with no web page keeps its feed text and is never fetched.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime, timedelta, timezone as dt_timezone

import nh3

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from sources.claims import ClaimLost, claim_articles, commit_stage, renew_claim, worker_identity
from sources.extraction import ExtractedPage, ExtractionSkipped, clean_text, extract_page
from sources.http import FetchError, FetchPolicy, fetch
from sources.models import Article

log = logging.getLogger(__name__)

PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
NO_WEB_PAGE = "the feed item has no web page"
# Pages retried in one call of retry_due_pages; the rest wait for the next call.
RETRY_BATCH = 50


class PageUnavailable(Exception):
    """The page answered, but not with the article (403, 404, a paywall's 402, a server error)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"the page answered HTTP {status}")
        self.status = status

    @property
    def temporary(self) -> bool:
        """A server error, a timeout or "too many requests" passes; a 403 or a 404 does not."""
        return self.status >= 500 or self.status in (408, 429)


def fetch_page(url: str, policy: FetchPolicy | None = None) -> ExtractedPage:
    """Fetches a page through the safe fetcher and extracts it.

    Raises FetchError (transport), PageUnavailable (HTTP status) or ExtractionSkipped (not an article page).
    """
    policy = policy or FetchPolicy.from_settings()
    response = fetch(url, policy=policy, accept=PAGE_ACCEPT)
    if response.status != 200:
        raise PageUnavailable(response.status)
    return extract_page(response.body, url=response.url, content_type=response.headers.get("content-type"),
                        max_bytes=policy.max_bytes)


def summary_text(summary_html: str) -> str:
    """The feed summary as plain text, paragraphs kept, for when the page itself cannot be had."""
    marked = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h[1-6])\b[^>]*>", "\n\n", summary_html)
    return clean_text(html.unescape(nh3.clean(marked, tags=set())))


def extract_article(article: Article) -> None:
    """Fills in the article's text from its page, or from the feed summary when the page fails (and then
    schedules another try of the page when the failure may pass)."""
    fields = _page_fields(article)
    with transaction.atomic():
        commit_stage(article, to_status=Article.Status.EXTRACTED, fields=fields)


def retry_due_pages(now: datetime | None = None) -> list[int]:
    """Fetches again the pages whose retry is due (`now`: the time to count as now; tests pass a later one).

    An article whose page now works gets the page's text and goes back to EXTRACTED, for the next stage to
    run again; one whose page still fails keeps its place and text, and waits for its next try or settles on
    the summary. Returns the ids of the articles that went back to EXTRACTED.
    """
    due = Q(page_retry_at__lte=now or timezone.now())
    # Found through the partial index on page_retry_at: the archive's other articles are never read.
    due_ids = list(Article.objects.filter(due).order_by("page_retry_at").values_list("id", flat=True)[:RETRY_BATCH])
    if not due_ids:
        return []
    owner = worker_identity()
    ready: list[int] = []
    for status in (Article.Status.EXTRACTED, Article.Status.ANALYSED, Article.Status.TAGGED):
        for article in claim_articles(status, limit=RETRY_BATCH, ids=due_ids, owner=owner, where=due):
            if not renew_claim(article):
                continue  # held too long behind slow neighbours: another worker has it now
            try:
                if _retry_page(article):
                    ready.append(article.pk)
            except ClaimLost as exc:
                log.info("%s", exc)
            except Exception as exc:  # noqa: BLE001 - one bad page must not stop the others, nor come back forever
                log.exception("retrying the page of article %s failed", article.pk)
                Article.objects.filter(pk=article.pk, claimed_by=article.claimed_by).update(
                    claimed_by="", claimed_until=None, page_retry_at=None,
                    extraction_error=f"retrying the page failed inside Monitor ({type(exc).__name__}: {exc}); "
                                     "the feed summary is kept"[:2000])
    return ready


def _retry_page(article: Article) -> bool:
    fields = _page_fields(article)
    with transaction.atomic():
        if fields["extraction"] == Article.Extraction.OK:
            commit_stage(article, to_status=Article.Status.EXTRACTED, fields=fields)
            return True
        # Still no page: the article keeps its status and its summary text; only the page's state changes.
        kept = {name: fields[name] for name in ("fetched_at", "extraction", "extraction_error", "page_attempts",
                                                "page_retry_at") if name in fields}
        released = Article.objects.filter(pk=article.pk, claimed_by=article.claimed_by, status=article.status).update(
            claimed_by="", claimed_until=None, **kept)
        if released != 1:
            raise ClaimLost(f"article {article.pk} was taken over by another worker")
    return False


def _page_fields(article: Article) -> dict[str, object]:
    """The fields that fetching and extracting the article's page gives, the page's retry state included."""
    if not article.url.lower().startswith(("http://", "https://")):
        return {"fetched_at": timezone.now(), "extraction": Article.Extraction.SKIPPED,
                "extraction_error": NO_WEB_PAGE, "text": summary_text(article.summary_html), "page_retry_at": None}
    page: ExtractedPage | None = None
    extraction = Article.Extraction.OK
    reason = ""
    passing = False
    try:
        page = fetch_page(article.url)
    except (FetchError, PageUnavailable) as exc:
        extraction, reason, passing = Article.Extraction.FAILED, str(exc), exc.temporary
    except ExtractionSkipped as exc:
        extraction = Article.Extraction.FAILED if exc.reason == "empty" else Article.Extraction.SKIPPED
        reason = str(exc)

    fields: dict[str, object] = {"fetched_at": timezone.now(), "extraction": extraction, "extraction_error": reason,
                                 "page_retry_at": None}
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
    if passing:
        _schedule_page_retry(article, fields)
    if reason:
        log.info("article %s: %s; using the feed summary", article.pk, reason)
    return fields


def _schedule_page_retry(article: Article, fields: dict[str, object]) -> None:
    """Counts a page failure that may pass, and sets when to try again, or notes that we have stopped trying."""
    waits: list[int] = settings.MONITOR_PAGE_RETRY_MINUTES
    attempts = article.page_attempts + 1
    fields["page_attempts"] = attempts
    if attempts <= len(waits):
        when = timezone.now() + timedelta(minutes=waits[attempts - 1])
        fields["page_retry_at"] = when
        fields["extraction_error"] = (f"{fields['extraction_error']}; will try the page again after "
                                      f"{when:%Y-%m-%d %H:%M} UTC (retry {attempts} of {len(waits)})")
    elif waits:
        fields["extraction_error"] = f"{fields['extraction_error']}; gave up after {attempts} tries"


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
