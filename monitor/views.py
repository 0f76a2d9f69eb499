"""Dashboard views. Thin: querysets and context only; tables and filters live beside them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.views.generic import DetailView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from monitor.filters import StoryFilter
from monitor.models import Entity, Mention, Story
from sources.models import Article
from monitor.status import pipeline_status
from monitor.tables import StoryTable
from sources.extraction import sanitize_html


class StoryListView(SingleTableMixin, FilterView):
    model = Story
    table_class = StoryTable
    filterset_class = StoryFilter
    template_name = "monitor/story_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Story]:
        return Story.objects.filter(first_article__isnull=False).select_related("first_article__source")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["status"] = pipeline_status()
        return context

    def get_table(self, **kwargs: Any) -> StoryTable:
        table = super().get_table(**kwargs)
        page_stories = [row.record for row in table.paginated_rows]
        names = organisation_names([story.pk for story in page_stories])
        for story in page_stories:
            story.organisation_names = names.get(story.pk, [])
        return table


def organisation_names(story_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """For each story, its organisations as (short label, full name), most mentioned first."""
    counts: dict[int, dict[tuple[str, str], int]] = {}
    rows = Mention.objects.filter(article__story_link__story_id__in=story_ids,
                                  entity__kind=Entity.Kind.ORGANISATION).values_list(
        "article__story_link__story_id", "entity__name", "entity__acronym")
    for story_id, name, acronym in rows:
        per_story = counts.setdefault(story_id, {})
        key = (acronym or name, name)
        per_story[key] = per_story.get(key, 0) + 1
    return {story_id: sorted(per_story, key=lambda key: (-per_story[key], key[1]))[:6]
            for story_id, per_story in counts.items()}


class StoryDetailView(DetailView):  # type: ignore[type-arg]
    model = Story
    template_name = "monitor/story_detail.html"
    context_object_name = "story"

    def get_queryset(self) -> QuerySet[Story]:
        return Story.objects.all()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        story: Story = self.object
        articles = list(Article.objects.filter(story_link__story=story).select_related("source", "story_link")
                        .order_by("published_at", "id"))
        lead = story.first_article if story.first_article in articles else (articles[0] if articles else None)
        context["lead"] = lead
        context["others"] = [a for a in articles if a != lead]
        if lead is not None:
            mentions = list(lead.mentions.select_related("entity"))
            paragraphs = highlight_paragraphs(lead.text, mentions)
            if paragraphs and "".join(piece for piece, _ in paragraphs[0]).strip() == lead.title.strip():
                paragraphs = paragraphs[1:]  # extraction often keeps the headline, which the page already shows
            context["paragraphs"] = paragraphs
            context["entities"] = group_entities(mentions)
            context["figures"] = list(lead.figures.all())
            context["summary_html"] = sanitize_html(lead.summary_html)
        return context


def group_entities(mentions: list[Mention]) -> dict[str, list[tuple[Entity, int]]]:
    """Entities of each kind with their mention counts, most mentioned first."""
    tally: dict[int, tuple[Entity, int]] = {}
    for mention in mentions:
        entity, n = tally.get(mention.entity_id, (mention.entity, 0))
        tally[mention.entity_id] = (entity, n + 1)
    groups: dict[str, list[tuple[Entity, int]]] = {"organisations": [], "people": [], "places": []}
    names = {Entity.Kind.ORGANISATION: "organisations", Entity.Kind.PERSON: "people", Entity.Kind.PLACE: "places"}
    for entity, n in sorted(tally.values(), key=lambda pair: (-pair[1], pair[0].name)):
        groups[names[Entity.Kind(entity.kind)]].append((entity, n))
    return groups


def highlight_paragraphs(text: str, mentions: list[Mention]) -> list[list[tuple[str, Mention | None]]]:
    """Splits the text into paragraphs of (piece, mention or None), so the template can mark entities safely."""
    paragraphs: list[list[tuple[str, Mention | None]]] = []
    ordered = sorted(mentions, key=lambda m: m.start)
    offset = 0
    for block in text.split("\n\n"):
        start, end = offset, offset + len(block)
        offset = end + 2
        if not block.strip():
            continue
        pieces: list[tuple[str, Mention | None]] = []
        cursor = start
        for mention in ordered:
            if mention.start < cursor or mention.end > end:
                continue
            pieces.append((text[cursor:mention.start], None))
            pieces.append((text[mention.start:mention.end], mention))
            cursor = mention.end
        pieces.append((text[cursor:end], None))
        paragraphs.append(pieces)
    return paragraphs
