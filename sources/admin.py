"""Admin for feed sources (add and look after them, read each one's poll history) and articles (read-only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from sources.models import Article, Source
from sources.paginators import CappedCountPaginator

# How many polls a source's admin page lists; older ones are in the database until pruned.
RECENT_POLLS = 50


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "enabled", "status", "problem", "last_polled_at", "next_poll_at")
    list_filter = ("enabled", "status")
    search_fields = ("name", "url", "feed_title")
    actions = ["poll_soon", "enable", "disable"]
    readonly_fields = ("status", "feed_title", "interval_minutes", "next_poll_at", "last_polled_at",
                       "last_success_at", "last_new_item_at", "etag", "last_modified", "body_hash",
                       "consecutive_errors", "consecutive_permanent_errors", "last_http_status", "last_error",
                       "disabled_reason", "created_at", "recent_polls")
    fieldsets = (
        (None, {"fields": ("url", "name", "enabled")}),
        ("Schedule", {"fields": ("pinned_interval_minutes", "min_interval_minutes", "max_interval_minutes",
                                 "interval_minutes", "next_poll_at")}),
        ("State", {"fields": ("status", "feed_title", "last_polled_at", "last_success_at", "last_new_item_at",
                              "consecutive_errors", "last_http_status", "last_error", "disabled_reason")}),
        ("Conditional GET", {"classes": ("collapse",), "fields": ("etag", "last_modified", "body_hash")}),
        ("History", {"fields": ("recent_polls",)}),
    )

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

    @admin.action(description="Poll at the next worker tick")
    def poll_soon(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        n = _apply(queryset, Source.poll_soon, ["next_poll_at"])
        self.message_user(request, f"{n} sources will be polled within a minute.", messages.SUCCESS)

    @admin.action(description="Enable")
    def enable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        n = _apply(queryset, Source.enable, ENABLE_FIELDS)
        self.message_user(request, f"{n} sources enabled.", messages.SUCCESS)

    @admin.action(description="Disable")
    def disable(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        n = _apply(queryset, lambda source: source.disable("disabled by an admin"), DISABLE_FIELDS)
        self.message_user(request, f"{n} sources disabled.", messages.SUCCESS)


ENABLE_FIELDS = ["enabled", "status", "disabled_reason", "next_poll_at", "consecutive_errors",
                 "consecutive_permanent_errors"]
DISABLE_FIELDS = ["enabled", "status", "disabled_reason"]


def _apply(queryset: QuerySet[Source], change: Callable[[Source], None], fields: list[str]) -> int:
    """Runs one of Source's state changes on each chosen source and saves just the fields it touches."""
    n = 0
    for source in queryset:
        change(source)
        source.save(update_fields=fields)
        n += 1
    return n


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
