"""Groups articles into stories: near copies of one report (wire copy, reposts, rewrites) share a story.

The similarity maths is in monitor.similarity (pure Python); an article's membership is a StoryArticle row.
This module keeps the candidate index in the database (ArticleBand: each article's LSH band keys and
figure-pair keys), so finding candidates is an indexed lookup whose cost does not grow with the archive.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min

from monitor import similarity
from monitor.models import ArticleBand, Story, StoryArticle
from monitor.story_index import refresh_story_index
from sources.models import Article


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
    previous = Story.objects.filter(members__article=article).first()  # set when an article is tagged again
    text = article.text or article.title
    sig = similarity.signature(text)
    keys = similarity.candidate_keys(text, sig)
    best: tuple[float, StoryArticle, str] | None = None
    candidates = (
        StoryArticle.objects.filter(article__bands__key__in=keys)
        .exclude(article_id=article.pk)
        .annotate(shared_bands=Count("article__bands"))
        .order_by("-shared_bands")
        .select_related("article")
        .only("article_id", "story_id", "fingerprint", "article__text", "article__title")
    )
    if article.published_at is not None:
        window = timedelta(days=settings.MONITOR_DEDUP_WINDOW_DAYS)
        candidates = candidates.filter(article__published_at__range=(article.published_at - window,
                                                                     article.published_at + window))
    # Candidates sharing the most bands are the likeliest copies; only the best few are compared in full.
    for other in candidates[: settings.MONITOR_DEDUP_MAX_CANDIDATES]:
        if other.fingerprint is None:
            continue
        estimate = similarity.similarity(sig, similarity.Signature.from_bytes(bytes(other.fingerprint)))
        kind = similarity.classify_copy(other.article.text or other.article.title, text,
                                        verbatim_threshold=settings.MONITOR_DEDUP_VERBATIM_THRESHOLD,
                                        rewrite_threshold=settings.MONITOR_DEDUP_REWRITE_THRESHOLD)
        if kind is not None and (best is None or estimate > best[0]):
            best = (estimate, other, kind)

    ArticleBand.objects.filter(article=article).delete()
    ArticleBand.objects.bulk_create([ArticleBand(article=article, key=key) for key in keys])
    if best is None:
        story = Story.objects.create(title=article.title or text[:200])
        copy_kind: str = StoryArticle.CopyKind.ORIGINAL
    else:
        story = best[1].story
        copy_kind = best[2]
    StoryArticle.objects.update_or_create(article=article, defaults={
        "story": story, "copy_kind": copy_kind, "fingerprint": sig.to_bytes()})
    refresh_story(story)
    if previous is not None and previous.pk != story.pk:
        refresh_story(previous)
        if previous.article_count == 0:
            previous.delete()  # the article was its only one: an empty story would show as a blank row
    return story


def refresh_story(story: Story) -> None:
    """Recomputes a story's first report and counts from its articles."""
    articles = Article.objects.filter(story_link__story=story)
    stats = articles.aggregate(n=Count("id"), outlets=Count("source", distinct=True), first=Min("published_at"))
    first = articles.select_related("story_link").order_by("published_at", "id").first()
    if first is not None and first.story_link.copy_kind != StoryArticle.CopyKind.ORIGINAL:
        # A copy published earlier than the story's founder arrived late: it is the first report now, and
        # every other article is re-judged against it.
        StoryArticle.objects.filter(article=first).update(copy_kind=StoryArticle.CopyKind.ORIGINAL)
        for other in articles.exclude(pk=first.pk).only("id", "text", "title"):
            kind = similarity.classify_copy(first.text or first.title, other.text or other.title,
                                            verbatim_threshold=settings.MONITOR_DEDUP_VERBATIM_THRESHOLD,
                                            rewrite_threshold=settings.MONITOR_DEDUP_REWRITE_THRESHOLD)
            StoryArticle.objects.filter(article=other).update(copy_kind=kind or StoryArticle.CopyKind.REWRITTEN)
    story.article_count = stats["n"]
    story.outlet_count = stats["outlets"]
    story.first_published_at = stats["first"]
    story.first_article = first
    if first is not None and first.title:
        story.title = first.title
    story.save()
    refresh_story_index(story)
