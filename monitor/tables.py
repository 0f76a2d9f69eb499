"""The dashboard's tables (django-tables2). Rows come from monitor.story_query, already one page long, so
the tables do not paginate or sort themselves: the list's cursor links and order menu do that along an index.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from monitor.models import Figure, Story


class StoryTable(tables.Table):
    title = tables.Column(orderable=False, attrs={"td": {"class": "title"}})
    lead_source_name = tables.Column(verbose_name="Source", orderable=False, attrs={"td": {"class": "source"}})
    first_published_at = tables.DateTimeColumn(verbose_name="Published", format="j M Y, H:i T", orderable=False,
                                               attrs={"td": {"class": "when"}})
    outlet_count = tables.Column(verbose_name="Outlets", orderable=False, attrs={"td": {"class": "num"},
                                                                                   "th": {"class": "num"}})
    figure_count = tables.Column(verbose_name="Figures", orderable=False, attrs={"td": {"class": "num"},
                                                                                   "th": {"class": "num"}})
    top_organisations = tables.Column(verbose_name="Organisations", orderable=False, empty_values=(),
                                      attrs={"td": {"class": "orgs"}})

    class Meta:
        model = Story
        fields = ("title", "lead_source_name", "first_published_at", "outlet_count", "figure_count",
                  "top_organisations")
        attrs = {"class": "table stories"}
        empty_text = "No stories match. Remove a filter, or widen the dates."

    def render_title(self, record: Story, value: str) -> Any:
        link = format_html('<a href="{}">{}</a>', reverse("story-detail", args=[record.pk]), value)
        snippet = getattr(record, "snippet", "")
        return format_html('{}<div class="snippet">{}</div>', link, snippet) if snippet else link

    def render_top_organisations(self, record: Story) -> Any:
        if not record.top_organisations:
            return "—"
        return format_html_join(" ", '<a class="tag org" href="{}" title="{}">{}</a>',
                                ((f"{reverse('story-list')}?org={entity_id}", full, short)
                                 for entity_id, short, full in record.top_organisations))


class FigureTable(tables.Table):
    value = tables.Column(verbose_name="Value", orderable=False, attrs={"td": {"class": "num"}})
    counts = tables.Column(verbose_name="Counting", orderable=False)
    subject = tables.Column(verbose_name="Reported by", orderable=False)
    story = tables.Column(verbose_name="Story", orderable=False, attrs={"td": {"class": "title"}})
    source = tables.Column(verbose_name="Outlet", orderable=False)
    sort_key = tables.Column(verbose_name="Published", orderable=False, attrs={"td": {"class": "when"}})

    class Meta:
        model = Figure
        fields = ("value", "counts", "subject", "story", "source", "sort_key")
        attrs = {"class": "table stories figures-table"}
        empty_text = "No figures match. Remove a filter."

    def render_value(self, record: Figure) -> Any:
        number = "~" if record.value is None else f"{record.value:,.15g}"
        return format_html('<span title="{}">{}{}{}</span>', record.text,
                           f"{record.qualifier} " if record.qualifier else "", number,
                           f" {record.unit}" if record.unit else "")

    def render_subject(self, record: Figure) -> Any:
        if record.subject_entity_id:
            return format_html('<a href="{}">{}</a>', reverse("entity-detail", args=[record.subject_entity_id]),
                               record.subject)
        return record.subject or "—"

    def render_story(self, record: Figure) -> Any:
        if record.story is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("story-detail", args=[record.story_id]), record.story.title)

    def render_sort_key(self, record: Figure) -> Any:
        story = record.story
        if story is None or story.first_published_at is None:
            return "—"
        return date_filter(timezone.localtime(story.first_published_at), "j M Y")
