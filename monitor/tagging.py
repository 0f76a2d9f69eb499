"""The analysis stages: tag an article's text and store the tags (`analyse_article`), then put the article in
a story (`group_article`). `tag_article` runs both, for a shell or a test.

They are two stages, each with its own status and claims, so that NLP processes never wait on the
clustering lock and grouping, which is cheap but serial, can run in a process of its own (monitor.pipeline).
The tagger itself (monitor.nlp) knows nothing of Django. This module keeps one tagger per process, built
from the gazetteer in the database and rebuilt when admins edit it.
Not for: the gazetteer's storage (monitor.gazetteer), writing tag rows (monitor.tag_store) or story
assignment (monitor.stories).
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from monitor.gazetteer import correction_records, gazetteer_records, gazetteer_stamp, place_records
from monitor.models import Story, StoryArticle, UngroupedArticle
from monitor.nlp import Analysis, Gazetteer, Tagger
from monitor.nlp.gazetteer import NameCorrections, place_list_from_records
from monitor.stories import assign_story
from monitor.story_evidence import StoryFeatures, features_from_analysis
from monitor.story_index import refresh_story_index
from monitor.tag_store import store_analysis
from sources.claims import commit_stage
from sources.models import Article

_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], Tagger] | None = None
# Analyses of a claimed batch, made by analyse_batch, waiting for tag_article: per thread, keyed by article
# id, text and tagger version, so an article whose text or tagger changed in between is analysed afresh.
_prepared = threading.local()


def get_tagger() -> Tagger:
    """One tagger per process, rebuilt when the gazetteer changes."""
    global _cached
    stamp = gazetteer_stamp()
    with _lock:
        if _cached is None or _cached[0] != stamp:
            tagger = Tagger(model_name=settings.MONITOR_SPACY_MODEL,
                            gazetteer=Gazetteer.from_records(gazetteer_records()),
                            places=place_list_from_records(place_records()),
                            corrections=NameCorrections.from_records(correction_records()))
            _cached = (stamp, tagger)
        return _cached[1]


def article_text(article: Article) -> str:
    """What the tagger reads: the title as its own paragraph, then the body."""
    return article.text or article.title


def analyse_batch(articles: list[Article]) -> None:
    """Runs the tagger over a claimed batch in one go (spaCy's batched pipe, inside its memory zone, so a
    long-running worker's memory stays flat); analyse_article then stores each result in its own transaction."""
    tagger = get_tagger()
    texts = [article_text(article) for article in articles]
    _prepared.analyses = {(article.pk, hash(text), tagger.version): analysis
                          for article, text, analysis in zip(articles, texts, tagger.analyze_many(texts))}


def analyse_article(article: Article) -> None:
    """The tag stage: tags one claimed extracted article, replaces its stored tags, keeps the features
    grouping needs (UngroupedArticle), and marks it ANALYSED."""
    tagger = get_tagger()
    text = article_text(article)
    prepared: dict[tuple[int, int, str], Analysis] = getattr(_prepared, "analyses", {})
    analysis = prepared.pop((article.pk, hash(text), tagger.version), None) or tagger.analyze(text)
    with transaction.atomic():
        commit_stage(article, to_status=Article.Status.ANALYSED,
                     fields={"pipeline_version": tagger.version, "tagged_at": timezone.now()})
        store_analysis(article, analysis, version=tagger.version)
        UngroupedArticle.objects.update_or_create(
            article=article, defaults={"features": features_from_analysis(analysis).to_json()})


def group_article(article: Article) -> None:
    """The group stage: puts one claimed analysed article in a story (monitor.stories) and marks it TAGGED."""
    with transaction.atomic():
        waiting = UngroupedArticle.objects.filter(article=article).first()
        # Without its row (only if someone deleted it) the article is grouped on its wording alone.
        features = StoryFeatures.from_json(waiting.features) if waiting is not None else StoryFeatures()
        commit_stage(article, to_status=Article.Status.TAGGED, fields={})
        assign_story(article, features)
        UngroupedArticle.objects.filter(article=article).delete()


def tag_article(article: Article) -> None:
    """Both stages for one extracted article: tags stored, then grouped into a story."""
    analyse_article(article)
    group_article(article)


def retag_article(article: Article, tagger: Tagger, analysis: Analysis | None = None) -> None:
    """Re-tags an already tagged article (after a gazetteer or model change), keeping its status."""
    analysis = analysis or tagger.analyze(article_text(article))
    with transaction.atomic():
        store_analysis(article, analysis, version=tagger.version)
        Article.objects.filter(pk=article.pk).update(pipeline_version=tagger.version, tagged_at=timezone.now())
        # Later articles are compared with these; the article stays in its story. Its candidate-index keys
        # (StoryArticle.index_keys) keep the names it had when it was grouped until it is grouped again: a few stale
        # keys only change which articles are offered as candidates, never a verdict.
        # Its comparison data (`reported`: the features within its compared text) is dropped, so the next
        # article compared with it reads them afresh from its text (monitor.stories.sides_of).
        StoryArticle.objects.filter(article=article).update(features=features_from_analysis(analysis).to_json(),
                                                            reported=None, comparison_digest=None)
        story = Story.objects.filter(members__article=article).first()
        if story is not None:
            refresh_story_index(story)
