"""Admin for the gazetteer (edits re-tag what they affect, in the background), entities (promote candidates),
stories and re-tagging jobs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify

from monitor.models import Entity, GazetteerEntry, NameCorrection, RetagJob, Story
from monitor.nlp.gazetteer import NAME_KINDS
from monitor.retagging import start_retag_job
from monitor.tasks import retag_job_task
from sources.paginators import CappedCountPaginator


@admin.register(GazetteerEntry)
class GazetteerEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("canonical", "acronyms", "kind", "country", "enabled", "origin")
    list_filter = ("kind", "country", "enabled", "origin")
    search_fields = ("canonical", "key", "acronyms", "aliases")
    readonly_fields = ("origin", "updated_at")
    actions = ["retag_affected"]

    def save_model(self, request: HttpRequest, obj: GazetteerEntry, form: Any, change: bool) -> None:
        if obj.origin == GazetteerEntry.Origin.SHIPPED and change:
            # An admin's edit wins over later shipped updates (see `manage.py gazetteer --sync`).
            obj.origin = GazetteerEntry.Origin.ADMIN
        super().save_model(request, obj, form, change)
        # The stored tags still reflect the old entry: re-tag what it affects, in the background.
        self._start_jobs(request, [obj])

    @admin.action(description="Re-tag affected stories")
    def retag_affected(self, request: HttpRequest, queryset: QuerySet[GazetteerEntry]) -> None:
        self._start_jobs(request, list(queryset))

    def _start_jobs(self, request: HttpRequest, entries: list[GazetteerEntry]) -> None:
        user = request.user if isinstance(request.user, User) else None
        for entry in entries:
            job = start_retag_job(entry, user)
            retag_job_task(job.pk)
            self.message_user(request, format_html(
                'Re-tagging {} affected article{} for “{}” in the background: <a href="{}">follow its progress</a>.',
                job.total, pluralize(job.total), entry.canonical, reverse("retag-job", args=[job.pk])),
                messages.SUCCESS)


@admin.register(RetagJob)
class RetagJobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("reason", "created_at", "created_by", "state", "progress")
    readonly_fields = ("gazetteer_entry", "reason", "created_by", "created_at", "state", "done", "error",
                       "finished_at")
    exclude = ("article_ids",)

    @admin.display(description="progress")
    def progress(self, job: RetagJob) -> str:
        return f"{job.done:,} of {job.total:,} ({job.percent}%)"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


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


class NameCorrectionForm(forms.ModelForm):  # type: ignore[type-arg]
    kind = forms.ChoiceField(choices=[
        ("person", "person: a person to know, with aliases"),
        ("place", "place: a place to know, with aliases"),
        ("not-person", "not a person: never tag these names as a person"),
        ("not-place", "not a place: never tag these names as a place"),
        ("not-organisation", "not an organisation: never tag these names as an organisation"),
    ])

    class Meta:
        model = NameCorrection
        fields = ("canonical", "aliases", "kind", "country", "enabled")


@admin.register(NameCorrection)
class NameCorrectionAdmin(GazetteerEntryAdmin):
    """People, places and stop-list names; saving one re-tags the stories it affects, like an organisation."""

    form = NameCorrectionForm
    def get_list_display(self, request: HttpRequest) -> tuple[str, ...]:
        return ("canonical", "aliases", "kind", "enabled", "origin")

    def get_list_filter(self, request: HttpRequest) -> tuple[str, ...]:
        return ("kind", "enabled", "origin")

    def get_search_fields(self, request: HttpRequest) -> tuple[str, ...]:
        return ("canonical", "key", "aliases")

    def get_queryset(self, request: HttpRequest) -> QuerySet[GazetteerEntry]:
        return super().get_queryset(request).filter(kind__in=NAME_KINDS)

    # Corrections are gazetteer entries: whoever may edit the gazetteer may edit them (monitor.roles grants
    # the gazetteer's permissions, not the proxy's).
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("monitor.view_gazetteerentry")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("monitor.add_gazetteerentry")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("monitor.change_gazetteerentry")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("monitor.delete_gazetteerentry")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_module_perms("monitor")

    def save_model(self, request: HttpRequest, obj: GazetteerEntry, form: Any, change: bool) -> None:
        if not obj.key:
            obj.key = slugify(f"{obj.kind}-{obj.canonical}")[:110] or "name"
            if GazetteerEntry.objects.filter(key=obj.key).exists():
                obj.key = f"{obj.key}-{GazetteerEntry.objects.count()}"
        super().save_model(request, obj, form, change)
