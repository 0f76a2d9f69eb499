"""The sources health page's data: a page of sources, each with its items per day and its volume verdict.

Costs stay flat as the archive grows: a page reads its sources (by the (name, id) index, a page at a time) and
their `SourceDay` rows for the chart's 28 days (by the (source, day) unique index), never an article. The one
COUNT per request is over sources (the status tabs), which is fine at 10,000 sources.

The volume verdict shown for a row is computed from the same rows as its chart, so it matches what the admin
sees; the "volume changed" filter reads the verdict each source keeps (`Source.volume_change`, refreshed by
its first poll of each day), which can be up to a day older.

Not for: the volume test itself (sources.volume), keeping the counts (sources.article_store), or the actions
(sources.actions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from sources.models import VOLUME_WINDOW_DAYS, Source, SourceDay, SourceQuerySet, health_condition
from sources.volume import RECENT_DAYS, VolumeChange, volume_change

CHART_DAYS = VOLUME_WINDOW_DAYS + 1
PER_PAGE = 50


@dataclass(frozen=True)
class HealthFilters:
    query: str = ""
    health: str = ""
    group_id: int | None = None
    source_type: str = ""
    reliability: str = ""
    volume_changed: bool = False


@dataclass
class SourceRow:
    source: Source
    counts: list[int]
    """Items per day for the chart's days, oldest first; the last is today (not over yet)."""
    first_day: date
    change: VolumeChange | None

    @property
    def chart(self) -> SafeString:
        return daily_bars(self.counts, first_day=self.first_day, flagged=self.change is not None)

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class HealthPage:
    rows: list[SourceRow]
    after: int | None
    """Cursor of the next page (the last row's id), or None on the last page."""
    before: int | None
    """Cursor of the previous page (the first row's id), or None on the first page."""
    tallies: dict[str, int]
    """How many of the filtered sources are in each health state, and "all"."""


def today_utc() -> date:
    return timezone.now().astimezone(UTC).date()


def filtered_sources(filters: HealthFilters) -> SourceQuerySet:
    """The sources the filters select, before the health filter (which the tabs apply, with their counts)."""
    sources = Source.objects.all()
    if filters.query:
        sources = sources.filter(Q(name__icontains=filters.query) | Q(url__icontains=filters.query)
                                 | Q(feed_title__icontains=filters.query))
    if filters.group_id is not None:
        sources = sources.filter(groups=filters.group_id)
    if filters.source_type:
        sources = sources.filter(source_type=filters.source_type)
    if filters.reliability:
        sources = sources.filter(reliability=filters.reliability)
    if filters.volume_changed:
        sources = sources.exclude(volume_change="")
    return sources


def health_tallies(filters: HealthFilters) -> dict[str, int]:
    """How many of the filtered sources are in each health state, and in all: one query over the sources."""
    counts = filtered_sources(filters).aggregate(
        all=Count("id"), **{health.value: Count("id", filter=health_condition(health.value)) for health in Source.Health})
    return {key: int(value or 0) for key, value in counts.items()}


def health_page(filters: HealthFilters, *, after: int | None = None, before: int | None = None,
                per_page: int = PER_PAGE, today: date | None = None) -> HealthPage:
    """One page of sources by name (keyset: `after` or `before` a source id), with their charts."""
    today = today or today_utc()
    sources = filtered_sources(filters)
    if filters.health:
        sources = sources.with_health(filters.health)
    sources = sources.prefetch_related("groups")
    page: list[Source]
    if before is not None:
        cursor = Source.objects.filter(pk=before).values_list("name", "id").first()
        if cursor is not None:
            sources = sources.filter(Q(name__lt=cursor[0]) | Q(name=cursor[0], id__lt=cursor[1]))
        page = list(sources.order_by("-name", "-id")[:per_page + 1])
        more_before = len(page) > per_page
        page = list(reversed(page[:per_page]))
        more_after = cursor is not None
    else:
        if after is not None:
            cursor = Source.objects.filter(pk=after).values_list("name", "id").first()
            if cursor is not None:
                sources = sources.filter(Q(name__gt=cursor[0]) | Q(name=cursor[0], id__gt=cursor[1]))
        page = list(sources.order_by("name", "id")[:per_page + 1])
        more_after = len(page) > per_page
        page = page[:per_page]
        more_before = after is not None
    rows = source_rows(page, today=today)
    return HealthPage(rows=rows, after=page[-1].pk if page and more_after else None,
                      before=page[0].pk if page and more_before else None, tallies=health_tallies(filters))


def source_rows(sources: Sequence[Source], *, today: date) -> list[SourceRow]:
    """Each source with its chart's counts and its volume verdict: one query for all of their day rows."""
    first = today - timedelta(days=CHART_DAYS - 1)
    counted: dict[int, dict[date, int]] = {}
    earliest: dict[int, date] = {}
    rows = SourceDay.objects.filter(source_id__in=[s.pk for s in sources], day__gte=first, day__lte=today)
    for source_id, day, n in rows.values_list("source_id", "day", "articles"):
        counted.setdefault(source_id, {})[day] = n
        earliest[source_id] = min(day, earliest.get(source_id, day))
    result = []
    for source in sources:
        days = counted.get(source.pk, {})
        counts = [days.get(first + timedelta(days=i), 0) for i in range(CHART_DAYS)]
        change = volume_change(counts[:-1], last_day=today - timedelta(days=1),
                               history_starts=source.history_starts(earliest.get(source.pk)))
        result.append(SourceRow(source=source, counts=counts, first_day=first, change=change))
    return result


def daily_bars(counts: Sequence[int], *, first_day: date, flagged: bool = False, width: int = 140,
               height: int = 28) -> SafeString:
    """A small bar per day, oldest first, each titled with its day and count. The days the volume test calls
    recent are marked "recent" (drawn in the warning colour when the source is flagged), today "today" (not
    over yet). Built from numbers and escaped dates only, so it is safe inline."""
    n = len(counts)
    top = max(max(counts, default=0), 1)
    step = width / max(n, 1)
    recent = range(n - 1 - RECENT_DAYS, n - 1)
    label = escape(f"Items per day over the last {n} days: {sum(counts)} in all, at most {max(counts, default=0)} "
                   "in one day")
    parts = [f'<svg class="daybars{" flagged" if flagged else ""}" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" aria-label="{label}">']
    for i, count in enumerate(counts):
        bar_height = max(round((height - 2) * count / top, 1), 1.0)
        day = first_day + timedelta(days=i)
        kind = "today" if i == n - 1 else ("recent" if i in recent else "past")
        kind += " empty" if not count else ""
        title = escape(f"{day:%a %d %b}: {count} item{'s' if count != 1 else ''}{' so far' if i == n - 1 else ''}")
        parts.append(f'<rect class="{kind}" x="{round(i * step, 1)}" y="{round(height - bar_height, 1)}" '
                     f'width="{round(max(step - 1, 1), 1)}" height="{bar_height}"><title>{title}</title></rect>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def last_success_words(source: Source, now: datetime | None = None) -> str:
    """When the source last worked, in words ("never" for a source not yet polled successfully)."""
    if source.last_success_at is None:
        return "never"
    return f"{timesince(source.last_success_at, now or timezone.now())} ago"
