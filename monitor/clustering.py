"""Groups articles into stories: near copies of one report (wire copy, reposts, rewrites) share a story.

The similarity maths is in monitor.dedup (pure Python). This module keeps its candidate index in the
database (ArticleBand: each article's LSH band keys and figure-pair keys), so finding candidates is an
indexed lookup whose cost does not grow with the square of the archive.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min

from monitor import dedup
from monitor.models import Article, ArticleBand, Story


# Any constant: the key of the PostgreSQL advisory lock that lets one transaction at a time assign stories.
_CLUSTERING_LOCK = 7_301_001


def lock_clustering() -> None:
    """Serialises story assignment until the current transaction ends.

    Two workers tagging two copies of one wire story at the same moment would each see no committed copy and
    found two stories. SQLite already runs one write transaction at a time (IMMEDIATE); PostgreSQL needs an
    advisory lock, released by the commit.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLUSTERING_LOCK])


def assign_story(article: Article) -> Story:
    """Puts a tagged article into the story of its nearest earlier copy, or into a new story of its own.

    Call inside the transaction that stores the article's tags.
    """
    lock_clustering()
    text = article.text or article.title
    sig = dedup.signature(text)
    keys = dedup.candidate_keys(text, sig)
    best: tuple[float, Article, str] | None = None
    candidates = (
        Article.objects.filter(bands__key__in=keys, story__isnull=False)
        .exclude(pk=article.pk)
        .annotate(shared_bands=Count("bands"))
        .order_by("-shared_bands")
        .only("id", "text", "title", "fingerprint", "story_id")
    )
    if article.published_at is not None:
        window = timedelta(days=settings.MONITOR_DEDUP_WINDOW_DAYS)
        candidates = candidates.filter(published_at__range=(article.published_at - window,
                                                            article.published_at + window))
    # Candidates sharing the most bands are the likeliest copies; only the best few are compared in full.
    for other in candidates[: settings.MONITOR_DEDUP_MAX_CANDIDATES]:
        if other.fingerprint is None:
            continue
        estimate = dedup.similarity(sig, dedup.Signature.from_bytes(bytes(other.fingerprint)))
        kind = dedup.classify_copy(other.text or other.title, text,
                                   verbatim_threshold=settings.MONITOR_DEDUP_VERBATIM_THRESHOLD,
                                   rewrite_threshold=settings.MONITOR_DEDUP_REWRITE_THRESHOLD)
        if kind is not None and (best is None or estimate > best[0]):
            best = (estimate, other, kind)

    article.fingerprint = sig.to_bytes()
    ArticleBand.objects.filter(article=article).delete()
    ArticleBand.objects.bulk_create([ArticleBand(article=article, key=key) for key in keys])
    if best is None:
        story = Story.objects.create(title=article.title or text[:200])
        article.copy_kind = Article.CopyKind.ORIGINAL
    else:
        story = best[1].story  # type: ignore[assignment]
        article.copy_kind = best[2]
    article.story = story
    Article.objects.filter(pk=article.pk).update(fingerprint=article.fingerprint, story=story,
                                                 copy_kind=article.copy_kind)
    refresh_story(story)
    return story


def refresh_story(story: Story) -> None:
    """Recomputes a story's first report and counts from its articles."""
    articles = Article.objects.filter(story=story)
    stats = articles.aggregate(n=Count("id"), outlets=Count("source", distinct=True), first=Min("published_at"))
    first = articles.order_by("published_at", "id").first()
    if first is not None and first.copy_kind != Article.CopyKind.ORIGINAL:
        # A copy published earlier than the story's founder arrived late: it is the first report now, and
        # every other article is re-judged against it.
        Article.objects.filter(pk=first.pk).update(copy_kind=Article.CopyKind.ORIGINAL)
        for other in articles.exclude(pk=first.pk).only("id", "text", "title"):
            kind = dedup.classify_copy(first.text or first.title, other.text or other.title,
                                       verbatim_threshold=settings.MONITOR_DEDUP_VERBATIM_THRESHOLD,
                                       rewrite_threshold=settings.MONITOR_DEDUP_REWRITE_THRESHOLD)
            Article.objects.filter(pk=other.pk).update(copy_kind=kind or Article.CopyKind.REWRITTEN)
    story.article_count = stats["n"]
    story.outlet_count = stats["outlets"]
    story.first_published_at = stats["first"]
    story.first_article = first
    if first is not None and first.title:
        story.title = first.title
    story.save()
