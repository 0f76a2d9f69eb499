"""Admin for the gazetteer, entities (promote candidates) and stories."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import slugify

from monitor.models import Entity, GazetteerEntry, Story
from sources.paginators import CappedCountPaginator


@admin.register(GazetteerEntry)
class GazetteerEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("canonical", "acronyms", "kind", "country", "enabled", "origin")
    list_filter = ("kind", "country", "enabled", "origin")
    search_fields = ("canonical", "key", "acronyms", "aliases")
    readonly_fields = ("origin", "updated_at")

    def save_model(self, request: HttpRequest, obj: GazetteerEntry, form: Any, change: bool) -> None:
        if obj.origin == GazetteerEntry.Origin.SHIPPED and change:
            # An admin's edit wins over later shipped updates (see `manage.py gazetteer --sync`).
            obj.origin = GazetteerEntry.Origin.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_display = ("name", "kind", "acronym", "category", "is_candidate")
    list_filter = ("kind", ("gazetteer", admin.EmptyFieldListFilter))
    search_fields = ("name", "acronym")
    actions = ["promote_to_gazetteer"]

    @admin.display(boolean=True, description="candidate")
    def is_candidate(self, entity: Entity) -> bool:
        return entity.is_candidate

    @admin.action(description="Promote candidate organisations to the gazetteer")
    def promote_to_gazetteer(self, request: HttpRequest, queryset: QuerySet[Entity]) -> None:
        promoted = 0
        for entity in queryset.filter(kind=Entity.Kind.ORGANISATION, gazetteer__isnull=True):
            key = slugify(entity.name)[:120] or f"org-{entity.pk}"
            entry, _ = GazetteerEntry.objects.get_or_create(key=key, defaults={
                "canonical": entity.name, "acronyms": [entity.acronym] if entity.acronym else [],
                "aliases": [a for a in entity.aliases if a != entity.name and a != entity.acronym],
                "kind": entity.category or "organisation", "origin": GazetteerEntry.Origin.PROMOTED})
            entity.gazetteer = entry
            entity.save(update_fields=["gazetteer"])
            promoted += 1
        self.message_user(request, f"{promoted} organisations promoted. Run `manage.py retag` to apply them to "
                                   "stored articles.", messages.SUCCESS)


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_display = ("title", "first_published_at", "article_count", "outlet_count")
    search_fields = ("title",)
    # Kept by the pipeline (monitor.stories, monitor.story_index): an edit here would be overwritten or, worse,
    # leave the dashboard's tables out of step.
    readonly_fields = ("first_article", "first_published_at", "article_count", "outlet_count", "sort_key",
                       "language", "figure_count", "lead_source_name", "top_organisations")
