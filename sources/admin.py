"""Admin for feed sources (add and look after them, read each one's poll history and changes), source groups, and
articles (read-only). The dashboard's sources pages (/sources/) are the everyday tool; this is the fallback, and it
keeps the same rules: duplicates refused, every change recorded with who made it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from sources import actions
from sources.forms import NewFeedUrlMixin
from sources.models import Article, Source, SourceChange, SourceGroup
from sources.paginators import CappedCountPaginator

# How many polls a source's admin page lists; older ones are in the database until pruned.
RECENT_POLLS = 50


class SourceAdminForm(NewFeedUrlMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Source
        fields = "__all__"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "reliability" in self.fields:
            self.fields["reliability"].required = False  # left out: F, "cannot be judged"

    def clean_reliability(self) -> str:
        return str(self.cleaned_data.get("reliability") or Source.Reliability.F)


# Fields whose change the admin records on the source's change log.
RECORDED_FIELDS = ["url", "name", "site_url", "enabled", "source_type", "reliability", "language", "country",
                   "pinned_interval_minutes", "min_interval_minutes", "max_interval_minutes"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = SourceAdminForm
    # Five columns fit a 1,366 px screen; the health page (/sources/) shows the rest.
    list_display = ("__str__", "enabled", "status", "problem", "next_poll_at")
    list_filter = ("enabled", "status", "source_type", "reliability", "groups")
    search_fields = ("name", "url", "feed_title")
    actions = ["poll_soon", "enable", "disable", "clear_errors"]
    filter_horizontal = ("groups",)
    readonly_fields = ("status", "feed_title", "interval_minutes", "next_poll_at", "last_polled_at",
                       "last_success_at", "last_new_item_at", "etag", "last_modified", "body_hash",
                       "consecutive_errors", "consecutive_permanent_errors", "last_http_status", "last_error",
                       "disabled_reason", "created_at", "recent_polls", "recent_changes")
    fieldsets = (
        (None, {"fields": ("url", "name", "site_url", "enabled")}),
        ("About the source", {"fields": ("groups", "source_type", "reliability", "language", "country")}),
        ("Schedule", {"fields": ("pinned_interval_minutes", "min_interval_minutes", "max_interval_minutes",
                                 "interval_minutes", "next_poll_at")}),
        ("State", {"fields": ("status", "feed_title", "last_polled_at", "last_success_at", "last_new_item_at",
                              "consecutive_errors", "last_http_status", "last_error", "disabled_reason")}),
        ("Conditional GET", {"classes": ("collapse",), "fields": ("etag", "last_modified", "body_hash")}),
        ("History", {"fields": ("recent_changes", "recent_polls")}),
    )

    @admin.display(description="changes")
    def recent_changes(self, source: Source) -> str:
        changes = source.changes.order_by("-at", "-id")[:RECENT_POLLS] if source.pk else []
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((timezone.localtime(c.at).strftime("%Y-%m-%d %H:%M"), c.get_action_display(), c.actor, c.detail)
             for c in changes))
        if not rows:
            return "No changes recorded."
        return format_html('<table class="poll-history"><thead><tr><th>when</th><th>what</th><th>who</th>'
                           "<th>detail</th></tr></thead><tbody>{}</tbody></table>", rows)

    @admin.display(description=f"last {RECENT_POLLS} polls")
    def recent_polls(self, source: Source) -> str:
        polls = source.polls.order_by("-started_at")[:RECENT_POLLS] if source.pk else []
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((timezone.localtime(p.started_at).strftime("%Y-%m-%d %H:%M:%S"), p.get_outcome_display(),
              p.http_status or "—", p.items_seen, p.items_new, p.items_updated, f"{p.bytes:,} B, {p.duration_ms} ms",
              p.error or p.warning or "") for p in polls))
        if not rows:
            return "No polls yet."
        return format_html(
            '<table class="poll-history"><thead><tr><th>started</th><th>outcome</th><th>HTTP</th><th>items</th>'
            "<th>new</th><th>updated</th><th>size, time</th><th>error or warning</th></tr></thead>"
            "<tbody>{}</tbody></table>", rows)

    @admin.display(description="last error")
    def problem(self, source: Source) -> str:
        text = source.disabled_reason or source.last_error
        if not text:
            return "—"
        prefix = f"{source.consecutive_errors}× " if source.consecutive_errors > 1 else ""
        return prefix + (text if len(text) <= 90 else text[:89] + "…")

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        if obj.enabled and obj.status == Source.Status.DISABLED:
            obj.enable()
        super().save_model(request, obj, form, change)
        if not change:
            SourceChange.record(obj, SourceChange.Action.ADDED, user=request.user, detail="in the Django admin")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        groups_before = sorted(g.name for g in form.instance.groups.all()) if change else []
        super().save_related(request, form, formsets, change)
        if not change:
            return
        changes = {name: (form.initial.get(name), form.cleaned_data.get(name)) for name in form.changed_data
                   if name in RECORDED_FIELDS}
        groups_after = sorted(g.name for g in form.instance.groups.all())
        if groups_after != groups_before:
            changes["groups"] = (groups_before, groups_after)
        actions.record_edit(form.instance, changes, user=request.user)

    def delete_model(self, request: HttpRequest, obj: Source) -> None:
        SourceChange.record(obj, SourceChange.Action.DELETED, user=request.user, detail=obj.url)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        for source in queryset:
            SourceChange.record(source, SourceChange.Action.DELETED, user=request.user, detail=source.url)
        super().delete_queryset(request, queryset)

    @admin.action(description="Poll at the next worker tick")
    def poll_soon(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        n = 0
        for source in queryset:
            source.poll_soon()
            source.save(update_fields=["next_poll_at"])
            SourceChange.record(source, SourceChange.Action.POLLED, user=request.user,
                                detail="due at the next worker tick")
            n += 1
        self.message_user(request, f"{n} sources will be polled within a minute.", messages.SUCCESS)

    @admin.action(description="Enable")
    def enable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        self._each(request, queryset, lambda source: actions.set_enabled(source, True, user=request.user))

    @admin.action(description="Disable")
    def disable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        self._each(request, queryset, lambda source: actions.set_enabled(source, False, user=request.user))

    @admin.action(description="Clear errors (and poll at the next worker tick)")
    def clear_errors(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        self._each(request, queryset, lambda source: actions.clear_errors(source, user=request.user))

    def _each(self, request: HttpRequest, queryset: QuerySet[Source], act: Callable[[Source], str]) -> None:
        done = 0
        for source in queryset:
            try:
                act(source)
                done += 1
            except actions.ActionRefused as exc:
                self.message_user(request, str(exc), messages.ERROR)
        self.message_user(request, f"{done} source{'s' if done != 1 else ''} done.", messages.SUCCESS)


@admin.register(SourceGroup)
class SourceGroupAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "created_at")
    search_fields = ("name",)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    # A million articles: no full count on each page, and the status filter walks (status, published_at, id).
    paginator = CappedCountPaginator
    show_full_result_count = False
    list_display = ("__str__", "source", "published_at", "status", "extraction", "attempts")
    list_filter = ("status", "extraction", "source")
    search_fields = ("title", "url")
    readonly_fields = [f.name for f in Article._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
